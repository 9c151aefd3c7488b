// SPDX-License-Identifier: GPL-3.0-or-later
#include "FileRepository.h"

#include "MessageRows.h"

#include <QDateTime>
#include <QFileInfo>
#include <QSqlQuery>
#include <QVariant>

namespace Natter::Core {

namespace {
constexpr auto Columns =
    "name, size, media_type, sha256, width, height, path, thumbnail_path, downloaded, sender_thumbnail";

QVariant textOrNull(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

QVariant blobOrNull(const QByteArray &bytes)
{
    return bytes.isEmpty() ? QVariant(QMetaType::fromType<QByteArray>()) : QVariant(bytes);
}

StoredFile fileAt(const QSqlQuery &query, int first)
{
    StoredFile file;
    file.described.name = query.value(first).toString();
    if (!query.value(first + 1).isNull())
        file.described.size = query.value(first + 1).toLongLong();
    file.described.mediaType = query.value(first + 2).toString();
    file.described.sha256 = query.value(first + 3).toByteArray();
    file.described.width = query.value(first + 4).toInt();
    file.described.height = query.value(first + 5).toInt();
    file.path = query.value(first + 6).toString();
    file.thumbnailPath = query.value(first + 7).toString();
    file.downloaded = query.value(first + 8).toBool();
    file.described.thumbnail = query.value(first + 9).toByteArray();
    return file;
}

// Creates the message's row when it has none yet, then sets what is given.
Result<Success> upsert(QSqlDatabase &db, qint64 messageId, const QString &assignments,
                       const QVariantList &values)
{
    QSqlQuery query(db);
    query.prepare(QStringLiteral("INSERT INTO message_files (message_id) VALUES (?) "
                                 "ON CONFLICT (message_id) DO NOTHING"));
    query.addBindValue(messageId);
    if (!query.exec())
        return MessageRows::queryError(query);
    query.prepare(QStringLiteral("UPDATE message_files SET %1 WHERE message_id = ?").arg(assignments));
    for (const QVariant &value : values)
        query.addBindValue(value);
    query.addBindValue(messageId);
    if (!query.exec())
        return MessageRows::queryError(query);
    return Success{};
}
} // namespace

FileRepository::FileRepository(Database &db)
    : m_db(db)
{}

QFuture<Result<QHash<qint64, StoredFile>>> FileRepository::find(const QList<qint64> &messageIds)
{
    return m_db.run([messageIds](QSqlDatabase &db) -> Result<QHash<qint64, StoredFile>> {
        QHash<qint64, StoredFile> files;
        QSqlQuery query(db);
        query.prepare(QStringLiteral("SELECT message_id, %1 FROM message_files WHERE message_id = ?")
                          .arg(QLatin1String(Columns)));
        for (const qint64 id : messageIds) {
            query.addBindValue(id);
            if (!query.exec())
                return MessageRows::queryError(query);
            if (!query.next())
                continue;
            StoredFile file = fileAt(query, 1);
            // The user may have moved or deleted it since.
            if (!file.path.isEmpty() && !QFileInfo::exists(file.path))
                file.path.clear();
            if (file.path.isEmpty() ||
                (!file.thumbnailPath.isEmpty() && !QFileInfo::exists(file.thumbnailPath)))
                file.thumbnailPath.clear();
            files.insert(id, file);
        }
        return files;
    });
}

QFuture<Result<Success>> FileRepository::describe(qint64 messageId, const FileMetadata &described)
{
    return m_db.run(
        [messageId, described](QSqlDatabase &db) { return writeDescription(db, messageId, described); });
}

Result<Success> FileRepository::writeDescription(QSqlDatabase &db, qint64 messageId,
                                                 const FileMetadata &described)
{
    return upsert(db, messageId,
                  QStringLiteral("name = ?, size = ?, media_type = ?, sha256 = ?, width = ?, height = ?, "
                                 "sender_thumbnail = ?"),
                  {textOrNull(described.name),
                   described.size ? QVariant(*described.size) : QVariant(QMetaType::fromType<qint64>()),
                   textOrNull(described.mediaType), blobOrNull(described.sha256), described.width,
                   described.height, blobOrNull(described.thumbnail)});
}

QFuture<Result<Success>> FileRepository::setPath(qint64 messageId, const QString &path, bool downloaded)
{
    return m_db.run([messageId, path, downloaded](QSqlDatabase &db) -> Result<Success> {
        return upsert(db, messageId,
                      QStringLiteral("path = ?, downloaded = ?, thumbnail_path = NULL, saved_at = ?"),
                      {textOrNull(path), int(downloaded), QDateTime::currentMSecsSinceEpoch()});
    });
}

QFuture<Result<Success>> FileRepository::setThumbnail(qint64 messageId, const QString &thumbnailPath)
{
    return m_db.run([messageId, thumbnailPath](QSqlDatabase &db) -> Result<Success> {
        return upsert(db, messageId, QStringLiteral("thumbnail_path = ?"), {textOrNull(thumbnailPath)});
    });
}

QFuture<Result<QList<StoredFile>>> FileRepository::savedIn(const ConversationKey &conversation)
{
    return m_db.run([conversation](QSqlDatabase &db) -> Result<QList<StoredFile>> {
        QSqlQuery query(db);
        QStringList columns = QString::fromLatin1(Columns).split(QStringLiteral(", "));
        for (QString &column : columns)
            column.prepend(QStringLiteral("message_files."));
        if (!query.prepare(
                QStringLiteral("SELECT %1 FROM message_files "
                               "JOIN messages ON messages.id = message_files.message_id "
                               "JOIN conversations ON conversations.id = messages.conversation_id "
                               "JOIN accounts ON accounts.id = conversations.account_id "
                               "JOIN jids ON jids.id = conversations.peer_id "
                               "WHERE accounts.jid = ? AND jids.jid = ? AND conversations.kind = ? "
                               "AND message_files.path IS NOT NULL AND message_files.downloaded = 1")
                    .arg(columns.join(QStringLiteral(", ")))))
            return MessageRows::queryError(query);
        query.addBindValue(conversation.account);
        query.addBindValue(conversation.peer);
        query.addBindValue(int(conversation.kind));
        if (!query.exec())
            return MessageRows::queryError(query);
        QList<StoredFile> files;
        while (query.next())
            files.append(fileAt(query, 0));
        return files;
    });
}

} // namespace Natter::Core
