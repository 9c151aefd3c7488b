// SPDX-License-Identifier: GPL-3.0-or-later
#include "AccountManager.h"

#include "Account.h"
#include "CredentialStore.h"
#include "LoginCheck.h"
#include "Registration.h"
#include "common/JidValidator.h"
#include "common/Logging.h"
#include "common/Paths.h"
#include "files/AttachmentService.h"
#include "files/Thumbnailer.h"
#include "messaging/MessageService.h"
#include "roster/AvatarService.h"
#include "roster/CapsService.h"
#include "storage/AccountRepository.h"
#include "storage/CapsRepository.h"
#include "storage/ConversationRepository.h"
#include "storage/Database.h"
#include "storage/FileRepository.h"
#include "storage/MessageRepository.h"
#include "storage/RosterRepository.h"
#include "storage/SyncStateRepository.h"

#include <QDir>
#include <QPointer>
#include <QPromise>
#include <QRandomGenerator>
#include <algorithm>

namespace Natter::Core {

namespace {
template <typename T> std::shared_ptr<QPromise<T>> startedPromise()
{
    auto promise = std::make_shared<QPromise<T>>();
    promise->start();
    return promise;
}

template <typename T, typename V> void finish(const std::shared_ptr<QPromise<T>> &promise, V &&value)
{
    promise->addResult(T(std::forward<V>(value)));
    promise->finish();
}
} // namespace

AccountManager::AccountManager(const QString &profileDirectory, QObject *parent)
    : QObject(parent)
    , m_profileDirectory(Paths::profileDirectory(profileDirectory))
    , m_database(std::make_unique<Database>(Paths::databaseFile(m_profileDirectory)))
    , m_repository(std::make_unique<AccountRepository>(*m_database))
    , m_messages(std::make_unique<MessageRepository>(*m_database))
    , m_syncState(std::make_unique<SyncStateRepository>(*m_database))
    , m_conversations(std::make_unique<ConversationRepository>(*m_database))
    , m_roster(std::make_unique<RosterRepository>(*m_database))
    , m_caps(std::make_unique<CapsRepository>(*m_database))
    , m_files(std::make_unique<FileRepository>(*m_database))
    , m_thumbnails(
          std::make_unique<Thumbnailer>(QDir(m_profileDirectory).filePath(QStringLiteral("thumbnails"))))
    , m_credentials(new CredentialStore(m_profileDirectory, this))
{}

AccountManager::~AccountManager()
{
    qDeleteAll(m_accounts);
    m_accounts.clear();
    m_database->waitForIdle();
}

QString AccountManager::generateResource()
{
    static const QString alphabet = QStringLiteral("abcdefghijklmnopqrstuvwxyz0123456789");
    QString suffix;
    for (int i = 0; i < 8; ++i)
        suffix.append(alphabet.at(QRandomGenerator::global()->bounded(int(alphabet.size()))));
    return QStringLiteral("Natter.") + suffix;
}

Account *AccountManager::account(const QString &jid) const
{
    const QString normalized = JidValidator::normalizedBareJid(jid);
    for (Account *account : m_accounts) {
        if (account->jid() == normalized)
            return account;
    }
    return nullptr;
}

Account *AccountManager::createAccount(const AccountConfig &config, const QString &password)
{
    auto *account = new Account(config, nullptr);
    account->setPassword(password);
    account->setAdditionalCaCertificates(m_additionalCaCertificates);
    account->setStore(m_messages.get(), m_syncState.get(), m_roster.get());
    account->enableEncryption(*m_database);
    account->avatars().setStore(nullptr, QDir(m_profileDirectory).filePath(QStringLiteral("avatars")));
    account->caps().setStore(m_caps.get());
    account->attachments().setStore(m_files.get(), m_thumbnails.get());
    account->history().setSettings(m_historySettings);
    m_accounts.append(account);
    return account;
}

QFuture<Result<Success>> AccountManager::open()
{
    auto promise = startedPromise<Result<Success>>();
    m_database->open().then(this, [this, promise](const Result<Success> &opened) {
        if (!isOk(opened))
            return finish(promise, errorOf(opened));
        m_repository->loadAll().then(this, [this, promise](const Result<QList<AccountConfig>> &loaded) {
            if (!isOk(loaded))
                return finish(promise, errorOf(loaded));
            const auto configs = std::get<QList<AccountConfig>>(loaded);
            if (configs.isEmpty())
                return finish(promise, Success{});
            const auto withProxyUser =
                std::count_if(configs.cbegin(), configs.cend(),
                              [](const auto &config) { return !config.proxyUser.isEmpty(); });
            auto remaining = std::make_shared<int>(int(configs.size() + withProxyUser));
            for (const AccountConfig &config : configs) {
                Account *account = createAccount(config, {});
                Q_EMIT accountAdded(account);
                if (!config.proxyUser.isEmpty())
                    loadProxyPassword(account).then(this, [remaining, promise] {
                        if (--*remaining == 0)
                            finish(promise, Success{});
                    });
                m_credentials->load(config.jid, config.passwordStorage)
                    .then(this, [account, remaining, promise](const Result<QString> &password) {
                        if (const auto *text = std::get_if<QString>(&password))
                            account->setPassword(*text);
                        else
                            qCInfo(lcAccount) << account->jid()
                                              << "has no stored password:" << errorOf(password).codeName();
                        if (--*remaining == 0)
                            finish(promise, Success{});
                    });
            }
        });
    });
    return promise->future();
}

QFuture<Result<Account *>> AccountManager::addAccount(AccountConfig config, const QString &password,
                                                      const QString &proxyPassword)
{
    auto promise = startedPromise<Result<Account *>>();
    if (JidValidator::checkAccountJid(config.jid.trimmed()) != JidValidator::Problem::None) {
        finish(promise, Error(Error::Code::InvalidJid, config.jid));
        return promise->future();
    }
    config.jid = JidValidator::normalizedBareJid(config.jid);
    config.id = 0;
    if (config.resource.isEmpty())
        config.resource = generateResource();
    if (account(config.jid)) {
        finish(promise, Error(Error::Code::AccountExists, config.jid));
        return promise->future();
    }
    if (password.isEmpty() && config.passwordStorage != AccountConfig::PasswordStorage::AskEachStart) {
        finish(promise, Error(Error::Code::PasswordMissing, config.jid));
        return promise->future();
    }

    m_credentials->store(config.jid, password, config.passwordStorage)
        .then(this, [this, promise, config, password, proxyPassword](const Result<Success> &stored) {
            if (!isOk(stored))
                return finish(promise, errorOf(stored));
            m_repository->save(config).then(
                this, [this, promise, password, proxyPassword, config](const Result<AccountConfig> &saved) {
                    if (!isOk(saved)) {
                        // Nothing of a failed addition stays behind (but never touch an existing account's
                        // secret).
                        if (errorOf(saved).code != Error::Code::AccountExists)
                            m_credentials->removeFrom(config.jid, config.passwordStorage);
                        return finish(promise, errorOf(saved));
                    }
                    Account *account = createAccount(std::get<AccountConfig>(saved), password);
                    Q_EMIT accountAdded(account);
                    if (proxyPassword.isEmpty())
                        return finish(promise, account);
                    keepProxyPassword(account, proxyPassword, config.passwordStorage)
                        .then(this, [promise, account](const Result<Success> &kept) {
                            if (!isOk(kept))
                                return finish(promise, errorOf(kept));
                            finish(promise, account);
                        });
                });
        });
    return promise->future();
}

QFuture<Result<Success>> AccountManager::updateAccount(AccountConfig config,
                                                       std::optional<QString> newPassword,
                                                       std::optional<QString> newProxyPassword)
{
    auto promise = startedPromise<Result<Success>>();
    Account *existing = account(config.jid);
    if (!existing) {
        finish(promise, Error(Error::Code::AccountNotFound, config.jid));
        return promise->future();
    }
    config.id = existing->config().id;
    config.jid = existing->jid();
    const auto oldStorage = existing->config().passwordStorage;
    const QString password = newPassword.value_or(existing->password());
    const QString proxyPassword =
        config.proxyUser.isEmpty() ? QString() : newProxyPassword.value_or(existing->proxyPassword());
    // Only a proxy password there is (or was) is moved or removed: the keychain is not asked otherwise.
    const bool proxySecretChanged =
        proxyPassword != existing->proxyPassword() ||
        (config.passwordStorage != oldStorage && !existing->proxyPassword().isEmpty());

    auto saveSettings = [this, promise, config, existing, password, proxyPassword, proxySecretChanged,
                         oldStorage] {
        m_repository->save(config).then(this, [this, promise, existing, password, proxyPassword,
                                               proxySecretChanged,
                                               oldStorage](const Result<AccountConfig> &saved) {
            if (!isOk(saved))
                return finish(promise, errorOf(saved));
            existing->setConfig(std::get<AccountConfig>(saved));
            existing->setPassword(password);
            if (!proxySecretChanged)
                return finish(promise, Success{});
            m_credentials->removeFrom(CredentialStore::proxySecretName(existing->jid()), oldStorage);
            keepProxyPassword(existing, proxyPassword, existing->config().passwordStorage)
                .then(this, [promise](const Result<Success> &kept) { finish(promise, kept); });
        });
    };
    if (!newPassword && config.passwordStorage == oldStorage) {
        saveSettings();
        return promise->future();
    }
    m_credentials->store(config.jid, password, config.passwordStorage)
        .then(this, [this, promise, config, oldStorage, saveSettings](const Result<Success> &stored) {
            if (!isOk(stored))
                return finish(promise, errorOf(stored));
            if (oldStorage != config.passwordStorage)
                m_credentials->removeFrom(config.jid, oldStorage);
            saveSettings();
        });
    return promise->future();
}

QFuture<Result<Success>> AccountManager::removeAccount(const QString &jid)
{
    auto promise = startedPromise<Result<Success>>();
    Account *existing = account(jid);
    if (!existing) {
        finish(promise, Error(Error::Code::AccountNotFound, jid));
        return promise->future();
    }
    const QString bareJid = existing->jid();
    existing->disconnectFromServer();
    m_repository->remove(bareJid).then(
        this, [this, promise, bareJid, existing](const Result<Success> &removed) {
            if (!isOk(removed))
                return finish(promise, errorOf(removed));
            m_accounts.removeOne(existing);
            existing->deleteLater();
            m_credentials->remove(CredentialStore::proxySecretName(bareJid));
            m_credentials->remove(bareJid).then(this, [this, promise, bareJid](const Result<Success> &) {
                Q_EMIT accountRemoved(bareJid);
                finish(promise, Success{});
            });
        });
    return promise->future();
}

QFuture<Result<Success>> AccountManager::changePassword(const QString &jid, const QString &newPassword)
{
    auto promise = startedPromise<Result<Success>>();
    Account *existing = account(jid);
    if (!existing) {
        finish(promise, Error(Error::Code::AccountNotFound, jid));
        return promise->future();
    }
    existing->changePasswordOnServer(newPassword)
        .then(this, [this, promise, existing, newPassword](Result<Success> &&changed) {
            if (!isOk(changed))
                return finish(promise, errorOf(changed));
            updateAccount(existing->config(), newPassword)
                .then(this, [promise](const Result<Success> &stored) { finish(promise, stored); });
        });
    return promise->future();
}

QFuture<Result<Success>> AccountManager::deleteAccountOnServer(const QString &jid)
{
    auto promise = startedPromise<Result<Success>>();
    Account *existing = account(jid);
    if (!existing) {
        finish(promise, Error(Error::Code::AccountNotFound, jid));
        return promise->future();
    }
    if (existing->state() != ConnectionState::Online) {
        finish(promise, Error(Error::Code::NotConnected, jid));
        return promise->future();
    }
    const auto removeHere = [this, promise, jid] {
        removeAccount(jid).then(this,
                                [promise](const Result<Success> &removed) { finish(promise, removed); });
    };
    existing->deleteOnServer().then(this, [this, promise, existing, removeHere](Result<Success> &&deleted) {
        if (isOk(deleted))
            return removeHere();
        if (errorOf(deleted).code != Error::Code::NotConnected)
            return finish(promise, errorOf(deleted));
        // The stream closed before an answer came: whether the account is gone, a login tells.
        auto *check = checkLogin(existing->config(), existing->password(), std::chrono::seconds(45),
                                 existing->proxyPassword());
        connect(check, &LoginCheck::finished, this, [promise, removeHere](const Error &error) {
            if (error.code == Error::Code::AuthenticationFailed)
                return removeHere();
            finish(promise, error.isError()
                                ? error
                                : Error(Error::Code::RequestRefused,
                                        QStringLiteral("the account still exists on the server")));
        });
    });
    return promise->future();
}

QFuture<void> AccountManager::loadProxyPassword(Account *account)
{
    QPointer<Account> guarded(account);
    return m_credentials
        ->load(CredentialStore::proxySecretName(account->jid()), account->config().passwordStorage)
        .then(this, [guarded](const Result<QString> &password) {
            if (const auto *text = std::get_if<QString>(&password); text && guarded)
                guarded->setProxyPassword(*text);
            else if (guarded)
                qCInfo(lcAccount) << guarded->jid()
                                  << "has no stored proxy password:" << errorOf(password).codeName();
        });
}

QFuture<Result<Success>> AccountManager::keepProxyPassword(Account *account, const QString &password,
                                                           AccountConfig::PasswordStorage where)
{
    account->setProxyPassword(password);
    const QString name = CredentialStore::proxySecretName(account->jid());
    if (!password.isEmpty())
        return m_credentials->store(name, password, where);
    // A password no longer wanted: a failure to delete it must not undo the settings just saved.
    m_credentials->remove(name);
    return readyResult(Result<Success>(Success{}));
}

LoginCheck *AccountManager::checkLogin(const AccountConfig &config, const QString &password,
                                       std::chrono::milliseconds timeout, const QString &proxyPassword)
{
    auto *check = new LoginCheck(config, password, m_additionalCaCertificates, timeout, this);
    check->setProxyPassword(proxyPassword);
    check->start();
    return check;
}

Registration *AccountManager::createRegistration(const AccountConfig &server, QObject *parent)
{
    return new Registration(server, m_additionalCaCertificates, std::chrono::seconds(45), parent);
}

void AccountManager::setAdditionalCaCertificates(const QList<QSslCertificate> &certificates)
{
    m_additionalCaCertificates = certificates;
    for (Account *account : std::as_const(m_accounts))
        account->setAdditionalCaCertificates(certificates);
}

void AccountManager::setHistorySettings(const HistorySync::Settings &settings)
{
    m_historySettings = settings;
    for (Account *account : std::as_const(m_accounts))
        account->history().setSettings(settings);
}

void AccountManager::connectAll()
{
    for (Account *account : std::as_const(m_accounts)) {
        if (!account->config().enabled)
            continue;
        if (account->hasPassword())
            account->connectToServer();
        else
            Q_EMIT passwordRequired(account);
    }
}

void AccountManager::disconnectAll()
{
    for (Account *account : std::as_const(m_accounts))
        account->disconnectFromServer();
}

} // namespace Natter::Core
