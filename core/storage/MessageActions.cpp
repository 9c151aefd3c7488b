// SPDX-License-Identifier: GPL-3.0-or-later
#include "MessageActions.h"

#include "MessageRows.h"
#include "common/Logging.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QStringList>

namespace Natter::Core::MessageActions {

namespace {

using namespace MessageRows;

constexpr int Correction = int(MessageAction::Kind::Correction);
constexpr int Retraction = int(MessageAction::Kind::Retraction);
constexpr int Reactions = int(MessageAction::Kind::Reactions);
constexpr int Moderation = int(MessageAction::Kind::Moderation);

struct ChatIds
{
    qint64 account = 0;
    qint64 peer = 0;
};

Result<ChatIds> chatIdsOf(QSqlDatabase &db, const ConversationKey &conversation)
{
    const auto account = accountIdOf(db, conversation.account);
    if (!isOk(account))
        return errorOf(account);
    const auto peer = internJid(db, conversation.peer);
    if (!isOk(peer))
        return errorOf(peer);
    return ChatIds{std::get<qint64>(account), std::get<qint64>(peer)};
}

// A correction of a correction (some clients refer to the previous one) acts on the original message.
Result<QString> originalTarget(QSqlDatabase &db, const ChatIds &chat, const MessageAction &action)
{
    if (action.kind != MessageAction::Kind::Correction)
        return action.targetId;
    QSqlQuery query(db);
    query.prepare(QStringLiteral("SELECT target_id FROM message_actions WHERE account_id = ? AND peer_id = ? "
                                 "AND direction = ? AND kind = ? AND action_id = ?"));
    query.addBindValue(chat.account);
    query.addBindValue(chat.peer);
    query.addBindValue(int(action.direction));
    query.addBindValue(Correction);
    query.addBindValue(action.targetId);
    if (!query.exec())
        return queryError(query);
    return query.next() ? query.value(0).toString() : action.targetId;
}

// Returns false when the action was recorded before (a live copy and its archived copy).
Result<bool> insert(QSqlDatabase &db, const ChatIds &chat, const MessageAction &action, const QString &target)
{
    QSqlQuery query(db);
    query.prepare(QStringLiteral(
        "INSERT INTO message_actions (account_id, peer_id, direction, sender, kind, target_id, body, time, "
        "action_id, occupant_id, real_jid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"));
    query.addBindValue(chat.account);
    query.addBindValue(chat.peer);
    query.addBindValue(int(action.direction));
    query.addBindValue(action.sender);
    query.addBindValue(int(action.kind));
    query.addBindValue(target);
    const QString body =
        action.kind == MessageAction::Kind::Reactions
            ? QString::fromUtf8(
                  QJsonDocument(QJsonArray::fromStringList(action.emojis)).toJson(QJsonDocument::Compact))
            : action.body;
    query.addBindValue(body.isNull() ? QStringLiteral("") : body);
    query.addBindValue(action.time.toMSecsSinceEpoch());
    query.addBindValue(action.actionId);
    query.addBindValue(nullable(action.occupantId));
    query.addBindValue(nullable(action.realJid));
    if (!query.exec())
        return queryError(query);
    return query.numRowsAffected() > 0;
}

Result<QList<qint64>> targetRows(QSqlDatabase &db, const ChatIds &chat, const QString &target)
{
    QSqlQuery query(db);
    query.prepare(QStringLiteral(
        "SELECT m.id FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.account_id = ? "
        "AND c.peer_id = ? AND (m.message_id = ? OR m.origin_id = ? OR m.stanza_id = ?)"));
    query.addBindValue(chat.account);
    query.addBindValue(chat.peer);
    query.addBindValue(target);
    query.addBindValue(target);
    query.addBindValue(target);
    if (!query.exec())
        return queryError(query);
    QList<qint64> rows;
    while (query.next())
        rows.append(query.value(0).toLongLong());
    return rows;
}

bool exec(QSqlQuery &query, QString *error)
{
    if (query.exec())
        return true;
    *error = queryError(query).detail;
    return false;
}

// Whether an action is by the author of a message: in a one-to-one chat, the same side; in a room, also the
// same occupant-id or real JID (a nickname alone proves nothing, anyone can take a free one).
bool sameAuthor(const QSqlQuery &message, const QSqlQuery &action)
{
    if (action.value(1).toInt() != message.value(2).toInt())
        return false;
    const bool inRoom = message.value(7).toInt() == int(ConversationKind::GroupChat);
    if (!inRoom || message.value(2).toInt() == int(ChatMessage::Direction::Outgoing))
        return true;
    const auto same = [&](int messageColumn, int actionColumn) {
        const QString ours = message.value(messageColumn).toString();
        return !ours.isEmpty() && ours == action.value(actionColumn).toString();
    };
    return same(8, 5) || same(9, 6);
}

// Brings one stored message up to date with every action recorded for it. Returns whether it changed.
Result<bool> applyTo(QSqlDatabase &db, qint64 row)
{
    QSqlQuery message(db);
    message.prepare(QStringLiteral(
        "SELECT c.account_id, c.peer_id, m.direction, m.message_id, m.origin_id, m.retracted, m.edited_at, "
        "c.kind, m.occupant_id, m.real_jid, m.stanza_id "
        "FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.id = ?"));
    message.addBindValue(row);
    if (!message.exec())
        return queryError(message);
    if (!message.next())
        return false;
    const qint64 account = message.value(0).toLongLong();
    const qint64 peer = message.value(1).toLongLong();
    const QString messageId = message.value(3).toString();
    const QString originId = message.value(4).toString();
    const QString stanzaId = message.value(10).toString();
    const int removal = message.value(5).toInt();
    const qint64 editedAt = message.value(6).isNull() ? -1 : message.value(6).toLongLong();

    QSqlQuery actions(db);
    actions.prepare(QStringLiteral("SELECT kind, direction, sender, body, time, occupant_id, real_jid FROM "
                                   "message_actions WHERE account_id = ? AND peer_id = ? "
                                   "AND target_id IN (?, ?, ?) ORDER BY time, id"));
    actions.addBindValue(account);
    actions.addBindValue(peer);
    actions.addBindValue(nullable(messageId));
    actions.addBindValue(nullable(originId));
    actions.addBindValue(nullable(stanzaId));
    if (!actions.exec())
        return queryError(actions);
    std::optional<ChatMessage::Removal> retraction;
    std::optional<QPair<qint64, QString>> correction; // the newest: time and text
    QHash<QString, QPair<qint64, QString>> reactions; // reactor → newest set (time, JSON)
    while (actions.next()) {
        const int kind = actions.value(0).toInt();
        if ((kind == Correction || kind == Retraction) && !sameAuthor(message, actions)) {
            qCWarning(lcStorage) << "ignoring a" << (kind == Correction ? "correction" : "retraction")
                                 << "of a message by someone else";
            continue;
        }
        const qint64 time = actions.value(4).toLongLong();
        if (kind == Retraction)
            retraction = ChatMessage::Removal::Retracted;
        else if (kind == Moderation && !retraction)
            retraction = ChatMessage::Removal::Moderated;
        else if (kind == Correction)
            correction = qMakePair(time, actions.value(3).toString());
        else if (kind == Reactions)
            reactions.insert(actions.value(2).toString(), qMakePair(time, actions.value(3).toString()));
    }

    QString error;
    bool changed = false;
    if (retraction) {
        if (removal != 0)
            return false;
        // Nothing of what it said is kept: its text, its earlier texts and the reactions to it.
        QSqlQuery clear(db);
        clear.prepare(QStringLiteral(
            "UPDATE messages SET retracted = ?, body = '', original_body = NULL, edited_at = NULL, "
            "reply_quote = NULL, oob_url = NULL, oob_description = NULL WHERE id = ?"));
        clear.addBindValue(int(*retraction));
        clear.addBindValue(row);
        QSqlQuery edits(db);
        edits.prepare(
            QStringLiteral("UPDATE message_actions SET body = '' WHERE account_id = ? AND peer_id = ? "
                           "AND kind = ? AND target_id IN (?, ?)"));
        edits.addBindValue(account);
        edits.addBindValue(peer);
        edits.addBindValue(Correction);
        edits.addBindValue(messageId);
        edits.addBindValue(originId);
        QSqlQuery unreact(db);
        unreact.prepare(QStringLiteral("DELETE FROM reactions WHERE message_id = ?"));
        unreact.addBindValue(row);
        if (!exec(clear, &error) || !exec(edits, &error) || !exec(unreact, &error))
            return Error(Error::Code::DatabaseFailed, error);
        return true;
    }
    if (removal != 0)
        return false;
    if (correction && correction->first > editedAt) {
        QSqlQuery edit(db);
        edit.prepare(
            QStringLiteral("UPDATE messages SET original_body = COALESCE(original_body, body), body = ?, "
                           "edited_at = ? WHERE id = ?"));
        edit.addBindValue(correction->second);
        edit.addBindValue(correction->first);
        edit.addBindValue(row);
        if (!exec(edit, &error))
            return Error(Error::Code::DatabaseFailed, error);
        changed = true;
    }
    for (auto it = reactions.cbegin(); it != reactions.cend(); ++it) {
        QSqlQuery react(db);
        if (QJsonDocument::fromJson(it->second.toUtf8()).array().isEmpty()) {
            react.prepare(
                QStringLiteral("DELETE FROM reactions WHERE message_id = ? AND reactor = ? AND time <= ?"));
            react.addBindValue(row);
            react.addBindValue(it.key());
            react.addBindValue(it->first);
        } else {
            react.prepare(QStringLiteral(
                "INSERT INTO reactions (message_id, reactor, emojis, time) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (message_id, reactor) DO UPDATE SET emojis = excluded.emojis, time = "
                "excluded.time "
                "WHERE excluded.time >= reactions.time AND excluded.emojis <> reactions.emojis"));
            react.addBindValue(row);
            react.addBindValue(it.key());
            react.addBindValue(it->second);
            react.addBindValue(it->first);
        }
        if (!exec(react, &error))
            return Error(Error::Code::DatabaseFailed, error);
        changed = changed || react.numRowsAffected() > 0;
    }
    return changed;
}

// Applies to each of rows; adds the ones that changed to changed.
Result<Success> applyToAll(QSqlDatabase &db, const QList<qint64> &rows, QSet<qint64> &changed)
{
    for (qint64 row : rows) {
        const auto applied = applyTo(db, row);
        if (!isOk(applied))
            return errorOf(applied);
        if (std::get<bool>(applied))
            changed.insert(row);
    }
    return Success{};
}

} // namespace

Result<QSet<qint64>> record(QSqlDatabase &db, const QList<MessageAction> &actions)
{
    QSet<qint64> changed;
    for (const MessageAction &action : actions) {
        if (action.targetId.isEmpty() || action.actionId.isEmpty() || !action.time.isValid())
            continue;
        const auto chat = chatIdsOf(db, action.conversation);
        if (!isOk(chat))
            return errorOf(chat);
        const auto target = originalTarget(db, std::get<ChatIds>(chat), action);
        if (!isOk(target))
            return errorOf(target);
        const auto inserted = insert(db, std::get<ChatIds>(chat), action, std::get<QString>(target));
        if (!isOk(inserted))
            return errorOf(inserted);
        if (!std::get<bool>(inserted))
            continue;
        const auto rows = targetRows(db, std::get<ChatIds>(chat), std::get<QString>(target));
        if (!isOk(rows))
            return errorOf(rows);
        if (auto applied = applyToAll(db, std::get<QList<qint64>>(rows), changed); !isOk(applied))
            return errorOf(applied);
    }
    return changed;
}

Result<QSet<qint64>> applyToNewRows(QSqlDatabase &db, qint64 firstRow)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    query.prepare(QStringLiteral(
        "SELECT m.id FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.id >= ? AND "
        "EXISTS (SELECT 1 FROM message_actions a WHERE a.account_id = c.account_id AND a.peer_id = c.peer_id "
        "AND a.target_id IN (m.message_id, m.origin_id, m.stanza_id))"));
    query.addBindValue(firstRow);
    if (!query.exec())
        return queryError(query);
    QList<qint64> rows;
    while (query.next())
        rows.append(query.value(0).toLongLong());
    QSet<qint64> changed;
    if (auto applied = applyToAll(db, rows, changed); !isOk(applied))
        return errorOf(applied);
    return changed;
}

Result<QList<ChatMessage>> readRows(QSqlDatabase &db, const QSet<qint64> &rows)
{
    if (rows.isEmpty())
        return QList<ChatMessage>();
    QStringList ids;
    for (qint64 row : rows)
        ids.append(QString::number(row));
    QSqlQuery query(db);
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT ") + Columns + Joins + QStringLiteral("WHERE m.id IN (") +
                  ids.join(u',') + QStringLiteral(") ORDER BY m.time, m.id"));
    return readAll(query);
}

} // namespace Natter::Core::MessageActions
