// SPDX-License-Identifier: GPL-3.0-or-later
// Moving a profile to another computer: everything of it (accounts and their settings, history, OMEMO
// identities, sessions and trust decisions, avatars, thumbnails) and, when asked, the accounts' passwords,
// in one file protected by a passphrase (ProfileArchive). The other computer then is the same device: the
// old one should not go online again.
#pragma once

#include "common/Result.h"

#include <QFuture>
#include <QHash>
#include <QString>

namespace Natter::Core {

class AccountManager;

namespace ProfileTransfer {

// Passwords by account JID, and proxy passwords by CredentialStore::proxySecretName.
using Secrets = QHash<QString, QString>;

// Writes the open profile: a snapshot of its database (VACUUM INTO on the database thread, so nothing
// half-written goes in), then the archive on a worker thread.
QFuture<Result<Success>> exportProfile(AccountManager &accounts, const QString &archive,
                                       const QString &passphrase, bool includePasswords);

// Unpacks archive into profileDirectory, which must hold no profile yet (FileExists otherwise), and returns
// the passwords it carried, for AccountManager::restorePasswords once the profile is open. A wrong
// passphrase or a damaged archive (DecryptionFailed) leaves nothing behind.
QFuture<Result<Secrets>> importProfile(const QString &archive, const QString &passphrase,
                                       const QString &profileDirectory);

// Puts the profile importProfile unpacked into incoming in place of the one in profileDirectory, which must
// be closed and hold no account (the first window of a new installation). What the old profile held is set
// aside in a folder inside it, never deleted; that folder is the result (empty when nothing was there).
// Renames within one directory only, so it runs where it is called: the window is gone meanwhile.
Result<QString> adoptProfile(const QString &incoming, const QString &profileDirectory);

// Keeps the imported passwords of the open profile's accounts where each account's settings say, and gives
// them to the accounts; the first failure (a keychain that is locked or missing) is the result.
QFuture<Result<Success>> restorePasswords(AccountManager &accounts, const Secrets &secrets);

} // namespace ProfileTransfer
} // namespace Natter::Core
