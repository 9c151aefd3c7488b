// SPDX-License-Identifier: GPL-3.0-or-later
// One XMPP account: its connection (strict TLS, reconnect with backoff) and its services.
#pragma once

#include "ReconnectPolicy.h"
#include "common/Error.h"
#include "common/Result.h"
#include "domain/AccountConfig.h"
#include "domain/ConnectionState.h"
#include "domain/Presence.h"

#include <QObject>
#include <QSslCertificate>
#include <QSslError>
#include <QTimer>
#include <QXmppTask.h>

class QXmppClient;
class QXmppError;
class QXmppConfiguration;

namespace Natter::Core::Calls {
class CallService;
}

namespace Natter::Core {

class ArchiveQuery;
class AttachmentService;
class AvatarService;
class CapsService;
class CertificateGuard;
class BlockingService;
namespace Console {
class StanzaLog;
}
class BookmarkService;
class ContactInfoService;
class Database;
class DisplayedSync;
class EncryptionService;
class HistorySync;
class FileSharing;
class FileTransferService;
class HttpDownloader;
class HttpUploadService;
class MessageRepository;
class MessageService;
class MucService;
class PresenceService;
class RosterRepository;
class RosterService;
class SubscriptionService;
class SyncStateRepository;

class Account : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString jid READ jid CONSTANT)
    Q_PROPERTY(Natter::Core::ConnectionState state READ state NOTIFY stateChanged)
public:
    explicit Account(AccountConfig config, QObject *parent = nullptr);
    ~Account() override;

    QString jid() const { return m_config.jid; }
    const AccountConfig &config() const { return m_config; }
    // Takes effect at the next connection attempt.
    void setConfig(const AccountConfig &config);

    ConnectionState state() const { return m_state; }
    // Why the account is in the Error state; empty otherwise.
    Error lastError() const { return m_lastError; }
    // Milliseconds until the next automatic attempt, or -1 when none is scheduled.
    qint64 nextAttemptIn() const;

    bool hasPassword() const { return !m_password.isEmpty(); }
    QString password() const { return m_password; }
    void setPassword(const QString &password);
    QString proxyPassword() const { return m_proxyPassword; }
    void setProxyPassword(const QString &password);
    // Trusted in addition to the system's CA certificates (e.g. a private server's CA).
    void setAdditionalCaCertificates(const QList<QSslCertificate> &certificates);

    // Changes the password on the server (XEP-0077); the account logs in with the new one from then on. Where
    // the password is kept is AccountManager::changePassword's concern.
    QXmppTask<Result<Success>> changePasswordOnServer(const QString &newPassword);
    // Deletes the account on the server (XEP-0077). The server closes the stream; the account stays offline.
    QXmppTask<Result<Success>> deleteOnServer();

    // Connects, or, when a stream is open, closes it and connects again with the current settings.
    void connectToServer();
    void disconnectFromServer();

    // Messages and history go through the store from now on (never set for a login check).
    void setStore(MessageRepository *messages, SyncStateRepository *syncState, RosterRepository *roster);
    // End-to-end encryption with keys, sessions and trust kept in db. Once, before the first connection.
    void enableEncryption(Database &db);

    // Client State Indication (XEP-0352): whether someone is looking at Natter. Kept across reconnects and
    // sent when the server offers CSI.
    void setActive(bool active);
    bool isActive() const;

    // What we announce, kept in the profile. Offline disconnects; anything else connects when offline.
    void setOwnPresence(const OwnPresence &presence);

    MessageService &messages() { return *m_messages; }
    // OMEMO, once enableEncryption() ran (nullptr before: a login check, a profile without database).
    EncryptionService *encryption() const { return m_encryption; }
    MucService &rooms() { return *m_rooms; }
    BookmarkService &bookmarks() { return *m_bookmarks; }
    HistorySync &history() { return *m_history; }
    HttpUploadService &uploads() { return *m_uploads; }
    HttpDownloader &downloads() { return *m_downloads; }
    FileSharing &files() { return *m_files; }
    // Files sent straight to a contact's device (Jingle), for those too large to upload.
    FileTransferService &directTransfers() { return *m_directTransfers; }
    Calls::CallService &calls() { return *m_calls; }
    // The files of messages on this machine: downloads, thumbnails.
    AttachmentService &attachments() { return *m_attachments; }
    DisplayedSync &displayedSync() { return *m_displayedSync; }
    RosterService &roster() { return *m_roster; }
    PresenceService &presence() { return *m_presence; }
    SubscriptionService &subscriptions() { return *m_subscriptions; }
    BlockingService &blocking() { return *m_blocking; }
    // What the XML console shows and sends.
    Console::StanzaLog &stanzaLog() { return *m_stanzaLog; }
    ContactInfoService &contactInfo() { return *m_contactInfo; }
    AvatarService &avatars() { return *m_avatars; }
    CapsService &caps() { return *m_caps; }
    QXmppClient &client() { return *m_client; }

Q_SIGNALS:
    void stateChanged(Natter::Core::ConnectionState state);
    void errorOccurred(const Natter::Core::Error &error);
    void reconnectScheduled(qint64 milliseconds);
    // The account is online for the first time since the last error or start.
    void connected();
    // setConfig() changed the settings (its name and colour among them).
    void configChanged();

private:
    QXmppConfiguration clientConfiguration() const;
    // What the stream and HTTP transfers trust: the system's CAs and those the account was given.
    QList<QSslCertificate> trustedCertificates() const;
    void startConnection();
    void connectWhenSocketClosed();
    void closeStreamFromEventLoop();
    void deleteServicesBeforeClient();
    void setState(ConnectionState state);
    void failWith(const Error &error);
    void handleClientError(const QXmppError &error);
    void handleClientDisconnected();
    void handleClientConnected();

    AccountConfig m_config;
    QString m_password;
    QString m_proxyPassword;
    QList<QSslCertificate> m_additionalCaCertificates;
    QXmppClient *m_client = nullptr;
    MessageService *m_messages = nullptr;
    EncryptionService *m_encryption = nullptr;
    MucService *m_rooms = nullptr;
    BookmarkService *m_bookmarks = nullptr;
    DisplayedSync *m_displayedSync = nullptr;
    ArchiveQuery *m_archive = nullptr;
    HistorySync *m_history = nullptr;
    HttpUploadService *m_uploads = nullptr;
    HttpDownloader *m_downloads = nullptr;
    FileSharing *m_files = nullptr;
    FileTransferService *m_directTransfers = nullptr;
    Calls::CallService *m_calls = nullptr;
    AttachmentService *m_attachments = nullptr;
    RosterService *m_roster = nullptr;
    PresenceService *m_presence = nullptr;
    SubscriptionService *m_subscriptions = nullptr;
    BlockingService *m_blocking = nullptr;
    Console::StanzaLog *m_stanzaLog = nullptr;
    ContactInfoService *m_contactInfo = nullptr;
    AvatarService *m_avatars = nullptr;
    CapsService *m_caps = nullptr;
    RosterRepository *m_rosterStore = nullptr;
    ConnectionState m_state = ConnectionState::Offline;
    Error m_lastError;
    Error m_pendingError;
    CertificateGuard *m_certificates = nullptr;
    ReconnectPolicy m_reconnectPolicy;
    QTimer m_reconnectTimer;
    bool m_wantOnline = false;
    bool m_settlePending = false;
    bool m_connectWhenClosed = false;
    bool m_closeScheduled = false;
    QMetaObject::Connection m_socketClosedConnection;
};

} // namespace Natter::Core
