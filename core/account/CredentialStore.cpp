// SPDX-License-Identifier: GPL-3.0-or-later
#include "CredentialStore.h"

#include "common/Logging.h"
#include "common/Paths.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QPromise>
#include <QSaveFile>
#include <memory>
#include <qt6keychain/keychain.h>

namespace Natter::Core {

namespace {
const QString KeychainService = QStringLiteral("Natter");

Error keychainError(const QKeychain::Job &job)
{
    switch (job.error()) {
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return Error(Error::Code::KeychainUnavailable, job.errorString());
    case QKeychain::EntryNotFound:
        return Error(Error::Code::PasswordMissing, job.errorString());
    default:
        return Error(Error::Code::KeychainFailed, job.errorString());
    }
}

constexpr auto OwnerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
} // namespace

CredentialStore::CredentialStore(QString profileDirectory, QObject *parent)
    : QObject(parent)
    , m_profileDirectory(std::move(profileDirectory))
{}

bool CredentialStore::keychainBackendPresent()
{
    return QKeychain::isAvailable();
}

QString CredentialStore::keychainKey(const QString &jid) const
{
    // Several profiles may hold the same account; the key names the profile too.
    const auto profileHash = QCryptographicHash::hash(QDir(m_profileDirectory).absolutePath().toUtf8(),
                                                      QCryptographicHash::Sha256);
    return jid + u'@' + QString::fromLatin1(profileHash.toHex().left(12));
}

QString CredentialStore::profileFileFor(const QString &jid) const
{
    const auto name = QCryptographicHash::hash(jid.toUtf8(), QCryptographicHash::Sha256).toHex().left(32);
    return QDir(Paths::passwordsDirectory(m_profileDirectory)).filePath(QString::fromLatin1(name));
}

QFuture<Result<Success>> CredentialStore::store(const QString &jid, const QString &password,
                                                AccountConfig::PasswordStorage where)
{
    switch (where) {
    case AccountConfig::PasswordStorage::Keychain:
        return writeKeychain(jid, password);
    case AccountConfig::PasswordStorage::ProfileFile:
        return readyResult(writeProfileFile(jid, password));
    case AccountConfig::PasswordStorage::AskEachStart:
        break;
    }
    return readyResult(Result<Success>(Success{}));
}

QFuture<Result<QString>> CredentialStore::load(const QString &jid, AccountConfig::PasswordStorage where)
{
    switch (where) {
    case AccountConfig::PasswordStorage::Keychain:
        return readKeychain(jid);
    case AccountConfig::PasswordStorage::ProfileFile:
        return readyResult(readProfileFile(jid));
    case AccountConfig::PasswordStorage::AskEachStart:
        break;
    }
    return readyResult(Result<QString>(Error(Error::Code::PasswordMissing)));
}

QFuture<Result<Success>> CredentialStore::remove(const QString &jid)
{
    QFile::remove(profileFileFor(jid));
    if (!keychainBackendPresent())
        return readyResult(Result<Success>(Success{}));
    return deleteKeychain(jid);
}

QFuture<Result<Success>> CredentialStore::removeFrom(const QString &jid, AccountConfig::PasswordStorage where)
{
    switch (where) {
    case AccountConfig::PasswordStorage::Keychain:
        return deleteKeychain(jid);
    case AccountConfig::PasswordStorage::ProfileFile:
        QFile::remove(profileFileFor(jid));
        break;
    case AccountConfig::PasswordStorage::AskEachStart:
        break;
    }
    return readyResult(Result<Success>(Success{}));
}

QFuture<Result<Success>> CredentialStore::writeKeychain(const QString &jid, const QString &password)
{
    auto promise = std::make_shared<QPromise<Result<Success>>>();
    promise->start();
    auto *job = new QKeychain::WritePasswordJob(KeychainService, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a silent plain-text copy
    job->setKey(keychainKey(jid));
    job->setTextData(password);
    connect(job, &QKeychain::Job::finished, this, [promise](QKeychain::Job *finished) {
        if (finished->error() == QKeychain::NoError)
            promise->addResult(Result<Success>(Success{}));
        else
            promise->addResult(Result<Success>(keychainError(*finished)));
        promise->finish();
    });
    job->start();
    return promise->future();
}

QFuture<Result<QString>> CredentialStore::readKeychain(const QString &jid)
{
    auto promise = std::make_shared<QPromise<Result<QString>>>();
    promise->start();
    auto *job = new QKeychain::ReadPasswordJob(KeychainService, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(keychainKey(jid));
    connect(job, &QKeychain::Job::finished, this, [promise](QKeychain::Job *finished) {
        auto *read = static_cast<QKeychain::ReadPasswordJob *>(finished);
        if (read->error() == QKeychain::NoError)
            promise->addResult(Result<QString>(read->textData()));
        else
            promise->addResult(Result<QString>(keychainError(*read)));
        promise->finish();
    });
    job->start();
    return promise->future();
}

QFuture<Result<Success>> CredentialStore::deleteKeychain(const QString &jid)
{
    auto promise = std::make_shared<QPromise<Result<Success>>>();
    promise->start();
    auto *job = new QKeychain::DeletePasswordJob(KeychainService, this);
    job->setAutoDelete(true);
    job->setKey(keychainKey(jid));
    connect(job, &QKeychain::Job::finished, this, [promise](QKeychain::Job *finished) {
        const bool gone =
            finished->error() == QKeychain::NoError || finished->error() == QKeychain::EntryNotFound;
        promise->addResult(gone ? Result<Success>(Success{}) : Result<Success>(keychainError(*finished)));
        promise->finish();
    });
    job->start();
    return promise->future();
}

Result<Success> CredentialStore::writeProfileFile(const QString &jid, const QString &password) const
{
    const QString directory = Paths::passwordsDirectory(m_profileDirectory);
    if (!QDir().mkpath(directory) || !QFile::setPermissions(directory, OwnerOnly | QFileDevice::ExeOwner))
        return Error(Error::Code::ProfileUnwritable, directory);
    QSaveFile file(profileFileFor(jid));
    if (!file.open(QIODevice::WriteOnly))
        return Error(Error::Code::ProfileUnwritable, file.errorString());
    // Restrict the temporary file before a byte of the password is in it.
    if (!file.setPermissions(OwnerOnly)) {
        file.cancelWriting();
        return Error(Error::Code::ProfileUnwritable, file.errorString());
    }
    const QByteArray data = password.toUtf8();
    if (file.write(data) != data.size() || !file.commit())
        return Error(Error::Code::ProfileUnwritable, file.errorString());
    return Success{};
}

Result<QString> CredentialStore::readProfileFile(const QString &jid) const
{
    QFile file(profileFileFor(jid));
    if (!file.exists())
        return Error(Error::Code::PasswordMissing, file.fileName());
    if (!file.open(QIODevice::ReadOnly))
        return Error(Error::Code::PasswordMissing, file.errorString());
    if (file.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther))
        qCWarning(lcAccount) << "password file readable by others, tightening:" << file.fileName();
    file.setPermissions(OwnerOnly);
    return QString::fromUtf8(file.readAll());
}

} // namespace Natter::Core
