// SPDX-License-Identifier: GPL-3.0-or-later
#include "MessageRows.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimeZone>
#include <algorithm>

namespace Natter::Core::MessageRows {

const QString Columns = QStringLiteral(
    "m.id, a.jid, p.jid, m.direction, m.sender, m.time, m.sent_at, m.server_at, m.body, m.stanza_id, s.jid, "
    "m.origin_id, m.message_id, m.delivery, m.reply_to, m.reply_to_jid, m.reply_quote, m.oob_url, "
    "m.oob_description, m.markable, m.truncated, m.retracted, m.edited_at, m.original_body, "
    // Each reactor's current set (primary-key look-up), and for a corrected message its corrections.
    "(SELECT json_group_array(json_array(r.reactor, json(r.emojis))) FROM reactions r WHERE r.message_id = "
    "m.id), "
    "CASE WHEN m.edited_at IS NULL THEN NULL ELSE (SELECT json_group_array(json_array(h.time, h.body)) FROM "
    "(SELECT e.time, e.body FROM message_actions e WHERE e.account_id = c.account_id AND e.peer_id = "
    "c.peer_id AND e.kind = 1 "
    "AND e.direction = m.direction AND e.target_id IN (m.message_id, m.origin_id) ORDER BY e.time, e.id) h) "
    "END, m.occupant_id, m.real_jid, c.kind, m.encryption, m.crypto_error, m.kind");
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

Result<qint64> internJid(QSqlDatabase &db, const QString &jid)
{
    QSqlQuery query(db);
    query.prepare(QStringLiteral(
        "INSERT INTO jids (jid) VALUES (?) ON CONFLICT (jid) DO UPDATE SET jid = jid RETURNING id"));
    query.addBindValue(jid);
    if (!query.exec() || !query.next())
        return queryError(query);
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

namespace {
QList<ChatMessage::Reaction> reactionsFromJson(const QString &json)
{
    QList<ChatMessage::Reaction> reactions;
    for (const QJsonValue &entry : QJsonDocument::fromJson(json.toUtf8()).array()) {
        const QJsonArray pair = entry.toArray();
        ChatMessage::Reaction reaction;
        reaction.reactor = pair.at(0).toString();
        for (const QJsonValue &emoji : pair.at(1).toArray())
            reaction.emojis.append(emoji.toString());
        if (!reaction.emojis.isEmpty())
            reactions.append(reaction);
    }
    return reactions;
}

// The texts the message showed before its current one: the original, then every correction but the newest.
QList<ChatMessage::Version> historyOf(const ChatMessage &message, const QString &original,
                                      const QString &correctionsJson)
{
    QList<ChatMessage::Version> versions{{message.timestamp, original}};
    const QJsonArray corrections = QJsonDocument::fromJson(correctionsJson.toUtf8()).array();
    for (qsizetype i = 0; i + 1 < corrections.size(); ++i) {
        const QJsonArray correction = corrections.at(i).toArray();
        versions.append({QDateTime::fromMSecsSinceEpoch(qint64(correction.at(0).toDouble()), QTimeZone::UTC),
                         correction.at(1).toString()});
    }
    return versions;
}
} // namespace

ChatMessage fromRow(const QSqlQuery &query)
{
    ChatMessage message;
    message.storageId = query.value(0).toLongLong();
    message.conversation = {query.value(1).toString(), query.value(2).toString(),
                            query.value(28).toInt() == int(ConversationKind::GroupChat)
                                ? ConversationKind::GroupChat
                                : ConversationKind::Chat};
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
    message.replyToId = query.value(14).toString();
    message.replyToJid = query.value(15).toString();
    message.replyQuote = query.value(16).toString();
    message.oobUrl = query.value(17).toString();
    message.oobDescription = query.value(18).toString();
    message.markable = query.value(19).toBool();
    message.truncated = query.value(20).toBool();
    message.removal = ChatMessage::Removal(std::clamp(query.value(21).toInt(), 0, 3));
    if (!query.value(22).isNull())
        message.editedAt = QDateTime::fromMSecsSinceEpoch(query.value(22).toLongLong(), QTimeZone::UTC);
    message.reactions = reactionsFromJson(query.value(24).toString());
    message.occupantId = query.value(26).toString();
    message.senderRealJid = query.value(27).toString();
    message.encryption = ChatMessage::Encryption(std::clamp(query.value(29).toInt(), 0, 2));
    message.cryptoError = query.value(30).toString();
    message.kind = ChatMessage::Kind(std::clamp(query.value(31).toInt(), 0, int(ChatMessage::Kind::Call)));
    if (message.isEdited())
        message.history = historyOf(message, query.value(23).toString(), query.value(25).toString());
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
