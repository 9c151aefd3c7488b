// SPDX-License-Identifier: GPL-3.0-or-later
// HTTP File Upload (XEP-0363): finding the server's upload service and its size limit, and uploading a file
// through it, encrypted first (XEP-0454) when the chat is.
#pragma once

#include "common/Result.h"

#include <QNetworkProxy>
#include <QObject>
#include <QPointer>
#include <QSize>
#include <QSslCertificate>
#include <QUrl>
#include <functional>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;
class QTemporaryFile;
class QXmppClient;

namespace Natter::Core {

struct UploadServiceInfo
{
    QString jid;
    qint64 maxFileSize = 0; // bytes; 0 when the service names no limit
};

// What a finished upload gives to share: the link to send and what describes the file.
struct UploadedFile
{
    QString link;     // the https GET URL, or for an encrypted file its aesgcm:// link
    QString fileName; // as the recipient should see it
    qint64 size = 0;  // of the file itself, not of its ciphertext
    QString mediaType;
    QByteArray sha256;    // of the file itself
    QSize dimensions;     // of an image, read from its header; invalid for anything else
    QByteArray thumbnail; // of an image that is not encrypted: see Thumbnailer::sharedPreviewOf
    bool encrypted = false;
};

// One upload; it deletes itself after finished().
class FileUpload : public QObject
{
    Q_OBJECT
public:
    qint64 totalBytes() const { return m_totalBytes; }
    // Stops the upload; finished() reports TransferCancelled unless it had already finished.
    void cancel();

Q_SIGNALS:
    void progress(qint64 sentBytes, qint64 totalBytes);
    // TransferCancelled, FileReadFailed, FileTooLarge, RequestRefused (the server refused the slot),
    // TransferFailed (the HTTP upload failed), NotConnected.
    void finished(const Natter::Core::Result<Natter::Core::UploadedFile> &result);

private:
    friend class HttpUploadService;
    explicit FileUpload(QObject *parent);
    void finish(const Result<UploadedFile> &result);

    qint64 m_totalBytes = 0;
    qint64 m_sentBytes = 0;
    bool m_cancelled = false;
    bool m_finished = false;
    QPointer<QNetworkReply> m_reply;
};

class HttpUploadService : public QObject
{
    Q_OBJECT
public:
    // caCertificates gives the certificates to trust, as for the account's connection.
    HttpUploadService(QXmppClient &client, std::function<QList<QSslCertificate>()> caCertificates,
                      QObject *parent = nullptr);
    ~HttpUploadService() override;
    // The account's proxy, for transfers started from now on.
    void setProxy(const QNetworkProxy &proxy);

    // Looks for the service among the server's items; done on every connect.
    void discover();
    std::optional<UploadServiceInfo> service() const { return m_service; }
    bool fits(qint64 fileSize, bool encrypted) const;

    // Uploads the file at path; with encrypt, its AES-GCM ciphertext (the key never leaves this device except
    // in the link). The upload reports through the returned object, also when it fails at once.
    FileUpload *upload(const QString &path, bool encrypt);

Q_SIGNALS:
    void serviceChanged();

private:
    struct Prepared;
    void requestSlot(FileUpload *job, std::shared_ptr<Prepared> prepared);
    void put(FileUpload *job, std::shared_ptr<Prepared> prepared, const QUrl &putUrl, const QUrl &getUrl,
             const QMap<QString, QString> &headers);
    void checkServiceCandidate(const QString &jid);

    QXmppClient &m_client;
    std::function<QList<QSslCertificate>()> m_caCertificates;
    QNetworkAccessManager *m_network;
    std::optional<UploadServiceInfo> m_service;
    quint64 m_discovery = 0;
    quint64 m_serviceRound = 0;
};

} // namespace Natter::Core
