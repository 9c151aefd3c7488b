// SPDX-License-Identifier: GPL-3.0-or-later
// Jingle Message Initiation (XEP-0353): the messages that ring every device of the callee before a Jingle
// session starts with one of them. Read without requiring a store hint (Dino sends none).
#pragma once

#include <QString>
#include <QStringList>
#include <QXmppMessage.h>
#include <optional>

class QDomElement;

namespace Natter::Core::Calls {

inline const QString JingleMessageNamespace = QStringLiteral("urn:xmpp:jingle-message:0");

struct JingleMessage
{
    enum class Type
    {
        Propose,
        Ringing,
        Proceed,
        Reject,
        Retract,
        Finish,
    };
    Type type = Type::Propose;
    QString id;
    QStringList media; // propose: audio, video
    QString reason;    // a Jingle reason condition: busy, decline, cancel, success, expired, …
    bool tieBreak = false;

    friend bool operator==(const JingleMessage &, const JingleMessage &) = default;
};

// The JMI element of a <message/>, or nullopt when it has none or it is malformed (no id, unknown type, a
// propose with no medium).
std::optional<JingleMessage> readJingleMessage(const QDomElement &message);
// A chat message to `to` carrying it, with a store hint so offline devices and archives get it too.
QXmppMessage jingleMessageStanza(const QString &to, const JingleMessage &message);

} // namespace Natter::Core::Calls
