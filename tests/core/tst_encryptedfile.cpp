// SPDX-License-Identifier: GPL-3.0-or-later
// AES-GCM and XEP-0454 encrypted files: known answers, chunked round trips, aesgcm:// links, interop with
// Python's cryptography package, and that a download which does not check out leaves nothing behind.
#include "crypto/AesGcm.h"
#include "crypto/EncryptedFile.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QtConcurrent>
#include <algorithm>
#include <csignal>
#include <cstring>

#ifdef Q_OS_UNIX
#include <sys/resource.h>
#endif

using namespace Natter::Core;
using Problem = AesGcmLink::Problem;

namespace {

constexpr qint64 Chunk = EncryptedFile::ChunkSize;

// Encrypts or decrypts argv[3] into argv[4] with AESGCM from Python's cryptography package: an
// implementation written apart from ours, as the other clients' are.
const char PythonAesGcm[] = R"(
import sys
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
mode, key, iv, source, target = sys.argv[1:6]
with open(source, 'rb') as f:
    data = f.read()
aead = AESGCM(bytes.fromhex(key))
iv = bytes.fromhex(iv)
out = aead.encrypt(iv, data, None) if mode == 'encrypt' else aead.decrypt(iv, data, None)
with open(target, 'wb') as f:
    f.write(out)
)";

QByteArray pseudoRandom(qsizetype size, quint32 seed)
{
    QList<quint32> words((size + 3) / 4);
    QRandomGenerator(seed).fillRange(words.data(), words.size());
    return QByteArray(reinterpret_cast<const char *>(words.constData()), size);
}

const QByteArray Key = pseudoRandom(32, 1);
const QByteArray Iv = pseudoRandom(12, 2);

QString describe(const Error &error)
{
    return error.codeName() + QStringLiteral(": ") + error.detail;
}

QStringList entriesIn(const QString &directory)
{
    return QDir(directory).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size() && file.flush();
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Encrypts with the streaming code; empty with a test failure recorded when it fails.
QByteArray streamEncrypt(const QByteArray &plain, const QByteArray &key, const QByteArray &iv)
{
    QBuffer in;
    in.setData(plain);
    in.open(QIODevice::ReadOnly);
    QBuffer out;
    out.open(QIODevice::WriteOnly);
    const auto written = EncryptedFile::encrypt(in, out, key, iv);
    if (!isOk(written)) {
        qWarning() << "encrypting failed:" << describe(errorOf(written));
        return {};
    }
    return out.data();
}

// Empty when Python ran fine, else what went wrong.
QString runPythonAesGcm(const QStringList &arguments)
{
    QProcess python;
    python.start(QStringLiteral(NATTER_PYTHON),
                 QStringList{QStringLiteral("-c"), QString::fromUtf8(PythonAesGcm)} + arguments);
    if (!python.waitForFinished(60000))
        return QStringLiteral("python did not finish: ") + python.errorString();
    if (python.exitStatus() != QProcess::NormalExit || python.exitCode() != 0)
        return QString::fromLocal8Bit(python.readAllStandardError());
    return {};
}

// Both directions of one known-answer row.
void checkKnownAnswer()
{
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, iv);
    QFETCH(QByteArray, plaintext);
    QFETCH(QByteArray, ciphertext);
    QFETCH(QByteArray, tag);
    const auto encrypted = AesGcm::encrypt(key, iv, plaintext);
    QVERIFY2(isOk(encrypted), qPrintable(describe(errorOf(encrypted))));
    QCOMPARE(std::get<QByteArray>(encrypted).toHex(), (ciphertext + tag).toHex());
    const auto decrypted = AesGcm::decrypt(key, iv, ciphertext + tag);
    QVERIFY2(isOk(decrypted), qPrintable(describe(errorOf(decrypted))));
    QCOMPARE(std::get<QByteArray>(decrypted).toHex(), plaintext.toHex());
}

// Hands out at most five bytes per read, fewer than a tag, as a slow source might.
class TrickleDevice : public QIODevice
{
public:
    explicit TrickleDevice(QByteArray data)
        : m_data(std::move(data))
    {}
    bool isSequential() const override { return true; }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        const qint64 size = std::min({maxSize, qint64(5), qint64(m_data.size() - m_offset)});
        std::memcpy(data, m_data.constData() + m_offset, size_t(size));
        m_offset += size;
        return size;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_data;
    qint64 m_offset = 0;
};

// Takes `room` bytes, then refuses every write as a full disk would.
class RefusingDevice : public QIODevice
{
public:
    explicit RefusingDevice(qint64 room)
        : m_room(room)
    {}

protected:
    qint64 readData(char *, qint64) override { return -1; }
    qint64 writeData(const char *, qint64 size) override
    {
        if (m_written + size > m_room) {
            setErrorString(QStringLiteral("no room left"));
            return -1;
        }
        m_written += size;
        return size;
    }

private:
    qint64 m_room;
    qint64 m_written = 0;
};

} // namespace

class tst_EncryptedFile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aes256GcmGivesTheGcmSpecificationsAnswers_data();
    void aes256GcmGivesTheGcmSpecificationsAnswers();
    void aes128GcmGivesTheGcmSpecificationsAnswers_data();
    void aes128GcmGivesTheGcmSpecificationsAnswers();
    void decryptRefusesAChangedTag();
    void decryptRefusesInputShorterThanATag();
    void keysAndIvsOfOtherSizesAreRefused_data();
    void keysAndIvsOfOtherSizesAreRefused();
    void randomBytesAreFreshAndOfTheAskedSize();

    void streamingRoundTrips_data();
    void streamingRoundTrips();
    void decryptCopesWithReadsSmallerThanATag();
    void progressCountsTheBytesRead();
    void filesRoundTripThroughALink();
    void decryptsOnAWorkerThread();

    void parseReadsATwelveByteIv();
    void parseReadsASixteenByteIv();
    void parseAcceptsUpperCaseHex();
    void toStringWritesAnAesGcmLinkWithLowerCaseHex();
    void parseRefusesBadLinks_data();
    void parseRefusesBadLinks();

    void decryptsWhatPythonEncrypted_data();
    void decryptsWhatPythonEncrypted();
    void pythonDecryptsWhatWeEncrypted();

    void aDownloadThatDoesNotCheckOutLeavesNoFile_data();
    void aDownloadThatDoesNotCheckOutLeavesNoFile();
    void theTargetAppearsOnlyOnceTheTagCheckedOut();
    void cancellingLeavesNoFile();
    void anExistingTargetIsNotOverwritten();
    void aDanglingSymlinkAtTheTargetIsNotReplaced();
    void aTargetThatAppearsMeanwhileIsNotReplaced();
    void anUnwritableTargetFolderGivesAWriteError();
    void aFullDiskGivesAWriteError_data();
    void aFullDiskGivesAWriteError();
    void aWriteFailureMidDownloadLeavesNoFile();
    void aDeviceThatRefusesWritesGivesAWriteError();
    void aMissingSourceGivesAReadError();
};

// Test cases from McGrew and Viega, "The Galois/Counter Mode of Operation (GCM)", Appendix B (the document
// NIST SP 800-38D builds on): cases 13, 14 and 15, the AES-256 ones without additional data.
void tst_EncryptedFile::aes256GcmGivesTheGcmSpecificationsAnswers_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("iv");
    QTest::addColumn<QByteArray>("plaintext");
    QTest::addColumn<QByteArray>("ciphertext");
    QTest::addColumn<QByteArray>("tag");
    const QByteArray zeroKey(32, '\0');
    const QByteArray zeroIv(12, '\0');
    QTest::newRow("test case 13") << zeroKey << zeroIv << QByteArray() << QByteArray()
                                  << QByteArray::fromHex("530f8afbc74536b9a963b4f1c4cb738b");
    QTest::newRow("test case 14") << zeroKey << zeroIv << QByteArray(16, '\0')
                                  << QByteArray::fromHex("cea7403d4d606b6e074ec5d3baf39d18")
                                  << QByteArray::fromHex("d0d1c8a799996bf0265b98b5d48ab919");
    QTest::newRow("test case 15")
        << QByteArray::fromHex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")
        << QByteArray::fromHex("cafebabefacedbaddecaf888")
        << QByteArray::fromHex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                               "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255")
        << QByteArray::fromHex("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                               "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad")
        << QByteArray::fromHex("b094dac5d93471bdec1a502270e3cc6c");
}

void tst_EncryptedFile::aes256GcmGivesTheGcmSpecificationsAnswers()
{
    checkKnownAnswer();
}

// The same document's cases 1, 2 and 3: AES-128, as OMEMO uses for message payloads.
void tst_EncryptedFile::aes128GcmGivesTheGcmSpecificationsAnswers_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("iv");
    QTest::addColumn<QByteArray>("plaintext");
    QTest::addColumn<QByteArray>("ciphertext");
    QTest::addColumn<QByteArray>("tag");
    const QByteArray zeroKey(16, '\0');
    const QByteArray zeroIv(12, '\0');
    QTest::newRow("test case 1") << zeroKey << zeroIv << QByteArray() << QByteArray()
                                 << QByteArray::fromHex("58e2fccefa7e3061367f1d57a4e7455a");
    QTest::newRow("test case 2") << zeroKey << zeroIv << QByteArray(16, '\0')
                                 << QByteArray::fromHex("0388dace60b6a392f328c2b971b2fe78")
                                 << QByteArray::fromHex("ab6e47d42cec13bdf53a67b21257bddf");
    QTest::newRow("test case 3") << QByteArray::fromHex("feffe9928665731c6d6a8f9467308308")
                                 << QByteArray::fromHex("cafebabefacedbaddecaf888")
                                 << QByteArray::fromHex(
                                        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                                        "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255")
                                 << QByteArray::fromHex(
                                        "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
                                        "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985")
                                 << QByteArray::fromHex("4d5c2af327cd64a62cf35abd2ba6fab4");
}

void tst_EncryptedFile::aes128GcmGivesTheGcmSpecificationsAnswers()
{
    checkKnownAnswer();
}

void tst_EncryptedFile::decryptRefusesAChangedTag()
{
    const QByteArray key = Key.first(16);
    const auto encrypted = AesGcm::encrypt(key, Iv, QByteArrayLiteral("a message"));
    QVERIFY(isOk(encrypted));
    QByteArray changed = std::get<QByteArray>(encrypted);
    QVERIFY(isOk(AesGcm::decrypt(key, Iv, changed)));
    changed[changed.size() - 1] = char(changed.back() ^ 0x01);
    QCOMPARE(errorOf(AesGcm::decrypt(key, Iv, changed)).code, Error::Code::DecryptionFailed);
}

void tst_EncryptedFile::decryptRefusesInputShorterThanATag()
{
    const auto decrypted = AesGcm::decrypt(Key, Iv, QByteArray(AesGcm::TagSize - 1, 'x'));
    QCOMPARE(errorOf(decrypted).code, Error::Code::DecryptionFailed);
}

void tst_EncryptedFile::keysAndIvsOfOtherSizesAreRefused_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("iv");
    QTest::newRow("AES-192 key") << Key.first(24) << Iv;
    QTest::newRow("empty key") << QByteArray() << Iv;
    QTest::newRow("33-byte key") << Key + 'x' << Iv;
    QTest::newRow("8-byte IV") << Key << Iv.first(8);
    QTest::newRow("empty IV") << Key << QByteArray();
    QTest::newRow("32-byte IV") << Key << Key;
}

void tst_EncryptedFile::keysAndIvsOfOtherSizesAreRefused()
{
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, iv);
    QCOMPARE(errorOf(AesGcm::encrypt(key, iv, QByteArrayLiteral("data"))).code,
             Error::Code::EncryptionFailed);
    QCOMPARE(errorOf(AesGcm::decrypt(key, iv, QByteArray(40, 'x'))).code, Error::Code::DecryptionFailed);

    QBuffer in;
    in.setData(QByteArray(40, 'x'));
    QVERIFY(in.open(QIODevice::ReadOnly));
    QBuffer out;
    QVERIFY(out.open(QIODevice::WriteOnly));
    QCOMPARE(errorOf(EncryptedFile::encrypt(in, out, key, iv)).code, Error::Code::EncryptionFailed);
    QCOMPARE(errorOf(EncryptedFile::decrypt(in, out, key, iv)).code, Error::Code::DecryptionFailed);
    QVERIFY(out.data().isEmpty());
}

void tst_EncryptedFile::randomBytesAreFreshAndOfTheAskedSize()
{
    const QByteArray first = AesGcm::randomBytes(32);
    const QByteArray second = AesGcm::randomBytes(32);
    QCOMPARE(first.size(), 32);
    QCOMPARE(AesGcm::randomBytes(12).size(), 12);
    QVERIFY(first != second);
    QVERIFY(first != QByteArray(32, '\0'));
    QVERIFY(AesGcm::randomBytes(0).isEmpty());
}

void tst_EncryptedFile::streamingRoundTrips_data()
{
    QTest::addColumn<qint64>("size");
    QTest::newRow("empty") << qint64(0);
    QTest::newRow("1 byte") << qint64(1);
    QTest::newRow("15 bytes") << qint64(15);
    QTest::newRow("16 bytes") << qint64(16);
    QTest::newRow("17 bytes") << qint64(17);
    QTest::newRow("ciphertext and tag fill one chunk") << Chunk - AesGcm::TagSize;
    QTest::newRow("last read shorter than the tag") << Chunk - 11;
    QTest::newRow("one chunk") << Chunk;
    QTest::newRow("one chunk and a byte") << Chunk + 1;
    QTest::newRow("about 5 MB") << qint64(5 * 1000 * 1000 + 3);
}

void tst_EncryptedFile::streamingRoundTrips()
{
    QFETCH(qint64, size);
    const QByteArray plain = pseudoRandom(size, 3);

    QBuffer plainIn;
    plainIn.setData(plain);
    QVERIFY(plainIn.open(QIODevice::ReadOnly));
    QBuffer encrypted;
    QVERIFY(encrypted.open(QIODevice::WriteOnly));
    const auto written = EncryptedFile::encrypt(plainIn, encrypted, Key, Iv);
    QVERIFY2(isOk(written), qPrintable(describe(errorOf(written))));
    QCOMPARE(std::get<qint64>(written), EncryptedFile::encryptedSize(size));
    QCOMPARE(encrypted.data().size(), EncryptedFile::encryptedSize(size));
    // The chunked output is the one-shot output, which the known-answer tests pin down.
    const auto oneShot = AesGcm::encrypt(Key, Iv, plain);
    QVERIFY(isOk(oneShot));
    QVERIFY(encrypted.data() == std::get<QByteArray>(oneShot));

    QBuffer encryptedIn;
    encryptedIn.setData(encrypted.data());
    QVERIFY(encryptedIn.open(QIODevice::ReadOnly));
    QBuffer plainOut;
    QVERIFY(plainOut.open(QIODevice::WriteOnly));
    const auto decrypted = EncryptedFile::decrypt(encryptedIn, plainOut, Key, Iv);
    QVERIFY2(isOk(decrypted), qPrintable(describe(errorOf(decrypted))));
    QCOMPARE(std::get<qint64>(decrypted), size);
    QVERIFY(plainOut.data() == plain);
}

void tst_EncryptedFile::decryptCopesWithReadsSmallerThanATag()
{
    const QByteArray plain = pseudoRandom(1000, 4);
    TrickleDevice trickle(streamEncrypt(plain, Key, Iv));
    QVERIFY(trickle.open(QIODevice::ReadOnly | QIODevice::Unbuffered));
    qint64 largestRead = 0;
    qint64 previous = 0;
    QBuffer out;
    QVERIFY(out.open(QIODevice::WriteOnly));
    const auto decrypted = EncryptedFile::decrypt(trickle, out, Key, Iv, [&](qint64 read) {
        largestRead = std::max(largestRead, read - previous);
        previous = read;
        return true;
    });
    QVERIFY2(isOk(decrypted), qPrintable(describe(errorOf(decrypted))));
    QVERIFY(largestRead < AesGcm::TagSize);
    QVERIFY(out.data() == plain);
}

void tst_EncryptedFile::progressCountsTheBytesRead()
{
    const qint64 size = 3 * Chunk + 5;
    QBuffer in;
    in.setData(pseudoRandom(size, 5));
    QVERIFY(in.open(QIODevice::ReadOnly));
    QBuffer out;
    QVERIFY(out.open(QIODevice::WriteOnly));
    QList<qint64> reported;
    const auto written = EncryptedFile::encrypt(in, out, Key, Iv, [&](qint64 read) {
        reported.append(read);
        return true;
    });
    QVERIFY(isOk(written));
    QCOMPARE(reported, (QList<qint64>{Chunk, 2 * Chunk, 3 * Chunk, size}));
}

void tst_EncryptedFile::filesRoundTripThroughALink()
{
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    const QByteArray plain = pseudoRandom(2 * Chunk + 77, 6);
    const QString source = directory.filePath(QStringLiteral("photo.jpg"));
    QVERIFY(writeFile(source, plain));

    QFile upload(directory.filePath(QStringLiteral("upload.bin")));
    QVERIFY(upload.open(QIODevice::WriteOnly));
    const auto encrypted = EncryptedFile::encryptFile(source, upload);
    QVERIFY2(isOk(encrypted), qPrintable(describe(errorOf(encrypted))));
    upload.close();
    AesGcmLink link = std::get<AesGcmLink>(encrypted);
    QCOMPARE(link.iv.size(), AesGcmLink::IvSize);
    QCOMPARE(link.key.size(), AesGcmLink::KeySize);
    QVERIFY(link.httpsUrl.isEmpty());
    QCOMPARE(upload.size(), EncryptedFile::encryptedSize(plain.size()));

    link.httpsUrl = QUrl(QStringLiteral("https://upload.example.org/slot/photo.jpg"));
    const auto received = AesGcmLink::parse(link.toString());
    QVERIFY2(isOk(received), qPrintable(describe(errorOf(received))));
    QFile download(upload.fileName());
    QVERIFY(download.open(QIODevice::ReadOnly));
    const QString target = directory.filePath(QStringLiteral("received.jpg"));
    const auto saved = EncryptedFile::decryptToFile(download, std::get<AesGcmLink>(received), target);
    QVERIFY2(isOk(saved), qPrintable(describe(errorOf(saved))));
    QVERIFY(readFile(target) == plain);
    QCOMPARE(entriesIn(directory.path()),
             (QStringList{QStringLiteral("photo.jpg"), QStringLiteral("received.jpg"),
                          QStringLiteral("upload.bin")}));
}

void tst_EncryptedFile::decryptsOnAWorkerThread()
{
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    const QByteArray plain = pseudoRandom(Chunk + 9, 7);
    const QString encryptedPath = directory.filePath(QStringLiteral("download.bin"));
    QVERIFY(writeFile(encryptedPath, streamEncrypt(plain, Key, Iv)));
    const QString target = directory.filePath(QStringLiteral("file.bin"));
    const AesGcmLink link{QUrl(QStringLiteral("https://example.org/f")), Iv, Key};
    // The devices are made in the worker thread, as a real caller would.
    QFuture<Result<Success>> saved = QtConcurrent::run([=] {
        QFile encrypted(encryptedPath);
        if (!encrypted.open(QIODevice::ReadOnly))
            return Result<Success>(Error(Error::Code::FileReadFailed, encryptedPath));
        return EncryptedFile::decryptToFile(encrypted, link, target);
    });
    const Result<Success> result = saved.result();
    QVERIFY2(isOk(result), qPrintable(describe(errorOf(result))));
    QVERIFY(readFile(target) == plain);
}

void tst_EncryptedFile::parseReadsATwelveByteIv()
{
    const QByteArray iv = QByteArray::fromHex("000102030405060708090a0b");
    const QByteArray key = Key;
    const QString link = QStringLiteral("aesgcm://upload.example.org:5443/slot/x7/holiday%20photo.jpg?v=1#") +
                         QString::fromLatin1((iv + key).toHex());
    QCOMPARE(link.size() - link.indexOf(u'#') - 1, 88);
    const auto parsed = AesGcmLink::parse(link);
    QVERIFY2(isOk(parsed), qPrintable(describe(errorOf(parsed))));
    const AesGcmLink &result = std::get<AesGcmLink>(parsed);
    QCOMPARE(result.httpsUrl.toString(QUrl::FullyEncoded),
             QStringLiteral("https://upload.example.org:5443/slot/x7/holiday%20photo.jpg?v=1"));
    QVERIFY(!result.httpsUrl.hasFragment());
    QCOMPARE(result.iv.toHex(), iv.toHex());
    QCOMPARE(result.key.toHex(), key.toHex());
}

void tst_EncryptedFile::parseReadsASixteenByteIv()
{
    const QByteArray iv = QByteArray::fromHex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
    const QString link =
        QStringLiteral("aesgcm://example.org/file.pdf#") + QString::fromLatin1((iv + Key).toHex());
    QCOMPARE(link.size() - link.indexOf(u'#') - 1, 96);
    const auto parsed = AesGcmLink::parse(link);
    QVERIFY2(isOk(parsed), qPrintable(describe(errorOf(parsed))));
    QCOMPARE(std::get<AesGcmLink>(parsed).iv.toHex(), iv.toHex());
    QCOMPARE(std::get<AesGcmLink>(parsed).key.toHex(), Key.toHex());
    QCOMPARE(std::get<AesGcmLink>(parsed).httpsUrl, QUrl(QStringLiteral("https://example.org/file.pdf")));
}

void tst_EncryptedFile::parseAcceptsUpperCaseHex()
{
    const QString link =
        QStringLiteral("aesgcm://example.org/a#") + QString::fromLatin1((Iv + Key).toHex().toUpper());
    const auto parsed = AesGcmLink::parse(link);
    QVERIFY2(isOk(parsed), qPrintable(describe(errorOf(parsed))));
    QCOMPARE(std::get<AesGcmLink>(parsed).iv.toHex(), Iv.toHex());
    QCOMPARE(std::get<AesGcmLink>(parsed).key.toHex(), Key.toHex());
}

void tst_EncryptedFile::toStringWritesAnAesGcmLinkWithLowerCaseHex()
{
    AesGcmLink link;
    link.httpsUrl = QUrl(QStringLiteral("https://share.example.org/u/ab/Caf%C3%A9.png"));
    link.iv = QByteArray::fromHex("a0a1a2a3a4a5a6a7a8a9aaab");
    link.key = QByteArray::fromHex("b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf");
    QCOMPARE(link.toString(),
             QStringLiteral("aesgcm://share.example.org/u/ab/Caf%C3%A9.png#"
                            "a0a1a2a3a4a5a6a7a8a9aaab"
                            "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf"));
    const auto parsed = AesGcmLink::parse(link.toString());
    QVERIFY2(isOk(parsed), qPrintable(describe(errorOf(parsed))));
    QVERIFY(std::get<AesGcmLink>(parsed) == link);
}

void tst_EncryptedFile::parseRefusesBadLinks_data()
{
    QTest::addColumn<QString>("link");
    QTest::addColumn<Problem>("problem");
    const QString hex88 = QString::fromLatin1((Iv + Key).toHex());
    const auto withFragment = [](const QString &fragment) {
        return QStringLiteral("aesgcm://example.org/file.jpg#") + fragment;
    };
    QTest::newRow("empty") << QString() << Problem::Malformed;
    QTest::newRow("bad host") << QStringLiteral("aesgcm://exa mple.org/f#") + hex88 << Problem::Malformed;
    QTest::newRow("https") << QStringLiteral("https://example.org/file.jpg#") + hex88 << Problem::NotAesGcm;
    QTest::newRow("no scheme") << QStringLiteral("example.org/file.jpg#") + hex88 << Problem::NotAesGcm;
    QTest::newRow("no host") << QStringLiteral("aesgcm:///file.jpg#") + hex88 << Problem::NoHost;
    QTest::newRow("no fragment") << QStringLiteral("aesgcm://example.org/file.jpg") << Problem::NoFragment;
    QTest::newRow("empty fragment") << withFragment(QString()) << Problem::NoFragment;
    QTest::newRow("non-hex") << withFragment(hex88.first(87) + u'g') << Problem::FragmentNotHex;
    QTest::newRow("percent-encoded") << withFragment(hex88.first(85) + QStringLiteral("%20"))
                                     << Problem::FragmentNotHex;
    QTest::newRow("odd") << withFragment(hex88.first(87)) << Problem::FragmentOddLength;
    QTest::newRow("one byte short") << withFragment(hex88.first(86)) << Problem::FragmentWrongLength;
    QTest::newRow("key only") << withFragment(hex88.first(64)) << Problem::FragmentWrongLength;
    QTest::newRow("13-byte IV") << withFragment(hex88 + QStringLiteral("00")) << Problem::FragmentWrongLength;
    QTest::newRow("17-byte IV") << withFragment(hex88 + QStringLiteral("0011223344"))
                                << Problem::FragmentWrongLength;
}

void tst_EncryptedFile::parseRefusesBadLinks()
{
    QFETCH(QString, link);
    QFETCH(Problem, problem);
    const Error error = errorOf(AesGcmLink::parse(link));
    QCOMPARE(error.code, Error::Code::AesGcmLinkInvalid);
    QCOMPARE(error.detail, AesGcmLink::problemName(problem));
    QVERIFY(!error.detail.isEmpty());
}

void tst_EncryptedFile::decryptsWhatPythonEncrypted_data()
{
    QTest::addColumn<QByteArray>("iv");
    QTest::newRow("12-byte IV") << Iv;
    QTest::newRow("16-byte IV") << pseudoRandom(16, 8);
}

void tst_EncryptedFile::decryptsWhatPythonEncrypted()
{
    QFETCH(QByteArray, iv);
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    const QByteArray plain = pseudoRandom(2 * Chunk + 1234, 9);
    const QString plainPath = directory.filePath(QStringLiteral("plain"));
    const QString encryptedPath = directory.filePath(QStringLiteral("encrypted"));
    QVERIFY(writeFile(plainPath, plain));
    const QString failure = runPythonAesGcm({QStringLiteral("encrypt"), QString::fromLatin1(Key.toHex()),
                                             QString::fromLatin1(iv.toHex()), plainPath, encryptedPath});
    QVERIFY2(failure.isEmpty(), qPrintable(failure));

    const auto link = AesGcmLink::parse(QStringLiteral("aesgcm://example.org/f#") +
                                        QString::fromLatin1((iv + Key).toHex()));
    QVERIFY2(isOk(link), qPrintable(describe(errorOf(link))));
    QFile encrypted(encryptedPath);
    QVERIFY(encrypted.open(QIODevice::ReadOnly));
    const QString target = directory.filePath(QStringLiteral("decrypted"));
    const auto saved = EncryptedFile::decryptToFile(encrypted, std::get<AesGcmLink>(link), target);
    QVERIFY2(isOk(saved), qPrintable(describe(errorOf(saved))));
    QVERIFY(readFile(target) == plain);
}

void tst_EncryptedFile::pythonDecryptsWhatWeEncrypted()
{
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    const QByteArray plain = pseudoRandom(Chunk + 4321, 10);
    const QString plainPath = directory.filePath(QStringLiteral("plain"));
    const QString encryptedPath = directory.filePath(QStringLiteral("encrypted"));
    const QString decryptedPath = directory.filePath(QStringLiteral("decrypted"));
    QVERIFY(writeFile(plainPath, plain));
    QFile encrypted(encryptedPath);
    QVERIFY(encrypted.open(QIODevice::WriteOnly));
    const auto link = EncryptedFile::encryptFile(plainPath, encrypted);
    QVERIFY2(isOk(link), qPrintable(describe(errorOf(link))));
    encrypted.close();

    const AesGcmLink &keys = std::get<AesGcmLink>(link);
    const QString failure =
        runPythonAesGcm({QStringLiteral("decrypt"), QString::fromLatin1(keys.key.toHex()),
                         QString::fromLatin1(keys.iv.toHex()), encryptedPath, decryptedPath});
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    QVERIFY(readFile(decryptedPath) == plain);
}

void tst_EncryptedFile::aDownloadThatDoesNotCheckOutLeavesNoFile_data()
{
    QTest::addColumn<QByteArray>("download");
    QTest::addColumn<QByteArray>("key");
    const QByteArray good = streamEncrypt(pseudoRandom(2 * Chunk + 100, 11), Key, Iv);
    const auto flipped = [&](qsizetype at) {
        QByteArray changed = good;
        changed[at] = char(changed.at(at) ^ 0x80);
        return changed;
    };
    QByteArray otherKey = Key;
    otherKey[0] = char(otherKey.at(0) ^ 0x01);
    QTest::newRow("wrong key") << good << otherKey;
    QTest::newRow("first ciphertext byte flipped") << flipped(0) << Key;
    QTest::newRow("ciphertext byte in the second chunk flipped") << flipped(Chunk + 3) << Key;
    QTest::newRow("last ciphertext byte flipped") << flipped(good.size() - AesGcm::TagSize - 1) << Key;
    QTest::newRow("first tag byte flipped") << flipped(good.size() - AesGcm::TagSize) << Key;
    QTest::newRow("last tag byte flipped") << flipped(good.size() - 1) << Key;
    QTest::newRow("truncated by a byte") << good.first(good.size() - 1) << Key;
    QTest::newRow("truncated by a chunk") << good.first(good.size() - Chunk) << Key;
    QTest::newRow("tag missing") << good.first(good.size() - AesGcm::TagSize) << Key;
}

void tst_EncryptedFile::aDownloadThatDoesNotCheckOutLeavesNoFile()
{
    QFETCH(QByteArray, download);
    QFETCH(QByteArray, key);
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    QBuffer encrypted;
    encrypted.setData(download);
    QVERIFY(encrypted.open(QIODevice::ReadOnly));
    const QString target = directory.filePath(QStringLiteral("file.bin"));
    int chunksRead = 0;
    bool targetSeen = false;
    const auto saved =
        EncryptedFile::decryptToFile(encrypted, AesGcmLink{QUrl(), Iv, key}, target, [&](qint64) {
            ++chunksRead;
            targetSeen = targetSeen || QFileInfo::exists(target);
            return true;
        });
    QCOMPARE(errorOf(saved).code, Error::Code::DecryptionFailed);
    // Whole chunks were decrypted and written before the tag could be checked; none of it is left.
    QVERIFY(chunksRead >= 2);
    QVERIFY(!targetSeen);
    QCOMPARE(entriesIn(directory.path()), QStringList());
}

void tst_EncryptedFile::theTargetAppearsOnlyOnceTheTagCheckedOut()
{
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    QBuffer encrypted;
    encrypted.setData(streamEncrypt(pseudoRandom(3 * Chunk, 12), Key, Iv));
    QVERIFY(encrypted.open(QIODevice::ReadOnly));
    const QString target = directory.filePath(QStringLiteral("file.bin"));
    int chunksRead = 0;
    bool targetSeen = false;
    QStringList seenMeanwhile;
    const auto saved =
        EncryptedFile::decryptToFile(encrypted, AesGcmLink{QUrl(), Iv, Key}, target, [&](qint64) {
            ++chunksRead;
            targetSeen = targetSeen || QFileInfo::exists(target);
            seenMeanwhile += entriesIn(directory.path());
            return true;
        });
    QVERIFY2(isOk(saved), qPrintable(describe(errorOf(saved))));
    QCOMPARE(chunksRead, 4); // three chunks of ciphertext, then the tag
    QVERIFY(!targetSeen);
    // Nothing, or a hidden temporary file where the system has no unnamed ones.
    QVERIFY(std::all_of(seenMeanwhile.cbegin(), seenMeanwhile.cend(),
                        [](const QString &name) { return name.startsWith(u'.'); }));
    QCOMPARE(entriesIn(directory.path()), QStringList{QStringLiteral("file.bin")});
}

void tst_EncryptedFile::cancellingLeavesNoFile()
{
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    QBuffer encrypted;
    encrypted.setData(streamEncrypt(pseudoRandom(3 * Chunk, 13), Key, Iv));
    QVERIFY(encrypted.open(QIODevice::ReadOnly));
    const QString target = directory.filePath(QStringLiteral("file.bin"));
    const auto saved = EncryptedFile::decryptToFile(encrypted, AesGcmLink{QUrl(), Iv, Key}, target,
                                                    [](qint64 read) { return read < 2 * Chunk; });
    QCOMPARE(errorOf(saved).code, Error::Code::TransferCancelled);
    QCOMPARE(encrypted.pos(), 2 * Chunk);
    QCOMPARE(entriesIn(directory.path()), QStringList());
}

void tst_EncryptedFile::anExistingTargetIsNotOverwritten()
{
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    const QString target = directory.filePath(QStringLiteral("file.bin"));
    QVERIFY(writeFile(target, QByteArrayLiteral("precious")));
    QBuffer encrypted;
    encrypted.setData(streamEncrypt(QByteArrayLiteral("newer"), Key, Iv));
    QVERIFY(encrypted.open(QIODevice::ReadOnly));
    const auto saved = EncryptedFile::decryptToFile(encrypted, AesGcmLink{QUrl(), Iv, Key}, target);
    QCOMPARE(errorOf(saved).code, Error::Code::FileExists);
    QCOMPARE(errorOf(saved).detail, target);
    QCOMPARE(readFile(target), QByteArrayLiteral("precious"));
    QCOMPARE(entriesIn(directory.path()), QStringList{QStringLiteral("file.bin")});
}

void tst_EncryptedFile::aDanglingSymlinkAtTheTargetIsNotReplaced()
{
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    const QString target = directory.filePath(QStringLiteral("link"));
    QVERIFY(QFile::link(directory.filePath(QStringLiteral("nowhere")), target));
    QBuffer encrypted;
    encrypted.setData(streamEncrypt(QByteArrayLiteral("data"), Key, Iv));
    QVERIFY(encrypted.open(QIODevice::ReadOnly));
    const auto saved = EncryptedFile::decryptToFile(encrypted, AesGcmLink{QUrl(), Iv, Key}, target);
    QCOMPARE(errorOf(saved).code, Error::Code::FileExists);
    QVERIFY(QFileInfo(target).isSymLink());
    QCOMPARE(entriesIn(directory.path()), QStringList{QStringLiteral("link")});
}

void tst_EncryptedFile::aTargetThatAppearsMeanwhileIsNotReplaced()
{
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    const QString target = directory.filePath(QStringLiteral("file.bin"));
    QBuffer encrypted;
    encrypted.setData(streamEncrypt(pseudoRandom(Chunk + 1, 14), Key, Iv));
    QVERIFY(encrypted.open(QIODevice::ReadOnly));
    const auto saved =
        EncryptedFile::decryptToFile(encrypted, AesGcmLink{QUrl(), Iv, Key}, target, [&](qint64) {
            if (!QFile::exists(target))
                writeFile(target, QByteArrayLiteral("saved by someone else"));
            return true;
        });
    QCOMPARE(errorOf(saved).code, Error::Code::FileExists);
    QCOMPARE(errorOf(saved).detail, target);
    QCOMPARE(readFile(target), QByteArrayLiteral("saved by someone else"));
    QCOMPARE(entriesIn(directory.path()), QStringList{QStringLiteral("file.bin")});
}

void tst_EncryptedFile::anUnwritableTargetFolderGivesAWriteError()
{
    // A "folder" that is a file cannot be written into, not even by root (tests may run as root, where
    // a read-only folder would not stop anything).
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    const QString notAFolder = directory.filePath(QStringLiteral("plain-file"));
    QVERIFY(writeFile(notAFolder, QByteArrayLiteral("x")));
    const QString target = notAFolder + QStringLiteral("/file.bin");
    QBuffer encrypted;
    encrypted.setData(streamEncrypt(QByteArrayLiteral("data"), Key, Iv));
    QVERIFY(encrypted.open(QIODevice::ReadOnly));
    const auto saved = EncryptedFile::decryptToFile(encrypted, AesGcmLink{QUrl(), Iv, Key}, target);
    QCOMPARE(errorOf(saved).code, Error::Code::FileWriteFailed);
    QCOMPARE(errorOf(saved).detail, target);
    QCOMPARE(entriesIn(directory.path()), QStringList{QStringLiteral("plain-file")});
}

void tst_EncryptedFile::aFullDiskGivesAWriteError_data()
{
    QTest::addColumn<qint64>("size");
    // QFile buffers small writes: the failure then only shows when the buffer is flushed.
    QTest::newRow("within QFile's buffer") << qint64(100);
    QTest::newRow("larger than a chunk") << Chunk + 5;
}

void tst_EncryptedFile::aFullDiskGivesAWriteError()
{
    QFETCH(qint64, size);
    // Linux's /dev/full fails every write with ENOSPC, as a full disk does.
    const QString full = QStringLiteral("/dev/full");
    if (!QFileInfo::exists(full))
        QSKIP("no /dev/full on this system");
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    const QByteArray plain = pseudoRandom(size, 15);
    const QString source = directory.filePath(QStringLiteral("source"));
    QVERIFY(writeFile(source, plain));

    QFile encryptedOut(full);
    QVERIFY(encryptedOut.open(QIODevice::WriteOnly));
    const auto encrypted = EncryptedFile::encryptFile(source, encryptedOut);
    QCOMPARE(errorOf(encrypted).code, Error::Code::FileWriteFailed);
    QCOMPARE(errorOf(encrypted).detail, full);

    QBuffer encryptedIn;
    encryptedIn.setData(streamEncrypt(plain, Key, Iv));
    QVERIFY(encryptedIn.open(QIODevice::ReadOnly));
    QFile plainOut(full);
    QVERIFY(plainOut.open(QIODevice::WriteOnly));
    const auto decrypted = EncryptedFile::decrypt(encryptedIn, plainOut, Key, Iv);
    QCOMPARE(errorOf(decrypted).code, Error::Code::FileWriteFailed);
    QCOMPARE(errorOf(decrypted).detail, full);
}

void tst_EncryptedFile::aWriteFailureMidDownloadLeavesNoFile()
{
#ifdef Q_OS_UNIX
    // A file size limit makes the second chunk's write fail (EFBIG) as a disk filling up would; unlike a
    // read-only folder it also stops root.
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    QBuffer encrypted;
    encrypted.setData(streamEncrypt(pseudoRandom(3 * Chunk, 17), Key, Iv));
    QVERIFY(encrypted.open(QIODevice::ReadOnly));
    const QString target = directory.filePath(QStringLiteral("file.bin"));
    rlimit previous{};
    QCOMPARE(getrlimit(RLIMIT_FSIZE, &previous), 0);
    const auto previousHandler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limited = previous;
    limited.rlim_cur = rlim_t(Chunk + Chunk / 2);
    QCOMPARE(setrlimit(RLIMIT_FSIZE, &limited), 0);
    const auto saved = EncryptedFile::decryptToFile(encrypted, AesGcmLink{QUrl(), Iv, Key}, target);
    setrlimit(RLIMIT_FSIZE, &previous);
    std::signal(SIGXFSZ, previousHandler);
    QCOMPARE(errorOf(saved).code, Error::Code::FileWriteFailed);
    QCOMPARE(errorOf(saved).detail, target);
    QCOMPARE(entriesIn(directory.path()), QStringList());
#else
    QSKIP("needs POSIX file size limits");
#endif
}

void tst_EncryptedFile::aDeviceThatRefusesWritesGivesAWriteError()
{
    QBuffer encrypted;
    encrypted.setData(streamEncrypt(pseudoRandom(3 * Chunk, 16), Key, Iv));
    QVERIFY(encrypted.open(QIODevice::ReadOnly));
    RefusingDevice out(Chunk + 7);
    QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Unbuffered));
    const auto decrypted = EncryptedFile::decrypt(encrypted, out, Key, Iv);
    QCOMPARE(errorOf(decrypted).code, Error::Code::FileWriteFailed);
    QCOMPARE(errorOf(decrypted).detail, QStringLiteral("no room left"));
}

void tst_EncryptedFile::aMissingSourceGivesAReadError()
{
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    const QString source = directory.filePath(QStringLiteral("gone.jpg"));
    QBuffer out;
    QVERIFY(out.open(QIODevice::WriteOnly));
    const auto encrypted = EncryptedFile::encryptFile(source, out);
    QCOMPARE(errorOf(encrypted).code, Error::Code::FileReadFailed);
    QCOMPARE(errorOf(encrypted).detail, source);
    QVERIFY(out.data().isEmpty());
}

QTEST_GUILESS_MAIN(tst_EncryptedFile)
#include "tst_encryptedfile.moc"
