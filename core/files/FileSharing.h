// SPDX-License-Identifier: GPL-3.0-or-later
// Sharing a file in a conversation: uploaded (encrypted first where a text message would be encrypted),
// then sent as a message whose body is the link, with the link as XEP-0066 out-of-band data when it is
// not encrypted, and an optional caption as a message of its own after it, as Conversations and Dino do.
#pragma once

#include "common/Result.h"
#include "domain/ChatMessage.h"
#include "domain/SharedFile.h"

#include <QObject>
#include <QPointer>

namespace Natter::Core {

class EncryptionService;
class FileUpload;
class HttpUploadService;
class MessageService;

// One shared file; it deletes itself after finished().
class FileShare : public QObject
{
    Q_OBJECT
public:
    void cancel();
    // What was uploaded (name, size, media type, hash), once finished() reports success.
    FileMetadata described() const { return m_described; }

Q_SIGNALS:
    void progress(qint64 sentBytes, qint64 totalBytes);
    // The sent file message, or what stopped it: the upload's errors (see FileUpload), or the message's
    // (EncryptionUnavailable when an encrypted file's link cannot be encrypted for anyone: nothing is sent).
    void finished(const Natter::Core::Result<Natter::Core::ChatMessage> &result);

private:
    friend class FileSharing;
    explicit FileShare(QObject *parent);
    void finish(const Result<ChatMessage> &result);

    QPointer<FileUpload> m_upload;
    FileMetadata m_described;
    bool m_cancelled = false;
    bool m_finished = false;
};

class FileSharing : public QObject
{
    Q_OBJECT
public:
    FileSharing(MessageService &messages, HttpUploadService &uploads, QObject *parent = nullptr);

    FileShare *share(const ConversationKey &conversation, const QString &path, const QString &caption = {});

private:
    void upload(FileShare *job, const ConversationKey &conversation, const QString &path, bool encrypt,
                const QString &caption);
    void sendCaption(const ConversationKey &conversation, const QString &caption);

    MessageService &m_messages;
    HttpUploadService &m_uploads;
};

} // namespace Natter::Core
