// SPDX-License-Identifier: GPL-3.0-or-later
#include "FileTransferService.h"

#include "common/Logging.h"
#include "files/FileHash.h"
#include "roster/CapsService.h"
#include "roster/PresenceService.h"

#include <QDomElement>
#include <QFileInfo>
#include <QMimeDatabase>
#include <QNetworkInterface>
#include <QUuid>
#include <QXmppByteStreamIq.h>
#include <QXmppClient.h>
#include <QXmppDiscoveryManager.h>
#include <QXmppIbbIq.h>
#include <QXmppTask.h>
#include <QXmppUtils.h>
#include <QtConcurrent/QtConcurrentRun>

namespace Natter::Core {

namespace {

const QString IbbNamespace = QStringLiteral("http://jabber.org/protocol/ibb");
const QString ByteStreamsNamespace = QStringLiteral("http://jabber.org/protocol/bytestreams");
// XEP-0260 §2.2: priority = 2^16 × type preference + local preference.
constexpr quint32 DirectPreference = 126;
constexpr quint32 ProxyPreference = 10;

QString sessionKey(const QString &peer, const QString &sid)
{
    return peer + u'\n' + sid;
}

QString newId()
{
    return QUuid::createUuid().toString(QUuid::Id128).left(16);
}

// What the worker thread learnt of a file to send (a plain struct: GCC 14 warns wrongly about a
// Result<FileMetadata> made there).
struct Described
{
    FileMetadata file;
    Error error;
};

Described describe(const QString &path, const std::atomic_bool &cancelled)
{
    Described described;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        described.error = Error(Error::Code::FileReadFailed, path);
        return described;
    }
    auto hash = sha256Of(file, cancelled);
    if (const auto *error = std::get_if<Error>(&hash)) {
        described.error = *error;
        return described;
    }
    described.file.name = QFileInfo(path).fileName();
    described.file.size = file.size();
    described.file.mediaType = QMimeDatabase().mimeTypeForFile(path).name();
    described.file.sha256 = std::get<QByteArray>(hash);
    return described;
}

} // namespace

FileTransferService::FileTransferService(CapsService &caps, PresenceService &presence)
    : m_caps(caps)
    , m_presence(presence)
{}

// Transfers still running go with their sockets; the client that could tell the peers is going too.
FileTransferService::~FileTransferService() = default;

QStringList FileTransferService::discoveryFeatures() const
{
    return {Jingle::Namespace, Jingle::FileTransferNamespace, Jingle::S5bNamespace, Jingle::IbbNamespace,
            IbbNamespace};
}

void FileTransferService::onRegistered(QXmppClient *client)
{
    QXmppClientExtension::onRegistered(client);
    connect(client, &QXmppClient::connected, this, &FileTransferService::discoverProxy);
}

QString FileTransferService::receivingDevice(const QString &bareJid) const
{
    for (const ResourcePresence &resource : m_presence.presence(bareJid).resources) {
        const QString device = bareJid + u'/' + resource.resource;
        if (m_caps.hasFeature(device, Jingle::FileTransferNamespace) &&
            (m_caps.hasFeature(device, Jingle::S5bNamespace) ||
             m_caps.hasFeature(device, Jingle::IbbNamespace)))
            return device;
    }
    return {};
}

FileTransfer *FileTransferService::send(const QString &deviceJid, const QString &path)
{
    auto *transfer = new FileTransfer(FileTransfer::Direction::Outgoing, context(), deviceJid, newId(), this);
    transfer->m_path = path;
    transfer->m_file.name = QFileInfo(path).fileName();
    transfer->m_file.size = QFileInfo(path).size();
    track(transfer);
    Q_EMIT started(transfer);
    // Hashing a large file takes seconds: never on this thread, and given up when the transfer is cancelled.
    auto cancelled = std::make_shared<std::atomic_bool>(false);
    connect(transfer, &FileTransfer::finished, this, [cancelled] { *cancelled = true; });
    QtConcurrent::run([path, cancelled] {
        return describe(path, *cancelled);
    }).then(transfer, [transfer, path](const Described &described) {
        if (transfer->stage() != FileTransfer::Stage::Preparing)
            return;
        if (described.error.isError())
            return transfer->finish(described.error);
        transfer->offer(path, described.file);
    });
    return transfer;
}

QList<FileTransfer *> FileTransferService::transfers() const
{
    QList<FileTransfer *> all;
    for (const auto &transfer : m_sessions)
        if (transfer)
            all.append(transfer);
    return all;
}

void FileTransferService::track(FileTransfer *transfer)
{
    const QString key = sessionKey(transfer->peer(), transfer->m_sid);
    m_sessions.insert(key, transfer);
    connect(transfer, &QObject::destroyed, this, [this, key] { m_sessions.remove(key); });
}

FileTransfer::Context FileTransferService::context()
{
    return {*client(), m_listener, client()->configuration().jid(), [this] { return ourCandidates(); },
            !m_proxied};
}

QList<Jingle::Candidate> FileTransferService::ourCandidates()
{
    QList<Jingle::Candidate> candidates;
    const QString ownJid = client()->configuration().jid();
    if (m_proxied)
        return candidates;
    if (m_settings.directConnections && m_listener.listen()) {
        quint32 localPreference = 65535;
        QList<QHostAddress> loopback;
        const auto add = [&](const QHostAddress &address) {
            Jingle::Candidate candidate;
            candidate.cid = newId();
            candidate.host = address.toString();
            candidate.port = m_listener.port();
            candidate.jid = ownJid;
            candidate.priority = (DirectPreference << 16) + localPreference;
            localPreference = localPreference > 0 ? localPreference - 1 : 0;
            candidates.append(candidate);
        };
        for (const QHostAddress &address : QNetworkInterface::allAddresses()) {
            // Link-local addresses need an interface name that means nothing on the other machine.
            if (address.isLinkLocal() || address.isNull())
                continue;
            if (address.isLoopback())
                loopback.append(address); // last: they reach only a device on this machine
            else
                add(address);
        }
        localPreference = 0;
        for (const QHostAddress &address : std::as_const(loopback))
            add(address);
    }
    if (m_settings.useProxy && m_proxy) {
        Jingle::Candidate proxy = *m_proxy;
        proxy.cid = newId();
        candidates.append(proxy);
    }
    return candidates;
}

void FileTransferService::discoverProxy()
{
    auto *disco = client()->findExtension<QXmppDiscoveryManager>();
    if (!disco)
        return;
    const quint64 round = ++m_proxyRound;
    const QString server = client()->configuration().domain();
    disco->requestDiscoItems(server).then(this, [this, round](QXmppDiscoveryManager::ItemsResult &&result) {
        if (round != m_proxyRound || !std::holds_alternative<QList<QXmppDiscoveryIq::Item>>(result))
            return;
        for (const auto &item : std::get<QList<QXmppDiscoveryIq::Item>>(result))
            if (item.node().isEmpty())
                askProxy(item.jid(), round);
    });
}

void FileTransferService::askProxy(const QString &jid, quint64 round)
{
    auto *disco = client()->findExtension<QXmppDiscoveryManager>();
    disco->requestDiscoInfo(jid).then(this, [this, jid, round](QXmppDiscoveryManager::InfoResult &&result) {
        const auto *info = std::get_if<QXmppDiscoveryIq>(&result);
        if (round != m_proxyRound || !info)
            return;
        const auto identities = info->identities();
        const bool isProxy = std::any_of(identities.cbegin(), identities.cend(), [](const auto &identity) {
            return identity.category() == u"proxy" && identity.type() == u"bytestreams";
        });
        if (!isProxy)
            return;
        QXmppByteStreamIq query;
        query.setType(QXmppIq::Get);
        query.setTo(jid);
        client()->sendIq(std::move(query)).then(this, [this, jid, round](QXmppClient::IqResult &&answer) {
            const auto *element = std::get_if<QDomElement>(&answer);
            if (round != m_proxyRound || !element)
                return;
            QXmppByteStreamIq hosts;
            hosts.parse(*element);
            for (const auto &host : hosts.streamHosts()) {
                if (host.host().isEmpty() || host.port() == 0)
                    continue;
                Jingle::Candidate proxy;
                proxy.host = host.host();
                proxy.port = host.port();
                proxy.jid = host.jid().isEmpty() ? jid : host.jid();
                proxy.priority = ProxyPreference << 16;
                proxy.type = Jingle::Candidate::Type::Proxy;
                m_proxy = proxy;
                qCInfo(lcFiles) << "SOCKS5 proxy" << proxy.jid << "at" << proxy.host << proxy.port;
                Q_EMIT proxyChanged();
                return;
            }
        });
    });
}

bool FileTransferService::handleStanza(const QDomElement &stanza)
{
    if (stanza.tagName() != u"iq" || stanza.attribute(QStringLiteral("type")) != u"set")
        return false;
    const QDomElement payload = stanza.firstChildElement();
    if (payload.namespaceURI() == Jingle::Namespace && payload.tagName() == u"jingle")
        return handleJingle(stanza, payload);
    if (payload.namespaceURI() == IbbNamespace)
        return handleInBand(stanza, payload);
    return false;
}

bool FileTransferService::handleJingle(const QDomElement &iq, const QDomElement &jingle)
{
    const QString from = iq.attribute(QStringLiteral("from"));
    const auto action = Jingle::parse(jingle);
    if (!action) {
        replyError(iq, QXmppStanza::Error::BadRequest);
        return true;
    }
    const QString key = sessionKey(from, action->sid);
    if (action->action == u"session-initiate") {
        if (!action->file)
            return false; // not a file offer: someone else's (calls)
        if (!QXmppUtils::jidToResource(from).size() || m_sessions.contains(key) ||
            action->transport == Jingle::Action::Transport::None || !action->file->size) {
            replyError(iq, QXmppStanza::Error::BadRequest);
            return true;
        }
        if (m_accepts && !m_accepts(QXmppUtils::jidToBareJid(from))) {
            qCInfo(lcFiles) << "refused a file offer from" << from << "(not a contact)";
            replyError(iq, QXmppStanza::Error::Forbidden);
            return true;
        }
        replyResult(iq);
        auto *transfer =
            new FileTransfer(FileTransfer::Direction::Incoming, context(), from, action->sid, this);
        transfer->setOffer(*action);
        track(transfer);
        qCInfo(lcFiles) << from << "offers" << action->file->name << *action->file->size << "bytes";
        Q_EMIT offered(transfer);
        return true;
    }
    const QPointer<FileTransfer> transfer = m_sessions.value(key);
    if (!transfer) {
        // Not ours to answer when it is some other application's session (a call).
        if (action->file || action->transport != Jingle::Action::Transport::None ||
            action->action == u"session-terminate") {
            replyError(iq, QXmppStanza::Error::ItemNotFound, QStringLiteral("unknown session"));
            return true;
        }
        return false;
    }
    replyResult(iq);
    transfer->handle(*action);
    return true;
}

bool FileTransferService::handleInBand(const QDomElement &iq, const QDomElement &payload)
{
    const QString from = iq.attribute(QStringLiteral("from"));
    const QString streamId = payload.attribute(QStringLiteral("sid"));
    QPointer<FileTransfer> transfer;
    for (const auto &candidate : std::as_const(m_sessions))
        if (candidate && candidate->peer() == from && candidate->inBandStreamId() == streamId)
            transfer = candidate;
    bool accepted = false;
    if (transfer) {
        const QString name = payload.tagName();
        if (name == u"open") {
            accepted = transfer->handleInBandOpen(streamId);
        } else if (name == u"close") {
            accepted = transfer->handleInBandClose(streamId);
        } else if (name == u"data") {
            QXmppIbbDataIq data;
            data.parse(iq);
            accepted = transfer->handleInBandData(streamId, data.sequence(), data.payload());
        }
    }
    if (accepted)
        replyResult(iq);
    else
        replyError(iq, transfer ? QXmppStanza::Error::NotAcceptable : QXmppStanza::Error::ItemNotFound);
    return true;
}

void FileTransferService::replyResult(const QDomElement &iq)
{
    QXmppIq result(QXmppIq::Result);
    result.setId(iq.attribute(QStringLiteral("id")));
    result.setTo(iq.attribute(QStringLiteral("from")));
    client()->sendPacket(result);
}

void FileTransferService::replyError(const QDomElement &iq, int condition, const QString &text)
{
    QXmppIq error(QXmppIq::Error);
    error.setId(iq.attribute(QStringLiteral("id")));
    error.setTo(iq.attribute(QStringLiteral("from")));
    error.setError(
        QXmppStanza::Error(QXmppStanza::Error::Cancel, QXmppStanza::Error::Condition(condition), text));
    client()->sendPacket(error);
}

} // namespace Natter::Core
