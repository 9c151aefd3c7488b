// SPDX-License-Identifier: GPL-3.0-or-later
#include "ProfileTransfer.h"

#include "ProfileArchive.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "account/CredentialStore.h"
#include "common/Paths.h"
#include "storage/Database.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QtConcurrent>

namespace Natter::Core::ProfileTransfer {

namespace {

// Folders of a profile that travel with it (passwords go as secrets, never as their files).
const QStringList Folders = {QStringLiteral("avatars"), QStringLiteral("thumbnails")};
// The database under the name a profile gives it.
const QString DatabaseEntry = QFileInfo(Paths::databaseFile(QStringLiteral("."))).fileName();
// Where adoptProfile keeps what a profile held before an import.
const QString SetAsidePrefix = QStringLiteral("before-import-");

QString uniqueName(const QString &directory, const QString &prefix)
{
    return QDir(directory).filePath(prefix + QUuid::createUuid().toString(QUuid::Id128));
}

QList<ProfileArchive::FileEntry> filesOf(const QString &profileDirectory, const QString &snapshot)
{
    QList<ProfileArchive::FileEntry> files{{DatabaseEntry, snapshot}};
    const QDir profile(profileDirectory);
    for (const QString &folder : Folders) {
        QDirIterator it(profile.filePath(folder), QDir::Files | QDir::NoSymLinks,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString file = it.next();
            files.append({profile.relativeFilePath(file), file});
        }
    }
    return files;
}

QJsonObject secretsOf(AccountManager &accounts, bool includePasswords)
{
    QJsonObject secrets;
    if (!includePasswords)
        return secrets;
    for (const Account *account : accounts.accounts()) {
        if (account->hasPassword())
            secrets.insert(account->jid(), account->password());
        if (!account->proxyPassword().isEmpty())
            secrets.insert(CredentialStore::proxySecretName(account->jid()), account->proxyPassword());
    }
    return secrets;
}

Result<Success> moveInto(const QString &staging, const QString &profileDirectory)
{
    const QDir from(staging);
    const QDir to(profileDirectory);
    for (const QString &name : from.entryList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QString target = to.filePath(name);
        // Empty folders a fresh profile may have made already give way; anything else stays and fails.
        if (QFileInfo(target).isDir() && QDir(target).isEmpty())
            QDir(target).removeRecursively();
        if (!QFile::rename(from.filePath(name), target))
            return Error(Error::Code::FileWriteFailed, target);
    }
    return Success{};
}

} // namespace

QFuture<Result<Success>> exportProfile(AccountManager &accounts, const QString &archive,
                                       const QString &passphrase, bool includePasswords)
{
    const QString profileDirectory = accounts.profileDirectory();
    const QString snapshot = uniqueName(profileDirectory, QStringLiteral(".export-"));
    const QJsonObject secrets = secretsOf(accounts, includePasswords);
    return accounts.database()
        .run([snapshot](QSqlDatabase &db) -> Result<Success> {
            QSqlQuery query(db);
            QString quoted = snapshot;
            quoted.replace(u'\'', QStringLiteral("''"));
            if (!query.exec(QStringLiteral("VACUUM INTO '%1'").arg(quoted)))
                return Error(Error::Code::DatabaseFailed, query.lastError().text());
            return Success{};
        })
        .then(QtFuture::Launch::Async,
              [profileDirectory, snapshot, archive, passphrase,
               secrets](Result<Success> taken) -> Result<Success> {
                  if (!isOk(taken)) {
                      QFile::remove(snapshot);
                      return taken;
                  }
                  auto written = ProfileArchive::write(archive, passphrase,
                                                       filesOf(profileDirectory, snapshot), secrets);
                  QFile::remove(snapshot);
                  return written;
              });
}

QFuture<Result<Secrets>> importProfile(const QString &archive, const QString &passphrase,
                                       const QString &profileDirectory)
{
    return QtConcurrent::run([archive, passphrase, profileDirectory]() -> Result<Secrets> {
        if (QFileInfo::exists(Paths::databaseFile(profileDirectory)))
            return Error(Error::Code::FileExists, Paths::databaseFile(profileDirectory));
        if (!QDir().mkpath(profileDirectory))
            return Error(Error::Code::ProfileUnwritable, profileDirectory);
        const QString staging = uniqueName(profileDirectory, QStringLiteral(".import-"));
        const auto read = ProfileArchive::read(archive, passphrase, staging);
        if (!isOk(read))
            return errorOf(read);
        if (!QFileInfo::exists(QDir(staging).filePath(DatabaseEntry))) {
            QDir(staging).removeRecursively();
            return Error(Error::Code::FileReadFailed, QStringLiteral("%1 holds no profile").arg(archive));
        }
        const auto moved = moveInto(staging, profileDirectory);
        QDir(staging).removeRecursively();
        if (!isOk(moved))
            return errorOf(moved);
        Secrets secrets;
        const QJsonObject carried = std::get<QJsonObject>(read);
        for (auto it = carried.constBegin(); it != carried.constEnd(); ++it)
            secrets.insert(it.key(), it.value().toString());
        return secrets;
    });
}

Result<QString> adoptProfile(const QString &incoming, const QString &profileDirectory)
{
    const QDir profile(profileDirectory);
    const QString incomingName = QFileInfo(incoming).fileName();
    QStringList previous;
    for (const QString &name :
         profile.entryList(QDir::Files | QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot)) {
        if (name != incomingName && !name.startsWith(SetAsidePrefix))
            previous.append(name);
    }
    QString setAside;
    if (!previous.isEmpty()) {
        setAside = profile.filePath(SetAsidePrefix +
                                    QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")));
        if (QFileInfo::exists(setAside))
            setAside = uniqueName(profileDirectory, SetAsidePrefix);
        if (!QDir().mkpath(setAside))
            return Error(Error::Code::ProfileUnwritable, setAside);
        for (const QString &name : std::as_const(previous)) {
            if (!QFile::rename(profile.filePath(name), QDir(setAside).filePath(name))) {
                moveInto(setAside, profileDirectory);
                QDir().rmdir(setAside);
                return Error(Error::Code::FileWriteFailed, profile.filePath(name));
            }
        }
    }
    // Should this fail half-way, the old profile is still whole in its folder.
    if (const auto moved = moveInto(incoming, profileDirectory); !isOk(moved))
        return errorOf(moved);
    QDir(incoming).removeRecursively();
    return setAside;
}

QFuture<Result<Success>> restorePasswords(AccountManager &accounts, const Secrets &secrets)
{
    QList<QFuture<Result<Success>>> stored;
    for (Account *account : accounts.accounts()) {
        const auto where = account->config().passwordStorage;
        if (const QString password = secrets.value(account->jid()); !password.isEmpty()) {
            account->setPassword(password);
            stored.append(accounts.credentials().store(account->jid(), password, where));
        }
        const QString proxyName = CredentialStore::proxySecretName(account->jid());
        if (const QString password = secrets.value(proxyName); !password.isEmpty()) {
            account->setProxyPassword(password);
            stored.append(accounts.credentials().store(proxyName, password, where));
        }
    }
    return QtFuture::whenAll(stored.begin(), stored.end())
        .then([](const QList<QFuture<Result<Success>>> &all) {
            for (const auto &one : all) {
                if (!isOk(one.result()))
                    return one.result();
            }
            return Result<Success>(Success{});
        });
}

} // namespace Natter::Core::ProfileTransfer
