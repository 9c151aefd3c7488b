// SPDX-License-Identifier: GPL-3.0-or-later
#include "Account.h"

#include "CertificateGuard.h"
#include "ClientConfiguration.h"
#include "ConnectionErrorClassifier.h"
#include "PingResponder.h"
#include "calls/CallRecords.h"
#include "calls/CallService.h"
#include "common/Logging.h"
#include "common/XmppRequest.h"
#include "console/StanzaLog.h"
#include "crypto/EncryptionService.h"
#include "crypto/LegacyOmemoService.h"
#include "files/AttachmentService.h"
#include "files/FileSharing.h"
#include "files/HttpDownload.h"
#include "files/HttpUpload.h"
#include "filetransfer/FileTransferService.h"
#include "filetransfer/TransferRecords.h"
#include "im/DisplayedSync.h"
#include "im/MessagingFeatures.h"
#include "messaging/MessageService.h"
#include "muc/BookmarkService.h"
#include "muc/MucService.h"
#include "roster/AvatarService.h"
#include "roster/BlockingService.h"
#include "roster/CapsService.h"
#include "roster/ContactInfoService.h"
#include "roster/PresenceService.h"
#include "roster/RosterService.h"
#include "roster/SubscriptionService.h"
#include "storage/RosterRepository.h"
#include "stream/IncomingStanzaReader.h"
#include "sync/ArchiveQuery.h"
#include "sync/HistorySync.h"

#include <QSslConfiguration>
#include <QSslSocket>
#include <QXmppBlockingManager.h>
#include <QXmppCarbonManagerV2.h>
#include <QXmppClient.h>
#include <QXmppConfiguration.h>
#include <QXmppDiscoveryManager.h>
#include <QXmppError.h>
#include <QXmppExternalServiceDiscoveryManager.h>
#include <QXmppLogger.h>
#include <QXmppOutgoingClient.h>
#include <QXmppPresence.h>
#include <QXmppPubSubManager.h>
#include <QXmppRegisterIq.h>
#include <QXmppTask.h>
#include <QXmppVCardManager.h>
#include <QXmppVersionManager.h>

namespace Natter::Core {

Account::Account(AccountConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_client(new QXmppClient(QXmppClient::NoExtensions, this))
{
    IncomingStanzaReader::install(*m_client);
    // Order matters for later managers (see docs/ARCHITECTURE.md): discovery first.
    m_client->addNewExtension<QXmppDiscoveryManager>();
    // PEP (XEP-0163) for avatars and vCard4; events reach every QXmppPubSubEventHandler extension.
    m_client->addNewExtension<QXmppPubSubManager>();
    auto *version = m_client->addNewExtension<QXmppVersionManager>();
    version->setClientName(QStringLiteral("Natter"));
    version->setClientVersion(QStringLiteral(NATTER_VERSION));
    version->setClientOs({}); // the operating system is nobody's business
    m_client->addNewExtension<PingResponder>();
    // Copies of what our other devices send and receive; V2 checks their origin and re-injects them.
    m_client->addNewExtension<QXmppCarbonManagerV2>();
    m_archive = m_client->addNewExtension<ArchiveQuery>();
    // Our own roster client: QXmppRosterManager (not added) has no roster versioning.
    m_roster = m_client->addNewExtension<RosterService>(m_config.jid);
    m_subscriptions = new SubscriptionService(m_config.jid, *m_roster);
    m_client->addExtension(m_subscriptions);
    m_presence = m_client->addNewExtension<PresenceService>(m_config.jid);
    m_avatars = m_client->addNewExtension<AvatarService>(m_config.jid);
    m_caps = m_client->addNewExtension<CapsService>();
    m_blocking = new BlockingService(*m_client, *m_client->addNewExtension<QXmppBlockingManager>(), this);
    connect(m_avatars, &AvatarService::avatarChanged, this, [this](const QString &jid) {
        if (jid == m_config.jid)
            m_presence->setPhotoHash(m_avatars->avatarHash(jid));
    });
    m_contactInfo = new ContactInfoService(*m_client, *m_client->addNewExtension<QXmppVCardManager>(), this);
    connect(m_blocking, &BlockingService::blockListChanged, this, [this] {
        for (const QString &jid : m_blocking->blockedJids())
            m_presence->forget(jid);
    });

    if (qEnvironmentVariableIsSet("NATTER_DEBUG_XMPP")) {
        auto *logger = new QXmppLogger(m_client);
        logger->setLoggingType(QXmppLogger::SignalLogging);
        connect(logger, &QXmppLogger::message, this,
                [](QXmppLogger::MessageType, const QString &text) { qCDebug(lcXmpp).noquote() << text; });
        m_client->setLogger(logger);
    }
    m_stanzaLog = new Console::StanzaLog(*m_client, this);

    m_messages = new MessageService(*m_client, m_config.jid, this);
    // Strangers do not learn when we are online from our receipts.
    m_messages->setReceiptPolicy(
        [this](const QString &peer) { return m_roster->contains(peer) && !m_blocking->isBlocked(peer); });
    m_history = new HistorySync(*m_client, *m_archive, m_config.jid, this);
    m_uploads = new HttpUploadService(*m_client, [this] { return trustedCertificates(); }, this);
    m_files = new FileSharing(*m_messages, *m_uploads, this);
    m_downloads = new HttpDownloader([this] { return trustedCertificates(); }, this);
    m_attachments = new AttachmentService(*m_downloads, *m_messages, *m_roster, this);
    // Before the presence and roster services see a room's presence or messages: it consumes them.
    m_rooms = new MucService(m_config.jid, *m_messages);
    m_client->insertExtension(0, m_rooms);
    m_bookmarks = m_client->addNewExtension<BookmarkService>(m_config.jid);
    m_rooms->setBookmarks(m_bookmarks);
    m_displayedSync = m_client->addNewExtension<DisplayedSync>(m_config.jid);
    m_client->addNewExtension<MessagingFeatures>();
    m_directTransfers = new FileTransferService(*m_caps, *m_presence);
    m_client->addExtension(m_directTransfers);
    // Offers from strangers are refused before anyone sees them, as their files never download by themselves.
    m_directTransfers->setOfferFilter([this](const QString &bareJid) {
        return (m_roster->contains(bareJid) || bareJid == m_config.jid) && !m_blocking->isBlocked(bareJid);
    });
    new TransferRecords(*m_directTransfers, *m_messages, *m_attachments, m_config.jid, this);
    // Before the carbons manager (it takes every carbon) and the file transfers (they answer Jingle IQs of
    // sessions they do not know).
    m_calls = new Calls::CallService(m_config.jid, *m_caps, *m_presence,
                                     *m_client->addNewExtension<QXmppExternalServiceDiscoveryManager>());
    m_client->insertExtension(0, m_calls);
    m_calls->setCallFilter([this](const QString &bareJid) {
        return m_roster->contains(bareJid) && !m_blocking->isBlocked(bareJid);
    });
    new Calls::CallRecords(*m_calls, *m_messages, m_config.jid, this);
    connect(m_messages, &MessageService::displayed, m_displayedSync, &DisplayedSync::publish);

    m_reconnectTimer.setSingleShot(true);
    // Precise: the countdown the user sees (nextAttemptIn) never exceeds the delay that was announced.
    m_reconnectTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &Account::connectToServer);
    connect(m_client, &QXmppClient::connected, this, &Account::handleClientConnected);
    connect(m_client, &QXmppClient::disconnected, this, &Account::handleClientDisconnected);
    connect(m_client, &QXmppClient::errorOccurred, this, &Account::handleClientError);
    m_certificates = new CertificateGuard(*m_client, this);
    m_certificates->setPinned(m_config.pinnedCertificate);
}

Account::~Account()
{
    if (m_encryption)
        m_encryption->detach();
    m_wantOnline = false;
    m_reconnectTimer.stop();
    m_client->disconnect(this);
    // Close the stream properly: an aborted one would linger on the server, waiting to be resumed,
    // and keep receiving messages meant for our other resources.
    if (m_client->state() != QXmppClient::DisconnectedState)
        m_client->disconnectFromServer();
    deleteServicesBeforeClient();
}

// ~QXmppClient deletes its private part before its stream, and the stream then fails the requests still
// pending: a continuation still alive at that moment would run against a half-deleted client (a room join
// waiting for the room's disco#info sent its presence through it). So every service and extension goes
// first, newest first, and their continuations go with them.
void Account::deleteServicesBeforeClient()
{
    const QObjectList services = children();
    for (auto it = services.crbegin(); it != services.crend(); ++it) {
        if (*it != m_client)
            delete *it;
    }
    const QList<QXmppClientExtension *> extensions = m_client->extensions();
    for (auto it = extensions.crbegin(); it != extensions.crend(); ++it)
        m_client->removeExtension(*it);
}

void Account::setConfig(const AccountConfig &config)
{
    if (m_config == config)
        return;
    m_config = config;
    m_certificates->setPinned(config.pinnedCertificate);
    Q_EMIT configChanged();
}

void Account::setPassword(const QString &password)
{
    m_password = password;
}

void Account::setProxyPassword(const QString &password)
{
    m_proxyPassword = password;
}

QList<QSslCertificate> Account::trustedCertificates() const
{
    return QSslConfiguration::systemCaCertificates() + m_additionalCaCertificates;
}

void Account::setAdditionalCaCertificates(const QList<QSslCertificate> &certificates)
{
    m_additionalCaCertificates = certificates;
}

qint64 Account::nextAttemptIn() const
{
    return m_reconnectTimer.isActive() ? m_reconnectTimer.remainingTime() : -1;
}

QXmppConfiguration Account::clientConfiguration() const
{
    QXmppConfiguration configuration =
        Core::clientConfiguration(m_config, trustedCertificates(), networkProxy(m_config, m_proxyPassword));
    configuration.setPassword(m_password);
    configuration.setResource(m_config.resource);
    return configuration;
}

QXmppTask<Result<Success>> Account::changePasswordOnServer(const QString &newPassword)
{
    const QString user = m_config.jid.section(u'@', 0, 0);
    const QString domain = m_config.jid.section(u'@', 1);
    QXmppPromise<Result<Success>> promise;
    auto task = promise.task();
    askToDo(*m_client, this, QXmppRegisterIq::createChangePasswordRequest(user, newPassword, domain))
        .then(this, [this, promise, newPassword](Result<Success> &&changed) mutable {
            if (isOk(changed))
                m_password = newPassword;
            promise.finish(std::move(changed));
        });
    return task;
}

QXmppTask<Result<Success>> Account::deleteOnServer()
{
    QXmppPromise<Result<Success>> promise;
    auto task = promise.task();
    if (m_state != ConnectionState::Online) {
        promise.finish(Error(Error::Code::NotConnected, m_config.jid));
        return task;
    }
    askToDo(*m_client, this, QXmppRegisterIq::createUnregistrationRequest(m_config.jid.section(u'@', 1)))
        .then(this, [this, promise](Result<Success> &&deleted) mutable {
            // Deleted, or the stream closed before an answer (Prosody closes it without one once the account
            // is gone): either way, no reason to reconnect.
            if (isOk(deleted) || errorOf(deleted).code == Error::Code::NotConnected)
                disconnectFromServer();
            promise.finish(std::move(deleted));
        });
    return task;
}

void Account::connectToServer()
{
    m_reconnectTimer.stop();
    if (m_password.isEmpty()) {
        failWith(Error(Error::Code::PasswordMissing, m_config.jid));
        return;
    }
    m_wantOnline = true;
    setState(ConnectionState::Connecting);
    // QXmpp refuses a new connection while the previous stream is still open or its socket still closing
    // (new settings, or Disconnect then Connect in quick succession): start once it is closed.
    if (m_client->state() != QXmppClient::DisconnectedState) {
        m_connectWhenClosed = true;
        closeStreamFromEventLoop();
        return;
    }
    connectWhenSocketClosed();
}

void Account::closeStreamFromEventLoop()
{
    // QXmpp 1.10 can close the socket at once and then cancels its pending requests; called while it is
    // handling an answer (a catch-up page stored, a click reacting to a stanza), it then frees the very
    // request it is finishing and crashes. Closing from the event loop keeps it out of QXmpp's handling.
    if (m_closeScheduled)
        return;
    m_closeScheduled = true;
    QTimer::singleShot(0, this, [this] {
        m_closeScheduled = false;
        if ((!m_wantOnline || m_connectWhenClosed) && m_client->state() != QXmppClient::DisconnectedState)
            m_client->disconnectFromServer();
    });
}

void Account::connectWhenSocketClosed()
{
    // Always from the event loop: QXmpp finishes its own clean-up after it reports a disconnect, and an
    // attempt started inside that report would be lost.
    auto startWhenIdle = [this] {
        QTimer::singleShot(0, this, [this] {
            if (m_wantOnline && m_client->state() == QXmppClient::DisconnectedState)
                startConnection();
        });
    };
    const auto *stream = m_client->findChild<QXmppOutgoingClient *>();
    QAbstractSocket *socket = stream ? stream->socket() : nullptr;
    if (!socket || socket->state() == QAbstractSocket::UnconnectedState) {
        startWhenIdle();
        return;
    }
    QObject::disconnect(m_socketClosedConnection);
    m_socketClosedConnection = connect(socket, &QAbstractSocket::stateChanged, this,
                                       [this, startWhenIdle](QAbstractSocket::SocketState state) {
                                           if (state != QAbstractSocket::UnconnectedState)
                                               return;
                                           QObject::disconnect(m_socketClosedConnection);
                                           startWhenIdle();
                                       });
}

void Account::startConnection()
{
    m_certificates->reset();
    m_pendingError = {};
    // Files travel the way the stream does: a direct HTTP request would show our address (and ask our
    // resolver) behind the user's back.
    const QNetworkProxy proxy = networkProxy(m_config, m_proxyPassword);
    m_uploads->setProxy(proxy);
    m_downloads->setProxy(proxy);
    m_directTransfers->setProxied(m_config.usesProxy());
    m_calls->setProxied(m_config.usesProxy());
    // With our presence at once. RFC 6121 2.2 suggests the roster first, but a session that is not yet
    // available gets no messages sent to our bare JID: those would wait for the next catch-up.
    m_client->connectToServer(clientConfiguration(), m_presence->clientPresence());
}

void Account::disconnectFromServer()
{
    m_wantOnline = false;
    m_connectWhenClosed = false;
    QObject::disconnect(m_socketClosedConnection);
    m_reconnectTimer.stop();
    m_lastError = {};
    if (m_client->state() != QXmppClient::DisconnectedState)
        closeStreamFromEventLoop();
    setState(ConnectionState::Offline);
}

void Account::setStore(MessageRepository *messages, SyncStateRepository *syncState, RosterRepository *roster)
{
    m_messages->setStore(messages);
    m_history->setStore(messages, syncState);
    m_rooms->setStore(messages, syncState);
    m_displayedSync->setStore(messages);
    m_roster->setStore(roster);
    m_rosterStore = roster;
    if (!roster)
        return;
    roster->ownPresence(m_config.jid).then(this, [this](const Result<std::optional<OwnPresence>> &result) {
        if (isOk(result) && std::get<std::optional<OwnPresence>>(result))
            m_presence->setOwnPresence(*std::get<std::optional<OwnPresence>>(result));
    });
}

void Account::enableEncryption(Database &db)
{
    if (m_encryption)
        return;
    m_encryption = new EncryptionService(*m_client, m_config.jid, db, this);
    m_messages->setEncryption(m_encryption);
    m_history->setDecryptor(
        [this](const QXmppMessage &message) { return m_encryption->decryptArchived(message); });
    m_encryption->setRooms(m_rooms);
    m_rooms->setDecryptor([this](const QXmppMessage &message) { return m_encryption->isEncrypted(message); },
                          [this](const QXmppMessage &message, const QStringList &senders) {
                              return m_encryption->decryptRoomMessage(message, senders);
                          });
    m_encryption->start();
}

void Account::setActive(bool active)
{
    m_client->setActive(active);
}

bool Account::isActive() const
{
    return m_client->isActive();
}

void Account::setOwnPresence(const OwnPresence &presence)
{
    m_presence->setOwnPresence(presence);
    // Offline is a choice for this session; the next start connects again.
    if (m_rosterStore && presence.show != PresenceShow::Offline)
        m_rosterStore->saveOwnPresence(m_config.jid, presence);
    if (presence.show == PresenceShow::Offline)
        disconnectFromServer();
    else if (m_state == ConnectionState::Offline || m_state == ConnectionState::Error)
        connectToServer();
}

void Account::handleClientConnected()
{
    m_reconnectPolicy.reset();
    m_lastError = {};
    setState(ConnectionState::Online);
    Q_EMIT connected();
    m_roster->fetch();
    m_blocking->fetch();
    m_messages->resendPending();
    m_history->catchUp();
    m_uploads->discover();
    m_displayedSync->start();
    m_bookmarks->fetch();
}

void Account::handleClientError(const QXmppError &error)
{
    m_pendingError = m_certificates->classify(error);
    // Behind a proxy the server's name and address are the proxy's business: when it cannot find or reach
    // the server, that is what it reports (a SOCKS5 "host unreachable" arrives as HostNotFoundError).
    if (m_config.usesProxy() && (m_pendingError.code == Error::Code::HostNotFound ||
                                 m_pendingError.code == Error::Code::HostUnreachable))
        m_pendingError.code = Error::Code::ProxyNoRoute;
    qCInfo(lcAccount) << m_config.jid << "connection error:" << m_pendingError.codeName()
                      << m_pendingError.detail;
    if (m_client->state() == QXmppClient::DisconnectedState)
        handleClientDisconnected();
}

void Account::handleClientDisconnected()
{
    m_presence->clear();
    if (m_connectWhenClosed) {
        m_connectWhenClosed = false;
        if (m_wantOnline)
            connectWhenSocketClosed();
        return;
    }
    if (!m_wantOnline) {
        setState(ConnectionState::Offline);
        return;
    }
    // QXmpp reports the error and the disconnect in either order: decide once both had their turn.
    if (m_settlePending)
        return;
    m_settlePending = true;
    QTimer::singleShot(0, this, [this] {
        m_settlePending = false;
        if (!m_wantOnline || m_client->state() != QXmppClient::DisconnectedState)
            return;
        const Error error = m_pendingError.isError() ? m_pendingError : Error(Error::Code::ConnectionLost);
        m_pendingError = {};
        failWith(error);
    });
}

void Account::failWith(const Error &error)
{
    m_lastError = error;
    const bool retry = m_wantOnline && ConnectionErrorClassifier::reconnectHelps(error);
    if (!retry)
        m_wantOnline = false;
    setState(ConnectionState::Error);
    Q_EMIT errorOccurred(error);
    if (retry) {
        const auto delay = m_reconnectPolicy.nextDelay();
        m_reconnectTimer.start(delay);
        Q_EMIT reconnectScheduled(delay.count());
    }
}

void Account::setState(ConnectionState state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

} // namespace Natter::Core
