// SPDX-License-Identifier: GPL-3.0-or-later
// XEP-0454 (OMEMO media sharing): aesgcm:// links and AES-256-GCM file encryption in bounded memory.
#pragma once

#include "common/Result.h"
#include "crypto/AesGcm.h"

#include <QByteArray>
#include <QUrl>
#include <functional>

class QIODevice;

namespace Natter::Core {

// An aesgcm:// link: where the ciphertext is and the key and IV that open it.
struct AesGcmLink
{
    Q_GADGET
public:
    // What parse() found wrong; its name is the detail of Error::Code::AesGcmLinkInvalid.
    enum class Problem
    {
        Malformed, // not a URL at all
        NotAesGcm,
        NoHost,
        NoFragment,
        FragmentNotHex,
        FragmentOddLength,
        FragmentWrongLength, // neither IV (12 bytes) + key nor IV (16 bytes) + key
    };
    Q_ENUM(Problem)

    static constexpr qsizetype IvSize = 12; // what we send; 16 is read too
    static constexpr qsizetype LegacyIvSize = 16;
    static constexpr qsizetype KeySize = 32;

    // The fragment is hex(IV || key), upper or lower case, with a 12- or 16-byte IV.
    static Result<AesGcmLink> parse(const QString &link);
    static QString problemName(Problem problem);
    // httpsUrl with the scheme aesgcm and the fragment lower-case hex(iv || key).
    QString toString() const;

    QUrl httpsUrl; // with no fragment
    QByteArray iv;
    QByteArray key;

    friend bool operator==(const AesGcmLink &, const AesGcmLink &) = default;
};

// Streaming AES-GCM between devices, in chunks, so a 2 GB file never sits in memory. Plain functions that
// touch only the devices they are given: run them with QtConcurrent::run, with devices that belong to (or
// were created in) the thread that runs them. Input devices are read until read() gives nothing more, so
// they must hold all their data already (a file, a QBuffer), not a socket still receiving.
namespace EncryptedFile {

constexpr qint64 ChunkSize = 256 * 1024;

// Called on the job's thread after every chunk with the input bytes read so far; returning false stops the
// job with Error::Code::TransferCancelled.
using Progress = std::function<bool(qint64 bytesRead)>;

// Bytes on the wire for a plaintext of plainSize bytes: what an HTTP upload slot must ask for.
constexpr qint64 encryptedSize(qint64 plainSize)
{
    return plainSize + AesGcm::TagSize;
}

// Writes the ciphertext of everything left in plain, then the tag, to encrypted. Returns the bytes written.
// Errors: EncryptionFailed (key or IV size), FileReadFailed, FileWriteFailed (detail: the file name for
// a file, else the device's error), TransferCancelled.
Result<qint64> encrypt(QIODevice &plain, QIODevice &encrypted, const QByteArray &key, const QByteArray &iv,
                       const Progress &progress = {});
// The inverse: holds back the last 16 bytes as the tag and checks it at the end (DecryptionFailed when it
// does not match or the input is shorter than a tag). What it wrote to plain is unauthenticated unless it
// returns a value; decryptToFile() keeps such data out of sight. Returns the plaintext bytes written.
Result<qint64> decrypt(QIODevice &encrypted, QIODevice &plain, const QByteArray &key, const QByteArray &iv,
                       const Progress &progress = {});

// Encrypts the file at sourcePath to out with a fresh random key and 12-byte IV. The link has no URL yet:
// set httpsUrl to the upload's GET URL, then send toString().
Result<AesGcmLink> encryptFile(const QString &sourcePath, QIODevice &out, const Progress &progress = {});
// Decrypts into a temporary file in targetPath's folder (unnamed on Linux, hidden elsewhere) and moves it
// to targetPath only once the tag checked out, so a wrong key, a changed or cut download, a write failure
// or a cancel leaves nothing behind. Never replaces anything: FileExists (detail: targetPath) when
// targetPath exists, also if it appeared meanwhile. Write failures (a full disk, a folder that cannot be
// written) give FileWriteFailed with targetPath as detail. The file is readable by its owner only: it was
// end-to-end encrypted.
Result<Success> decryptToFile(QIODevice &encrypted, const AesGcmLink &link, const QString &targetPath,
                              const Progress &progress = {});

} // namespace EncryptedFile

} // namespace Natter::Core
