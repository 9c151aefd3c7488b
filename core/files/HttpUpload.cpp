// SPDX-License-Identifier: GPL-3.0-or-later
#include "HttpUpload.h"

#include "FileHash.h"
#include "Thumbnailer.h"
#include "TransferNetwork.h"
#include "common/FilePlacement.h"
#include "common/Logging.h"
#include "common/XmppRequest.h"
#include "crypto/EncryptedFile.h"
#include "disco/DiscoInfo.h"

#include <QDomElement>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QMimeDatabase>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTemporaryFile>
#include <QUuid>
#include <QXmppClient.h>
#include <QXmppDataForm.h>
#include <QXmppDiscoveryManager.h>
#include <QXmppHttpUploadIq.h>
#include <QtConcurrent/QtConcurrentRun>
#include <atomic>

namespace Natter::Core {

namespace {

const QString UploadNamespace = QStringLiteral("urn:xmpp:http:upload:0");
// XEP-0363 §5: the only headers a slot may ask for; anything else is dropped.
const QStringList AllowedSlotHeaders = {QStringLiteral("authorization"), QStringLiteral("cookie"),
                                        QStringLiteral("expires")};

qint64 maxFileSizeOf(const DiscoInfo &info)
{
    bool ok = false;
    const qint64 bytes = info.formValue(UploadNamespace, QStringLiteral("max-file-size")).toLongLong(&ok);
    return ok && bytes > 0 ? bytes : 0;
}

} // namespace

// The bytes that go to the server, ready before the slot is asked for.
struct HttpUploadService::Prepared
{
    UploadedFile file;
    std::unique_ptr<QFile> source; // the file itself, or its ciphertext in a temporary file
    std::optional<AesGcmLink> link;
    std::atomic_bool cancelled = false;
};

FileUpload::FileUpload(QObject *parent)
    : QObject(parent)
{}

void FileUpload::cancel()
{
    if (m_finished)
        return;
    m_cancelled = true;
    if (m_reply)
        m_reply->abort();
    else
        finish(Error(Error::Code::TransferCancelled));
}

void FileUpload::finish(const Result<UploadedFile> &result)
{
    if (m_finished)
        return;
    m_finished = true;
    Q_EMIT finished(m_cancelled ? Result<UploadedFile>(Error(Error::Code::TransferCancelled)) : result);
    deleteLater();
}

HttpUploadService::HttpUploadService(QXmppClient &client,
                                     std::function<QList<QSslCertificate>()> caCertificates, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_caCertificates(std::move(caCertificates))
    , m_network(new QNetworkAccessManager(this))
{}

void HttpUploadService::setProxy(const QNetworkProxy &proxy)
{
    m_network->setProxy(proxy);
}

HttpUploadService::~HttpUploadService() = default;

void HttpUploadService::discover()
{
    auto *disco = m_client.findExtension<QXmppDiscoveryManager>();
    if (!disco)
        return;
    const quint64 round = ++m_discovery;
    const QString server = m_client.configuration().domain();
    disco->requestDiscoItems(server).then(
        this, [this, round, server](QXmppDiscoveryManager::ItemsResult &&result) {
            if (round != m_discovery)
                return;
            if (const auto *error = std::get_if<QXmppError>(&result)) {
                qCInfo(lcFiles) << "no service list from" << server << error->description;
                return;
            }
            // The server itself may offer it too (some do).
            checkServiceCandidate(server);
            for (const auto &item : std::get<QList<QXmppDiscoveryIq::Item>>(result))
                if (item.node().isEmpty())
                    checkServiceCandidate(item.jid());
        });
}

void HttpUploadService::checkServiceCandidate(const QString &jid)
{
    const quint64 round = m_discovery;
    askDiscoInfo(m_client, this, jid).then(this, [this, round, jid](Result<DiscoInfo> &&result) {
        // The first service found in this round replaces what an earlier connection found (its limit may
        // have changed); later ones in the same round are alternatives we do not need.
        if (round != m_discovery || (m_service && m_serviceRound == round))
            return;
        const auto *info = std::get_if<DiscoInfo>(&result);
        if (!info || !info->hasFeature(UploadNamespace) ||
            !info->hasIdentity(QStringLiteral("store"), QStringLiteral("file")))
            return;
        m_service = UploadServiceInfo{jid, maxFileSizeOf(*info)};
        m_serviceRound = round;
        qCInfo(lcFiles) << "HTTP upload through" << jid << "limit" << m_service->maxFileSize;
        Q_EMIT serviceChanged();
    });
}

bool HttpUploadService::fits(qint64 fileSize, bool encrypted) const
{
    if (!m_service)
        return false;
    const qint64 onTheWire = encrypted ? EncryptedFile::encryptedSize(fileSize) : fileSize;
    return m_service->maxFileSize == 0 || onTheWire <= m_service->maxFileSize;
}

FileUpload *HttpUploadService::upload(const QString &path, bool encrypt)
{
    auto *job = new FileUpload(this);
    const QFileInfo info(path);
    const auto failSoon = [job](Error error) {
        QMetaObject::invokeMethod(job, [job, error] { job->finish(error); }, Qt::QueuedConnection);
        return job;
    };
    if (!info.isFile() || !info.isReadable())
        return failSoon(Error(Error::Code::FileReadFailed, path));
    if (!m_service)
        return failSoon(Error(Error::Code::FeatureUnsupported, QStringLiteral("HTTP upload (XEP-0363)")));
    const qint64 onTheWire = encrypt ? EncryptedFile::encryptedSize(info.size()) : info.size();
    if (!fits(info.size(), encrypt))
        return failSoon(Error(Error::Code::FileTooLarge,
                              QStringLiteral("%1 > %2").arg(onTheWire).arg(m_service->maxFileSize)));
    job->m_totalBytes = onTheWire;

    auto prepared = std::make_shared<Prepared>();
    prepared->file.fileName = FilePlacement::safeFileName(info.fileName());
    prepared->file.size = info.size();
    prepared->file.encrypted = encrypt;
    if (encrypt) {
        // Created here so that it belongs to this thread, where the network reads it.
        auto temporary = std::make_unique<QTemporaryFile>();
        if (!temporary->open())
            return failSoon(
                FilePlacement::writeFailureAt(temporary->fileTemplate(), temporary->errorString()));
        prepared->source = std::move(temporary);
    } else {
        prepared->source = std::make_unique<QFile>(path);
    }
    connect(job, &FileUpload::finished, this, [prepared] { prepared->cancelled = true; });

    // Hashing (and encrypting) a large file takes seconds: never on this thread.
    QtConcurrent::run([prepared, path]() -> Result<Success> {
        // The media type may come from the file's first bytes: read here too.
        prepared->file.mediaType = QMimeDatabase().mimeTypeForFile(path).name();
        if (prepared->file.mediaType.startsWith(QLatin1String("image/"))) {
            prepared->file.dimensions = QImageReader(path).size();
            // Sent in plain text beside the link: never for an encrypted file.
            if (!prepared->file.encrypted)
                prepared->file.thumbnail = Thumbnailer::sharedPreviewOf(path);
        }
        QFile plain(path);
        if (!plain.open(QIODevice::ReadOnly))
            return Error(Error::Code::FileReadFailed, path);
        auto hash = sha256Of(plain, prepared->cancelled);
        if (const auto *error = std::get_if<Error>(&hash))
            return *error;
        prepared->file.sha256 = std::get<QByteArray>(hash);
        if (!prepared->file.encrypted)
            return Success{};
        auto link = EncryptedFile::encryptFile(path, *prepared->source,
                                               [prepared](qint64) { return !prepared->cancelled; });
        if (const auto *error = std::get_if<Error>(&link))
            return *error;
        prepared->link = std::get<AesGcmLink>(link);
        return prepared->source->flush() ? Result<Success>(Success{})
                                         : FilePlacement::writeFailureAt(prepared->source->fileName(),
                                                                         prepared->source->errorString());
    }).then(job, [this, job, prepared](const Result<Success> &ready) {
        if (const auto *error = std::get_if<Error>(&ready))
            return job->finish(*error);
        if (job->m_cancelled)
            return job->finish(Error(Error::Code::TransferCancelled));
        requestSlot(job, prepared);
    });
    return job;
}

void HttpUploadService::requestSlot(FileUpload *job, std::shared_ptr<Prepared> prepared)
{
    QXmppHttpUploadRequestIq request;
    request.setType(QXmppIq::Get);
    request.setTo(m_service->jid);
    // The server sees the names of encrypted files too: those get a random one, as Conversations does.
    const QString suffix = QFileInfo(prepared->file.fileName).suffix();
    request.setFileName(prepared->file.encrypted ? QUuid::createUuid().toString(QUuid::Id128) +
                                                       (suffix.isEmpty() ? QString() : u'.' + suffix)
                                                 : prepared->file.fileName);
    request.setSize(job->m_totalBytes);
    request.setContentType(QMimeDatabase().mimeTypeForName(
        prepared->file.encrypted ? QStringLiteral("application/octet-stream") : prepared->file.mediaType));
    ask<QXmppHttpUploadSlotIq>(m_client, job, std::move(request),
                               [](const QDomElement &element) -> Result<QXmppHttpUploadSlotIq> {
                                   QXmppHttpUploadSlotIq slot;
                                   slot.parse(element);
                                   return slot;
                               })
        .then(job, [this, job, prepared](Result<QXmppHttpUploadSlotIq> &&answer) {
            if (const auto *error = std::get_if<Error>(&answer))
                return job->finish(*error);
            const auto &slot = std::get<QXmppHttpUploadSlotIq>(answer);
            const QUrl putUrl = slot.putUrl();
            const QUrl getUrl = slot.getUrl();
            // Never over plain http: the file (or, for the GET URL, the link the contact opens) would be
            // readable and changeable on the way.
            if (!TransferNetwork::isHttpUrl(putUrl) || putUrl.scheme() != u"https" ||
                getUrl.scheme() != u"https")
                return job->finish(Error(Error::Code::RequestRefused,
                                         QStringLiteral("unusable upload slot: %1").arg(getUrl.toString())));
            if (job->m_cancelled)
                return job->finish(Error(Error::Code::TransferCancelled));
            put(job, prepared, putUrl, getUrl, slot.putHeaders());
        });
}

void HttpUploadService::put(FileUpload *job, std::shared_ptr<Prepared> prepared, const QUrl &putUrl,
                            const QUrl &getUrl, const QMap<QString, QString> &headers)
{
    QNetworkRequest request = TransferNetwork::request(putUrl, m_caCertificates());
    for (auto it = headers.cbegin(); it != headers.cend(); ++it)
        if (AllowedSlotHeaders.contains(it.key().toLower()))
            request.setRawHeader(it.key().toUtf8(), it.value().toUtf8());
    request.setHeader(QNetworkRequest::ContentTypeHeader, prepared->file.encrypted
                                                              ? QStringLiteral("application/octet-stream")
                                                              : prepared->file.mediaType);
    request.setHeader(QNetworkRequest::ContentLengthHeader, job->m_totalBytes);
    QFile &source = *prepared->source;
    if (!source.isOpen() && !source.open(QIODevice::ReadOnly))
        return job->finish(Error(Error::Code::FileReadFailed, source.fileName()));
    source.seek(0);
    QNetworkReply *reply = m_network->put(request, &source);
    job->m_reply = reply;
    connect(reply, &QNetworkReply::uploadProgress, job, [job](qint64 sent, qint64) {
        // Qt reports 0 of 0 once the request is out; what the user sees only ever grows.
        if (sent <= job->m_sentBytes)
            return;
        job->m_sentBytes = sent;
        Q_EMIT job->progress(sent, job->m_totalBytes);
    });
    connect(reply, &QNetworkReply::finished, job, [job, reply, prepared, getUrl] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (job->m_cancelled)
            return job->finish(Error(Error::Code::TransferCancelled));
        if (reply->error() != QNetworkReply::NoError || (status != 200 && status != 201))
            return job->finish(TransferNetwork::failure(*reply));
        UploadedFile file = prepared->file;
        if (prepared->link) {
            AesGcmLink link = *prepared->link;
            link.httpsUrl = getUrl;
            file.link = link.toString();
        } else {
            file.link = getUrl.toString(QUrl::FullyEncoded);
        }
        job->finish(file);
    });
}

} // namespace Natter::Core
