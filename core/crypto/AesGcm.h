// SPDX-License-Identifier: GPL-3.0-or-later
// AES-GCM (128 and 256 bit keys) over OpenSSL: one-shot calls for small payloads, a Stream for large files.
#pragma once

#include "common/Result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <memory>

struct evp_cipher_ctx_st;

namespace Natter::Core::AesGcm {

// The tag follows the ciphertext, as in XEP-0454 and OMEMO.
constexpr qsizetype TagSize = 16;

// key: 16 bytes (AES-128) or 32 bytes (AES-256); iv: 12 or 16 bytes. Returns ciphertext || tag;
// a key or IV of another size gives Error::Code::EncryptionFailed.
Result<QByteArray> encrypt(const QByteArray &key, const QByteArray &iv, const QByteArray &plaintext);
// The inverse of encrypt. A tag that does not match (wrong key, changed or cut data) and a key or IV of the
// wrong size give Error::Code::DecryptionFailed.
Result<QByteArray> decrypt(const QByteArray &key, const QByteArray &iv, const QByteArray &ciphertextAndTag);
// n bytes from OpenSSL's CSPRNG; empty when n <= 0 or the system's random source fails, which encrypt()
// then refuses as a key or IV of the wrong size rather than using a weak one.
QByteArray randomBytes(int n);

// Incremental AES-GCM for data that must not sit in memory at once. Not thread-safe; one Stream per job.
class Stream
{
public:
    enum class Direction
    {
        Encrypt,
        Decrypt,
    };

    // Sizes as for encrypt(); a key or IV of another size gives EncryptionFailed or DecryptionFailed.
    static Result<std::unique_ptr<Stream>> open(Direction direction, const QByteArray &key,
                                                const QByteArray &iv);
    ~Stream();
    Stream(const Stream &) = delete;
    Stream &operator=(const Stream &) = delete;

    // The ciphertext (or plaintext) for input: GCM is a stream mode, so exactly input.size() bytes.
    // Decrypted output is unauthenticated until finishDecryption() succeeds.
    Result<QByteArray> update(QByteArrayView input);
    // Encrypt direction: the tag over everything passed to update().
    Result<QByteArray> finishEncryption();
    // Decrypt direction: DecryptionFailed unless tag authenticates everything passed to update().
    Result<Success> finishDecryption(const QByteArray &tag);

private:
    Stream(Direction direction, evp_cipher_ctx_st *context);
    Error failure(const QString &detail) const;

    Direction m_direction;
    evp_cipher_ctx_st *m_context;
};

} // namespace Natter::Core::AesGcm
