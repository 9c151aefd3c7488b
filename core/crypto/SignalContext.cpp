// SPDX-License-Identifier: GPL-3.0-or-later
#include "SignalContext.h"

#include "SignalPointers.h"
#include "common/Logging.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace Natter::Core {

namespace {

int randomBytes(uint8_t *data, size_t length, void *)
{
    return RAND_bytes(data, int(length)) == 1 ? 0 : SG_ERR_UNKNOWN;
}

int hmacInit(void **context, const uint8_t *key, size_t keyLength, void *)
{
    EVP_MAC *mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    EVP_MAC_CTX *hmac = mac ? EVP_MAC_CTX_new(mac) : nullptr;
    EVP_MAC_free(mac); // the context keeps its own reference
    if (!hmac)
        return SG_ERR_NOMEM;
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
    if (EVP_MAC_init(hmac, key, keyLength, params) != 1) {
        EVP_MAC_CTX_free(hmac);
        return SG_ERR_UNKNOWN;
    }
    *context = hmac;
    return 0;
}

int hmacUpdate(void *context, const uint8_t *data, size_t length, void *)
{
    return EVP_MAC_update(static_cast<EVP_MAC_CTX *>(context), data, length) == 1 ? 0 : SG_ERR_UNKNOWN;
}

int hmacFinal(void *context, signal_buffer **output, void *)
{
    uint8_t mac[EVP_MAX_MD_SIZE];
    size_t length = 0;
    if (EVP_MAC_final(static_cast<EVP_MAC_CTX *>(context), mac, &length, sizeof mac) != 1)
        return SG_ERR_UNKNOWN;
    *output = signal_buffer_create(mac, length);
    return *output ? 0 : SG_ERR_NOMEM;
}

void hmacCleanup(void *context, void *)
{
    EVP_MAC_CTX_free(static_cast<EVP_MAC_CTX *>(context));
}

int sha512Init(void **context, void *)
{
    EVP_MD_CTX *digest = EVP_MD_CTX_new();
    if (!digest)
        return SG_ERR_NOMEM;
    if (EVP_DigestInit_ex(digest, EVP_sha512(), nullptr) != 1) {
        EVP_MD_CTX_free(digest);
        return SG_ERR_UNKNOWN;
    }
    *context = digest;
    return 0;
}

int sha512Update(void *context, const uint8_t *data, size_t length, void *)
{
    return EVP_DigestUpdate(static_cast<EVP_MD_CTX *>(context), data, length) == 1 ? 0 : SG_ERR_UNKNOWN;
}

int sha512Final(void *context, signal_buffer **output, void *)
{
    auto *digest = static_cast<EVP_MD_CTX *>(context);
    uint8_t hash[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(digest, hash, &length) != 1 ||
        EVP_DigestInit_ex(digest, EVP_sha512(), nullptr) != 1)
        return SG_ERR_UNKNOWN;
    *output = signal_buffer_create(hash, length);
    return *output ? 0 : SG_ERR_NOMEM;
}

void sha512Cleanup(void *context, void *)
{
    EVP_MD_CTX_free(static_cast<EVP_MD_CTX *>(context));
}

const EVP_CIPHER *aesCipher(int mode, size_t keyLength)
{
    const bool cbc = mode == SG_CIPHER_AES_CBC_PKCS5;
    if (!cbc && mode != SG_CIPHER_AES_CTR_NOPADDING)
        return nullptr;
    switch (keyLength) {
    case 16:
        return cbc ? EVP_aes_128_cbc() : EVP_aes_128_ctr();
    case 24:
        return cbc ? EVP_aes_192_cbc() : EVP_aes_192_ctr();
    case 32:
        return cbc ? EVP_aes_256_cbc() : EVP_aes_256_ctr();
    default:
        return nullptr;
    }
}

int aes(bool encrypt, signal_buffer **output, int mode, const uint8_t *key, size_t keyLength,
        const uint8_t *iv, size_t ivLength, const uint8_t *input, size_t inputLength)
{
    const EVP_CIPHER *cipher = aesCipher(mode, keyLength);
    if (!cipher || ivLength != 16)
        return SG_ERR_INVAL;
    std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> context(EVP_CIPHER_CTX_new(),
                                                                            &EVP_CIPHER_CTX_free);
    if (!context || EVP_CipherInit_ex(context.get(), cipher, nullptr, key, iv, encrypt ? 1 : 0) != 1)
        return SG_ERR_UNKNOWN;
    QByteArray out(qsizetype(inputLength) + EVP_CIPHER_block_size(cipher), Qt::Uninitialized);
    int written = 0;
    int last = 0;
    auto *outData = reinterpret_cast<unsigned char *>(out.data());
    if (EVP_CipherUpdate(context.get(), outData, &written, input, int(inputLength)) != 1 ||
        EVP_CipherFinal_ex(context.get(), outData + written, &last) != 1)
        return SG_ERR_UNKNOWN;
    *output = signal_buffer_create(outData, size_t(written + last));
    return *output ? 0 : SG_ERR_NOMEM;
}

int aesEncrypt(signal_buffer **output, int mode, const uint8_t *key, size_t keyLength, const uint8_t *iv,
               size_t ivLength, const uint8_t *plaintext, size_t plaintextLength, void *)
{
    return aes(true, output, mode, key, keyLength, iv, ivLength, plaintext, plaintextLength);
}

int aesDecrypt(signal_buffer **output, int mode, const uint8_t *key, size_t keyLength, const uint8_t *iv,
               size_t ivLength, const uint8_t *ciphertext, size_t ciphertextLength, void *)
{
    return aes(false, output, mode, key, keyLength, iv, ivLength, ciphertext, ciphertextLength);
}

void log(int level, const char *message, size_t length, void *)
{
    const auto text = QString::fromUtf8(message, qsizetype(length));
    if (level <= SG_LOG_WARNING)
        qCWarning(lcCrypto).noquote() << "libomemo-c:" << text;
    else
        qCDebug(lcCrypto).noquote() << "libomemo-c:" << text;
}

} // namespace

SignalContext::SignalContext()
{
    if (signal_context_create(&m_context, this) < 0) {
        m_context = nullptr;
        return;
    }
    signal_crypto_provider provider{};
    provider.random_func = randomBytes;
    provider.hmac_sha256_init_func = hmacInit;
    provider.hmac_sha256_update_func = hmacUpdate;
    provider.hmac_sha256_final_func = hmacFinal;
    provider.hmac_sha256_cleanup_func = hmacCleanup;
    provider.sha512_digest_init_func = sha512Init;
    provider.sha512_digest_update_func = sha512Update;
    provider.sha512_digest_final_func = sha512Final;
    provider.sha512_digest_cleanup_func = sha512Cleanup;
    provider.encrypt_func = aesEncrypt;
    provider.decrypt_func = aesDecrypt;
    signal_context_set_crypto_provider(m_context, &provider);
    // libomemo-c calls the lock functions with the context's user data: this object's mutex.
    signal_context_set_locking_functions(
        m_context, [](void *self) { static_cast<SignalContext *>(self)->m_mutex.lock(); },
        [](void *self) { static_cast<SignalContext *>(self)->m_mutex.unlock(); });
    signal_context_set_log_function(m_context, log);
}

SignalContext::~SignalContext()
{
    if (m_context)
        signal_context_destroy(m_context);
}

} // namespace Natter::Core
