// SPDX-License-Identifier: GPL-3.0-or-later
#include "HttpDownload.h"

#include "FileHash.h"
#include "TransferNetwork.h"
#include "common/FilePlacement.h"
#include "common/Logging.h"
#include "crypto/EncryptedFile.h"

#include <QDir>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTemporaryFile>
#include <QtConcurrent/QtConcurrentRun>
#include <atomic>

namespace Natter::Core {

namespace {

// A name taken by someone else between choosing it and moving there is given up for the next free one.

} // namespace

struct FileDownload::State
{
    DownloadRequest request;
    QUrl url;
    std::optional<AesGcmLink> link;
    QString name;
    std::unique_ptr<QTemporaryFile> body;
    qint64 received = 0;
    std::optional<Error> failure; // decided while receiving
    std::atomic_bool cancelled = false;
};

namespace {

// The tag already proved the ciphertext is the sender's; a hash the sender described is checked as well.
Result<QString> checkedDecrypted(const QString &path, const QByteArray &sha256, const QString &name,
                                 const std::atomic_bool &cancelled)
{
    if (sha256.isEmpty())
        return path;
    QFile saved(path);
    if (!saved.open(QIODevice::ReadOnly))
        return Error(Error::Code::FileReadFailed, path);
    const auto hash = sha256Of(saved, cancelled);
    if (std::holds_alternative<QByteArray>(hash) && std::get<QByteArray>(hash) == sha256)
        return path;
    saved.remove();
    if (const auto *error = std::get_if<Error>(&hash))
        return *error;
    return Error(Error::Code::HashMismatch, name);
}

} // namespace

FileDownload::FileDownload(QObject *parent)
    : QObject(parent)
    , m_state(std::make_shared<State>())
{}

void FileDownload::cancel()
{
    if (m_finished)
        return;
    m_state->cancelled = true;
    if (m_reply)
        m_reply->abort();
}

void FileDownload::finish(const Result<QString> &result)
{
    if (m_finished)
        return;
    m_finished = true;
    m_state->cancelled = true; // stops any work still running for it
    Q_EMIT finished(result);
    deleteLater();
}

HttpDownloader::HttpDownloader(std::function<QList<QSslCertificate>()> caCertificates, QObject *parent)
    : QObject(parent)
    , m_caCertificates(std::move(caCertificates))
    , m_network(new QNetworkAccessManager(this))
{}

void HttpDownloader::setProxy(const QNetworkProxy &proxy)
{
    m_network->setProxy(proxy);
}

HttpDownloader::~HttpDownloader() = default;

FileDownload *HttpDownloader::download(const DownloadRequest &request)
{
    auto *job = new FileDownload(this);
    auto &state = *job->m_state;
    state.request = request;
    const auto failSoon = [job](Error error) {
        QMetaObject::invokeMethod(job, [job, error] { job->finish(error); }, Qt::QueuedConnection);
        return job;
    };
    if (request.link.startsWith(QStringLiteral("aesgcm:"), Qt::CaseInsensitive)) {
        auto link = AesGcmLink::parse(request.link);
        if (const auto *error = std::get_if<Error>(&link))
            return failSoon(*error);
        state.link = std::get<AesGcmLink>(link);
        state.url = state.link->httpsUrl;
    } else {
        state.url = QUrl(request.link, QUrl::StrictMode);
        if (!TransferNetwork::isHttpUrl(state.url))
            return failSoon(Error(Error::Code::TransferFailed, QStringLiteral("not an http(s) link")));
    }
    state.name =
        FilePlacement::safeFileName(request.fileName.isEmpty() ? state.url.fileName() : request.fileName);
    if (!QDir().mkpath(request.folder))
        return failSoon(
            FilePlacement::writeFailureAt(request.folder, QStringLiteral("cannot create the folder")));
    // In the target folder, hidden (unnamed on Linux): the download only gets a name once it is whole.
    state.body = std::make_unique<QTemporaryFile>(
        FilePlacement::temporaryTemplateFor(QDir(request.folder).filePath(state.name)));
    if (!state.body->open())
        return failSoon(FilePlacement::writeFailureAt(request.folder, state.body->errorString()));
    receive(job);
    return job;
}

void HttpDownloader::receive(FileDownload *job)
{
    auto state = job->m_state;
    QNetworkReply *reply = m_network->get(TransferNetwork::request(state->url, m_caCertificates()));
    job->m_reply = reply;
    // What the body may be: at most the announced size (plus the tag of an encrypted file), and at most the
    // caller's cap, which is no failure of the transfer but the file being larger than wanted.
    std::optional<qint64> announced;
    if (state->request.size)
        announced = state->link ? EncryptedFile::encryptedSize(*state->request.size) : *state->request.size;
    const qint64 cap = state->request.maxBytes;
    const auto stop = [state, reply](Error error) {
        if (!state->failure)
            state->failure = std::move(error);
        reply->abort();
    };
    const auto checkSize = [announced, cap, stop](qint64 bytes, bool known) {
        if (announced && bytes > *announced)
            stop(Error(Error::Code::TransferFailed,
                       (known ? QStringLiteral("larger than announced: %1 > %2 bytes")
                              : QStringLiteral("larger than announced: more than %2 bytes (%1 so far)"))
                           .arg(bytes)
                           .arg(*announced)));
        else if (cap > 0 && bytes > cap)
            stop(Error(Error::Code::FileTooLarge, QStringLiteral("%1 > %2").arg(bytes).arg(cap)));
    };
    connect(reply, &QNetworkReply::metaDataChanged, job, [reply, checkSize] {
        const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
        if (length.isValid())
            checkSize(length.toLongLong(), true);
    });
    connect(reply, &QNetworkReply::readyRead, job, [job, state, reply, checkSize, stop] {
        const QByteArray data = reply->readAll();
        state->received += data.size();
        checkSize(state->received, false);
        if (state->failure)
            return;
        if (state->body->write(data) != data.size())
            return stop(FilePlacement::writeFailureAt(QDir(state->request.folder).filePath(state->name),
                                                      state->body->errorString()));
        const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
        Q_EMIT job->progress(state->received, length.isValid() ? length.toLongLong() : -1);
    });
    connect(reply, &QNetworkReply::finished, job, [this, job, state, reply] {
        reply->deleteLater();
        if (state->failure)
            return job->finish(*state->failure);
        if (state->cancelled)
            return job->finish(Error(Error::Code::TransferCancelled));
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->error() != QNetworkReply::NoError || status != 200)
            return job->finish(TransferNetwork::failure(*reply));
        const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
        if (length.isValid() && length.toLongLong() != state->received)
            return job->finish(Error(
                Error::Code::TransferFailed,
                QStringLiteral("cut short: %1 of %2 bytes").arg(state->received).arg(length.toLongLong())));
        if (!state->body->flush())
            return job->finish(FilePlacement::writeFailureAt(
                QDir(state->request.folder).filePath(state->name), state->body->errorString()));
        complete(job);
    });
}

// Checks (or decrypts) the whole body off this thread, then gives it its name.
void HttpDownloader::complete(FileDownload *job)
{
    auto state = job->m_state;
    QtConcurrent::run([state]() -> Result<QString> {
        QTemporaryFile &body = *state->body;
        if (!body.seek(0))
            return Error(Error::Code::FileReadFailed, body.errorString());
        if (!state->link && !state->request.sha256.isEmpty()) {
            auto hash = sha256Of(body, state->cancelled);
            if (const auto *error = std::get_if<Error>(&hash))
                return *error;
            if (std::get<QByteArray>(hash) != state->request.sha256)
                return Error(Error::Code::HashMismatch, state->name);
        }
        const Result<QString> placed = FilePlacement::placeAtFreePath(
            state->request.folder, state->name, [&body, state](const QString &target) -> Result<Success> {
                if (!state->link)
                    return FilePlacement::moveIntoPlace(body, target);
                body.seek(0);
                return EncryptedFile::decryptToFile(body, *state->link, target,
                                                    [state](qint64) { return !state->cancelled; });
            });
        if (!state->link || !isOk(placed))
            return placed;
        return checkedDecrypted(std::get<QString>(placed), state->request.sha256, state->name,
                                state->cancelled);
    }).then(job, [job, state](const Result<QString> &result) {
        state->body.reset(); // the ciphertext, or a refused body, goes with the temporary file
        job->finish(result);
    });
}

} // namespace Natter::Core
