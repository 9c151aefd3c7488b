// SPDX-License-Identifier: GPL-3.0-or-later
// AES-GCM through OpenSSL's EVP interface.
#include "AesGcm.h"

#include <algorithm>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace Natter::Core::AesGcm {

namespace {

// EVP takes int lengths, so larger input goes in slices.
constexpr qsizetype MaxSlice = qsizetype(1) << 30;

const EVP_CIPHER *cipherForKey(qsizetype keySize)
{
    switch (keySize) {
    case 16:
        return EVP_aes_128_gcm();
    case 32:
        return EVP_aes_256_gcm();
    default:
        return nullptr;
    }
}

bool isSupportedIvSize(qsizetype size)
{
    return size == 12 || size == 16;
}

Error::Code failureCode(Stream::Direction direction)
{
    return direction == Stream::Direction::Encrypt ? Error::Code::EncryptionFailed
                                                   : Error::Code::DecryptionFailed;
}

// The oldest queued OpenSSL error, and the queue emptied so it does not leak into later calls.
QString takeOpenSslError()
{
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0)
        return QStringLiteral("OpenSSL failed without a reason");
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    return QString::fromLatin1(text);
}

const unsigned char *bytes(const char *data)
{
    return reinterpret_cast<const unsigned char *>(data);
}

unsigned char *bytes(char *data)
{
    return reinterpret_cast<unsigned char *>(data);
}

int cipherDirection(Stream::Direction direction)
{
    return direction == Stream::Direction::Encrypt ? 1 : 0;
}

} // namespace

Result<std::unique_ptr<Stream>> Stream::open(Direction direction, const QByteArray &key, const QByteArray &iv)
{
    const Error::Code code = failureCode(direction);
    const EVP_CIPHER *cipher = cipherForKey(key.size());
    if (!cipher)
        return Error(code, QStringLiteral("the key is %1 bytes; AES-GCM takes 16 or 32").arg(key.size()));
    if (!isSupportedIvSize(iv.size()))
        return Error(code, QStringLiteral("the IV is %1 bytes; 12 or 16 are supported").arg(iv.size()));
    EVP_CIPHER_CTX *context = EVP_CIPHER_CTX_new();
    if (!context)
        return Error(code, takeOpenSslError());
    std::unique_ptr<Stream> stream(new Stream(direction, context));
    const int enc = cipherDirection(direction);
    // The IV length must be set before the IV itself.
    if (EVP_CipherInit_ex(context, cipher, nullptr, nullptr, nullptr, enc) != 1 ||
        EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_IVLEN, int(iv.size()), nullptr) != 1 ||
        EVP_CipherInit_ex(context, nullptr, nullptr, bytes(key.constData()), bytes(iv.constData()), enc) != 1)
        return stream->failure(takeOpenSslError());
    return stream;
}

Stream::Stream(Direction direction, evp_cipher_ctx_st *context)
    : m_direction(direction)
    , m_context(context)
{}

Stream::~Stream()
{
    // Frees and wipes the key schedule.
    EVP_CIPHER_CTX_free(m_context);
}

Error Stream::failure(const QString &detail) const
{
    return Error(failureCode(m_direction), detail);
}

Result<QByteArray> Stream::update(QByteArrayView input)
{
    QByteArray output(input.size(), Qt::Uninitialized);
    for (qsizetype done = 0; done < input.size();) {
        const int slice = int(std::min(input.size() - done, MaxSlice));
        int written = 0;
        if (EVP_CipherUpdate(m_context, bytes(output.data() + done), &written, bytes(input.data() + done),
                             slice) != 1 ||
            written != slice)
            return failure(takeOpenSslError());
        done += slice;
    }
    return output;
}

Result<QByteArray> Stream::finishEncryption()
{
    if (m_direction != Direction::Encrypt)
        return failure(QStringLiteral("a decrypting stream has no tag to give"));
    // GCM holds nothing back, so the final call writes no bytes; the buffer is there for the API.
    unsigned char rest[EVP_MAX_BLOCK_LENGTH];
    int written = 0;
    QByteArray tag(TagSize, Qt::Uninitialized);
    if (EVP_CipherFinal_ex(m_context, rest, &written) != 1 ||
        EVP_CIPHER_CTX_ctrl(m_context, EVP_CTRL_GCM_GET_TAG, int(TagSize), tag.data()) != 1)
        return failure(takeOpenSslError());
    return tag;
}

Result<Success> Stream::finishDecryption(const QByteArray &tag)
{
    if (m_direction != Direction::Decrypt)
        return failure(QStringLiteral("an encrypting stream has no tag to check"));
    if (tag.size() != TagSize)
        return failure(QStringLiteral("the tag is %1 bytes; %2 expected").arg(tag.size()).arg(TagSize));
    QByteArray expected = tag; // EVP_CIPHER_CTX_ctrl takes a non-const pointer
    if (EVP_CIPHER_CTX_ctrl(m_context, EVP_CTRL_GCM_SET_TAG, int(TagSize), expected.data()) != 1)
        return failure(takeOpenSslError());
    unsigned char rest[EVP_MAX_BLOCK_LENGTH];
    int written = 0;
    if (EVP_CipherFinal_ex(m_context, rest, &written) != 1) {
        ERR_clear_error();
        return failure(QStringLiteral("the authentication tag does not match: a wrong key, or changed or "
                                      "incomplete data"));
    }
    return Success{};
}

Result<QByteArray> encrypt(const QByteArray &key, const QByteArray &iv, const QByteArray &plaintext)
{
    auto opened = Stream::open(Stream::Direction::Encrypt, key, iv);
    if (const auto *error = std::get_if<Error>(&opened))
        return *error;
    Stream &stream = *std::get<std::unique_ptr<Stream>>(opened);
    auto ciphertext = stream.update(plaintext);
    if (const auto *error = std::get_if<Error>(&ciphertext))
        return *error;
    const auto tag = stream.finishEncryption();
    if (const auto *error = std::get_if<Error>(&tag))
        return *error;
    QByteArray result = std::move(std::get<QByteArray>(ciphertext));
    result.append(std::get<QByteArray>(tag));
    return result;
}

Result<QByteArray> decrypt(const QByteArray &key, const QByteArray &iv, const QByteArray &ciphertextAndTag)
{
    if (ciphertextAndTag.size() < TagSize)
        return Error(Error::Code::DecryptionFailed,
                     QStringLiteral("%1 bytes are shorter than the tag").arg(ciphertextAndTag.size()));
    auto opened = Stream::open(Stream::Direction::Decrypt, key, iv);
    if (const auto *error = std::get_if<Error>(&opened))
        return *error;
    Stream &stream = *std::get<std::unique_ptr<Stream>>(opened);
    const qsizetype ciphertextSize = ciphertextAndTag.size() - TagSize;
    auto plaintext = stream.update(QByteArrayView(ciphertextAndTag).first(ciphertextSize));
    if (const auto *error = std::get_if<Error>(&plaintext))
        return *error;
    const auto verified = stream.finishDecryption(ciphertextAndTag.sliced(ciphertextSize));
    if (const auto *error = std::get_if<Error>(&verified))
        return *error;
    return plaintext;
}

QByteArray randomBytes(int n)
{
    if (n <= 0)
        return {};
    QByteArray result(n, Qt::Uninitialized);
    if (RAND_bytes(bytes(result.data()), n) != 1) {
        ERR_clear_error();
        return {};
    }
    return result;
}

} // namespace Natter::Core::AesGcm
