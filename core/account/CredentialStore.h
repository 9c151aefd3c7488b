// SPDX-License-Identifier: GPL-3.0-or-later
// Keeps account passwords in the system keychain, or, only on the user's explicit choice, in a 0600 profile
// file.
#pragma once

#include "common/Result.h"
#include "domain/AccountConfig.h"

#include <QFuture>
#include <QObject>

namespace Natter::Core {

class CredentialStore : public QObject
{
    Q_OBJECT
public:
    explicit CredentialStore(QString profileDirectory, QObject *parent = nullptr);

    // Whether QtKeychain has a backend on this system at all (a store can still fail, e.g. locked).
    static bool keychainBackendPresent();

    // AskEachStart stores nothing and succeeds.
    QFuture<Result<Success>> store(const QString &jid, const QString &password,
                                   AccountConfig::PasswordStorage where);
    // PasswordMissing when nothing is stored (always so for AskEachStart).
    QFuture<Result<QString>> load(const QString &jid, AccountConfig::PasswordStorage where);
    // Removes the password from every place it could be; missing entries are not errors.
    QFuture<Result<Success>> remove(const QString &jid);
    QFuture<Result<Success>> removeFrom(const QString &jid, AccountConfig::PasswordStorage where);

    QString profileFileFor(const QString &jid) const;
    // The name an account's proxy password is kept under, used in place of a JID by the calls above (a
    // domain never holds '#', so it cannot be another account's).
    static QString proxySecretName(const QString &jid) { return jid + QStringLiteral("#proxy"); }

private:
    QString keychainKey(const QString &jid) const;
    QFuture<Result<Success>> writeKeychain(const QString &jid, const QString &password);
    QFuture<Result<QString>> readKeychain(const QString &jid);
    QFuture<Result<Success>> deleteKeychain(const QString &jid);
    Result<Success> writeProfileFile(const QString &jid, const QString &password) const;
    Result<QString> readProfileFile(const QString &jid) const;

    QString m_profileDirectory;
};

} // namespace Natter::Core
