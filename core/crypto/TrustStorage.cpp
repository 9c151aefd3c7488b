// SPDX-License-Identifier: GPL-3.0-or-later
// TrustStorage: QXmppAtmTrustStorage on the trust_* tables of the profile database.
#include "TrustStorage.h"

#include "StorageSupport.h"
#include "common/Logging.h"
#include "storage/Database.h"
#include "storage/MessageRows.h"

#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QXmppPromise.h>
#include <QXmppTrustMessageKeyOwner.h>
#include <functional>
#include <type_traits>

namespace Natter::Core {

namespace {

using MessageRows::accountIdOf;
using MessageRows::queryError;
using QXmpp::TrustLevel;
using QXmpp::TrustLevels;

using KeysByLevel = QHash<TrustLevel, QMultiHash<QString, QByteArray>>;
using KeysByOwner = QHash<QString, QHash<QByteArray, TrustLevel>>;
// Encryption → key owner → key ids, as setTrustLevel() reports the keys it changed.
using ModifiedKeys = QHash<QString, QMultiHash<QString, QByteArray>>;
// Postponed trust (true) or distrust (false) → key owner → key ids.
using PostponedKeys = QHash<bool, QMultiHash<QString, QByteArray>>;
using namespace StorageSupport;

void logFailure(const char *operation, const Error &error)
{
    StorageSupport::logFailure("trust", operation, error);
}

bool applyChange(QSqlDatabase &db, const QString &account, const char *operation, const Change &change)
{
    return StorageSupport::applyChange(db, account, "trust", operation, change);
}

template <typename T> using Read = std::function<Result<T>(QSqlDatabase &, qint64)>;

// Each value once, as the memory storage visits each stored key once however often it is asked for.
template <typename T> QList<T> distinct(const QList<T> &values)
{
    QList<T> result;
    QSet<T> seen;
    for (const T &value : values) {
        if (!seen.contains(value)) {
            seen.insert(value);
            result.append(value);
        }
    }
    return result;
}

QXmppTask<void> write(Database &db, QObject *context, const QString &account, const char *operation,
                      Change change)
{
    return finishOn(context, db.run([account, operation, change = std::move(change)](QSqlDatabase &sql) {
        applyChange(sql, account, operation, change);
    }));
}

// Like write(), for a change that reports a value; fallback when it fails.
template <typename T>
QXmppTask<T> writeAndReport(Database &db, QObject *context, const QString &account, const char *operation,
                            T fallback, std::type_identity_t<Read<T>> change)
{
    return finishOn(context, db.run([account, operation, fallback, change](QSqlDatabase &sql) -> T {
        T reported = fallback;
        const bool committed = applyChange(sql, account, operation,
                                           [&](QSqlDatabase &inner, qint64 accountId) -> Result<Success> {
                                               auto result = change(inner, accountId);
                                               if (!isOk(result))
                                                   return errorOf(result);
                                               reported = std::get<T>(std::move(result));
                                               return Success{};
                                           });
        // Nothing was modified when the transaction did not commit.
        return committed ? reported : fallback;
    }));
}

// Runs query for account's row; fallback (what an empty storage answers) when it fails.
template <typename T>
QXmppTask<T> read(Database &db, QObject *context, const QString &account, const char *operation, T fallback,
                  std::type_identity_t<Read<T>> query)
{
    return finishOn(context, db.run([account, operation, fallback, query](QSqlDatabase &sql) -> T {
        const auto accountId = accountIdOf(sql, account);
        if (!isOk(accountId)) {
            logFailure(operation, errorOf(accountId));
            return fallback;
        }
        auto result = query(sql, std::get<qint64>(accountId));
        if (!isOk(result)) {
            logFailure(operation, errorOf(result));
            return fallback;
        }
        return std::get<T>(std::move(result));
    }));
}

// Deletes every row of table for account and encryption.
Result<Success> deleteFrom(QSqlDatabase &db, const QString &table, qint64 accountId,
                           const QString &encryption)
{
    QSqlQuery query(db);
    query.prepare(QStringLiteral("DELETE FROM %1 WHERE account_id = ? AND encryption = ?").arg(table));
    query.addBindValue(accountId);
    query.addBindValue(encryption);
    return exec(query);
}

} // namespace

TrustStorage::TrustStorage(Database &db, QString accountJid)
    : m_db(db)
    , m_accountJid(std::move(accountJid))
{}

QXmppTask<void> TrustStorage::setSecurityPolicy(const QString &encryption,
                                                QXmpp::TrustSecurityPolicy securityPolicy)
{
    return write(
        m_db, &m_context, m_accountJid, "saving the security policy",
        [encryption, securityPolicy](QSqlDatabase &db, qint64 accountId) {
            QSqlQuery query(db);
            query.prepare(QStringLiteral(
                "INSERT INTO trust_security_policies (account_id, encryption, policy) VALUES (?, ?, ?) "
                "ON CONFLICT (account_id, encryption) DO UPDATE SET policy = excluded.policy"));
            query.addBindValue(accountId);
            query.addBindValue(encryption);
            query.addBindValue(int(securityPolicy));
            return exec(query);
        });
}

QXmppTask<void> TrustStorage::resetSecurityPolicy(const QString &encryption)
{
    return write(m_db, &m_context, m_accountJid, "resetting the security policy",
                 [encryption](QSqlDatabase &db, qint64 accountId) {
                     return deleteFrom(db, QStringLiteral("trust_security_policies"), accountId, encryption);
                 });
}

QXmppTask<QXmpp::TrustSecurityPolicy> TrustStorage::securityPolicy(const QString &encryption)
{
    return read<QXmpp::TrustSecurityPolicy>(
        m_db, &m_context, m_accountJid, "reading the security policy", QXmpp::NoSecurityPolicy,
        [encryption](QSqlDatabase &db, qint64 accountId) -> Result<QXmpp::TrustSecurityPolicy> {
            QSqlQuery query(db);
            query.prepare(QStringLiteral(
                "SELECT policy FROM trust_security_policies WHERE account_id = ? AND encryption = ?"));
            query.addBindValue(accountId);
            query.addBindValue(encryption);
            if (!query.exec())
                return queryError(query);
            if (!query.next())
                return QXmpp::NoSecurityPolicy;
            return QXmpp::TrustSecurityPolicy(query.value(0).toInt());
        });
}

QXmppTask<bool> TrustStorage::hasSecurityPolicy(const QString &encryption)
{
    // A failed read answers true: a default must never replace a policy the user may have chosen.
    return read<bool>(m_db, &m_context, m_accountJid, "looking for the security policy", true,
                      [encryption](QSqlDatabase &db, qint64 accountId) -> Result<bool> {
                          QSqlQuery query(db);
                          query.prepare(QStringLiteral("SELECT EXISTS (SELECT 1 FROM trust_security_policies "
                                                       "WHERE account_id = ? AND encryption = ?)"));
                          query.addBindValue(accountId);
                          query.addBindValue(encryption);
                          if (!query.exec() || !query.next())
                              return queryError(query);
                          return query.value(0).toBool();
                      });
}

QXmppTask<void> TrustStorage::setOwnKey(const QString &encryption, const QByteArray &keyId)
{
    return write(m_db, &m_context, m_accountJid, "saving the own key",
                 [encryption, keyId](QSqlDatabase &db, qint64 accountId) {
                     QSqlQuery query(db);
                     query.prepare(QStringLiteral(
                         "INSERT INTO trust_own_keys (account_id, encryption, key_id) VALUES (?, ?, ?) "
                         "ON CONFLICT (account_id, encryption) DO UPDATE SET key_id = excluded.key_id"));
                     query.addBindValue(accountId);
                     query.addBindValue(encryption);
                     query.addBindValue(blob(keyId));
                     return exec(query);
                 });
}

QXmppTask<void> TrustStorage::resetOwnKey(const QString &encryption)
{
    return write(m_db, &m_context, m_accountJid, "resetting the own key",
                 [encryption](QSqlDatabase &db, qint64 accountId) {
                     return deleteFrom(db, QStringLiteral("trust_own_keys"), accountId, encryption);
                 });
}

QXmppTask<QByteArray> TrustStorage::ownKey(const QString &encryption)
{
    return read<QByteArray>(
        m_db, &m_context, m_accountJid, "reading the own key", QByteArray(),
        [encryption](QSqlDatabase &db, qint64 accountId) -> Result<QByteArray> {
            QSqlQuery query(db);
            query.prepare(
                QStringLiteral("SELECT key_id FROM trust_own_keys WHERE account_id = ? AND encryption = ?"));
            query.addBindValue(accountId);
            query.addBindValue(encryption);
            if (!query.exec())
                return queryError(query);
            if (!query.next())
                return QByteArray();
            return query.value(0).toByteArray();
        });
}

QXmppTask<void> TrustStorage::addKeys(const QString &encryption, const QString &keyOwnerJid,
                                      const QList<QByteArray> &keyIds, TrustLevel trustLevel)
{
    return write(
        m_db, &m_context, m_accountJid, "adding keys",
        [encryption, keyOwnerJid, keyIds, trustLevel](QSqlDatabase &db, qint64 accountId) -> Result<Success> {
            QSqlQuery query(db);
            query.prepare(QStringLiteral(
                "INSERT INTO trust_keys (account_id, encryption, owner_jid, key_id, trust_level) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_id, encryption, owner_jid, key_id) "
                "DO UPDATE SET trust_level = excluded.trust_level"));
            for (const QByteArray &keyId : keyIds) {
                query.addBindValue(accountId);
                query.addBindValue(encryption);
                query.addBindValue(keyOwnerJid);
                query.addBindValue(blob(keyId));
                query.addBindValue(int(trustLevel));
                if (!query.exec())
                    return queryError(query);
            }
            return Success{};
        });
}

QXmppTask<void> TrustStorage::removeKeys(const QString &encryption, const QList<QByteArray> &keyIds)
{
    return write(m_db, &m_context, m_accountJid, "removing keys",
                 [encryption, keyIds](QSqlDatabase &db, qint64 accountId) -> Result<Success> {
                     QSqlQuery query(db);
                     query.prepare(QStringLiteral(
                         "DELETE FROM trust_keys WHERE account_id = ? AND encryption = ? AND key_id = ?"));
                     for (const QByteArray &keyId : keyIds) {
                         query.addBindValue(accountId);
                         query.addBindValue(encryption);
                         query.addBindValue(blob(keyId));
                         if (!query.exec())
                             return queryError(query);
                     }
                     return Success{};
                 });
}

QXmppTask<void> TrustStorage::removeKeys(const QString &encryption, const QString &keyOwnerJid)
{
    return write(m_db, &m_context, m_accountJid, "removing an owner's keys",
                 [encryption, keyOwnerJid](QSqlDatabase &db, qint64 accountId) {
                     QSqlQuery query(db);
                     query.prepare(QStringLiteral(
                         "DELETE FROM trust_keys WHERE account_id = ? AND encryption = ? AND owner_jid = ?"));
                     query.addBindValue(accountId);
                     query.addBindValue(encryption);
                     query.addBindValue(keyOwnerJid);
                     return exec(query);
                 });
}

QXmppTask<void> TrustStorage::removeKeys(const QString &encryption)
{
    return write(m_db, &m_context, m_accountJid, "removing all keys",
                 [encryption](QSqlDatabase &db, qint64 accountId) {
                     return deleteFrom(db, QStringLiteral("trust_keys"), accountId, encryption);
                 });
}

QXmppTask<KeysByLevel> TrustStorage::keys(const QString &encryption, TrustLevels trustLevels)
{
    // No levels means every level.
    return read<KeysByLevel>(
        m_db, &m_context, m_accountJid, "reading keys", KeysByLevel(),
        [encryption, levels = int(trustLevels)](QSqlDatabase &db, qint64 accountId) -> Result<KeysByLevel> {
            QSqlQuery query(db);
            query.setForwardOnly(true);
            query.prepare(
                QStringLiteral("SELECT owner_jid, key_id, trust_level FROM trust_keys "
                               "WHERE account_id = ? AND encryption = ? AND (? = 0 OR trust_level & ?)"));
            query.addBindValue(accountId);
            query.addBindValue(encryption);
            query.addBindValue(levels);
            query.addBindValue(levels);
            if (!query.exec())
                return queryError(query);
            KeysByLevel keys;
            while (query.next())
                keys[TrustLevel(query.value(2).toInt())].insert(query.value(0).toString(),
                                                                query.value(1).toByteArray());
            return keys;
        });
}

QXmppTask<KeysByOwner> TrustStorage::keys(const QString &encryption, const QList<QString> &keyOwnerJids,
                                          TrustLevels trustLevels)
{
    return read<KeysByOwner>(
        m_db, &m_context, m_accountJid, "reading owners' keys", KeysByOwner(),
        [encryption, owners = distinct(keyOwnerJids),
         levels = int(trustLevels)](QSqlDatabase &db, qint64 accountId) -> Result<KeysByOwner> {
            QSqlQuery query(db);
            query.setForwardOnly(true);
            query.prepare(
                QStringLiteral("SELECT key_id, trust_level FROM trust_keys WHERE account_id = ? AND "
                               "encryption = ? AND owner_jid = ? AND (? = 0 OR trust_level & ?)"));
            KeysByOwner keys;
            for (const QString &owner : owners) {
                query.addBindValue(accountId);
                query.addBindValue(encryption);
                query.addBindValue(owner);
                query.addBindValue(levels);
                query.addBindValue(levels);
                if (!query.exec())
                    return queryError(query);
                while (query.next())
                    keys[owner].insert(query.value(0).toByteArray(), TrustLevel(query.value(1).toInt()));
            }
            return keys;
        });
}

QXmppTask<bool> TrustStorage::hasKey(const QString &encryption, const QString &keyOwnerJid,
                                     TrustLevels trustLevels)
{
    // Unlike keys(), no levels matches nothing here, as in QXmpp's memory storage.
    return read<bool>(
        m_db, &m_context, m_accountJid, "looking for a key", false,
        [encryption, keyOwnerJid, levels = int(trustLevels)](QSqlDatabase &db,
                                                             qint64 accountId) -> Result<bool> {
            QSqlQuery query(db);
            query.prepare(QStringLiteral(
                "SELECT EXISTS (SELECT 1 FROM trust_keys WHERE account_id = ? AND encryption = ? "
                "AND owner_jid = ? AND trust_level & ?)"));
            query.addBindValue(accountId);
            query.addBindValue(encryption);
            query.addBindValue(keyOwnerJid);
            query.addBindValue(levels);
            if (!query.exec() || !query.next())
                return queryError(query);
            return query.value(0).toBool();
        });
}

QXmppTask<ModifiedKeys> TrustStorage::setTrustLevel(const QString &encryption,
                                                    const QMultiHash<QString, QByteArray> &keyIds,
                                                    TrustLevel trustLevel)
{
    // Unknown keys are added; only keys whose level changed (or that are new) are reported.
    return writeAndReport<ModifiedKeys>(
        m_db, &m_context, m_accountJid, "setting trust levels", ModifiedKeys(),
        [encryption, keyIds, trustLevel](QSqlDatabase &db, qint64 accountId) -> Result<ModifiedKeys> {
            QSqlQuery query(db);
            query.prepare(QStringLiteral(
                "INSERT INTO trust_keys (account_id, encryption, owner_jid, key_id, trust_level) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_id, encryption, owner_jid, key_id) "
                "DO UPDATE SET trust_level = excluded.trust_level WHERE trust_level != "
                "excluded.trust_level"));
            ModifiedKeys modified;
            for (auto key = keyIds.cbegin(); key != keyIds.cend(); ++key) {
                query.addBindValue(accountId);
                query.addBindValue(encryption);
                query.addBindValue(key.key());
                query.addBindValue(blob(key.value()));
                query.addBindValue(int(trustLevel));
                if (!query.exec())
                    return queryError(query);
                if (query.numRowsAffected() > 0)
                    modified[encryption].insert(key.key(), key.value());
            }
            return modified;
        });
}

QXmppTask<ModifiedKeys> TrustStorage::setTrustLevel(const QString &encryption,
                                                    const QList<QString> &keyOwnerJids,
                                                    TrustLevel oldTrustLevel, TrustLevel newTrustLevel)
{
    // Every key found at oldTrustLevel is reported, even when newTrustLevel is the same level.
    return writeAndReport<ModifiedKeys>(
        m_db, &m_context, m_accountJid, "changing trust levels", ModifiedKeys(),
        [encryption, owners = distinct(keyOwnerJids), oldTrustLevel,
         newTrustLevel](QSqlDatabase &db, qint64 accountId) -> Result<ModifiedKeys> {
            QSqlQuery query(db);
            query.setForwardOnly(true);
            query.prepare(
                QStringLiteral("UPDATE trust_keys SET trust_level = ? WHERE account_id = ? AND "
                               "encryption = ? AND owner_jid = ? AND trust_level = ? RETURNING key_id"));
            ModifiedKeys modified;
            for (const QString &owner : owners) {
                query.addBindValue(int(newTrustLevel));
                query.addBindValue(accountId);
                query.addBindValue(encryption);
                query.addBindValue(owner);
                query.addBindValue(int(oldTrustLevel));
                if (!query.exec())
                    return queryError(query);
                while (query.next())
                    modified[encryption].insert(owner, query.value(0).toByteArray());
            }
            return modified;
        });
}

QXmppTask<TrustLevel> TrustStorage::trustLevel(const QString &encryption, const QString &keyOwnerJid,
                                               const QByteArray &keyId)
{
    return read<TrustLevel>(
        m_db, &m_context, m_accountJid, "reading a trust level", TrustLevel::Undecided,
        [encryption, keyOwnerJid, keyId](QSqlDatabase &db, qint64 accountId) -> Result<TrustLevel> {
            QSqlQuery query(db);
            query.prepare(QStringLiteral("SELECT trust_level FROM trust_keys WHERE account_id = ? AND "
                                         "encryption = ? AND owner_jid = ? AND key_id = ?"));
            query.addBindValue(accountId);
            query.addBindValue(encryption);
            query.addBindValue(keyOwnerJid);
            query.addBindValue(blob(keyId));
            if (!query.exec())
                return queryError(query);
            if (!query.next())
                return TrustLevel::Undecided;
            return TrustLevel(query.value(0).toInt());
        });
}

QXmppTask<void> TrustStorage::resetAll(const QString &encryption)
{
    return write(m_db, &m_context, m_accountJid, "resetting",
                 [encryption](QSqlDatabase &db, qint64 accountId) -> Result<Success> {
                     for (const QString &table :
                          {QStringLiteral("trust_security_policies"), QStringLiteral("trust_own_keys"),
                           QStringLiteral("trust_keys"), QStringLiteral("trust_postponed_decisions")}) {
                         if (auto result = deleteFrom(db, table, accountId, encryption); !isOk(result))
                             return result;
                     }
                     return Success{};
                 });
}

QXmppTask<void>
TrustStorage::addKeysForPostponedTrustDecisions(const QString &encryption, const QByteArray &senderKeyId,
                                                const QList<QXmppTrustMessageKeyOwner> &keyOwners)
{
    // A key both trusted and distrusted in one message ends up distrusted: distrust is written last.
    return write(
        m_db, &m_context, m_accountJid, "postponing trust decisions",
        [encryption, senderKeyId, keyOwners](QSqlDatabase &db, qint64 accountId) -> Result<Success> {
            QSqlQuery query(db);
            query.prepare(QStringLiteral(
                "INSERT INTO trust_postponed_decisions (account_id, encryption, sender_key_id, owner_jid, "
                "key_id, trust) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (account_id, encryption, sender_key_id, owner_jid, key_id) "
                "DO UPDATE SET trust = excluded.trust"));
            const auto save = [&](const QString &owner, const QList<QByteArray> &keyIds,
                                  bool trust) -> Result<Success> {
                for (const QByteArray &keyId : keyIds) {
                    query.addBindValue(accountId);
                    query.addBindValue(encryption);
                    query.addBindValue(blob(senderKeyId));
                    query.addBindValue(owner);
                    query.addBindValue(blob(keyId));
                    query.addBindValue(trust ? 1 : 0);
                    if (!query.exec())
                        return queryError(query);
                }
                return Success{};
            };
            for (const QXmppTrustMessageKeyOwner &owner : keyOwners) {
                if (auto result = save(owner.jid(), owner.trustedKeys(), true); !isOk(result))
                    return result;
                if (auto result = save(owner.jid(), owner.distrustedKeys(), false); !isOk(result))
                    return result;
            }
            return Success{};
        });
}

QXmppTask<void>
TrustStorage::removeKeysForPostponedTrustDecisions(const QString &encryption,
                                                   const QList<QByteArray> &keyIdsForAuthentication,
                                                   const QList<QByteArray> &keyIdsForDistrusting)
{
    // A key id only removes the decisions of its own kind: trust for authentication, distrust for
    // distrusting.
    return write(m_db, &m_context, m_accountJid, "removing postponed decisions for keys",
                 [encryption, keyIdsForAuthentication,
                  keyIdsForDistrusting](QSqlDatabase &db, qint64 accountId) -> Result<Success> {
                     QSqlQuery query(db);
                     query.prepare(
                         QStringLiteral("DELETE FROM trust_postponed_decisions WHERE account_id = ? "
                                        "AND encryption = ? AND key_id = ? AND trust = ?"));
                     const auto remove = [&](const QList<QByteArray> &keyIds, bool trust) -> Result<Success> {
                         for (const QByteArray &keyId : keyIds) {
                             query.addBindValue(accountId);
                             query.addBindValue(encryption);
                             query.addBindValue(blob(keyId));
                             query.addBindValue(trust ? 1 : 0);
                             if (!query.exec())
                                 return queryError(query);
                         }
                         return Success{};
                     };
                     if (auto result = remove(keyIdsForAuthentication, true); !isOk(result))
                         return result;
                     return remove(keyIdsForDistrusting, false);
                 });
}

QXmppTask<void> TrustStorage::removeKeysForPostponedTrustDecisions(const QString &encryption,
                                                                   const QList<QByteArray> &senderKeyIds)
{
    return write(m_db, &m_context, m_accountJid, "removing postponed decisions of senders",
                 [encryption, senderKeyIds](QSqlDatabase &db, qint64 accountId) -> Result<Success> {
                     QSqlQuery query(db);
                     query.prepare(
                         QStringLiteral("DELETE FROM trust_postponed_decisions WHERE account_id = ? "
                                        "AND encryption = ? AND sender_key_id = ?"));
                     for (const QByteArray &senderKeyId : senderKeyIds) {
                         query.addBindValue(accountId);
                         query.addBindValue(encryption);
                         query.addBindValue(blob(senderKeyId));
                         if (!query.exec())
                             return queryError(query);
                     }
                     return Success{};
                 });
}

QXmppTask<void> TrustStorage::removeKeysForPostponedTrustDecisions(const QString &encryption)
{
    return write(m_db, &m_context, m_accountJid, "removing all postponed decisions",
                 [encryption](QSqlDatabase &db, qint64 accountId) {
                     return deleteFrom(db, QStringLiteral("trust_postponed_decisions"), accountId,
                                       encryption);
                 });
}

QXmppTask<PostponedKeys> TrustStorage::keysForPostponedTrustDecisions(const QString &encryption,
                                                                      const QList<QByteArray> &senderKeyIds)
{
    // No sender key ids means the decisions of every sender.
    return read<PostponedKeys>(m_db, &m_context, m_accountJid, "reading postponed decisions", PostponedKeys(),
                               [encryption, senders = distinct(senderKeyIds)](
                                   QSqlDatabase &db, qint64 accountId) -> Result<PostponedKeys> {
                                   QSqlQuery query(db);
                                   query.setForwardOnly(true);
                                   const QString select = QStringLiteral(
                                       "SELECT owner_jid, key_id, trust FROM trust_postponed_decisions "
                                       "WHERE account_id = ? AND encryption = ?");
                                   PostponedKeys keys;
                                   const auto collect = [&]() -> Result<Success> {
                                       if (!query.exec())
                                           return queryError(query);
                                       while (query.next())
                                           keys[query.value(2).toBool()].insert(query.value(0).toString(),
                                                                                query.value(1).toByteArray());
                                       return Success{};
                                   };
                                   if (senders.isEmpty()) {
                                       query.prepare(select);
                                       query.addBindValue(accountId);
                                       query.addBindValue(encryption);
                                       if (auto result = collect(); !isOk(result))
                                           return errorOf(result);
                                       return keys;
                                   }
                                   query.prepare(select + QStringLiteral(" AND sender_key_id = ?"));
                                   for (const QByteArray &sender : senders) {
                                       query.addBindValue(accountId);
                                       query.addBindValue(encryption);
                                       query.addBindValue(blob(sender));
                                       if (auto result = collect(); !isOk(result))
                                           return errorOf(result);
                                   }
                                   return keys;
                               });
}

} // namespace Natter::Core
