// SPDX-License-Identifier: GPL-3.0-or-later
// The file a profile moves to another computer in: its files and secrets, encrypted with AES-256-GCM under a
// key derived from a passphrase with scrypt (N = 2^16, r = 8, p = 1: about 64 MiB and a fraction of a second,
// so guessing is slow). Layout: "NATTER-PROFILE\n", version 1, scrypt's log2(N), r and p, a 16-byte salt, a
// 12-byte IV, then the encrypted entries (a 32-bit path length, the UTF-8 path, a 64-bit size, the bytes;
// big-endian), then the 16-byte tag. Nothing is trusted before the tag checked.
#pragma once

#include "common/Result.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace Natter::Core::ProfileArchive {

struct FileEntry
{
    QString path;       // inside the profile, '/'-separated, e.g. "natter.sqlite", "avatars/ab.png"
    QString sourceFile; // where to read it now
};

// Writes files and secrets (a JSON object, kept as the entry "secrets.json", never written to disk on
// reading) into archive, through a temporary file renamed only when complete. An empty passphrase is refused.
Result<Success> write(const QString &archive, const QString &passphrase, const QList<FileEntry> &files,
                      const QJsonObject &secrets);

// Decrypts archive into directory (created; it must not exist) and returns the secrets. A wrong passphrase
// or a damaged archive gives DecryptionFailed, a file that is no profile archive FileReadFailed, a path
// escaping the directory DecryptionFailed too; then nothing is left behind.
Result<QJsonObject> read(const QString &archive, const QString &passphrase, const QString &directory);

// Whether path may name a file of a profile archive: relative, no "..", no backslash, no empty part.
bool isSafePath(const QString &path);

} // namespace Natter::Core::ProfileArchive
