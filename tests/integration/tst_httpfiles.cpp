// SPDX-License-Identifier: GPL-3.0-or-later
// HTTP File Upload (XEP-0363) through Prosody's http_file_share and downloads from it: plain and
// encrypted (XEP-0454), the upload limit, cancelling, and every way a download can go wrong leaving
// nothing behind.
#include "OnlineAccount.h"
#include "TestFiles.h"
#include "TestServer.h"
#include "account/Account.h"
#include "crypto/EncryptedFile.h"
#include "files/HttpDownload.h"
#include "files/HttpUpload.h"

#include <QCryptographicHash>
#include <QDir>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace Natter::Core;
using namespace Natter::Test;

class tst_HttpFiles : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void findsTheUploadServiceAndItsLimit();
    void smallFileGoesUpAndComesBackAsItWas();
    void largeFileGoesUpWithProgress();
    void fileOverTheLimitIsRefusedBeforeAnyUpload();
    void encryptedFileIsOnlyCiphertextOnTheServer();
    void aesgcmLinkWithAWrongKeyLeavesNothing();
    void wrongHashLeavesNothing();
    void truncatedDownloadLeavesNothing();
    void bodyLargerThanAnnouncedIsRefused();
    void cancellingAnUploadStopsIt();
    void cancellingADownloadLeavesNothing();
    void sameNameTwiceGetsAFreeName();
    void namesFromTheNetworkAreMadeSafe();
    void missingPageIsAClearError();

private:
    // A file of size random bytes in m_files; its path.
    QString makeFile(const QString &name, qint64 size);
    static DownloadRequest request(const QString &link, const QString &folder, const QString &fileName = {},
                                   std::optional<qint64> size = {}, const QByteArray &sha256 = {})
    {
        DownloadRequest request;
        request.link = link;
        request.folder = folder;
        request.fileName = fileName;
        request.size = size;
        request.sha256 = sha256;
        return request;
    }
    Result<UploadedFile> uploadAndWait(const QString &path, bool encrypt, FileUpload **started = nullptr);
    Result<QString> downloadAndWait(const DownloadRequest &what);
    // The files in folder, hidden ones included.
    static QStringList filesIn(const QString &folder);

    TestServer m_server;
    std::unique_ptr<Account> m_alice;
    QTemporaryDir m_files;
};

void tst_HttpFiles::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
    QVERIFY(m_files.isValid());
    m_alice = onlineAccount(m_server, QStringLiteral("alice"));
    QVERIFY(m_alice);
    QTRY_VERIFY_WITH_TIMEOUT(m_alice->uploads().service().has_value(), 10000);
}

QString tst_HttpFiles::makeFile(const QString &name, qint64 size)
{
    return randomFile(m_files.path(), name, size);
}

Result<UploadedFile> tst_HttpFiles::uploadAndWait(const QString &path, bool encrypt, FileUpload **started)
{
    FileUpload *upload = m_alice->uploads().upload(path, encrypt);
    if (started)
        *started = upload;
    std::optional<Result<UploadedFile>> result;
    connect(upload, &FileUpload::finished, this, [&](const Result<UploadedFile> &r) { result = r; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 120000))
        return Error(Error::Code::Timeout);
    return *result;
}

Result<QString> tst_HttpFiles::downloadAndWait(const DownloadRequest &what)
{
    FileDownload *download = m_alice->downloads().download(what);
    std::optional<Result<QString>> result;
    connect(download, &FileDownload::finished, this, [&](const Result<QString> &r) { result = r; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 120000))
        return Error(Error::Code::Timeout);
    return *result;
}

QStringList tst_HttpFiles::filesIn(const QString &folder)
{
    return QDir(folder).entryList(QDir::Files | QDir::Hidden | QDir::System);
}

void tst_HttpFiles::findsTheUploadServiceAndItsLimit()
{
    const auto service = m_alice->uploads().service();
    QCOMPARE(service->jid, QStringLiteral("upload.") + m_server.domain);
    QCOMPARE(service->maxFileSize, qint64(100) * 1024 * 1024); // the fixture's http_file_share_size_limit
    QVERIFY(m_alice->uploads().fits(service->maxFileSize, false));
    QVERIFY(!m_alice->uploads().fits(service->maxFileSize, true)); // the tag makes it 16 bytes too large
}

void tst_HttpFiles::smallFileGoesUpAndComesBackAsItWas()
{
    const QString path = makeFile(QStringLiteral("notes.txt"), 10 * 1024);
    const auto uploaded = uploadAndWait(path, false);
    QVERIFY2(isOk(uploaded), qPrintable(errorOf(uploaded).codeName() + u' ' + errorOf(uploaded).detail));
    const auto &file = std::get<UploadedFile>(uploaded);
    QVERIFY(file.link.startsWith(QStringLiteral("https://")));
    QVERIFY(file.link.contains(QStringLiteral("notes.txt")));
    QCOMPARE(file.fileName, QStringLiteral("notes.txt"));
    QCOMPARE(file.size, 10 * 1024);
    QCOMPARE(file.mediaType, QStringLiteral("text/plain"));
    QCOMPARE(file.sha256, sha256Of(path));
    QVERIFY(!file.encrypted);

    QTemporaryDir downloads;
    const auto saved =
        downloadAndWait(request(file.link, downloads.path(), file.fileName, file.size, file.sha256));
    QVERIFY2(isOk(saved), qPrintable(errorOf(saved).codeName() + u' ' + errorOf(saved).detail));
    QCOMPARE(std::get<QString>(saved), QDir(downloads.path()).filePath(QStringLiteral("notes.txt")));
    QCOMPARE(sha256Of(std::get<QString>(saved)), sha256Of(path));
    QCOMPARE(filesIn(downloads.path()), QStringList{QStringLiteral("notes.txt")});
}

void tst_HttpFiles::largeFileGoesUpWithProgress()
{
    const qint64 size = 40 * 1024 * 1024;
    const QString path = makeFile(QStringLiteral("video.mp4"), size);
    FileUpload *upload = nullptr;
    QList<qint64> sent;
    const auto uploaded = [&] {
        FileUpload *job = m_alice->uploads().upload(path, false);
        upload = job;
        std::optional<Result<UploadedFile>> result;
        connect(job, &FileUpload::progress, this, [&](qint64 bytes, qint64 total) {
            QCOMPARE(total, size);
            sent.append(bytes);
        });
        connect(job, &FileUpload::finished, this, [&](const Result<UploadedFile> &r) { result = r; });
        if (!QTest::qWaitFor([&] { return result.has_value(); }, 120000))
            return Result<UploadedFile>(Error(Error::Code::Timeout));
        return result.value_or(Result<UploadedFile>(Error(Error::Code::Timeout)));
    }();
    Q_UNUSED(upload);
    QVERIFY2(isOk(uploaded), qPrintable(errorOf(uploaded).codeName() + u' ' + errorOf(uploaded).detail));
    QVERIFY(sent.size() > 2);
    QVERIFY(std::is_sorted(sent.cbegin(), sent.cend()));
    QCOMPARE(sent.last(), size);
    const auto &file = std::get<UploadedFile>(uploaded);
    QCOMPARE(file.mediaType, QStringLiteral("video/mp4"));

    QTemporaryDir downloads;
    const auto saved =
        downloadAndWait(request(file.link, downloads.path(), file.fileName, file.size, file.sha256));
    QVERIFY2(isOk(saved), qPrintable(errorOf(saved).codeName() + u' ' + errorOf(saved).detail));
    QCOMPARE(QFileInfo(std::get<QString>(saved)).size(), size);
    QCOMPARE(sha256Of(std::get<QString>(saved)), sha256Of(path));
}

void tst_HttpFiles::fileOverTheLimitIsRefusedBeforeAnyUpload()
{
    const QString path = QDir(m_files.path()).filePath(QStringLiteral("huge.iso"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QVERIFY(file.resize(qint64(100) * 1024 * 1024 + 1)); // sparse: one byte over the limit
    file.close();
    const auto uploaded = uploadAndWait(path, false);
    QCOMPARE(errorOf(uploaded).code, Error::Code::FileTooLarge);
    QCOMPARE(errorOf(uploaded).detail, QStringLiteral("104857601 > 104857600"));
}

void tst_HttpFiles::encryptedFileIsOnlyCiphertextOnTheServer()
{
    const QString path = makeFile(QStringLiteral("holiday.jpg"), 3 * 1024 * 1024 + 7);
    const auto uploaded = uploadAndWait(path, true);
    QVERIFY2(isOk(uploaded), qPrintable(errorOf(uploaded).codeName() + u' ' + errorOf(uploaded).detail));
    const auto &file = std::get<UploadedFile>(uploaded);
    QVERIFY(file.encrypted);
    QVERIFY(file.link.startsWith(QStringLiteral("aesgcm://")));
    QVERIFY(!file.link.contains(QStringLiteral("holiday"))); // the server never learns the name
    QCOMPARE(file.fileName, QStringLiteral("holiday.jpg"));
    QCOMPARE(file.sha256, sha256Of(path));

    // What the server keeps is the ciphertext and its tag.
    const auto link = std::get<AesGcmLink>(AesGcmLink::parse(file.link));
    QTemporaryDir raw;
    const auto stored =
        downloadAndWait(request(link.httpsUrl.toString(), raw.path(), QStringLiteral("stored.bin")));
    QVERIFY(isOk(stored));
    QCOMPARE(QFileInfo(std::get<QString>(stored)).size(), file.size + AesGcm::TagSize);
    QVERIFY(sha256Of(std::get<QString>(stored)) != sha256Of(path));

    QTemporaryDir downloads;
    const auto saved =
        downloadAndWait(request(file.link, downloads.path(), file.fileName, file.size, file.sha256));
    QVERIFY2(isOk(saved), qPrintable(errorOf(saved).codeName() + u' ' + errorOf(saved).detail));
    QCOMPARE(sha256Of(std::get<QString>(saved)), sha256Of(path));
    QCOMPARE(QFileInfo(std::get<QString>(saved)).fileName(), QStringLiteral("holiday.jpg"));
}

void tst_HttpFiles::aesgcmLinkWithAWrongKeyLeavesNothing()
{
    const QString path = makeFile(QStringLiteral("secret.pdf"), 200 * 1024);
    const auto uploaded = uploadAndWait(path, true);
    QVERIFY(isOk(uploaded));
    auto link = std::get<AesGcmLink>(AesGcmLink::parse(std::get<UploadedFile>(uploaded).link));
    link.key[0] = char(link.key[0] ^ 0x01);
    QTemporaryDir downloads;
    const auto saved =
        downloadAndWait(request(link.toString(), downloads.path(), QStringLiteral("secret.pdf")));
    QCOMPARE(errorOf(saved).code, Error::Code::DecryptionFailed);
    QCOMPARE(filesIn(downloads.path()), QStringList());

    const auto malformed =
        downloadAndWait(request(QStringLiteral("aesgcm://example.org/x#abc"), downloads.path()));
    QCOMPARE(errorOf(malformed).code, Error::Code::AesGcmLinkInvalid);
    QCOMPARE(filesIn(downloads.path()), QStringList());
}

void tst_HttpFiles::wrongHashLeavesNothing()
{
    const QString path = makeFile(QStringLiteral("report.odt"), 64 * 1024);
    const auto uploaded = uploadAndWait(path, false);
    QVERIFY(isOk(uploaded));
    const auto &file = std::get<UploadedFile>(uploaded);
    QTemporaryDir downloads;
    QByteArray wrong = file.sha256;
    wrong[5] = char(wrong[5] ^ 0x40);
    const auto saved = downloadAndWait(request(file.link, downloads.path(), file.fileName, file.size, wrong));
    QCOMPARE(errorOf(saved).code, Error::Code::HashMismatch);
    QCOMPARE(errorOf(saved).detail, QStringLiteral("report.odt"));
    QCOMPARE(filesIn(downloads.path()), QStringList());

    // Encrypted, the hash the sender described is checked after decryption as well.
    const auto encrypted = uploadAndWait(path, true);
    QVERIFY(isOk(encrypted));
    const auto &sealed = std::get<UploadedFile>(encrypted);
    const auto opened =
        downloadAndWait(request(sealed.link, downloads.path(), sealed.fileName, sealed.size, wrong));
    QCOMPARE(errorOf(opened).code, Error::Code::HashMismatch);
    QCOMPARE(filesIn(downloads.path()), QStringList());
}

// A web server on loopback that announces more than it sends, or sends more than the sender announced.
namespace {
class ShortServer : public QTcpServer
{
public:
    ShortServer(QByteArray announcedLength, QByteArray body)
        : m_announcedLength(std::move(announcedLength))
        , m_body(std::move(body))
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    if (!socket->readAll().contains("\r\n\r\n"))
                        return;
                    socket->write(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " +
                        m_announcedLength + "\r\nConnection: close\r\n\r\n" + m_body);
                    socket->flush();
                    socket->disconnectFromHost();
                });
            }
        });
    }
    QString url(const QString &name) const
    {
        return QStringLiteral("http://127.0.0.1:%1/%2").arg(serverPort()).arg(name);
    }

private:
    QByteArray m_announcedLength;
    QByteArray m_body;
};
} // namespace

void tst_HttpFiles::truncatedDownloadLeavesNothing()
{
    ShortServer server("100000", QByteArray(40000, 'x'));
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QTemporaryDir downloads;
    const auto saved = downloadAndWait(request(server.url(QStringLiteral("cut.bin")), downloads.path()));
    QCOMPARE(errorOf(saved).code, Error::Code::TransferFailed);
    QCOMPARE(filesIn(downloads.path()), QStringList());
}

void tst_HttpFiles::bodyLargerThanAnnouncedIsRefused()
{
    ShortServer server("50000", QByteArray(50000, 'y'));
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QTemporaryDir downloads;
    // The message said 1000 bytes.
    const auto saved =
        downloadAndWait(request(server.url(QStringLiteral("big.bin")), downloads.path(), {}, 1000));
    QCOMPARE(errorOf(saved).code, Error::Code::TransferFailed);
    QVERIFY2(errorOf(saved).detail.contains(QStringLiteral("larger than announced")),
             qPrintable(errorOf(saved).detail));
    QCOMPARE(filesIn(downloads.path()), QStringList());
}

void tst_HttpFiles::cancellingAnUploadStopsIt()
{
    const QString path = makeFile(QStringLiteral("long.mkv"), 60 * 1024 * 1024);
    FileUpload *upload = m_alice->uploads().upload(path, false);
    std::optional<Result<UploadedFile>> result;
    bool cancelled = false;
    connect(upload, &FileUpload::progress, this, [&](qint64 sent, qint64) {
        if (!cancelled && sent > 0) {
            cancelled = true;
            upload->cancel();
        }
    });
    connect(upload, &FileUpload::finished, this, [&](const Result<UploadedFile> &r) { result = r; });
    QVERIFY(QTest::qWaitFor([&] { return result.has_value(); }, 60000));
    QVERIFY(cancelled);
    QCOMPARE(errorOf(*result).code, Error::Code::TransferCancelled);

    // Cancelled while it is still being encrypted.
    FileUpload *encrypted = m_alice->uploads().upload(path, true);
    std::optional<Result<UploadedFile>> second;
    connect(encrypted, &FileUpload::finished, this, [&](const Result<UploadedFile> &r) { second = r; });
    encrypted->cancel();
    QVERIFY(QTest::qWaitFor([&] { return second.has_value(); }, 60000));
    QCOMPARE(errorOf(*second).code, Error::Code::TransferCancelled);
}

void tst_HttpFiles::cancellingADownloadLeavesNothing()
{
    const QString path = makeFile(QStringLiteral("movie.webm"), 50 * 1024 * 1024);
    const auto uploaded = uploadAndWait(path, false);
    QVERIFY(isOk(uploaded));
    const auto &file = std::get<UploadedFile>(uploaded);
    QTemporaryDir downloads;
    FileDownload *download =
        m_alice->downloads().download(request(file.link, downloads.path(), file.fileName));
    std::optional<Result<QString>> result;
    bool cancelled = false;
    connect(download, &FileDownload::progress, this, [&](qint64 received, qint64) {
        if (!cancelled && received > 0) {
            cancelled = true;
            download->cancel();
        }
    });
    connect(download, &FileDownload::finished, this, [&](const Result<QString> &r) { result = r; });
    QVERIFY(QTest::qWaitFor([&] { return result.has_value(); }, 60000));
    QVERIFY(cancelled);
    QCOMPARE(errorOf(*result).code, Error::Code::TransferCancelled);
    QCOMPARE(filesIn(downloads.path()), QStringList());
}

void tst_HttpFiles::sameNameTwiceGetsAFreeName()
{
    const QString path = makeFile(QStringLiteral("photo.tar.gz"), 1024);
    const auto uploaded = uploadAndWait(path, false);
    QVERIFY(isOk(uploaded));
    const auto &file = std::get<UploadedFile>(uploaded);
    QTemporaryDir downloads;
    QStringList names;
    for (int i = 0; i < 3; ++i) {
        const auto saved =
            downloadAndWait(request(file.link, downloads.path(), file.fileName, file.size, file.sha256));
        QVERIFY(isOk(saved));
        names.append(QFileInfo(std::get<QString>(saved)).fileName());
    }
    QCOMPARE(names, (QStringList{QStringLiteral("photo.tar.gz"), QStringLiteral("photo (1).tar.gz"),
                                 QStringLiteral("photo (2).tar.gz")}));
}

void tst_HttpFiles::namesFromTheNetworkAreMadeSafe()
{
    const QString path = makeFile(QStringLiteral("plain.txt"), 100);
    const auto uploaded = uploadAndWait(path, false);
    QVERIFY(isOk(uploaded));
    const auto &file = std::get<UploadedFile>(uploaded);
    QTemporaryDir downloads;
    const auto saved = downloadAndWait(request(file.link, downloads.path(), QStringLiteral("../../.bashrc")));
    QVERIFY(isOk(saved));
    QCOMPARE(QFileInfo(std::get<QString>(saved)).absolutePath(),
             QFileInfo(downloads.path()).absoluteFilePath());
    QCOMPARE(QFileInfo(std::get<QString>(saved)).fileName(), QStringLiteral("bashrc"));
}

void tst_HttpFiles::missingPageIsAClearError()
{
    const auto uploaded = uploadAndWait(makeFile(QStringLiteral("gone.txt"), 10), false);
    QVERIFY(isOk(uploaded));
    // http_file_share finds a file by its slot's folder: an unknown one is a 404.
    QUrl url(std::get<UploadedFile>(uploaded).link);
    QStringList segments = url.path().split(u'/');
    QVERIFY(segments.size() >= 3);
    segments[segments.size() - 2] = QStringLiteral("no-such-slot");
    url.setPath(segments.join(u'/'));
    QTemporaryDir downloads;
    const auto saved = downloadAndWait(request(url.toString(), downloads.path()));
    QCOMPARE(errorOf(saved).code, Error::Code::TransferFailed);
    QVERIFY2(errorOf(saved).detail.startsWith(QStringLiteral("HTTP 404")), qPrintable(errorOf(saved).detail));
    QCOMPARE(filesIn(downloads.path()), QStringList());
}

QTEST_GUILESS_MAIN(tst_HttpFiles)
#include "tst_httpfiles.moc"
