// SPDX-License-Identifier: GPL-3.0-or-later
// aesgcm:// links and chunked AES-GCM between QIODevices (XEP-0454).
#include "EncryptedFile.h"

#include "common/FilePlacement.h"
#include "common/Logging.h"

#include <QFile>
#include <QFileInfo>
#include <QMetaEnum>
#include <QTemporaryFile>
#include <algorithm>

namespace Natter::Core {

namespace {

QString aesGcmScheme()
{
    return QStringLiteral("aesgcm");
}

bool isHexDigit(QChar c)
{
    return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
}

bool isHex(const QString &text)
{
    return std::all_of(text.cbegin(), text.cend(), isHexDigit);
}

// A file's name, or for other devices what they say went wrong: the detail of a read or write error.
QString describeDevice(const QIODevice &device)
{
    if (const auto *file = qobject_cast<const QFileDevice *>(&device))
        return file->fileName();
    return device.errorString();
}

QString nameOf(const QIODevice &device)
{
    if (const auto *file = qobject_cast<const QFileDevice *>(&device))
        return file->fileName();
    return QString::fromLatin1(device.metaObject()->className());
}

Error readFailure(const QIODevice &device)
{
    qCWarning(lcStorage) << "reading" << nameOf(device) << "failed:" << device.errorString();
    return Error(Error::Code::FileReadFailed, describeDevice(device));
}

Error writeFailure(const QIODevice &device)
{
    qCWarning(lcStorage) << "writing" << nameOf(device) << "failed:" << device.errorString();
    return Error(Error::Code::FileWriteFailed, describeDevice(device));
}

bool writeAll(QIODevice &device, QByteArrayView data)
{
    for (qsizetype done = 0; done < data.size();) {
        const qint64 written = device.write(data.data() + done, data.size() - done);
        if (written <= 0)
            return false;
        done += written;
    }
    return true;
}

// A file buffers writes; a full disk may only show when the buffer goes out.
bool flush(QIODevice &device)
{
    if (auto *file = qobject_cast<QFileDevice *>(&device))
        return file->flush();
    return true;
}

Result<Success> transform(AesGcm::Stream &stream, QByteArrayView input, QIODevice &output)
{
    if (input.isEmpty())
        return Success{};
    const auto transformed = stream.update(input);
    if (const auto *error = std::get_if<Error>(&transformed))
        return *error;
    if (!writeAll(output, std::get<QByteArray>(transformed)))
        return writeFailure(output);
    return Success{};
}

// Reads input to its end a chunk at a time and hands each chunk to consume; returns the bytes read.
template <typename Consume>
Result<qint64> readInChunks(QIODevice &input, const EncryptedFile::Progress &progress, Consume consume)
{
    QByteArray buffer(EncryptedFile::ChunkSize, Qt::Uninitialized);
    qint64 total = 0;
    for (;;) {
        const qint64 read = input.read(buffer.data(), buffer.size());
        if (read < 0)
            return readFailure(input);
        if (read == 0)
            return total;
        const Result<Success> consumed = consume(QByteArrayView(buffer.constData(), read));
        if (const auto *error = std::get_if<Error>(&consumed))
            return *error;
        total += read;
        if (progress && !progress(total))
            return Error(Error::Code::TransferCancelled);
    }
}

} // namespace

Result<AesGcmLink> AesGcmLink::parse(const QString &link)
{
    const auto invalid = [](Problem problem) {
        return Error(Error::Code::AesGcmLinkInvalid, problemName(problem));
    };
    const QUrl url(link);
    if (!url.isValid())
        return invalid(Problem::Malformed);
    if (url.scheme() != aesGcmScheme())
        return invalid(Problem::NotAesGcm);
    if (url.host().isEmpty())
        return invalid(Problem::NoHost);
    const QString fragment = url.fragment(QUrl::FullyEncoded);
    if (fragment.isEmpty())
        return invalid(Problem::NoFragment);
    if (!isHex(fragment))
        return invalid(Problem::FragmentNotHex);
    if (fragment.size() % 2 != 0)
        return invalid(Problem::FragmentOddLength);
    const QByteArray secret = QByteArray::fromHex(fragment.toLatin1());
    const qsizetype ivSize = secret.size() - KeySize;
    if (ivSize != IvSize && ivSize != LegacyIvSize)
        return invalid(Problem::FragmentWrongLength);

    AesGcmLink parsed;
    parsed.httpsUrl = url;
    parsed.httpsUrl.setScheme(QStringLiteral("https"));
    parsed.httpsUrl.setFragment(QString());
    parsed.iv = secret.first(ivSize);
    parsed.key = secret.sliced(ivSize);
    return parsed;
}

QString AesGcmLink::problemName(Problem problem)
{
    return QString::fromLatin1(QMetaEnum::fromType<Problem>().valueToKey(int(problem)));
}

QString AesGcmLink::toString() const
{
    QUrl url = httpsUrl;
    url.setScheme(aesGcmScheme());
    url.setFragment(QString::fromLatin1((iv + key).toHex()));
    return url.toString(QUrl::FullyEncoded);
}

Result<qint64> EncryptedFile::encrypt(QIODevice &plain, QIODevice &encrypted, const QByteArray &key,
                                      const QByteArray &iv, const Progress &progress)
{
    auto opened = AesGcm::Stream::open(AesGcm::Stream::Direction::Encrypt, key, iv);
    if (const auto *error = std::get_if<Error>(&opened))
        return *error;
    AesGcm::Stream &stream = *std::get<std::unique_ptr<AesGcm::Stream>>(opened);

    const auto read = readInChunks(plain, progress,
                                   [&](QByteArrayView chunk) { return transform(stream, chunk, encrypted); });
    if (const auto *error = std::get_if<Error>(&read))
        return *error;
    const auto tag = stream.finishEncryption();
    if (const auto *error = std::get_if<Error>(&tag))
        return *error;
    if (!writeAll(encrypted, std::get<QByteArray>(tag)) || !flush(encrypted))
        return writeFailure(encrypted);
    return std::get<qint64>(read) + AesGcm::TagSize;
}

Result<qint64> EncryptedFile::decrypt(QIODevice &encrypted, QIODevice &plain, const QByteArray &key,
                                      const QByteArray &iv, const Progress &progress)
{
    auto opened = AesGcm::Stream::open(AesGcm::Stream::Direction::Decrypt, key, iv);
    if (const auto *error = std::get_if<Error>(&opened))
        return *error;
    AesGcm::Stream &stream = *std::get<std::unique_ptr<AesGcm::Stream>>(opened);

    // The newest TagSize bytes read may be the tag, so they are held back until more data follows.
    QByteArray held;
    qint64 written = 0;
    const auto consume = [&](QByteArrayView chunk) -> Result<Success> {
        const qsizetype release = held.size() + chunk.size() - AesGcm::TagSize;
        if (release <= 0) {
            held.append(chunk);
            return Success{};
        }
        const qsizetype fromHeld = std::min(release, held.size());
        const qsizetype fromChunk = release - fromHeld;
        for (const QByteArrayView part : {QByteArrayView(held).first(fromHeld), chunk.first(fromChunk)}) {
            const auto transformed = transform(stream, part, plain);
            if (const auto *error = std::get_if<Error>(&transformed))
                return *error;
        }
        held.remove(0, fromHeld);
        held.append(chunk.sliced(fromChunk));
        written += release;
        return Success{};
    };
    const auto read = readInChunks(encrypted, progress, consume);
    if (const auto *error = std::get_if<Error>(&read))
        return *error;
    if (held.size() < AesGcm::TagSize)
        return Error(Error::Code::DecryptionFailed,
                     QStringLiteral("%1 bytes are shorter than the tag").arg(held.size()));
    const auto verified = stream.finishDecryption(held);
    if (const auto *error = std::get_if<Error>(&verified))
        return *error;
    if (!flush(plain))
        return writeFailure(plain);
    return written;
}

Result<AesGcmLink> EncryptedFile::encryptFile(const QString &sourcePath, QIODevice &out,
                                              const Progress &progress)
{
    QFile source(sourcePath);
    if (!source.open(QIODevice::ReadOnly))
        return readFailure(source);
    AesGcmLink link;
    link.iv = AesGcm::randomBytes(AesGcmLink::IvSize);
    link.key = AesGcm::randomBytes(AesGcmLink::KeySize);
    const auto encrypted = encrypt(source, out, link.key, link.iv, progress);
    if (const auto *error = std::get_if<Error>(&encrypted))
        return *error;
    return link;
}

Result<Success> EncryptedFile::decryptToFile(QIODevice &encrypted, const AesGcmLink &link,
                                             const QString &targetPath, const Progress &progress)
{
    using namespace FilePlacement;
    if (isTaken(targetPath))
        return Error(Error::Code::FileExists, targetPath);
    QTemporaryFile temporary(temporaryTemplateFor(targetPath));
    if (!temporary.open())
        return writeFailureAt(targetPath, temporary.errorString());
    // On every early return the QTemporaryFile takes what was written with it.
    const auto decrypted = decrypt(encrypted, temporary, link.key, link.iv, progress);
    if (const auto *error = std::get_if<Error>(&decrypted)) {
        if (error->code == Error::Code::FileWriteFailed)
            return Error(Error::Code::FileWriteFailed, targetPath);
        return *error;
    }
    return moveIntoPlace(temporary, targetPath);
}

} // namespace Natter::Core
