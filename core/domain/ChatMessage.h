// SPDX-License-Identifier: GPL-3.0-or-later
// One one-to-one chat message, incoming or outgoing, as core hands it to front ends.
#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>

namespace Natter::Core {

struct ConversationKey
{
    QString account; // bare JID of our account
    QString peer;    // bare JID of the contact

    friend bool operator==(const ConversationKey &, const ConversationKey &) = default;
};

inline size_t qHash(const ConversationKey &key, size_t seed = 0)
{
    return qHashMulti(seed, key.account, key.peer);
}

struct ChatMessage
{
    enum class Direction
    {
        Incoming,
        Outgoing
    };
    enum class Delivery
    {
        Pending,
        Sent,
        Acknowledged,
        Failed
    };

    ConversationKey conversation;
    Direction direction = Direction::Incoming;
    Delivery delivery = Delivery::Pending;
    QString id;       // the stanza's id attribute
    QString originId; // XEP-0359 origin-id
    QString senderFullJid;
    QString body;
    QDateTime timestamp; // UTC; the sender's delayed-delivery stamp when present
};

} // namespace Natter::Core

Q_DECLARE_METATYPE(Natter::Core::ChatMessage)
