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
    // Both are stored as integers in the message store: never renumber.
    enum class Direction
    {
        Incoming = 0,
        Outgoing = 1
    };
    enum class Delivery
    {
        Pending = 0,
        Sent = 1,
        Acknowledged = 2,
        Failed = 3
    };

    ConversationKey conversation;
    Direction direction = Direction::Incoming;
    Delivery delivery = Delivery::Pending;
    QString id;       // the stanza's id attribute
    QString originId; // XEP-0359 origin-id
    QString stanzaId; // XEP-0359 stanza-id, assigned by the archive stanzaIdBy (our server, or a room)
    QString stanzaIdBy;
    QString senderFullJid;
    QString body;
    QDateTime timestamp;  // UTC; the sender's delayed-delivery stamp when present, else when it arrived
    QDateTime serverTime; // UTC; when the archive stored it, when known
    qint64 storageId = 0; // its row in the message store; 0 before it is stored
};

} // namespace Natter::Core

Q_DECLARE_METATYPE(Natter::Core::ChatMessage)
