// SPDX-License-Identifier: GPL-3.0-or-later
// The Jingle file transfer vocabulary (XEP-0166 with XEP-0234 file offers, XEP-0260 SOCKS5 and XEP-0261
// in-band transports) read from and written to stanzas. Only one content per session: one file.
#pragma once

#include "common/PayloadIq.h"
#include "domain/SharedFile.h"

#include <QList>
#include <QString>
#include <QXmppElement.h>
#include <QXmppIq.h>
#include <optional>

class QDomElement;

namespace Natter::Core::Jingle {

inline const QString Namespace = QStringLiteral("urn:xmpp:jingle:1");
inline const QString FileTransferNamespace = QStringLiteral("urn:xmpp:jingle:apps:file-transfer:5");
inline const QString S5bNamespace = QStringLiteral("urn:xmpp:jingle:transports:s5b:1");
inline const QString IbbNamespace = QStringLiteral("urn:xmpp:jingle:transports:ibb:1");

struct Candidate
{
    enum class Type
    {
        Direct,
        Proxy,
    };
    QString cid;
    QString host;
    quint16 port = 0;
    QString jid; // who listens there: the offering client, or the proxy
    quint32 priority = 0;
    Type type = Type::Direct;

    friend bool operator==(const Candidate &, const Candidate &) = default;
};

// One <jingle/> element. Which fields mean something depends on the action.
struct Action
{
    enum class Transport
    {
        None,
        Socks5,
        InBand,
    };
    QString action; // session-initiate, session-accept, session-terminate, transport-info, …
    QString sid;
    QString initiator;
    QString contentName;
    QString contentCreator = QStringLiteral("initiator");
    std::optional<FileMetadata> file; // the offer (session-initiate)

    Transport transport = Transport::None;
    QString transportSid;
    QString dstaddr;
    QList<Candidate> candidates;
    // transport-info payloads (SOCKS5)
    QString candidateUsed;
    bool candidateError = false;
    QString activated;
    bool proxyError = false;
    // in-band transport
    int blockSize = 0;

    // session-terminate: success, decline, cancel, connectivity-error, failed-transport, media-error, …
    QString reason;
    QString reasonText;

    friend bool operator==(const Action &, const Action &) = default;
};

// nullopt when the element is not a Jingle element we can read (wrong namespace, no action or sid).
std::optional<Action> parse(const QDomElement &jingle);
QXmppElement toElement(const Action &action);

// Jingle actions, and XEP-0047 open and close (whose QXmpp classes are not exported), go in one.
using Core::PayloadIq;

} // namespace Natter::Core::Jingle
