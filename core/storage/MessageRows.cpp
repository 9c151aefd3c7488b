// SPDX-License-Identifier: GPL-3.0-or-later
#include "MessageRows.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTimeZone>

namespace Natter::Core::MessageRows {

const QString Columns = QStringLiteral(
    "m.id, a.jid, p.jid, m.direction, m.sender, m.time, m.sent_at, m.server_at, m.body, m.stanza_id, s.jid, "
    "m.origin_id, m.message_id, m.delivery");
const QString Joins =
    QStringLiteral(" FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN accounts a ON "
                   "a.id = m.account_id "
                   "JOIN jids p ON p.id = c.peer_id LEFT JOIN jids s ON s.id = m.archive_id ");

Result<qint64> accountIdOf(QSqlDatabase &db, const QString &account)
{
    QSqlQuery query(db);
    query.prepare(QStringLiteral("SELECT id FROM accounts WHERE jid = ?"));
    query.addBindValue(account);
    if (!query.exec())
        return queryError(query);
    if (!query.next())
        return Error(Error::Code::AccountNotFound, account);
    return query.value(0).toLongLong();
}

Error queryError(const QSqlQuery &query)
{
    return Error(Error::Code::DatabaseFailed, query.lastError().text());
}

QVariant nullable(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

QVariant nullableTime(const QDateTime &time)
{
    return time.isValid() ? QVariant(time.toMSecsSinceEpoch()) : QVariant(QMetaType::fromType<qint64>());
}

qint64 sortTime(const ChatMessage &message)
{
    if (message.serverTime.isValid())
        return message.serverTime.toMSecsSinceEpoch();
    if (message.timestamp.isValid())
        return message.timestamp.toMSecsSinceEpoch();
    return QDateTime::currentMSecsSinceEpoch();
}

ChatMessage fromRow(const QSqlQuery &query)
{
    ChatMessage message;
    message.storageId = query.value(0).toLongLong();
    message.conversation = {query.value(1).toString(), query.value(2).toString()};
    message.direction =
        query.value(3).toInt() == 1 ? ChatMessage::Direction::Outgoing : ChatMessage::Direction::Incoming;
    message.senderFullJid = query.value(4).toString();
    const qint64 sent = query.value(6).isNull() ? query.value(5).toLongLong() : query.value(6).toLongLong();
    message.timestamp = QDateTime::fromMSecsSinceEpoch(sent, QTimeZone::UTC);
    if (!query.value(7).isNull())
        message.serverTime = QDateTime::fromMSecsSinceEpoch(query.value(7).toLongLong(), QTimeZone::UTC);
    message.body = query.value(8).toString();
    message.stanzaId = query.value(9).toString();
    message.stanzaIdBy = query.value(10).toString();
    message.originId = query.value(11).toString();
    message.id = query.value(12).toString();
    message.delivery = ChatMessage::Delivery(query.value(13).toInt());
    return message;
}

Result<QList<ChatMessage>> readAll(QSqlQuery &query)
{
    if (!query.exec())
        return queryError(query);
    QList<ChatMessage> messages;
    while (query.next())
        messages.append(fromRow(query));
    return messages;
}

} // namespace Natter::Core::MessageRows
