// SPDX-License-Identifier: GPL-3.0-or-later
// Shared by the store's repositories: the columns that make a ChatMessage and the helpers that read them.
#pragma once

#include "common/Result.h"
#include "domain/ChatMessage.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QVariant>

class QSqlDatabase;
class QSqlQuery;

namespace Natter::Core::MessageRows {

// "SELECT " + Columns + Joins + "WHERE …" reads full messages (m = messages, c = conversations,
// a = accounts, p = the peer's jid).
extern const QString Columns;
extern const QString Joins;

Error queryError(const QSqlQuery &query);
// The row id of account, or AccountNotFound.
Result<qint64> accountIdOf(QSqlDatabase &db, const QString &account);
// The row id of jid in the jids table, added when it is not there yet.
Result<qint64> internJid(QSqlDatabase &db, const QString &jid);
// A NULL of the right type for an empty text or an invalid time.
QVariant nullable(const QString &text);
QVariant nullableTime(const QDateTime &time);

// The position of a message in its timeline: when the archive stored it, else when it was sent or arrived.
qint64 sortTime(const ChatMessage &message);

ChatMessage fromRow(const QSqlQuery &query);
// Executes query (which selects Columns) and reads every row.
Result<QList<ChatMessage>> readAll(QSqlQuery &query);

} // namespace Natter::Core::MessageRows
