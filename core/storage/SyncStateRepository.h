// SPDX-License-Identifier: GPL-3.0-or-later
// What part of each server archive the store holds: contiguous ranges of archive ids (database thread).
#pragma once

#include "Database.h"

#include <QDateTime>
#include <QList>

namespace Natter::Core {

// A run of archived messages that the store holds without a hole, from oldest to newest.
struct ArchiveRange
{
    qint64 rowId = 0; // 0 before it is saved
    QString oldestId;
    QDateTime oldestTime;
    QString newestId;
    QDateTime newestTime;
    bool reachesArchiveStart = false;
};

// Archived messages between two ranges that the store does not hold (yet): the view marks them.
struct HistoryGap
{
    QDateTime after;  // the newest message before the gap
    QDateTime before; // the oldest message after it
};

class SyncStateRepository
{
public:
    explicit SyncStateRepository(Database &db);

    // The ranges of archive (an account's own archive: its bare JID), newest first.
    QFuture<Result<QList<ArchiveRange>>> ranges(const QString &account, const QString &archive);
    // Inserts (rowId 0) or updates a range; returns it with its rowId.
    QFuture<Result<ArchiveRange>> save(const QString &account, const QString &archive, ArchiveRange range);
    // Replaces newer and older, which now touch, by one range covering both.
    QFuture<Result<ArchiveRange>> merge(const QString &account, const QString &archive,
                                        const ArchiveRange &newer, const ArchiveRange &older);
    // How many messages from archive (the account's own: its bare JID) the store holds, counting up to limit.
    QFuture<Result<int>> archivedCount(const QString &account, const QString &archive, int limit);
    // The peers of the account's conversations that hold fewer than minimum messages.
    QFuture<Result<QStringList>> thinConversations(const QString &account, int minimum);
    // Clears every unread count of the account (history fetched at a first login is not news).
    QFuture<Result<Success>> markAllRead(const QString &account);
    // The holes between the ranges of the account's own archive, newest first.
    QFuture<Result<QList<HistoryGap>>> gaps(const QString &account);

private:
    Database &m_db;
};

} // namespace Natter::Core
