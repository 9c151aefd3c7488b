// SPDX-License-Identifier: GPL-3.0-or-later
#include "ProfileArchive.h"

#include "crypto/AesGcm.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>
#include <QScopeGuard>
#include <QtEndian>
#include <openssl/evp.h>

namespace Natter::Core::ProfileArchive {

namespace {

const QByteArray Magic = QByteArrayLiteral("NATTER-PROFILE\n");
constexpr quint8 Version = 1;
constexpr quint8 LogN = 16;
constexpr quint8 BlockSize = 8;
constexpr quint8 Parallelism = 1;
constexpr int SaltSize = 16;
constexpr int IvSize = 12;
constexpr int KeySize = 32;
constexpr qint64 Chunk = 1 << 20;
const QString SecretsEntry = QStringLiteral("secrets.json");
constexpr quint32 MaxPathSize = 4096;

Result<QByteArray> deriveKey(const QString &passphrase, const QByteArray &salt, quint8 logN, quint8 r,
                             quint8 p)
{
    if (logN < 10 || logN > 22 || r == 0 || r > 32 || p == 0 || p > 16)
        return Error(Error::Code::DecryptionFailed, QStringLiteral("unsupported scrypt parameters"));
    const QByteArray secret = passphrase.toUtf8();
    QByteArray key(KeySize, Qt::Uninitialized);
    const uint64_t n = uint64_t(1) << logN;
    const uint64_t memory = 128 * uint64_t(r) * (n + uint64_t(p) + 2) + (1 << 20);
    if (EVP_PBE_scrypt(secret.constData(), size_t(secret.size()),
                       reinterpret_cast<const unsigned char *>(salt.constData()), size_t(salt.size()), n, r,
                       p, memory, reinterpret_cast<unsigned char *>(key.data()), size_t(key.size())) != 1)
        return Error(Error::Code::EncryptionFailed, QStringLiteral("scrypt failed"));
    return key;
}

QByteArray bigEndian32(quint32 value)
{
    QByteArray bytes(4, Qt::Uninitialized);
    qToBigEndian(value, bytes.data());
    return bytes;
}

QByteArray bigEndian64(quint64 value)
{
    QByteArray bytes(8, Qt::Uninitialized);
    qToBigEndian(value, bytes.data());
    return bytes;
}

// Encrypts what is appended and writes it out.
class Sealer
{
public:
    Sealer(QSaveFile &out, AesGcm::Stream &stream)
        : m_out(out)
        , m_stream(stream)
    {}

    bool append(QByteArrayView bytes)
    {
        const auto sealed = m_stream.update(bytes);
        return isOk(sealed) &&
               m_out.write(std::get<QByteArray>(sealed)) == std::get<QByteArray>(sealed).size();
    }

private:
    QSaveFile &m_out;
    AesGcm::Stream &m_stream;
};

Error writeFailed(const QString &archive)
{
    return Error(Error::Code::FileWriteFailed, archive);
}

Result<Success> appendEntry(Sealer &sealer, const QString &path, qint64 size)
{
    const QByteArray name = path.toUtf8();
    if (!sealer.append(bigEndian32(quint32(name.size()))) || !sealer.append(name) ||
        !sealer.append(bigEndian64(quint64(size))))
        return Error(Error::Code::FileWriteFailed, path);
    return Success{};
}

// Reads the plain entries back from a decrypted file, writing each file below directory.
Result<QJsonObject> unpack(QFile &plain, const QString &directory)
{
    QJsonObject secrets;
    const QDir target(directory);
    while (!plain.atEnd()) {
        const QByteArray nameSize = plain.read(4);
        if (nameSize.size() != 4)
            return Error(Error::Code::DecryptionFailed, QStringLiteral("truncated entry"));
        const quint32 length = qFromBigEndian<quint32>(nameSize.constData());
        if (length == 0 || length > MaxPathSize)
            return Error(Error::Code::DecryptionFailed, QStringLiteral("bad entry name"));
        const QString path = QString::fromUtf8(plain.read(length));
        const QByteArray sizeBytes = plain.read(8);
        if (sizeBytes.size() != 8 || !isSafePath(path))
            return Error(Error::Code::DecryptionFailed, QStringLiteral("bad entry: %1").arg(path));
        const quint64 size = qFromBigEndian<quint64>(sizeBytes.constData());
        if (size > quint64(plain.size() - plain.pos()))
            return Error(Error::Code::DecryptionFailed, QStringLiteral("truncated entry: %1").arg(path));
        if (path == SecretsEntry) {
            secrets = QJsonDocument::fromJson(plain.read(qint64(size))).object();
            continue;
        }
        const QString file = target.filePath(path);
        if (!QDir().mkpath(QFileInfo(file).absolutePath()))
            return Error(Error::Code::FileWriteFailed, file);
        QFile out(file);
        if (out.exists() || !out.open(QIODevice::WriteOnly))
            return Error(Error::Code::FileWriteFailed, file);
        for (quint64 left = size; left > 0;) {
            const QByteArray part = plain.read(qint64(std::min<quint64>(left, quint64(Chunk))));
            if (part.isEmpty() || out.write(part) != part.size())
                return Error(Error::Code::FileWriteFailed, file);
            left -= quint64(part.size());
        }
        if (!out.flush())
            return Error(Error::Code::FileWriteFailed, file);
    }
    return secrets;
}

} // namespace

bool isSafePath(const QString &path)
{
    if (path.isEmpty() || path.startsWith(u'/') || path.contains(u'\\') || path.contains(QChar(0)))
        return false;
    const QStringList parts = path.split(u'/');
    return std::none_of(parts.cbegin(), parts.cend(),
                        [](const QString &part) { return part.isEmpty() || part == u"." || part == u".."; });
}

Result<Success> write(const QString &archive, const QString &passphrase, const QList<FileEntry> &files,
                      const QJsonObject &secrets)
{
    if (passphrase.isEmpty())
        return Error(Error::Code::EncryptionFailed, QStringLiteral("an empty passphrase"));
    const QByteArray salt = AesGcm::randomBytes(SaltSize);
    const QByteArray iv = AesGcm::randomBytes(IvSize);
    const auto key = deriveKey(passphrase, salt, LogN, BlockSize, Parallelism);
    if (!isOk(key))
        return errorOf(key);
    auto opened = AesGcm::Stream::open(AesGcm::Stream::Direction::Encrypt, std::get<QByteArray>(key), iv);
    if (!isOk(opened))
        return errorOf(opened);
    auto &stream = *std::get<std::unique_ptr<AesGcm::Stream>>(opened);

    QSaveFile out(archive);
    if (!out.open(QIODevice::WriteOnly))
        return writeFailed(archive);
    QByteArray header = Magic;
    header.append(char(Version)).append(char(LogN)).append(char(BlockSize)).append(char(Parallelism));
    header += salt + iv;
    if (out.write(header) != header.size())
        return writeFailed(archive);
    Sealer sealer(out, stream);

    const QByteArray secretsJson = QJsonDocument(secrets).toJson(QJsonDocument::Compact);
    if (const auto added = appendEntry(sealer, SecretsEntry, secretsJson.size());
        !isOk(added) || !sealer.append(secretsJson))
        return writeFailed(archive);
    for (const FileEntry &entry : files) {
        if (!isSafePath(entry.path) || entry.path == SecretsEntry)
            return Error(Error::Code::FileReadFailed, entry.path);
        QFile in(entry.sourceFile);
        if (!in.open(QIODevice::ReadOnly))
            return Error(Error::Code::FileReadFailed, entry.sourceFile);
        if (!isOk(appendEntry(sealer, entry.path, in.size())))
            return writeFailed(archive);
        qint64 copied = 0;
        while (copied < in.size()) {
            const QByteArray part = in.read(Chunk);
            if (part.isEmpty())
                return Error(Error::Code::FileReadFailed, entry.sourceFile);
            if (!sealer.append(part))
                return writeFailed(archive);
            copied += part.size();
        }
    }
    const auto tag = stream.finishEncryption();
    if (!isOk(tag) || out.write(std::get<QByteArray>(tag)) != AesGcm::TagSize || !out.commit())
        return writeFailed(archive);
    return Success{};
}

Result<QJsonObject> read(const QString &archive, const QString &passphrase, const QString &directory)
{
    QFile in(archive);
    if (!in.open(QIODevice::ReadOnly))
        return Error(Error::Code::FileReadFailed, archive);
    const qint64 headerSize = Magic.size() + 4 + SaltSize + IvSize;
    const QByteArray header = in.read(headerSize);
    if (header.size() != headerSize || !header.startsWith(Magic) || quint8(header[Magic.size()]) != Version ||
        in.size() < headerSize + AesGcm::TagSize)
        return Error(Error::Code::FileReadFailed,
                     QStringLiteral("%1 is not a Natter profile archive").arg(archive));
    const auto key =
        deriveKey(passphrase, header.mid(Magic.size() + 4, SaltSize), quint8(header[Magic.size() + 1]),
                  quint8(header[Magic.size() + 2]), quint8(header[Magic.size() + 3]));
    if (!isOk(key))
        return errorOf(key);
    auto opened = AesGcm::Stream::open(AesGcm::Stream::Direction::Decrypt, std::get<QByteArray>(key),
                                       header.mid(Magic.size() + 4 + SaltSize, IvSize));
    if (!isOk(opened))
        return errorOf(opened);
    auto &stream = *std::get<std::unique_ptr<AesGcm::Stream>>(opened);

    if (QFileInfo::exists(directory))
        return Error(Error::Code::FileExists, directory);
    if (!QDir().mkpath(directory))
        return Error(Error::Code::FileWriteFailed, directory);
    auto cleanUp = qScopeGuard([&directory] { QDir(directory).removeRecursively(); });
    // Decrypted into one file first: nothing is unpacked before the tag proved it whole and unchanged.
    QFile plain(QDir(directory).filePath(QStringLiteral(".unpacking")));
    if (!plain.open(QIODevice::ReadWrite) || !plain.setPermissions(QFile::ReadOwner | QFile::WriteOwner))
        return Error(Error::Code::FileWriteFailed, plain.fileName());
    const qint64 cipherEnd = in.size() - AesGcm::TagSize;
    while (in.pos() < cipherEnd) {
        const auto decrypted = stream.update(in.read(std::min(Chunk, cipherEnd - in.pos())));
        if (!isOk(decrypted) ||
            plain.write(std::get<QByteArray>(decrypted)) != std::get<QByteArray>(decrypted).size())
            return Error(Error::Code::FileWriteFailed, plain.fileName());
    }
    if (!isOk(stream.finishDecryption(in.read(AesGcm::TagSize))))
        return Error(Error::Code::DecryptionFailed,
                     QStringLiteral("a wrong passphrase, or the archive was changed or cut short"));
    plain.seek(0);
    auto secrets = unpack(plain, directory);
    plain.remove();
    if (!isOk(secrets))
        return secrets;
    cleanUp.dismiss();
    return secrets;
}

} // namespace Natter::Core::ProfileArchive
