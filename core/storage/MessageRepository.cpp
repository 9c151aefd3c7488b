// SPDX-License-Identifier: GPL-3.0-or-later
#include "MessageRepository.h"

#include "FileRepository.h"
#include "MessageActions.h"
#include "MessageRows.h"

#include <QHash>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimeZone>
#include <algorithm>
#include <cmath>
#include <limits>

namespace Natter::Core {

namespace {

using namespace MessageRows;

constexpr qint64 SameMessageWindowMs = 60 * 1000;
// Messages per multi-row statement (look-ups and INSERT): few statements per batch, well below SQLite's
// limit of 32,766 bound values.
constexpr int RowsPerStatement = 100;

// A row a message may be a copy of.
struct StoredRow
{
    qint64 id = 0;
    bool lacksStanzaId = false;
};

// One message of the batch with its keys resolved, and the copies the database held when the batch began.
struct Incoming
{
    qint64 account = 0;
    qint64 conversation = 0;
    std::optional<qint64> archive; // set when it carries a stanza-id and the archive that assigned it
    int direction = 0;
    qint64 time = 0;
    std::optional<StoredRow> byStanzaId;
    std::optional<StoredRow> byOriginId;
    std::optional<StoredRow> byMessageId; // the oldest row of several
};

// A message of the batch that becomes a new row. A later copy in the same batch may complete its stanza-id.
struct NewRow
{
    qsizetype message = 0; // index in the batch
    QString stanzaId;
    std::optional<qint64> archive;
    QVariant serverAt;
};

// A row stored before the batch that a copy in the batch completes with its stanza-id.
struct Completion
{
    qint64 row = 0;
    qsizetype message = 0;
};

struct StanzaKey
{
    qint64 account = 0;
    qint64 archive = 0;
    QString stanzaId;
    friend bool operator==(const StanzaKey &, const StanzaKey &) = default;
    friend size_t qHash(const StanzaKey &key, size_t seed = 0)
    {
        return qHashMulti(seed, key.account, key.archive, key.stanzaId);
    }
};

struct OriginKey
{
    qint64 conversation = 0;
    QString originId;
    int direction = 0;
    friend bool operator==(const OriginKey &, const OriginKey &) = default;
    friend size_t qHash(const OriginKey &key, size_t seed = 0)
    {
        return qHashMulti(seed, key.conversation, key.originId, key.direction);
    }
};

struct MessageKey
{
    qint64 conversation = 0;
    QString id;
    QString sender;
    int direction = 0;
    friend bool operator==(const MessageKey &, const MessageKey &) = default;
    friend size_t qHash(const MessageKey &key, size_t seed = 0)
    {
        return qHashMulti(seed, key.conversation, key.id, key.sender, key.direction);
    }
};

// One ingest transaction. The stored copies of the whole batch are looked up with a few multi-row
// statements, each message is then decided in order in memory exactly as if the messages before it had been
// stored already, and the new rows are written with multi-row INSERTs.
class IngestBatch
{
public:
    IngestBatch(QSqlDatabase &db, const QList<ChatMessage> &messages)
        : m_db(db)
        , m_messages(messages)
    {}

    // Stores the new messages and returns them, in batch order, with storageId set.
    Result<QList<ChatMessage>> run();

private:
    Result<Success> resolve();
    // Reads the batch's known conversations with one statement per account instead of one per peer.
    Result<Success> preloadConversations();
    Result<qint64> accountId(const QString &jid);
    Result<qint64> jidId(const QString &jid);
    Result<qint64> conversationId(qint64 account, const ConversationKey &conversation);

    // Most batches hold no copy of a stored message, and the unique indexes on stanza-id and origin-id find
    // one anyway while inserting. So only the same-message copies (id, sender, time) are looked up first and
    // the rows are inserted with ON CONFLICT DO NOTHING; if the batch overlaps stored history or a row was
    // not inserted, everything since the savepoint is undone and storeWithEveryLookUp() decides the batch
    // again. Returns whether the batch is stored.
    Result<bool> storeOptimistically();
    Result<Success> storeWithEveryLookUp();
    void forgetDecisions();
    // Messages with a possible copy earlier in the batch by id, sender and time.
    QList<bool> sameMessageEarlierInBatch() const;
    // only: the messages to look up (all when empty).
    Result<Success> findCopiesByStanzaId(const QList<bool> &only);
    Result<Success> findCopiesByOriginId(const QList<bool> &only);
    Result<Success> findCopiesByMessageId();
    // Runs a look-up over every message that has its keys: columns(message) binds them, and each result row
    // is (message index, row id, stanza_id IS NULL).
    template <typename Columns, typename Found>
    Result<Success> lookUp(const QString &select, const QString &join, int columnCount,
                           const Columns &columns, const Found &found);

    void decide();
    std::optional<StoredRow> copyOf(qsizetype index) const;
    bool isOwnUnreadableAction(qsizetype index) const;
    bool lacksStanzaId(qint64 row) const;
    void completeStanzaId(qint64 row, qsizetype index);
    void addNewRow(qsizetype index);

    Result<Success> writeCompletions();
    enum class Conflicts
    {
        Skip, // ON CONFLICT DO NOTHING
        Fail
    };
    // Returns whether every row was inserted.
    Result<bool> insertNewRows(Conflicts conflicts);
    Result<bool> bindAndInsert(QSqlQuery &query, qsizetype first, qsizetype count);
    // Adds the new rows to the full-text index in one statement (schema 3 has no insert trigger for it).
    Result<Success> indexNewRows();
    Result<Success> updateConversations();

    QSqlDatabase &m_db;
    const QList<ChatMessage> &m_messages;
    QList<Incoming> m_incoming;
    QHash<QString, qint64> m_accounts;
    QHash<QString, qint64> m_jids;
    QHash<QPair<qint64, ConversationKey>, qint64>
        m_conversations; // by account row and key (its account unset)

    qint64 m_firstNewId = 0;
    QList<NewRow> m_newRows; // row m_firstNewId + i is m_newRows[i]
    QList<Completion> m_completions;
    QSet<qint64> m_completedRows;
    // What the batch has stored or completed so far, for the copies that come later in the same batch.
    QHash<StanzaKey, qint64> m_stanzaIds;
    QHash<OriginKey, qint64> m_originIds;
    QHash<MessageKey, QList<qint64>> m_messageIds; // new rows, oldest first
};

bool hasStanzaId(const ChatMessage &message)
{
    return !message.stanzaId.isEmpty() && !message.stanzaIdBy.isEmpty();
}

Result<QList<ChatMessage>> IngestBatch::run()
{
    if (auto resolved = resolve(); !isOk(resolved))
        return errorOf(resolved);
    const auto optimistic = storeOptimistically();
    if (!isOk(optimistic))
        return errorOf(optimistic);
    if (!std::get<bool>(optimistic)) {
        if (auto stored = storeWithEveryLookUp(); !isOk(stored))
            return errorOf(stored);
    }
    if (auto indexed = indexNewRows(); !isOk(indexed))
        return errorOf(indexed);
    // What senders told about the files of the new rows (XEP-0446).
    for (qsizetype i = 0; i < m_newRows.size(); ++i) {
        const FileMetadata &file = m_messages[m_newRows[i].message].file;
        if (file.isEmpty())
            continue;
        if (auto described = FileRepository::writeDescription(m_db, m_firstNewId + i, file); !isOk(described))
            return errorOf(described);
    }
    if (auto updated = updateConversations(); !isOk(updated))
        return errorOf(updated);
    // After the full-text index has the new rows: a correction or retraction rewrites their text.
    const auto acted = m_newRows.isEmpty() ? Result<QSet<qint64>>(QSet<qint64>())
                                           : MessageActions::applyToNewRows(m_db, m_firstNewId);
    if (!isOk(acted))
        return errorOf(acted);
    QHash<qint64, ChatMessage> changed;
    if (const auto &rows = std::get<QSet<qint64>>(acted); !rows.isEmpty()) {
        const auto reread = MessageActions::readRows(m_db, rows);
        if (!isOk(reread))
            return errorOf(reread);
        for (const ChatMessage &message : std::get<QList<ChatMessage>>(reread))
            changed.insert(message.storageId, message);
    }
    QList<ChatMessage> added;
    added.reserve(m_newRows.size());
    for (qsizetype i = 0; i < m_newRows.size(); ++i) {
        const qint64 row = m_firstNewId + i;
        ChatMessage message = changed.value(row, m_messages[m_newRows[i].message]);
        message.storageId = row;
        added.append(std::move(message));
    }
    return added;
}

Result<Success> IngestBatch::resolve()
{
    if (auto preloaded = preloadConversations(); !isOk(preloaded))
        return preloaded;
    m_incoming.reserve(m_messages.size());
    for (const ChatMessage &message : m_messages) {
        Incoming in;
        const auto account = accountId(message.conversation.account);
        if (!isOk(account))
            return errorOf(account);
        in.account = std::get<qint64>(account);
        const auto conversation = conversationId(in.account, message.conversation);
        if (!isOk(conversation))
            return errorOf(conversation);
        in.conversation = std::get<qint64>(conversation);
        if (hasStanzaId(message)) {
            const auto archive = jidId(message.stanzaIdBy);
            if (!isOk(archive))
                return errorOf(archive);
            in.archive = std::get<qint64>(archive);
        }
        in.direction = message.direction == ChatMessage::Direction::Outgoing ? 1 : 0;
        in.time = sortTime(message);
        m_incoming.append(in);
    }
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("SELECT COALESCE(MAX(id), 0) + 1 FROM messages")) || !query.next())
        return queryError(query);
    m_firstNewId = query.value(0).toLongLong();
    return Success{};
}

Result<Success> IngestBatch::preloadConversations()
{
    QHash<QPair<QString, int>, QStringList> peersByChat; // by account and conversation kind
    for (const ChatMessage &message : m_messages) {
        QStringList &peers =
            peersByChat[qMakePair(message.conversation.account, int(message.conversation.kind))];
        if (!peers.contains(message.conversation.peer))
            peers.append(message.conversation.peer);
    }
    for (auto it = peersByChat.cbegin(); it != peersByChat.cend(); ++it) {
        const auto account = accountId(it.key().first);
        if (!isOk(account))
            continue; // reported in batch order by resolve()
        const qint64 accountRow = std::get<qint64>(account);
        const auto kind = ConversationKind(it.key().second);
        for (qsizetype first = 0; first < it->size(); first += RowsPerStatement) {
            const QStringList peers = it->mid(first, RowsPerStatement);
            QSqlQuery query(m_db);
            query.setForwardOnly(true);
            query.prepare(
                QStringLiteral("SELECT p.jid, c.id FROM conversations c JOIN jids p ON p.id = c.peer_id "
                               "WHERE c.account_id = ? AND c.kind = ? AND p.jid IN (") +
                QStringList(peers.size(), QStringLiteral("?")).join(QStringLiteral(", ")) + u')');
            query.addBindValue(accountRow);
            query.addBindValue(int(kind));
            for (const QString &peer : peers)
                query.addBindValue(peer);
            if (!query.exec())
                return queryError(query);
            while (query.next())
                m_conversations.insert(
                    qMakePair(accountRow, ConversationKey{{}, query.value(0).toString(), kind}),
                    query.value(1).toLongLong());
        }
    }
    return Success{};
}

Result<qint64> IngestBatch::accountId(const QString &jid)
{
    if (const auto it = m_accounts.constFind(jid); it != m_accounts.cend())
        return *it;
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT id FROM accounts WHERE jid = ?"));
    query.addBindValue(jid);
    if (!query.exec())
        return queryError(query);
    if (!query.next())
        return Error(Error::Code::AccountNotFound, jid);
    return m_accounts[jid] = query.value(0).toLongLong();
}

Result<qint64> IngestBatch::jidId(const QString &jid)
{
    if (const auto it = m_jids.constFind(jid); it != m_jids.cend())
        return *it;
    QSqlQuery query(m_db);
    query.prepare(
        QStringLiteral("INSERT INTO jids (jid) VALUES (?) ON CONFLICT (jid) DO UPDATE SET jid = jid "
                       "RETURNING id"));
    query.addBindValue(jid);
    if (!query.exec() || !query.next())
        return queryError(query);
    return m_jids[jid] = query.value(0).toLongLong();
}

Result<qint64> IngestBatch::conversationId(qint64 account, const ConversationKey &conversation)
{
    const auto key = qMakePair(account, ConversationKey{{}, conversation.peer, conversation.kind});
    if (const auto it = m_conversations.constFind(key); it != m_conversations.cend())
        return *it;
    const auto peerId = jidId(conversation.peer);
    if (!isOk(peerId))
        return errorOf(peerId);
    QSqlQuery query(m_db);
    query.prepare(
        QStringLiteral("INSERT INTO conversations (account_id, peer_id, kind) VALUES (?, ?, ?) "
                       "ON CONFLICT (account_id, peer_id, kind) DO UPDATE SET kind = kind RETURNING id"));
    query.addBindValue(account);
    query.addBindValue(std::get<qint64>(peerId));
    query.addBindValue(int(conversation.kind));
    if (!query.exec() || !query.next())
        return queryError(query);
    return m_conversations[key] = query.value(0).toLongLong();
}

// "(?, ?, …), (?, ?, …), …": rows of columns placeholders.
QString placeholderRows(int rows, int columns)
{
    QString row = QStringLiteral("(?");
    for (int column = 1; column < columns; ++column)
        row += QStringLiteral(", ?");
    row += u')';
    QStringList all(rows, row);
    return all.join(QStringLiteral(", "));
}

template <typename Columns, typename Found>
Result<Success> IngestBatch::lookUp(const QString &select, const QString &join, int columnCount,
                                    const Columns &columns, const Found &found)
{
    // The message index rides along as the last column. Unused rows of the last statement are NULLs, which
    // match nothing.
    QList<qsizetype> indexes;
    for (qsizetype i = 0; i < m_messages.size(); ++i) {
        if (!columns(i).isEmpty())
            indexes.append(i);
    }
    if (indexes.isEmpty())
        return Success{};
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.prepare(select + QStringLiteral(" FROM (VALUES ") +
                       placeholderRows(RowsPerStatement, columnCount + 1) + QStringLiteral(") AS k ") + join))
        return queryError(query);
    for (qsizetype first = 0; first < indexes.size(); first += RowsPerStatement) {
        int position = 0;
        for (qsizetype i = first; i < first + RowsPerStatement; ++i) {
            if (i < indexes.size()) {
                for (const QVariant &value : columns(indexes[i]))
                    query.bindValue(position++, value);
                query.bindValue(position++, indexes[i]);
            } else {
                for (int column = 0; column <= columnCount; ++column)
                    query.bindValue(position++, QVariant(QMetaType::fromType<qint64>()));
            }
        }
        if (!query.exec())
            return queryError(query);
        while (query.next())
            found(query.value(0).toLongLong(),
                  StoredRow{query.value(1).toLongLong(), query.value(2).toBool()});
        query.finish();
    }
    return Success{};
}

Result<Success> IngestBatch::findCopiesByStanzaId(const QList<bool> &only)
{
    return lookUp(
        QStringLiteral("SELECT k.column4, m.id, m.stanza_id IS NULL"),
        QStringLiteral("JOIN messages m INDEXED BY messages_by_stanza_id ON m.account_id = k.column1 AND "
                       "m.archive_id = k.column2 AND m.stanza_id = k.column3"),
        3,
        [this, &only](qsizetype i) {
            const Incoming &in = m_incoming[i];
            if (!in.archive || (!only.isEmpty() && !only[i]))
                return QVariantList();
            return QVariantList{in.account, *in.archive, m_messages[i].stanzaId};
        },
        [this](qsizetype i, StoredRow row) { m_incoming[i].byStanzaId = row; });
}

Result<Success> IngestBatch::findCopiesByOriginId(const QList<bool> &only)
{
    return lookUp(
        QStringLiteral("SELECT k.column4, m.id, m.stanza_id IS NULL"),
        QStringLiteral(
            "JOIN messages m INDEXED BY messages_by_origin_id ON m.conversation_id = k.column1 AND "
            "m.origin_id = k.column2 AND m.direction = k.column3"),
        3,
        [this, &only](qsizetype i) {
            const ChatMessage &message = m_messages[i];
            if (message.originId.isEmpty() || (!only.isEmpty() && !only[i]))
                return QVariantList();
            return QVariantList{m_incoming[i].conversation, message.originId, m_incoming[i].direction};
        },
        [this](qsizetype i, StoredRow row) { m_incoming[i].byOriginId = row; });
}

Result<Success> IngestBatch::findCopiesByMessageId()
{
    return lookUp(
        QStringLiteral("SELECT k.column7, m.id, m.stanza_id IS NULL"),
        QStringLiteral("JOIN messages m INDEXED BY messages_timeline ON m.conversation_id = k.column1 AND "
                       "m.time BETWEEN k.column2 AND k.column3 AND m.message_id = k.column4 AND "
                       "m.sender = k.column5 AND m.direction = k.column6"),
        6,
        [this](qsizetype i) {
            const ChatMessage &message = m_messages[i];
            if (message.id.isEmpty())
                return QVariantList();
            const Incoming &in = m_incoming[i];
            return QVariantList{in.conversation, in.time - SameMessageWindowMs, in.time + SameMessageWindowMs,
                                message.id,      message.senderFullJid,         in.direction};
        },
        [this](qsizetype i, StoredRow row) {
            auto &copy = m_incoming[i].byMessageId;
            if (!copy || row.id < copy->id)
                copy = row;
        });
}

QList<bool> IngestBatch::sameMessageEarlierInBatch() const
{
    QList<bool> found(m_messages.size(), false);
    QHash<MessageKey, QList<qint64>> times;
    for (qsizetype i = 0; i < m_messages.size(); ++i) {
        const ChatMessage &message = m_messages[i];
        if (message.id.isEmpty())
            continue;
        const Incoming &in = m_incoming[i];
        QList<qint64> &earlier = times[{in.conversation, message.id, message.senderFullJid, in.direction}];
        found[i] = std::any_of(earlier.cbegin(), earlier.cend(), [&](qint64 time) {
            return time >= in.time - SameMessageWindowMs && time <= in.time + SameMessageWindowMs;
        });
        earlier.append(in.time);
    }
    return found;
}

Result<bool> IngestBatch::storeOptimistically()
{
    if (auto found = findCopiesByMessageId(); !isOk(found))
        return errorOf(found);
    const bool overlapsStoredHistory =
        std::any_of(m_incoming.cbegin(), m_incoming.cend(),
                    [](const Incoming &in) { return in.byMessageId.has_value(); });
    if (overlapsStoredHistory)
        return false;
    // Only a message the batch may count as a copy of an earlier one by id, sender and time needs its
    // stanza-id and origin-id copies now: that rule comes last, so they would have to take precedence.
    const QList<bool> needed = sameMessageEarlierInBatch();
    if (std::any_of(needed.cbegin(), needed.cend(), [](bool value) { return value; })) {
        if (auto found = findCopiesByStanzaId(needed); !isOk(found))
            return errorOf(found);
        if (auto found = findCopiesByOriginId(needed); !isOk(found))
            return errorOf(found);
    }
    QSqlQuery savepoint(m_db);
    if (!savepoint.exec(QStringLiteral("SAVEPOINT ingest_optimistic")))
        return queryError(savepoint);
    decide();
    auto stored = writeCompletions();
    auto allInserted = isOk(stored) ? insertNewRows(Conflicts::Skip) : Result<bool>(errorOf(stored));
    const bool keep = isOk(allInserted) && std::get<bool>(allInserted);
    if (!savepoint.exec(keep ? QStringLiteral("RELEASE ingest_optimistic")
                             : QStringLiteral("ROLLBACK TO ingest_optimistic")))
        return queryError(savepoint);
    if (!keep && !savepoint.exec(QStringLiteral("RELEASE ingest_optimistic")))
        return queryError(savepoint);
    if (!isOk(allInserted))
        return errorOf(allInserted);
    if (!keep)
        forgetDecisions();
    return keep;
}

Result<Success> IngestBatch::storeWithEveryLookUp()
{
    const QList<bool> everyMessage;
    if (auto found = findCopiesByStanzaId(everyMessage); !isOk(found))
        return found;
    if (auto found = findCopiesByOriginId(everyMessage); !isOk(found))
        return found;
    decide();
    if (auto completed = writeCompletions(); !isOk(completed))
        return completed;
    const auto inserted = insertNewRows(Conflicts::Fail);
    if (!isOk(inserted))
        return errorOf(inserted);
    return Success{};
}

void IngestBatch::forgetDecisions()
{
    m_newRows.clear();
    m_completions.clear();
    m_completedRows.clear();
    m_stanzaIds.clear();
    m_originIds.clear();
    m_messageIds.clear();
    for (Incoming &in : m_incoming) {
        in.byStanzaId.reset();
        in.byOriginId.reset();
    }
}

bool IngestBatch::lacksStanzaId(qint64 row) const
{
    return !m_newRows[row - m_firstNewId].archive;
}

// The stored copy of message index, by stanza-id, else origin-id, else id, sender and direction within a
// minute; a row the batch stored (or completed) itself counts as stored.
std::optional<StoredRow> IngestBatch::copyOf(qsizetype index) const
{
    const ChatMessage &message = m_messages[index];
    const Incoming &in = m_incoming[index];
    const auto current = [this](const StoredRow &before) {
        if (before.id >= m_firstNewId)
            return StoredRow{before.id, lacksStanzaId(before.id)};
        return StoredRow{before.id, before.lacksStanzaId && !m_completedRows.contains(before.id)};
    };
    if (in.archive) {
        if (const auto it = m_stanzaIds.constFind({in.account, *in.archive, message.stanzaId});
            it != m_stanzaIds.cend())
            return StoredRow{*it, false};
        if (in.byStanzaId)
            return current(*in.byStanzaId);
    }
    if (!message.originId.isEmpty()) {
        if (const auto it = m_originIds.constFind({in.conversation, message.originId, in.direction});
            it != m_originIds.cend())
            return current(StoredRow{*it, true});
        if (in.byOriginId)
            return current(*in.byOriginId);
    }
    if (!message.id.isEmpty()) {
        // Rows stored before the batch have the smaller ids, and the oldest matching row is the copy.
        if (in.byMessageId)
            return current(*in.byMessageId);
        const auto rows =
            m_messageIds.constFind({in.conversation, message.id, message.senderFullJid, in.direction});
        if (rows != m_messageIds.cend()) {
            for (const qint64 row : *rows) {
                const qint64 time = m_incoming[m_newRows[row - m_firstNewId].message].time;
                if (time >= in.time - SameMessageWindowMs && time <= in.time + SameMessageWindowMs)
                    return current(StoredRow{row, true});
            }
        }
    }
    return std::nullopt;
}

// The archived copy of a correction we sent encrypted: never encrypted for this device (OMEMO 2 hides even
// that it is a correction) and applied when it was sent, so it is no unreadable message of ours.
bool IngestBatch::isOwnUnreadableAction(qsizetype index) const
{
    const ChatMessage &message = m_messages[index];
    if (message.cryptoError.isEmpty() || message.direction != ChatMessage::Direction::Outgoing)
        return false;
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT 1 FROM message_actions a JOIN conversations c ON "
                                 "c.account_id = a.account_id AND c.peer_id = a.peer_id WHERE c.id = ? AND "
                                 "a.direction = ? AND a.action_id IN (?, ?) LIMIT 1"));
    query.addBindValue(m_incoming[index].conversation);
    query.addBindValue(int(ChatMessage::Direction::Outgoing));
    query.addBindValue(message.id);
    query.addBindValue(message.originId);
    return query.exec() && query.next();
}

void IngestBatch::completeStanzaId(qint64 row, qsizetype index)
{
    const ChatMessage &message = m_messages[index];
    const Incoming &in = m_incoming[index];
    m_stanzaIds.insert({in.account, *in.archive, message.stanzaId}, row);
    if (row < m_firstNewId) {
        m_completedRows.insert(row);
        m_completions.append({row, index});
        return;
    }
    NewRow &newRow = m_newRows[row - m_firstNewId];
    newRow.stanzaId = message.stanzaId;
    newRow.archive = in.archive;
    if (message.serverTime.isValid())
        newRow.serverAt = message.serverTime.toMSecsSinceEpoch();
}

void IngestBatch::addNewRow(qsizetype index)
{
    const ChatMessage &message = m_messages[index];
    const Incoming &in = m_incoming[index];
    const qint64 row = m_firstNewId + m_newRows.size();
    NewRow newRow;
    newRow.message = index;
    if (in.archive) {
        newRow.stanzaId = message.stanzaId;
        newRow.archive = in.archive;
        m_stanzaIds.insert({in.account, *in.archive, message.stanzaId}, row);
    }
    newRow.serverAt = nullableTime(message.serverTime);
    if (!message.originId.isEmpty())
        m_originIds.insert({in.conversation, message.originId, in.direction}, row);
    if (!message.id.isEmpty())
        m_messageIds[{in.conversation, message.id, message.senderFullJid, in.direction}].append(row);
    m_newRows.append(newRow);
}

void IngestBatch::decide()
{
    for (qsizetype index = 0; index < m_messages.size(); ++index) {
        const auto copy = copyOf(index);
        if (!copy) {
            if (!isOwnUnreadableAction(index))
                addNewRow(index);
            continue;
        }
        // A copy only teaches the stored row the stanza-id it lacks.
        if (copy->lacksStanzaId && m_incoming[index].archive)
            completeStanzaId(copy->id, index);
    }
}

Result<Success> IngestBatch::writeCompletions()
{
    if (m_completions.isEmpty())
        return Success{};
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral(
        "UPDATE messages SET stanza_id = ?, archive_id = ?, server_at = COALESCE(?, server_at) "
        "WHERE id = ?"));
    for (const Completion &completion : std::as_const(m_completions)) {
        const ChatMessage &message = m_messages[completion.message];
        query.addBindValue(message.stanzaId);
        query.addBindValue(*m_incoming[completion.message].archive);
        query.addBindValue(nullableTime(message.serverTime));
        query.addBindValue(completion.row);
        if (!query.exec())
            return queryError(query);
    }
    return Success{};
}

constexpr int InsertColumns = 28;

QString insertStatement(qsizetype rows, bool skipConflicts)
{
    return QStringLiteral(
               "INSERT INTO messages (id, account_id, conversation_id, direction, sender, time, "
               "sent_at, received_at, server_at, body, stanza_id, archive_id, origin_id, "
               "message_id, delivery, reply_to, reply_to_jid, reply_quote, oob_url, "
               "oob_description, markable, "
               "truncated, retracted, occupant_id, real_jid, encryption, crypto_error, kind) VALUES ") +
           placeholderRows(int(rows), InsertColumns) +
           (skipConflicts ? QStringLiteral(" ON CONFLICT DO NOTHING") : QString());
}

Result<bool> IngestBatch::bindAndInsert(QSqlQuery &query, qsizetype first, qsizetype count)
{
    int position = 0;
    const auto bind = [&](const QVariant &value) { query.bindValue(position++, value); };
    for (qsizetype i = first; i < first + count; ++i) {
        const NewRow &row = m_newRows[i];
        const ChatMessage &message = m_messages[row.message];
        const Incoming &in = m_incoming[row.message];
        bind(m_firstNewId + i);
        bind(in.account);
        bind(in.conversation);
        bind(in.direction);
        bind(message.senderFullJid);
        bind(in.time);
        bind(nullableTime(message.timestamp));
        bind(QDateTime::currentMSecsSinceEpoch());
        bind(row.serverAt);
        bind(message.body.isNull() ? QStringLiteral("") : message.body); // NULL is not an empty body
        bind(row.archive ? QVariant(row.stanzaId) : QVariant(QMetaType::fromType<QString>()));
        bind(row.archive ? QVariant(*row.archive) : QVariant(QMetaType::fromType<qint64>()));
        bind(nullable(message.originId));
        bind(nullable(message.id));
        bind(int(message.delivery));
        bind(nullable(message.replyToId));
        bind(nullable(message.replyToJid));
        bind(nullable(message.replyQuote));
        bind(nullable(message.oobUrl));
        bind(nullable(message.oobDescription));
        bind(message.markable);
        bind(message.truncated);
        bind(int(message.removal));
        bind(nullable(message.occupantId));
        bind(nullable(message.senderRealJid));
        bind(int(message.encryption));
        bind(nullable(message.cryptoError));
        bind(int(message.kind));
    }
    if (!query.exec())
        return queryError(query);
    return query.numRowsAffected() == count;
}

Result<bool> IngestBatch::insertNewRows(Conflicts conflicts)
{
    const bool skip = conflicts == Conflicts::Skip;
    const qsizetype full = m_newRows.size() / RowsPerStatement;
    if (full > 0) {
        QSqlQuery query(m_db);
        if (!query.prepare(insertStatement(RowsPerStatement, skip)))
            return queryError(query);
        for (qsizetype chunk = 0; chunk < full; ++chunk) {
            const auto inserted = bindAndInsert(query, chunk * RowsPerStatement, RowsPerStatement);
            if (!isOk(inserted) || !std::get<bool>(inserted))
                return inserted;
        }
    }
    const qsizetype rest = m_newRows.size() - full * RowsPerStatement;
    if (rest == 0)
        return true;
    QSqlQuery query(m_db);
    if (!query.prepare(insertStatement(rest, skip)))
        return queryError(query);
    return bindAndInsert(query, full * RowsPerStatement, rest);
}

Result<Success> IngestBatch::indexNewRows()
{
    if (m_newRows.isEmpty())
        return Success{};
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral(
        "INSERT INTO messages_fts (rowid, body) SELECT id, body FROM messages WHERE id >= ? ORDER BY id"));
    query.addBindValue(m_firstNewId);
    if (!query.exec())
        return queryError(query);
    return Success{};
}

// Writes the conversations' new activity and unread counts, once per conversation of the batch.
Result<Success> IngestBatch::updateConversations()
{
    // Unread counts only what is news: incoming messages newer than everything the conversation held
    // (older history fetched later is not), and of those only the ones after our own newest message in
    // the batch (a reply sent from another device means the chat was read there).
    struct Activity
    {
        qint64 lastTime = 0;
        qint64 newestOutgoing = 0;
        QList<qint64> incomingTimes;
    };
    QHash<qint64, Activity> activities;
    for (const NewRow &row : std::as_const(m_newRows)) {
        const Incoming &in = m_incoming[row.message];
        Activity &activity = activities[in.conversation];
        activity.lastTime = std::max(activity.lastTime, in.time);
        if (in.direction == 1)
            activity.newestOutgoing = std::max(activity.newestOutgoing, in.time);
        else
            activity.incomingTimes.append(in.time);
    }
    QSqlQuery query(m_db);
    // Every stored message is at most last_activity old, so "newer than last_activity" means new here.
    query.prepare(QStringLiteral("UPDATE conversations SET unread_count = CASE "
                                 "WHEN ?1 > last_activity THEN ?2 "
                                 "WHEN ?3 THEN unread_count + (SELECT COUNT(*) FROM messages m WHERE "
                                 "m.conversation_id = conversations.id "
                                 "AND m.time > conversations.last_activity AND m.direction = 0) "
                                 "ELSE unread_count END, "
                                 "last_activity = MAX(last_activity, ?4) WHERE id = ?5"));
    for (auto it = activities.cbegin(); it != activities.cend(); ++it) {
        const qint64 newestOutgoing = it->newestOutgoing;
        const auto afterReply =
            std::count_if(it->incomingTimes.cbegin(), it->incomingTimes.cend(),
                          [newestOutgoing](qint64 time) { return time > newestOutgoing; });
        query.bindValue(0, newestOutgoing > 0 ? newestOutgoing : std::numeric_limits<qint64>::min());
        query.bindValue(1, qint64(afterReply));
        query.bindValue(2, !it->incomingTimes.isEmpty());
        query.bindValue(3, it->lastTime);
        query.bindValue(4, it.key());
        if (!query.exec())
            return queryError(query);
    }
    return Success{};
}

// FTS5 query text: every word must match, the last one as a prefix (results as you type).
QString ftsQuery(const QString &text)
{
    QStringList terms;
    const QStringList words = text.simplified().split(u' ', Qt::SkipEmptyParts);
    for (const QString &word : words) {
        QString quoted = word;
        quoted.replace(u'"', QLatin1String("\"\""));
        terms.append(u'"' + quoted + u'"');
    }
    if (!terms.isEmpty())
        terms.last().append(u'*');
    return terms.join(u' ');
}

} // namespace

MessageRepository::MessageRepository(Database &db)
    : m_db(db)
{}

MessageRepository::Cursor MessageRepository::cursorOf(const ChatMessage &message)
{
    return {sortTime(message), message.storageId};
}

QFuture<Result<QList<ChatMessage>>> MessageRepository::ingest(QList<ChatMessage> messages)
{
    return m_db.run([messages = std::move(messages)](QSqlDatabase &db) -> Result<QList<ChatMessage>> {
        if (!db.transaction())
            return Error(Error::Code::DatabaseFailed, db.lastError().text());
        auto added = IngestBatch(db, messages).run();
        if (!isOk(added)) {
            db.rollback();
            return added;
        }
        if (!db.commit()) {
            const Error error(Error::Code::DatabaseFailed, db.lastError().text());
            db.rollback();
            return error;
        }
        return added;
    });
}

namespace {

// One page of a conversation's timeline next to cursor: older (newest first) or newer (oldest first).
Result<QList<ChatMessage>> timelinePage(QSqlDatabase &db, const ConversationKey &conversation,
                                        std::optional<MessageRepository::Cursor> cursor, int limit,
                                        bool older)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    QString sql =
        QStringLiteral("SELECT ") + Columns + Joins +
        QStringLiteral("WHERE m.conversation_id = (SELECT c2.id FROM conversations c2 "
                       "JOIN accounts a2 ON a2.id = c2.account_id JOIN jids p2 ON p2.id = c2.peer_id "
                       "WHERE a2.jid = ? AND p2.jid = ? AND c2.kind = ?) AND m.retracted <> 2 ");
    if (cursor)
        sql += older ? QStringLiteral("AND (m.time, m.id) < (?, ?) ")
                     : QStringLiteral("AND (m.time, m.id) > (?, ?) ");
    sql += older ? QStringLiteral("ORDER BY m.time DESC, m.id DESC LIMIT ?")
                 : QStringLiteral("ORDER BY m.time, m.id LIMIT ?");
    query.prepare(sql);
    query.addBindValue(conversation.account);
    query.addBindValue(conversation.peer);
    query.addBindValue(int(conversation.kind));
    if (cursor) {
        query.addBindValue(cursor->timeMs);
        query.addBindValue(cursor->storageId);
    }
    query.addBindValue(limit);
    return readAll(query);
}

} // namespace

QFuture<Result<QList<ChatMessage>>> MessageRepository::before(const ConversationKey &conversation,
                                                              std::optional<Cursor> cursor, int limit)
{
    return m_db.run([conversation, cursor, limit](QSqlDatabase &db) {
        return timelinePage(db, conversation, cursor, limit, true);
    });
}

QFuture<Result<QList<ChatMessage>>> MessageRepository::after(const ConversationKey &conversation,
                                                             std::optional<Cursor> cursor, int limit)
{
    return m_db.run([conversation, cursor, limit](QSqlDatabase &db) {
        return timelinePage(db, conversation, cursor, limit, false);
    });
}

namespace {

constexpr int BlockBits = 10; // message_blocks: row ids id >> BlockBits share a block
// Beyond this many hits, search sorts every match (as a whole history export would) instead of walking
// blocks.
constexpr int MaxWalkedHits = 1000;

// A hit's place in the result order: newest first by (time, id).
struct Hit
{
    qint64 time = 0;
    qint64 id = 0;
    friend bool operator>(const Hit &a, const Hit &b)
    {
        return a.time > b.time || (a.time == b.time && a.id > b.id);
    }
};

struct Block
{
    qint64 block = 0;
    qint64 newestTime = 0;
};

// Every match, sorted by (time, id): fine for rare words, slow for common ones.
Result<QList<ChatMessage>> sortAllMatches(QSqlDatabase &db, const QString &match,
                                          const std::optional<ConversationKey> &conversation, int limit)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    QString sql =
        QStringLiteral("SELECT ") + Columns + Joins +
        QStringLiteral("WHERE m.id IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?) ");
    if (conversation)
        sql += QStringLiteral("AND a.jid = ? AND p.jid = ? ");
    sql += QStringLiteral("ORDER BY m.time DESC, m.id DESC LIMIT ?");
    query.prepare(sql);
    query.addBindValue(match);
    if (conversation) {
        query.addBindValue(conversation->account);
        query.addBindValue(conversation->peer);
    }
    query.addBindValue(limit);
    return readAll(query);
}

Result<std::optional<qint64>> conversationIdOf(QSqlDatabase &db, const ConversationKey &conversation)
{
    QSqlQuery query(db);
    query.prepare(
        QStringLiteral("SELECT c.id FROM conversations c JOIN accounts a ON a.id = c.account_id "
                       "JOIN jids p ON p.id = c.peer_id WHERE a.jid = ? AND p.jid = ? AND c.kind = ?"));
    query.addBindValue(conversation.account);
    query.addBindValue(conversation.peer);
    query.addBindValue(int(conversation.kind));
    if (!query.exec())
        return queryError(query);
    if (!query.next())
        return std::optional<qint64>();
    return std::optional<qint64>(query.value(0).toLongLong());
}

Result<QList<Block>> blocksNewestFirst(QSqlDatabase &db)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral(
            "SELECT block, newest_time FROM message_blocks ORDER BY newest_time DESC, block DESC")))
        return queryError(query);
    QList<Block> blocks;
    while (query.next())
        blocks.append({query.value(0).toLongLong(), query.value(1).toLongLong()});
    return blocks;
}

// The newest limit matches, exactly, without sorting every match of a common word. Row ids follow time
// only roughly (history fetched later gets larger ids), so blocks of row ids are visited by their newest
// time: the newest limit hits of each group of blocks are merged, and the walk stops when the next block's
// newest message is older than the limit-th hit so far. Groups double in size, so a rare word needs few
// statements.
Result<QList<ChatMessage>> walkBlocks(QSqlDatabase &db, const QString &match,
                                      std::optional<qint64> conversation, int limit)
{
    const auto blocks = blocksNewestFirst(db);
    if (!isOk(blocks))
        return errorOf(blocks);
    const QList<Block> &order = std::get<QList<Block>>(blocks);

    QSqlQuery hits(db);
    hits.setForwardOnly(true);
    // CROSS JOIN keeps the full-text index outside: it yields the block's matches, each looked up once.
    QString sql =
        QStringLiteral("SELECT m.time, m.id FROM messages_fts f CROSS JOIN messages m ON m.id = f.rowid "
                       "WHERE f.messages_fts MATCH ? AND f.rowid BETWEEN ? AND ? ");
    if (conversation)
        sql += QStringLiteral("AND m.conversation_id = ? ");
    sql += QStringLiteral("ORDER BY m.time DESC, m.id DESC LIMIT ?");
    if (!hits.prepare(sql))
        return queryError(hits);

    QList<Hit> best; // newest first, at most limit
    const auto canHoldAHit = [&](const Block &block) {
        return best.size() < limit || block.newestTime >= best.constLast().time;
    };
    qsizetype next = 0;
    qsizetype group = 1;
    while (next < order.size() && canHoldAHit(order[next])) {
        // The group's blocks that can still hold a hit, as runs of consecutive blocks.
        QList<qint64> chosen;
        for (qsizetype i = next; i < std::min(order.size(), next + group); ++i) {
            if (canHoldAHit(order[i]))
                chosen.append(order[i].block);
        }
        next += group;
        group *= 2;
        std::sort(chosen.begin(), chosen.end());
        for (qsizetype i = 0; i < chosen.size();) {
            qsizetype end = i + 1;
            while (end < chosen.size() && chosen[end] == chosen[end - 1] + 1)
                ++end;
            hits.addBindValue(match);
            hits.addBindValue(chosen[i] << BlockBits);
            hits.addBindValue(((chosen[end - 1] + 1) << BlockBits) - 1);
            if (conversation)
                hits.addBindValue(*conversation);
            hits.addBindValue(limit);
            if (!hits.exec())
                return queryError(hits);
            while (hits.next())
                best.append({hits.value(0).toLongLong(), hits.value(1).toLongLong()});
            hits.finish();
            std::sort(best.begin(), best.end(), std::greater<Hit>());
            if (best.size() > limit)
                best.resize(limit);
            i = end;
        }
    }
    if (best.isEmpty())
        return QList<ChatMessage>();

    QSqlQuery rows(db);
    rows.setForwardOnly(true);
    QStringList ids;
    for (const Hit &hit : std::as_const(best))
        ids.append(QString::number(hit.id));
    rows.prepare(QStringLiteral("SELECT ") + Columns + Joins + QStringLiteral("WHERE m.id IN (") +
                 ids.join(u',') + QStringLiteral(") ORDER BY m.time DESC, m.id DESC"));
    return readAll(rows);
}

} // namespace

QFuture<Result<QList<ChatMessage>>>
MessageRepository::search(const QString &text, std::optional<ConversationKey> conversation, int limit)
{
    return m_db.run(
        [match = ftsQuery(text), conversation, limit](QSqlDatabase &db) -> Result<QList<ChatMessage>> {
            if (match.isEmpty() || limit == 0)
                return QList<ChatMessage>();
            if (limit < 0 || limit > MaxWalkedHits)
                return sortAllMatches(db, match, conversation, limit);
            std::optional<qint64> conversationId;
            if (conversation) {
                const auto found = conversationIdOf(db, *conversation);
                if (!isOk(found))
                    return errorOf(found);
                conversationId = std::get<std::optional<qint64>>(found);
                if (!conversationId)
                    return QList<ChatMessage>();
            }
            return walkBlocks(db, match, conversationId, limit);
        });
}

namespace {
// The states a message may be raised from to reach delivery, as an SQL list (ChatMessage::rank: Failed
// counts like Pending, since a receipt proves the message arrived after all).
QString statesBelow(ChatMessage::Delivery delivery)
{
    using D = ChatMessage::Delivery;
    QStringList below;
    for (D state : {D::Pending, D::Sent, D::Acknowledged, D::Failed, D::Received, D::Displayed}) {
        if (ChatMessage::rank(state) < ChatMessage::rank(delivery))
            below.append(QString::number(int(state)));
    }
    return below.isEmpty() ? QStringLiteral("-1") : below.join(u',');
}
} // namespace

QFuture<Result<QList<ChatMessage>>> MessageRepository::applyActions(QList<MessageAction> actions)
{
    return m_db.run([actions = std::move(actions)](QSqlDatabase &db) -> Result<QList<ChatMessage>> {
        db.transaction();
        const auto changed = MessageActions::record(db, actions);
        if (!isOk(changed)) {
            db.rollback();
            return errorOf(changed);
        }
        auto messages = MessageActions::readRows(db, std::get<QSet<qint64>>(changed));
        if (!isOk(messages) || !db.commit()) {
            db.rollback();
            return isOk(messages) ? Error(Error::Code::DatabaseFailed, db.lastError().text())
                                  : errorOf(messages);
        }
        return messages;
    });
}

QFuture<Result<QList<ChatMessage>>> MessageRepository::confirmDelivery(const ConversationKey &conversation,
                                                                       const QString &id,
                                                                       ChatMessage::Delivery delivery)
{
    return m_db.run([conversation, id, delivery](QSqlDatabase &db) -> Result<QList<ChatMessage>> {
        const auto conversationId = conversationIdOf(db, conversation);
        if (!isOk(conversationId))
            return errorOf(conversationId);
        const auto row = std::get<std::optional<qint64>>(conversationId);
        if (!row || id.isEmpty())
            return QList<ChatMessage>();
        // A displayed marker means everything before it was displayed too (XEP-0333).
        const QString scope = delivery == ChatMessage::Delivery::Displayed
                                  ? QStringLiteral("(m.time, m.id) <= (SELECT t.time, t.id FROM target t)")
                                  : QStringLiteral("m.id = (SELECT t.id FROM target t)");
        QSqlQuery query(db);
        query.setForwardOnly(true);
        const bool prepared = query.prepare(
            QStringLiteral("WITH target AS (SELECT id, time FROM messages WHERE conversation_id = ? "
                           "AND direction = 1 AND (message_id = ? OR origin_id = ?) LIMIT 1) "
                           "UPDATE messages AS m SET delivery = ? WHERE m.conversation_id = ? AND "
                           "m.direction = 1 AND m.delivery IN (") +
            statesBelow(delivery) + QStringLiteral(") AND ") + scope + QStringLiteral(" RETURNING id"));
        query.addBindValue(*row);
        query.addBindValue(id);
        query.addBindValue(id);
        query.addBindValue(int(delivery));
        query.addBindValue(*row);
        if (!prepared)
            return queryError(query);
        if (!query.exec())
            return queryError(query);
        QSet<qint64> changed;
        while (query.next())
            changed.insert(query.value(0).toLongLong());
        query.finish();
        return MessageActions::readRows(db, changed);
    });
}

QFuture<Result<std::optional<int>>> MessageRepository::markDisplayedUpTo(const ConversationKey &conversation,
                                                                         const QString &id,
                                                                         const QString &stanzaId)
{
    return m_db.run([conversation, id, stanzaId](QSqlDatabase &db) -> Result<std::optional<int>> {
        const auto conversationId = conversationIdOf(db, conversation);
        if (!isOk(conversationId))
            return errorOf(conversationId);
        const auto row = std::get<std::optional<qint64>>(conversationId);
        if (!row)
            return std::optional<int>();
        QSqlQuery target(db);
        if (!id.isEmpty()) {
            target.prepare(QStringLiteral("SELECT id, time FROM messages WHERE conversation_id = ? AND "
                                          "(message_id = ? OR origin_id = ?) ORDER BY time DESC LIMIT 1"));
            target.addBindValue(*row);
            target.addBindValue(id);
            target.addBindValue(id);
        } else {
            target.prepare(
                QStringLiteral("SELECT m.id, m.time FROM messages m JOIN jids s ON s.id = m.archive_id "
                               "WHERE m.conversation_id = ? AND m.stanza_id = ? AND s.jid = ?"));
            target.addBindValue(*row);
            target.addBindValue(stanzaId);
            target.addBindValue(conversation.account);
        }
        if (!target.exec())
            return queryError(target);
        if (!target.next())
            return std::optional<int>();
        // Unread are the incoming messages after it; the count only goes down (the state only moves forward).
        QSqlQuery update(db);
        update.prepare(QStringLiteral(
            "UPDATE conversations SET unread_count = MIN(unread_count, (SELECT COUNT(*) FROM messages m "
            "WHERE "
            "m.conversation_id = ? AND m.direction = 0 AND m.retracted <> 2 AND (m.time, m.id) > (?, ?))) "
            "WHERE id = ? RETURNING unread_count"));
        update.addBindValue(*row);
        update.addBindValue(target.value(1).toLongLong());
        update.addBindValue(target.value(0).toLongLong());
        update.addBindValue(*row);
        if (!update.exec() || !update.next())
            return queryError(update);
        return std::optional<int>(update.value(0).toInt());
    });
}

QFuture<Result<Success>> MessageRepository::deleteLocally(qint64 storageId)
{
    return m_db.run([storageId](QSqlDatabase &db) -> Result<Success> {
        QSqlQuery query(db);
        query.prepare(
            QStringLiteral("UPDATE messages SET retracted = 2, body = '', original_body = NULL, "
                           "reply_quote = NULL, oob_url = NULL, oob_description = NULL WHERE id = ?"));
        query.addBindValue(storageId);
        if (!query.exec())
            return queryError(query);
        if (query.numRowsAffected() == 0)
            return Error(Error::Code::DatabaseFailed, QStringLiteral("no message %1").arg(storageId));
        // Its reactions and what was known of its file go with it (a downloaded file itself stays).
        for (const auto table : {"reactions", "message_files"}) {
            QSqlQuery related(db);
            related.prepare(QStringLiteral("DELETE FROM %1 WHERE message_id = ?").arg(QLatin1String(table)));
            related.addBindValue(storageId);
            if (!related.exec())
                return queryError(related);
        }
        return Success{};
    });
}

QFuture<Result<std::optional<ChatMessage>>>
MessageRepository::findByReference(const ConversationKey &conversation, const QString &id)
{
    return m_db.run([conversation, id](QSqlDatabase &db) -> Result<std::optional<ChatMessage>> {
        const auto conversationId = conversationIdOf(db, conversation);
        if (!isOk(conversationId))
            return errorOf(conversationId);
        const auto row = std::get<std::optional<qint64>>(conversationId);
        if (!row || id.isEmpty())
            return std::optional<ChatMessage>();
        QSqlQuery query(db);
        query.setForwardOnly(true);
        query.prepare(
            QStringLiteral("SELECT ") + Columns + Joins +
            QStringLiteral("WHERE m.conversation_id = ? AND m.retracted <> 2 AND (m.origin_id = ? OR "
                           "m.message_id = ? OR m.stanza_id = ?) ORDER BY m.time DESC LIMIT 1"));
        query.addBindValue(*row);
        query.addBindValue(id);
        query.addBindValue(id);
        query.addBindValue(id);
        auto found = readAll(query);
        if (!isOk(found))
            return errorOf(found);
        const auto &list = std::get<QList<ChatMessage>>(found);
        return list.isEmpty() ? std::optional<ChatMessage>() : std::optional<ChatMessage>(list.first());
    });
}

QFuture<Result<Success>> MessageRepository::setDelivery(const QString &account, const QString &messageId,
                                                        ChatMessage::Delivery delivery)
{
    return m_db.run([account, messageId, delivery](QSqlDatabase &db) -> Result<Success> {
        QSqlQuery query(db);
        query.prepare(
            QStringLiteral("UPDATE messages SET delivery = ? WHERE direction = 1 AND message_id = ? AND "
                           "account_id = (SELECT id FROM accounts WHERE jid = ?) AND delivery IN (") +
            statesBelow(delivery) + u')');
        query.addBindValue(int(delivery));
        query.addBindValue(messageId);
        query.addBindValue(account);
        if (!query.exec())
            return queryError(query);
        return Success{};
    });
}

QFuture<Result<Success>> MessageRepository::setEncryption(const QString &account, const QString &messageId,
                                                          ChatMessage::Encryption encryption)
{
    return m_db.run([account, messageId, encryption](QSqlDatabase &db) -> Result<Success> {
        QSqlQuery query(db);
        query.prepare(
            QStringLiteral("UPDATE messages SET encryption = ? WHERE direction = 1 AND message_id = ? "
                           "AND account_id = (SELECT id FROM accounts WHERE jid = ?)"));
        query.addBindValue(int(encryption));
        query.addBindValue(messageId);
        query.addBindValue(account);
        if (!query.exec())
            return queryError(query);
        return Success{};
    });
}

QFuture<Result<QList<ChatMessage>>> MessageRepository::pending(const QString &account)
{
    return m_db.run([account](QSqlDatabase &db) -> Result<QList<ChatMessage>> {
        QSqlQuery query(db);
        query.setForwardOnly(true);
        query.prepare(QStringLiteral("SELECT ") + Columns + Joins +
                      QStringLiteral("WHERE a.jid = ? AND m.direction = 1 AND m.delivery < 2 ORDER BY m.id"));
        query.addBindValue(account);
        return readAll(query);
    });
}

} // namespace Natter::Core
