// SPDX-License-Identifier: GPL-3.0-or-later
#include "SyncStateRepository.h"

#include "MessageRows.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTimeZone>

namespace Natter::Core {

namespace {

using MessageRows::nullable;
using MessageRows::nullableTime;
using MessageRows::queryError;

QDateTime timeOf(const QVariant &value)
{
    return value.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(value.toLongLong(), QTimeZone::UTC);
}

// The row ids of the account and of the archive's JID (interned on first use).
Result<std::pair<qint64, qint64>> idsOf(QSqlDatabase &db, const QString &account, const QString &archive)
{
    const auto accountId = MessageRows::accountIdOf(db, account);
    if (!isOk(accountId))
        return errorOf(accountId);
    const auto archiveId = MessageRows::internJid(db, archive);
    if (!isOk(archiveId))
        return errorOf(archiveId);
    return std::pair(std::get<qint64>(accountId), std::get<qint64>(archiveId));
}

Result<QList<ArchiveRange>> readRanges(QSqlDatabase &db, const QString &account, const QString &archive)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    query.prepare(
        QStringLiteral("SELECT r.id, r.oldest_stanza_id, r.oldest_time, r.newest_stanza_id, r.newest_time, "
                       "r.reaches_archive_start FROM archive_ranges r JOIN accounts a ON a.id = r.account_id "
                       "JOIN jids j ON j.id = r.archive_id WHERE a.jid = ? AND j.jid = ? "
                       "ORDER BY r.newest_time DESC, r.id DESC"));
    query.addBindValue(account);
    query.addBindValue(archive);
    if (!query.exec())
        return queryError(query);
    QList<ArchiveRange> ranges;
    while (query.next()) {
        ArchiveRange range;
        range.rowId = query.value(0).toLongLong();
        range.oldestId = query.value(1).toString();
        range.oldestTime = timeOf(query.value(2));
        range.newestId = query.value(3).toString();
        range.newestTime = timeOf(query.value(4));
        range.reachesArchiveStart = query.value(5).toBool();
        ranges.append(range);
    }
    return ranges;
}

Result<ArchiveRange> writeRange(QSqlDatabase &db, const QString &account, const QString &archive,
                                ArchiveRange range)
{
    const auto ids = idsOf(db, account, archive);
    if (!isOk(ids))
        return errorOf(ids);
    const auto [accountId, archiveId] = std::get<std::pair<qint64, qint64>>(ids);
    QSqlQuery query(db);
    if (range.rowId == 0) {
        query.prepare(QStringLiteral(
            "INSERT INTO archive_ranges (account_id, archive_id, oldest_stanza_id, oldest_time, "
            "newest_stanza_id, newest_time, reaches_archive_start) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING "
            "id"));
        query.addBindValue(accountId);
        query.addBindValue(archiveId);
    } else {
        query.prepare(QStringLiteral(
            "UPDATE archive_ranges SET oldest_stanza_id = ?, oldest_time = ?, newest_stanza_id = ?, "
            "newest_time = ?, reaches_archive_start = ? WHERE id = ? AND account_id = ? AND archive_id = ? "
            "RETURNING id"));
    }
    query.addBindValue(nullable(range.oldestId));
    query.addBindValue(nullableTime(range.oldestTime));
    query.addBindValue(nullable(range.newestId));
    query.addBindValue(nullableTime(range.newestTime));
    query.addBindValue(range.reachesArchiveStart ? 1 : 0);
    if (range.rowId != 0) {
        query.addBindValue(range.rowId);
        query.addBindValue(accountId);
        query.addBindValue(archiveId);
    }
    if (!query.exec())
        return queryError(query);
    if (!query.next())
        return Error(Error::Code::DatabaseFailed,
                     QStringLiteral("archive range %1 is gone").arg(range.rowId));
    range.rowId = query.value(0).toLongLong();
    return range;
}

} // namespace

SyncStateRepository::SyncStateRepository(Database &db)
    : m_db(db)
{}

QFuture<Result<QList<ArchiveRange>>> SyncStateRepository::ranges(const QString &account,
                                                                 const QString &archive)
{
    return m_db.run([account, archive](QSqlDatabase &db) { return readRanges(db, account, archive); });
}

QFuture<Result<ArchiveRange>> SyncStateRepository::save(const QString &account, const QString &archive,
                                                        ArchiveRange range)
{
    return m_db.run(
        [account, archive, range](QSqlDatabase &db) { return writeRange(db, account, archive, range); });
}

QFuture<Result<ArchiveRange>> SyncStateRepository::merge(const QString &account, const QString &archive,
                                                         const ArchiveRange &newer, const ArchiveRange &older)
{
    return m_db.run([account, archive, newer, older](QSqlDatabase &db) -> Result<ArchiveRange> {
        if (!db.transaction())
            return Error(Error::Code::DatabaseFailed, db.lastError().text());
        ArchiveRange merged = newer;
        if (!older.oldestId.isEmpty()) { // else older recorded an empty archive
            merged.oldestId = older.oldestId;
            merged.oldestTime = older.oldestTime;
        }
        merged.reachesArchiveStart = older.reachesArchiveStart || newer.reachesArchiveStart;
        auto written = writeRange(db, account, archive, merged);
        QSqlQuery remove(db);
        remove.prepare(QStringLiteral("DELETE FROM archive_ranges WHERE id = ?"));
        remove.addBindValue(older.rowId);
        if (!isOk(written) || !remove.exec() || !db.commit()) {
            const Error error =
                isOk(written) ? Error(Error::Code::DatabaseFailed, db.lastError().text()) : errorOf(written);
            db.rollback();
            return error;
        }
        return written;
    });
}

QFuture<Result<int>> SyncStateRepository::archivedCount(const QString &account, const QString &archive,
                                                        int limit)
{
    return m_db.run([account, archive, limit](QSqlDatabase &db) -> Result<int> {
        QSqlQuery query(db);
        query.prepare(QStringLiteral(
            "SELECT COUNT(*) FROM (SELECT 1 FROM messages m JOIN accounts a ON a.id = m.account_id "
            "JOIN jids j ON j.id = m.archive_id WHERE a.jid = ? AND j.jid = ? AND m.stanza_id IS NOT NULL "
            "LIMIT ?)"));
        query.addBindValue(account);
        query.addBindValue(archive);
        query.addBindValue(limit);
        if (!query.exec() || !query.next())
            return queryError(query);
        return query.value(0).toInt();
    });
}

QFuture<Result<QStringList>> SyncStateRepository::thinConversations(const QString &account, int minimum)
{
    return m_db.run([account, minimum](QSqlDatabase &db) -> Result<QStringList> {
        QSqlQuery query(db);
        query.setForwardOnly(true);
        query.prepare(QStringLiteral(
            "SELECT p.jid FROM conversations c JOIN accounts a ON a.id = c.account_id JOIN jids p ON "
            "p.id = c.peer_id WHERE a.jid = ? AND (SELECT COUNT(*) FROM (SELECT 1 FROM messages m WHERE "
            "m.conversation_id = c.id LIMIT ?)) < ? ORDER BY c.last_activity DESC"));
        query.addBindValue(account);
        query.addBindValue(minimum);
        query.addBindValue(minimum);
        if (!query.exec())
            return queryError(query);
        QStringList peers;
        while (query.next())
            peers.append(query.value(0).toString());
        return peers;
    });
}

QFuture<Result<Success>> SyncStateRepository::markAllRead(const QString &account)
{
    return m_db.run([account](QSqlDatabase &db) -> Result<Success> {
        QSqlQuery query(db);
        query.prepare(QStringLiteral("UPDATE conversations SET unread_count = 0 WHERE account_id = "
                                     "(SELECT id FROM accounts WHERE jid = ?)"));
        query.addBindValue(account);
        if (!query.exec())
            return queryError(query);
        return Success{};
    });
}

QFuture<Result<QList<HistoryGap>>> SyncStateRepository::gaps(const QString &account)
{
    return m_db.run([account](QSqlDatabase &db) -> Result<QList<HistoryGap>> {
        const auto ranges = readRanges(db, account, account);
        if (!isOk(ranges))
            return errorOf(ranges);
        const auto &list = std::get<QList<ArchiveRange>>(ranges);
        QList<HistoryGap> gaps;
        for (qsizetype i = 0; i + 1 < list.size(); ++i)
            gaps.append({list.at(i + 1).newestTime, list.at(i).oldestTime});
        return gaps;
    });
}

} // namespace Natter::Core
