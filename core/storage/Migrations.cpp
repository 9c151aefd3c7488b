// SPDX-License-Identifier: GPL-3.0-or-later
#include "Migrations.h"

#include "common/Logging.h"

#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <algorithm>
#include <array>
#include <string_view>

namespace Natter::Core {

namespace {

// Released steps are never edited: append a new one instead.
// Step N (1-based) turns schema version N-1 into version N.
constexpr std::array<std::string_view, 13> Steps = {
    // 1: accounts
    R"sql(
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    jid TEXT NOT NULL UNIQUE,
    host TEXT NOT NULL DEFAULT '',
    port INTEGER NOT NULL DEFAULT 0 CHECK (port BETWEEN 0 AND 65535),
    tls_mode INTEGER NOT NULL DEFAULT 0 CHECK (tls_mode IN (0, 1)),
    resource TEXT NOT NULL,
    password_storage INTEGER NOT NULL CHECK (password_storage IN (0, 1, 2)),
    enabled INTEGER NOT NULL DEFAULT 1,
    position INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
)sql",
    // 2: the message store: interned JIDs, conversations, one timeline of messages, full-text index and
    // the MAM sync state of each archive.
    R"sql(
CREATE TABLE jids (
    id INTEGER PRIMARY KEY,
    jid TEXT NOT NULL UNIQUE
);
CREATE TABLE conversations (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    peer_id INTEGER NOT NULL REFERENCES jids(id),
    kind INTEGER NOT NULL DEFAULT 0 CHECK (kind IN (0, 1)),
    last_activity INTEGER NOT NULL DEFAULT 0,
    unread_count INTEGER NOT NULL DEFAULT 0,
    draft TEXT NOT NULL DEFAULT '',
    muted INTEGER NOT NULL DEFAULT 0,
    pinned INTEGER NOT NULL DEFAULT 0,
    UNIQUE (account_id, peer_id, kind)
);
CREATE INDEX conversations_by_activity ON conversations (account_id, last_activity DESC);
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    direction INTEGER NOT NULL CHECK (direction IN (0, 1)),
    sender TEXT NOT NULL,
    time INTEGER NOT NULL,
    sent_at INTEGER,
    received_at INTEGER NOT NULL,
    server_at INTEGER,
    body TEXT NOT NULL DEFAULT '',
    stanza_id TEXT,
    archive_id INTEGER REFERENCES jids(id),
    origin_id TEXT,
    message_id TEXT,
    delivery INTEGER NOT NULL DEFAULT 0,
    encryption INTEGER NOT NULL DEFAULT 0,
    replaces_id TEXT,
    retracted INTEGER NOT NULL DEFAULT 0,
    reply_to TEXT
);
CREATE INDEX messages_timeline ON messages (conversation_id, time DESC, id DESC);
CREATE UNIQUE INDEX messages_by_stanza_id ON messages (account_id, archive_id, stanza_id)
    WHERE stanza_id IS NOT NULL;
CREATE UNIQUE INDEX messages_by_origin_id ON messages (conversation_id, origin_id, direction)
    WHERE origin_id IS NOT NULL;
CREATE INDEX messages_by_message_id ON messages (conversation_id, message_id) WHERE message_id IS NOT NULL;
CREATE INDEX messages_pending ON messages (account_id, id) WHERE direction = 1 AND delivery < 2;
CREATE VIRTUAL TABLE messages_fts USING fts5 (
    body, content = 'messages', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF body ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.id, old.body);
    INSERT INTO messages_fts (rowid, body) VALUES (new.id, new.body);
END;
CREATE TABLE archive_ranges (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    archive_id INTEGER NOT NULL REFERENCES jids(id),
    oldest_stanza_id TEXT,
    oldest_time INTEGER,
    newest_stanza_id TEXT,
    newest_time INTEGER,
    reaches_archive_start INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX archive_ranges_by_archive ON archive_ranges (account_id, archive_id, newest_time DESC);
)sql",
    // 3: faster ingest and search.
    // - The same-message look-up (id, sender and direction within a minute) reads the timeline, which now
    //   carries message_id, instead of its own index: that index's random keys cost a page write per message.
    // - The full-text index gets prefix indexes for two and three characters: the last word of every query is
    //   a prefix, and without them "the"* merges the lists of every word starting with it.
    // - Ingest fills the full-text index with one statement per batch instead of the row trigger: FTS5
    //   flushes its pending terms at every statement that writes to it, so the trigger wrote a segment (and
    //   merged segments) per row. Anything else that adds messages must fill it too.
    // - message_blocks keeps the newest time of each run of 1,024 row ids (filled by a trigger; deleting rows
    //   leaves it an upper bound), so search visits the full-text index newest block first and stops as soon
    //   as no further block can hold a newer hit.
    R"sql(
DROP INDEX messages_by_message_id;
DROP INDEX messages_timeline;
CREATE INDEX messages_timeline ON messages (conversation_id, time DESC, id DESC, message_id);
DROP TRIGGER messages_fts_insert;
DROP TABLE messages_fts;
CREATE VIRTUAL TABLE messages_fts USING fts5 (
    body, content = 'messages', content_rowid = 'id', prefix = '2 3',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
CREATE TABLE message_blocks (
    block INTEGER PRIMARY KEY,
    newest_time INTEGER NOT NULL
);
INSERT INTO message_blocks (block, newest_time) SELECT id >> 10, MAX(time) FROM messages GROUP BY id >> 10;
CREATE TRIGGER message_blocks_insert AFTER INSERT ON messages BEGIN
    INSERT INTO message_blocks (block, newest_time) VALUES (new.id >> 10, new.time)
        ON CONFLICT (block) DO UPDATE SET newest_time = MAX(newest_time, excluded.newest_time);
END;
)sql",
    // 4: contacts. The roster with the version the server gave it (RFC 6121 roster versioning), the
    // entity-capabilities cache (XEP-0115: one disco#info per hash, ever), the avatar each contact announced,
    // conversations accepted by the user (a stranger's chat stays in the request area until then) and
    // profile-wide preferences.
    R"sql(
CREATE TABLE roster_items (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    jid_id INTEGER NOT NULL REFERENCES jids(id),
    name TEXT NOT NULL DEFAULT '',
    subscription INTEGER NOT NULL DEFAULT 0 CHECK (subscription BETWEEN 0 AND 3),
    ask_subscribe INTEGER NOT NULL DEFAULT 0,
    pre_approved INTEGER NOT NULL DEFAULT 0,
    groups TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (account_id, jid_id)
) WITHOUT ROWID;
CREATE TABLE roster_versions (
    account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    version TEXT NOT NULL
);
CREATE TABLE caps_cache (
    algorithm TEXT NOT NULL,
    verification TEXT NOT NULL,
    info TEXT NOT NULL,
    PRIMARY KEY (algorithm, verification)
) WITHOUT ROWID;
CREATE TABLE avatars (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    jid_id INTEGER NOT NULL REFERENCES jids(id),
    hash TEXT NOT NULL,
    source INTEGER NOT NULL CHECK (source IN (0, 1)),
    PRIMARY KEY (account_id, jid_id)
) WITHOUT ROWID;
ALTER TABLE conversations ADD COLUMN accepted INTEGER NOT NULL DEFAULT 0;
UPDATE conversations SET accepted = 1
    WHERE EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = conversations.id AND m.direction = 1);
CREATE TABLE preferences (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
)sql",
    // 5: one-to-one messaging. Replies (XEP-0461) keep the quoted text of their fallback for when the
    // original
    // is not stored; OOB links (XEP-0066); whether the sender asked for chat markers (XEP-0333); bodies cut
    // at
    // the size limit. Corrections (XEP-0308), retractions (XEP-0424) and reactions (XEP-0444) are kept as
    // actions of a chat (account and peer, so one may come before its conversation exists), and one that
    // arrives
    // before its message (history is fetched newest first) is applied when the message comes; they apply only
    // to a message of the same author in the same conversation. A corrected
    // message keeps its first body; retracted is 1 when its author retracted it and 2 when we deleted it here
    // (the row stays as a tombstone so the archive does not bring it back). reactions holds each reactor's
    // current set. displayed_stanza_id is the read position synchronised with our other devices (XEP-0490).
    R"sql(
ALTER TABLE messages ADD COLUMN reply_to_jid TEXT;
ALTER TABLE messages ADD COLUMN reply_quote TEXT;
ALTER TABLE messages ADD COLUMN oob_url TEXT;
ALTER TABLE messages ADD COLUMN oob_description TEXT;
ALTER TABLE messages ADD COLUMN markable INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN truncated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN original_body TEXT;
ALTER TABLE messages ADD COLUMN edited_at INTEGER;
CREATE TABLE message_actions (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    peer_id INTEGER NOT NULL REFERENCES jids(id),
    direction INTEGER NOT NULL CHECK (direction IN (0, 1)),
    sender TEXT NOT NULL,
    kind INTEGER NOT NULL CHECK (kind IN (1, 2, 3)),
    target_id TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    time INTEGER NOT NULL,
    action_id TEXT NOT NULL
);
CREATE UNIQUE INDEX message_actions_once ON message_actions (account_id, peer_id, direction, action_id);
CREATE INDEX message_actions_by_target ON message_actions (account_id, peer_id, target_id);
CREATE TABLE reactions (
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    reactor TEXT NOT NULL,
    emojis TEXT NOT NULL,
    time INTEGER NOT NULL,
    PRIMARY KEY (message_id, reactor)
) WITHOUT ROWID;
ALTER TABLE conversations ADD COLUMN displayed_stanza_id TEXT;
)sql",
    // 6: group chats (XEP-0045). A room's messages live in a conversation of kind 1; their authors are known
    // by occupant-id (XEP-0421) and, in non-anonymous rooms, by real JID, never by nickname alone, and
    // actions carry the same two so that only the author can correct or retract. Kind 4 is a moderator's
    // retraction (XEP-0425), which acts on a message by its room-assigned stanza-id whoever wrote it.
    // notify is a room's notification setting: 0 the default (mentions), 1 all messages, 2 mentions, 3 none.
    R"sql(
ALTER TABLE messages ADD COLUMN occupant_id TEXT;
ALTER TABLE messages ADD COLUMN real_jid TEXT;
CREATE TABLE message_actions_6 (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    peer_id INTEGER NOT NULL REFERENCES jids(id),
    direction INTEGER NOT NULL CHECK (direction IN (0, 1)),
    sender TEXT NOT NULL,
    kind INTEGER NOT NULL CHECK (kind IN (1, 2, 3, 4)),
    target_id TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    time INTEGER NOT NULL,
    action_id TEXT NOT NULL,
    occupant_id TEXT,
    real_jid TEXT
);
INSERT INTO message_actions_6 (id, account_id, peer_id, direction, sender, kind, target_id, body, time, action_id)
    SELECT id, account_id, peer_id, direction, sender, kind, target_id, body, time, action_id FROM message_actions;
DROP TABLE message_actions;
ALTER TABLE message_actions_6 RENAME TO message_actions;
CREATE UNIQUE INDEX message_actions_once ON message_actions (account_id, peer_id, direction, action_id);
CREATE INDEX message_actions_by_target ON message_actions (account_id, peer_id, target_id);
ALTER TABLE conversations ADD COLUMN notify INTEGER NOT NULL DEFAULT 0 CHECK (notify IN (0, 1, 2, 3));
)sql",
    // 7: end-to-end encryption (OMEMO). version is 0 for legacy OMEMO 0.3 (eu.siacs.conversations.axolotl)
    // and
    // 2 for OMEMO 2 (urn:xmpp:omemo:2); both share our device id and identity key (omemo_own_device), each
    // has
    // its own pre-keys and sessions. omemo_devices is what each contact's device list announced, with the
    // session (libomemo-c's serialised record) and identity key of each device. trust_* are QXmpp's trust
    // storage (XEP-0450 included), keyed by encryption namespace; legacy keys are kept there too, so one
    // device has one trust record per version it speaks. messages.encryption: 0 plain, 1 legacy OMEMO,
    // 2 OMEMO 2; crypto_error says why an encrypted message could not be read. conversations.encryption is
    // the user's choice: 0 automatic (on where the peer supports it), 1 on, 2 off.
    R"sql(
CREATE TABLE omemo_own_device (
    account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    device_id INTEGER NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    private_identity_key BLOB NOT NULL,
    public_identity_key BLOB NOT NULL,
    latest_signed_pre_key_id INTEGER NOT NULL DEFAULT 0,
    latest_pre_key_id INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE omemo_signed_pre_keys (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    version INTEGER NOT NULL CHECK (version IN (0, 2)),
    id INTEGER NOT NULL,
    data BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, version, id)
) WITHOUT ROWID;
CREATE TABLE omemo_pre_keys (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    version INTEGER NOT NULL CHECK (version IN (0, 2)),
    id INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (account_id, version, id)
) WITHOUT ROWID;
CREATE TABLE omemo_devices (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    version INTEGER NOT NULL CHECK (version IN (0, 2)),
    jid TEXT NOT NULL,
    device_id INTEGER NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    key_id BLOB,
    session BLOB,
    unresponded_sent INTEGER NOT NULL DEFAULT 0,
    unresponded_received INTEGER NOT NULL DEFAULT 0,
    removed_at INTEGER,
    PRIMARY KEY (account_id, version, jid, device_id)
) WITHOUT ROWID;
CREATE TABLE trust_security_policies (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    encryption TEXT NOT NULL,
    policy INTEGER NOT NULL,
    PRIMARY KEY (account_id, encryption)
) WITHOUT ROWID;
CREATE TABLE trust_own_keys (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    encryption TEXT NOT NULL,
    key_id BLOB NOT NULL,
    PRIMARY KEY (account_id, encryption)
) WITHOUT ROWID;
CREATE TABLE trust_keys (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    encryption TEXT NOT NULL,
    owner_jid TEXT NOT NULL,
    key_id BLOB NOT NULL,
    trust_level INTEGER NOT NULL,
    PRIMARY KEY (account_id, encryption, owner_jid, key_id)
) WITHOUT ROWID;
CREATE TABLE trust_postponed_decisions (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    encryption TEXT NOT NULL,
    sender_key_id BLOB NOT NULL,
    owner_jid TEXT NOT NULL,
    key_id BLOB NOT NULL,
    trust INTEGER NOT NULL CHECK (trust IN (0, 1)),
    PRIMARY KEY (account_id, encryption, sender_key_id, owner_jid, key_id)
) WITHOUT ROWID;
ALTER TABLE messages ADD COLUMN crypto_error TEXT;
ALTER TABLE conversations ADD COLUMN encryption INTEGER NOT NULL DEFAULT 0 CHECK (encryption IN (0, 1, 2));
)sql",
    // 8: shared files. What the sender told about a message's file (XEP-0447/XEP-0446 metadata), where it
    // is on this machine: downloaded by us, or for our own, the file it was sent from (never ours to delete),
    // and
    // its thumbnail.
    R"sql(
CREATE TABLE message_files (
    message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
    name TEXT,
    size INTEGER,
    media_type TEXT,
    sha256 BLOB,
    width INTEGER,
    height INTEGER,
    path TEXT,
    downloaded INTEGER NOT NULL DEFAULT 0 CHECK (downloaded IN (0, 1)),
    thumbnail_path TEXT,
    saved_at INTEGER
);
)sql",
    // 9: the small image a sender sends beside a shared image (XEP-0264), shown until the file is here.
    R"sql(
ALTER TABLE message_files ADD COLUMN sender_thumbnail BLOB;
)sql",
    // 10: records of direct file transfers in the history (ChatMessage::Kind): never sent, never received.
    R"sql(
ALTER TABLE messages ADD COLUMN kind INTEGER NOT NULL DEFAULT 0 CHECK (kind IN (0, 1));
)sql",
    // 11: records of calls in the history (ChatMessage::Kind::Call). SQLite cannot change a column's CHECK,
    // so the column is made anew and the old one dropped.
    R"sql(
ALTER TABLE messages RENAME COLUMN kind TO kind_before_calls;
ALTER TABLE messages ADD COLUMN kind INTEGER NOT NULL DEFAULT 0 CHECK (kind IN (0, 1, 2));
UPDATE messages SET kind = kind_before_calls WHERE kind_before_calls <> 0;
ALTER TABLE messages DROP COLUMN kind_before_calls;
)sql",
    // 12: per account, a proxy (SOCKS5, HTTP CONNECT or Tor; its password is with the account's password),
    // the
    // name the user gives the account and its colour.
    R"sql(
ALTER TABLE accounts ADD COLUMN proxy_type INTEGER NOT NULL DEFAULT 0 CHECK (proxy_type IN (0, 1, 2, 3));
ALTER TABLE accounts ADD COLUMN proxy_host TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN proxy_port INTEGER NOT NULL DEFAULT 0 CHECK (proxy_port BETWEEN 0 AND 65535);
ALTER TABLE accounts ADD COLUMN proxy_user TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN display_name TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN colour TEXT NOT NULL DEFAULT '';
)sql",
    // 13: the certificate (DER) the user trusted for an account although it does not verify.
    R"sql(
ALTER TABLE accounts ADD COLUMN pinned_certificate BLOB NOT NULL DEFAULT x'';
)sql",
};

static_assert(!Steps.empty(), "there is always at least the first schema");
static_assert(
    [] {
        for (const auto step : Steps)
            if (step.find("CREATE") == std::string_view::npos &&
                step.find("ALTER") == std::string_view::npos &&
                step.find("UPDATE") == std::string_view::npos && step.find("DROP") == std::string_view::npos)
                return false;
        return true;
    }(),
    "every migration step changes something");

// Splits a script at semicolons, keeping a trigger's BEGIN … END body in one statement.
QStringList statementsOf(std::string_view script)
{
    const QString text = QString::fromUtf8(script.data(), qsizetype(script.size()));
    QStringList statements;
    QString current;
    for (const QString &piece : text.split(u';')) {
        current += piece;
        const QString trimmed = current.trimmed();
        const bool inTrigger = trimmed.startsWith(QLatin1String("CREATE TRIGGER"), Qt::CaseInsensitive) &&
                               !trimmed.endsWith(QLatin1String("END"), Qt::CaseInsensitive);
        if (inTrigger) {
            current += u';';
            continue;
        }
        if (!trimmed.isEmpty())
            statements.append(trimmed);
        current.clear();
    }
    return statements;
}

bool execScript(QSqlDatabase &db, std::string_view script, QString *error)
{
    for (const QString &statement : statementsOf(script)) {
        QSqlQuery query(db);
        if (!query.exec(statement)) {
            *error = query.lastError().text() + QStringLiteral(" in: ") + statement.left(200);
            return false;
        }
    }
    return true;
}

QString backupFileName(const QString &file, int version)
{
    return file + QStringLiteral(".backup-v%1").arg(version);
}

// Returns an empty string on success, else what went wrong.
QString copyDatabaseFile(QSqlDatabase &db, const QString &target)
{
    QFile::remove(target);
    QSqlQuery query(db);
    // VACUUM INTO writes a consistent copy even with WAL in use.
    query.prepare(QStringLiteral("VACUUM INTO ?"));
    query.addBindValue(target);
    return query.exec() ? QString() : query.lastError().text();
}

} // namespace

int Migrations::latestVersion()
{
    return int(Steps.size());
}

int Migrations::currentVersion(QSqlDatabase &db)
{
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
        return -1;
    return query.value(0).toInt();
}

Result<Success> Migrations::apply(QSqlDatabase &db, const QString &file)
{
    return applyUpTo(db, file, latestVersion());
}

Result<Success> Migrations::applyUpTo(QSqlDatabase &db, const QString &file, int targetVersion)
{
    const int current = currentVersion(db);
    if (current < 0)
        return Error(Error::Code::DatabaseCorrupt, db.lastError().text());
    if (current > latestVersion())
        return Error(Error::Code::DatabaseNewerSchema,
                     QStringLiteral("schema %1, this build knows %2").arg(current).arg(latestVersion()));
    if (current >= targetVersion)
        return Success{};

    const QString backup = backupFileName(file, current);
    const bool hasBackup = current > 0;
    if (hasBackup) {
        if (const QString error = copyDatabaseFile(db, backup); !error.isEmpty())
            return Error(Error::Code::DatabaseFailed,
                         QStringLiteral("could not back up to %1: %2").arg(backup, error));
    }

    for (int version = current; version < std::min(targetVersion, latestVersion()); ++version) {
        QString error;
        db.transaction();
        const bool ok =
            execScript(db, Steps[size_t(version)], &error) &&
            execScript(db, QStringLiteral("PRAGMA user_version = %1").arg(version + 1).toStdString(), &error);
        if (!ok || !db.commit()) {
            db.rollback();
            qCWarning(lcStorage) << "migration to" << version + 1 << "failed:" << error;
            if (hasBackup) {
                // The file is restored from the backup so the profile is exactly as before the attempt.
                db.close();
                QFile::remove(file + QStringLiteral("-wal"));
                QFile::remove(file + QStringLiteral("-shm"));
                QFile::remove(file);
                QFile::copy(backup, file);
            }
            return Error(Error::Code::DatabaseFailed,
                         QStringLiteral("migration to schema %1 failed: %2").arg(version + 1).arg(error));
        }
        qCDebug(lcStorage) << "database migrated to schema" << version + 1;
    }
    if (current < std::min(targetVersion, latestVersion()))
        qCInfo(lcStorage) << "database migrated from schema" << current << "to"
                          << std::min(targetVersion, latestVersion());
    return Success{};
}

} // namespace Natter::Core
