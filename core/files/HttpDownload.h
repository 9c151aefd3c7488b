// SPDX-License-Identifier: GPL-3.0-or-later
// Downloading a shared file (an https link or an aesgcm:// one, XEP-0454) into a folder: under a safe,
// free name, checked against what the sender described, and never leaving a partial file behind.
#pragma once

#include "common/Result.h"

#include <QNetworkProxy>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;
class QTemporaryFile;

namespace Natter::Core {

struct DownloadRequest
{
    QString link;               // https:// or http://, or aesgcm://
    QString folder;             // where the file goes
    QString fileName;           // the sender's name for it; else the link's last path segment
    std::optional<qint64> size; // the file's size when the sender gave it: a longer body is refused
    QByteArray sha256;          // the file's hash when the sender gave it
    qint64 maxBytes = 0;        // larger bodies stop with FileTooLarge (0: no limit)
};

// One download; it deletes itself after finished().
class FileDownload : public QObject
{
    Q_OBJECT
public:
    void cancel();

Q_SIGNALS:
    // totalBytes is -1 while the server has not said.
    void progress(qint64 receivedBytes, qint64 totalBytes);
    // The saved file's path, or: TransferCancelled, TransferFailed (network, HTTP status, cut short, larger
    // than announced), AesGcmLinkInvalid, DecryptionFailed (a wrong key or changed data), HashMismatch,
    // FileWriteFailed (a full disk, a folder that cannot be written), FileTooLarge (over maxBytes).
    void finished(const Natter::Core::Result<QString> &result);

private:
    friend class HttpDownloader;
    explicit FileDownload(QObject *parent);
    void finish(const Result<QString> &result);

    struct State;
    std::shared_ptr<State> m_state;
    QPointer<QNetworkReply> m_reply;
    bool m_finished = false;
};

class HttpDownloader : public QObject
{
    Q_OBJECT
public:
    // caCertificates gives the certificates to trust, as for the account's connection.
    explicit HttpDownloader(std::function<QList<QSslCertificate>()> caCertificates,
                            QObject *parent = nullptr);
    ~HttpDownloader() override;
    // The account's proxy, for transfers started from now on.
    void setProxy(const QNetworkProxy &proxy);

    FileDownload *download(const DownloadRequest &request);

private:
    void receive(FileDownload *job);
    void complete(FileDownload *job);

    std::function<QList<QSslCertificate>()> m_caCertificates;
    QNetworkAccessManager *m_network;
};

} // namespace Natter::Core
