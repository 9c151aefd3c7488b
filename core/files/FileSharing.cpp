// SPDX-License-Identifier: GPL-3.0-or-later
#include "FileSharing.h"

#include "HttpUpload.h"
#include "common/Logging.h"
#include "crypto/EncryptionService.h"
#include "messaging/MessageService.h"

namespace Natter::Core {

FileShare::FileShare(QObject *parent)
    : QObject(parent)
{}

void FileShare::cancel()
{
    if (m_finished)
        return;
    m_cancelled = true;
    if (m_upload)
        m_upload->cancel();
}

void FileShare::finish(const Result<ChatMessage> &result)
{
    if (m_finished)
        return;
    m_finished = true;
    Q_EMIT finished(result);
    deleteLater();
}

FileSharing::FileSharing(MessageService &messages, HttpUploadService &uploads, QObject *parent)
    : QObject(parent)
    , m_messages(messages)
    , m_uploads(uploads)
{}

FileShare *FileSharing::share(const ConversationKey &conversation, const QString &path,
                              const QString &caption)
{
    auto *job = new FileShare(this);
    EncryptionService *encryption = m_messages.encryption();
    // Private messages to room occupants are never encrypted (their devices are unknown).
    if (!encryption || conversation.peer.contains(u'/')) {
        QMetaObject::invokeMethod(
            job, [=, this] { upload(job, conversation, path, false, caption); }, Qt::QueuedConnection);
        return job;
    }
    // Encrypted where a text message would be; its link then only goes encrypted.
    encryption->willEncrypt(conversation).then(job, [=, this](bool encrypted) {
        upload(job, conversation, path, encrypted, caption);
    });
    return job;
}

void FileSharing::upload(FileShare *job, const ConversationKey &conversation, const QString &path,
                         bool encrypt, const QString &caption)
{
    if (job->m_cancelled)
        return job->finish(Error(Error::Code::TransferCancelled));
    FileUpload *upload = m_uploads.upload(path, encrypt);
    job->m_upload = upload;
    connect(upload, &FileUpload::progress, job, &FileShare::progress);
    connect(upload, &FileUpload::finished, job, [=, this](const Result<UploadedFile> &uploaded) {
        if (const auto *error = std::get_if<Error>(&uploaded))
            return job->finish(*error);
        const auto &file = std::get<UploadedFile>(uploaded);
        job->m_described = FileMetadata{file.fileName,           file.size,
                                        file.mediaType,          file.sha256,
                                        file.dimensions.width(), file.dimensions.height(),
                                        file.thumbnail};
        if (job->m_described.width < 0 || job->m_described.height < 0)
            job->m_described.width = job->m_described.height = 0;
        auto composed = m_messages.compose(conversation, file.link);
        if (const auto *error = std::get_if<Error>(&composed))
            return job->finish(*error);
        ChatMessage message = std::get<ChatMessage>(composed);
        message.oobUrl = file.link;
        message.oobDescription = file.fileName;
        // Told in plain text outside the encrypted body: only for files that are not encrypted.
        if (!file.encrypted)
            message.file = job->m_described;
        m_messages.send(message).then(job, [=, this](const Result<ChatMessage> &sent) {
            if (isOk(sent) && !caption.trimmed().isEmpty())
                sendCaption(conversation, caption);
            job->finish(sent);
        });
    });
}

void FileSharing::sendCaption(const ConversationKey &conversation, const QString &caption)
{
    auto composed = m_messages.compose(conversation, caption);
    if (const auto *message = std::get_if<ChatMessage>(&composed))
        m_messages.send(*message);
    else
        qCWarning(lcFiles) << "the caption could not be sent:" << errorOf(composed).codeName();
}

} // namespace Natter::Core
