// SPDX-License-Identifier: GPL-3.0-or-later
// Owns every account of a profile: their settings in the database, their passwords in the credential store.
#pragma once

#include "common/Result.h"
#include "domain/AccountConfig.h"
#include "sync/HistorySync.h"

#include <QFuture>
#include <QList>
#include <QObject>
#include <QSslCertificate>
#include <chrono>
#include <memory>
#include <optional>

namespace Natter::Core {

class Account;
class AccountRepository;
class ConversationRepository;
class CredentialStore;
class Database;
class LoginCheck;
class Registration;
class MessageRepository;
class RosterRepository;
class CapsRepository;
class FileRepository;
class Thumbnailer;
class SyncStateRepository;

class AccountManager : public QObject
{
    Q_OBJECT
public:
    explicit AccountManager(const QString &profileDirectory, QObject *parent = nullptr);
    ~AccountManager() override;

    QString profileDirectory() const { return m_profileDirectory; }

    // Opens the profile database and loads the accounts and their stored passwords.
    QFuture<Result<Success>> open();

    QList<Account *> accounts() const { return m_accounts; }
    Account *account(const QString &jid) const;

    // Validates the JID, stores the password where config says (nothing is kept when that fails) and
    // saves the account. It does not connect. The proxy's password, when config names a proxy user, is kept
    // in the same place.
    QFuture<Result<Account *>> addAccount(AccountConfig config, const QString &password,
                                          const QString &proxyPassword = {});
    // Saves changed settings; a new password replaces the stored one (and moves with passwordStorage), and
    // so does a new proxy password.
    QFuture<Result<Success>> updateAccount(AccountConfig config, std::optional<QString> newPassword,
                                           std::optional<QString> newProxyPassword = std::nullopt);
    // Removes the account from this profile only: its settings, password, history and keys here.
    QFuture<Result<Success>> removeAccount(const QString &jid);
    // Changes the password on the server (XEP-0077), then where it is kept. When keeping it fails, the error
    // says so: the account still logs in with the new password until Natter quits.
    QFuture<Result<Success>> changePassword(const QString &jid, const QString &newPassword);
    // Deletes the account on the server (XEP-0077), then removes it here.
    QFuture<Result<Success>> deleteAccountOnServer(const QString &jid);

    // Logs in once with config and password over a throw-away connection (nothing is stored); the caller
    // connects to LoginCheck::finished and may cancel it.
    LoginCheck *checkLogin(const AccountConfig &config, const QString &password,
                           std::chrono::milliseconds timeout = std::chrono::seconds(45),
                           const QString &proxyPassword = {});

    // A registration of a new account on server (its jid: the domain) that trusts what the accounts trust.
    Registration *createRegistration(const AccountConfig &server, QObject *parent);

    void setAdditionalCaCertificates(const QList<QSslCertificate> &certificates);
    // How every account pages through its archive; takes effect at the next catch-up.
    void setHistorySettings(const HistorySync::Settings &settings);
    // Connects every enabled account; those without a password emit passwordRequired instead.
    void connectAll();
    void disconnectAll();

    CredentialStore &credentials() { return *m_credentials; }
    Database &database() { return *m_database; }
    MessageRepository &messageStore() { return *m_messages; }
    SyncStateRepository &syncState() { return *m_syncState; }
    ConversationRepository &conversationStore() { return *m_conversations; }
    RosterRepository &rosterStore() { return *m_roster; }
    FileRepository &fileStore() { return *m_files; }
    Thumbnailer &thumbnails() { return *m_thumbnails; }

    static QString generateResource();

Q_SIGNALS:
    void accountAdded(Natter::Core::Account *account);
    void accountRemoved(const QString &jid);
    void passwordRequired(Natter::Core::Account *account);

private:
    QFuture<void> loadProxyPassword(Account *account);
    QFuture<Result<Success>> keepProxyPassword(Account *account, const QString &password,
                                               AccountConfig::PasswordStorage where);
    Account *createAccount(const AccountConfig &config, const QString &password);

    QString m_profileDirectory;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<AccountRepository> m_repository;
    std::unique_ptr<MessageRepository> m_messages;
    std::unique_ptr<SyncStateRepository> m_syncState;
    std::unique_ptr<ConversationRepository> m_conversations;
    std::unique_ptr<RosterRepository> m_roster;
    std::unique_ptr<CapsRepository> m_caps;
    std::unique_ptr<FileRepository> m_files;
    std::unique_ptr<Thumbnailer> m_thumbnails;
    CredentialStore *m_credentials = nullptr;
    QList<Account *> m_accounts;
    QList<QSslCertificate> m_additionalCaCertificates;
    HistorySync::Settings m_historySettings;
};

} // namespace Natter::Core
