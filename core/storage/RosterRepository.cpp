// SPDX-License-Identifier: GPL-3.0-or-later
#include "RosterRepository.h"

#include "MessageRows.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>

namespace Natter::Core {

namespace {

using MessageRows::accountIdOf;
using MessageRows::queryError;

QString presenceKey(const QString &account)
{
    return QStringLiteral("presence:") + account;
}

QString groupsJson(const QStringList &groups)
{
    return QString::fromUtf8(
        QJsonDocument(QJsonArray::fromStringList(groups)).toJson(QJsonDocument::Compact));
}

QStringList groupsFromJson(const QString &json)
{
    QStringList groups;
    for (const QJsonValue &value : QJsonDocument::fromJson(json.toUtf8()).array())
        groups.append(value.toString());
    return groups;
}

// Writes rows into roster_items and the version, reusing prepared statements across items.
class RosterWriter
{
public:
    RosterWriter(QSqlDatabase &db, qint64 accountId)
        : m_intern(db)
        , m_upsert(db)
        , m_accountId(accountId)
    {
        m_intern.prepare(QStringLiteral(
            "INSERT INTO jids (jid) VALUES (?) ON CONFLICT (jid) DO UPDATE SET jid = jid RETURNING id"));
        m_upsert.prepare(
            QStringLiteral("INSERT INTO roster_items (account_id, jid_id, name, subscription, ask_subscribe, "
                           "pre_approved, groups) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, jid_id) DO UPDATE SET name "
                           "= excluded.name, "
                           "subscription = excluded.subscription, ask_subscribe = excluded.ask_subscribe, "
                           "pre_approved = excluded.pre_approved, groups = excluded.groups"));
    }

    std::optional<Error> write(const RosterItem &item)
    {
        m_intern.addBindValue(item.jid);
        if (!m_intern.exec() || !m_intern.next())
            return queryError(m_intern);
        const qint64 jidId = m_intern.value(0).toLongLong();
        m_intern.finish();
        m_upsert.addBindValue(m_accountId);
        m_upsert.addBindValue(jidId);
        m_upsert.addBindValue(item.name.isNull() ? QStringLiteral("") : item.name); // NULL is not a name
        m_upsert.addBindValue(int(item.subscription));
        m_upsert.addBindValue(item.askSubscribe);
        m_upsert.addBindValue(item.preApproved);
        m_upsert.addBindValue(groupsJson(item.groups));
        if (!m_upsert.exec())
            return queryError(m_upsert);
        return std::nullopt;
    }

private:
    QSqlQuery m_intern;
    QSqlQuery m_upsert;
    qint64 m_accountId;
};

std::optional<Error> saveVersion(QSqlDatabase &db, qint64 accountId, const QString &version)
{
    QSqlQuery query(db);
    query.prepare(QStringLiteral("INSERT INTO roster_versions (account_id, version) VALUES (?, ?) "
                                 "ON CONFLICT (account_id) DO UPDATE SET version = excluded.version"));
    query.addBindValue(accountId);
    query.addBindValue(version);
    if (!query.exec())
        return queryError(query);
    return std::nullopt;
}

// Runs change inside one transaction for account; rolls back on any error.
template <typename Change>
Result<Success> inTransaction(QSqlDatabase &db, const QString &account, Change change)
{
    const auto accountId = accountIdOf(db, account);
    if (!isOk(accountId))
        return errorOf(accountId);
    if (!db.transaction())
        return Error(Error::Code::DatabaseFailed, QStringLiteral("could not begin a transaction"));
    if (const std::optional<Error> error = change(std::get<qint64>(accountId))) {
        db.rollback();
        return *error;
    }
    if (!db.commit())
        return Error(Error::Code::DatabaseFailed, QStringLiteral("could not commit the roster"));
    return Success{};
}

} // namespace

RosterRepository::RosterRepository(Database &db)
    : m_db(db)
{}

QFuture<Result<StoredRoster>> RosterRepository::load(const QString &account)
{
    return m_db.run([account](QSqlDatabase &db) -> Result<StoredRoster> {
        StoredRoster roster;
        QSqlQuery query(db);
        query.prepare(
            QStringLiteral("SELECT v.version FROM roster_versions v JOIN accounts a ON a.id = v.account_id "
                           "WHERE a.jid = ?"));
        query.addBindValue(account);
        if (!query.exec())
            return queryError(query);
        if (query.next())
            roster.version = query.value(0).toString();
        query.finish();
        query.setForwardOnly(true);
        query.prepare(QStringLiteral(
            "SELECT j.jid, r.name, r.subscription, r.ask_subscribe, r.pre_approved, r.groups FROM "
            "roster_items r "
            "JOIN accounts a ON a.id = r.account_id JOIN jids j ON j.id = r.jid_id WHERE a.jid = ?"));
        query.addBindValue(account);
        if (!query.exec())
            return queryError(query);
        while (query.next()) {
            RosterItem item;
            item.account = account;
            item.jid = query.value(0).toString();
            item.name = query.value(1).toString();
            item.subscription = RosterItem::Subscription(std::clamp(query.value(2).toInt(), 0, 3));
            item.askSubscribe = query.value(3).toBool();
            item.preApproved = query.value(4).toBool();
            item.groups = groupsFromJson(query.value(5).toString());
            roster.items.append(item);
        }
        return roster;
    });
}

QFuture<Result<Success>> RosterRepository::replace(const QString &account, const QString &version,
                                                   const QList<RosterItem> &items)
{
    return m_db.run([account, version, items](QSqlDatabase &db) {
        return inTransaction(db, account, [&](qint64 accountId) -> std::optional<Error> {
            QSqlQuery clear(db);
            clear.prepare(QStringLiteral("DELETE FROM roster_items WHERE account_id = ?"));
            clear.addBindValue(accountId);
            if (!clear.exec())
                return queryError(clear);
            RosterWriter writer(db, accountId);
            for (const RosterItem &item : items)
                if (auto error = writer.write(item))
                    return error;
            return saveVersion(db, accountId, version);
        });
    });
}

QFuture<Result<Success>> RosterRepository::save(const QString &account, const QString &version,
                                                const RosterItem &item)
{
    return m_db.run([account, version, item](QSqlDatabase &db) {
        return inTransaction(db, account, [&](qint64 accountId) -> std::optional<Error> {
            RosterWriter writer(db, accountId);
            if (auto error = writer.write(item))
                return error;
            return saveVersion(db, accountId, version);
        });
    });
}

QFuture<Result<Success>> RosterRepository::remove(const QString &account, const QString &version,
                                                  const QString &jid)
{
    return m_db.run([account, version, jid](QSqlDatabase &db) {
        return inTransaction(db, account, [&](qint64 accountId) -> std::optional<Error> {
            QSqlQuery query(db);
            query.prepare(QStringLiteral("DELETE FROM roster_items WHERE account_id = ? AND jid_id = (SELECT "
                                         "id FROM jids WHERE jid = ?)"));
            query.addBindValue(accountId);
            query.addBindValue(jid);
            if (!query.exec())
                return queryError(query);
            return saveVersion(db, accountId, version);
        });
    });
}

QFuture<Result<std::optional<OwnPresence>>> RosterRepository::ownPresence(const QString &account)
{
    return m_db.run([account](QSqlDatabase &db) -> Result<std::optional<OwnPresence>> {
        QSqlQuery query(db);
        query.prepare(QStringLiteral("SELECT value FROM preferences WHERE key = ?"));
        query.addBindValue(presenceKey(account));
        if (!query.exec())
            return queryError(query);
        if (!query.next())
            return std::optional<OwnPresence>();
        const QJsonObject object = QJsonDocument::fromJson(query.value(0).toString().toUtf8()).object();
        OwnPresence presence;
        const int show = object.value(QStringLiteral("show")).toInt(int(PresenceShow::Available));
        presence.show = PresenceShow(std::clamp(show, 0, int(PresenceShow::DoNotDisturb)));
        presence.status = object.value(QStringLiteral("status")).toString();
        presence.priority = std::clamp(object.value(QStringLiteral("priority")).toInt(), -128, 127);
        return std::optional(presence);
    });
}

QFuture<Result<Success>> RosterRepository::saveOwnPresence(const QString &account,
                                                           const OwnPresence &presence)
{
    return m_db.run([account, presence](QSqlDatabase &db) -> Result<Success> {
        const QJsonObject object{{QStringLiteral("show"), int(presence.show)},
                                 {QStringLiteral("status"), presence.status},
                                 {QStringLiteral("priority"), presence.priority}};
        QSqlQuery query(db);
        query.prepare(QStringLiteral("INSERT INTO preferences (key, value) VALUES (?, ?) "
                                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
        query.addBindValue(presenceKey(account));
        query.addBindValue(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
        if (!query.exec())
            return queryError(query);
        return Success{};
    });
}

} // namespace Natter::Core
