// SPDX-License-Identifier: GPL-3.0-or-later
// The files of messages in the store (database thread): what their senders described, where they were saved
// and their thumbnails. A row goes with its message.
#pragma once

#include "Database.h"
#include "common/Result.h"
#include "domain/ChatMessage.h"
#include "domain/SharedFile.h"

#include <QHash>
#include <QList>

namespace Natter::Core {

class FileRepository
{
public:
    explicit FileRepository(Database &db);

    // The rows of those messages that have one; a path (and its thumbnail) that no longer exists is empty.
    QFuture<Result<QHash<qint64, StoredFile>>> find(const QList<qint64> &messageIds);
    QFuture<Result<Success>> describe(qint64 messageId, const FileMetadata &described);
    // The same inside a job already on the database thread (storing new messages).
    static Result<Success> writeDescription(QSqlDatabase &db, qint64 messageId,
                                            const FileMetadata &described);
    // The file is at path now (empty: it is gone), downloaded by us or (for our own messages) the user's
    // file that was sent; the thumbnail made from the old file goes with it.
    QFuture<Result<Success>> setPath(qint64 messageId, const QString &path, bool downloaded);
    QFuture<Result<Success>> setThumbnail(qint64 messageId, const QString &thumbnailPath);
    // The files we downloaded for a conversation's messages, with their thumbnails.
    QFuture<Result<QList<StoredFile>>> savedIn(const ConversationKey &conversation);

private:
    Database &m_db;
};

} // namespace Natter::Core
