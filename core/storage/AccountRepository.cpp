// SPDX-License-Identifier: GPL-3.0-or-later
#include "AccountRepository.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>

namespace Natter::Core {

namespace {
Error queryError(const QSqlQuery &query)
{
    return Error(Error::Code::DatabaseFailed, query.lastError().text());
}
} // namespace

AccountRepository::AccountRepository(Database &db)
    : m_db(db)
{}

QFuture<Result<QList<AccountConfig>>> AccountRepository::loadAll()
{
    return m_db.run([](QSqlDatabase &db) -> Result<QList<AccountConfig>> {
        QSqlQuery query(db);
        if (!query.exec(
                QStringLiteral("SELECT id, jid, host, port, tls_mode, resource, password_storage, enabled, "
                               "proxy_type, proxy_host, proxy_port, proxy_user, display_name, colour, "
                               "pinned_certificate FROM accounts ORDER BY position, id")))
            return queryError(query);
        QList<AccountConfig> accounts;
        while (query.next()) {
            AccountConfig config;
            config.id = query.value(0).toLongLong();
            config.jid = query.value(1).toString();
            config.host = query.value(2).toString();
            config.port = query.value(3).toInt();
            config.tlsMode = AccountConfig::TlsMode(query.value(4).toInt());
            config.resource = query.value(5).toString();
            config.passwordStorage = AccountConfig::PasswordStorage(query.value(6).toInt());
            config.enabled = query.value(7).toBool();
            config.proxyType = AccountConfig::ProxyType(query.value(8).toInt());
            config.proxyHost = query.value(9).toString();
            config.proxyPort = query.value(10).toInt();
            config.proxyUser = query.value(11).toString();
            config.displayName = query.value(12).toString();
            config.colour = query.value(13).toString();
            config.pinnedCertificate = query.value(14).toByteArray();
            accounts.append(config);
        }
        return accounts;
    });
}

QFuture<Result<AccountConfig>> AccountRepository::save(AccountConfig config)
{
    return m_db.run([config](QSqlDatabase &db) mutable -> Result<AccountConfig> {
        QSqlQuery query(db);
        if (config.id == 0) {
            query.prepare(
                QStringLiteral("INSERT INTO accounts (jid, host, port, tls_mode, resource, "
                               "password_storage, enabled, proxy_type, proxy_host, proxy_port, "
                               "proxy_user, display_name, colour, pinned_certificate, position, "
                               "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT "
                               "COALESCE(MAX(position) + 1, 0) FROM accounts), ?)"));
        } else {
            query.prepare(QStringLiteral(
                "UPDATE accounts SET jid = ?, host = ?, port = ?, tls_mode = ?, resource = ?, "
                "password_storage = ?, enabled = ?, proxy_type = ?, proxy_host = ?, "
                "proxy_port = ?, proxy_user = ?, display_name = ?, colour = ?, pinned_certificate = ? "
                "WHERE id = ?"));
        }
        query.addBindValue(config.jid);
        query.addBindValue(config.host.isNull() ? QStringLiteral("") : config.host);
        query.addBindValue(config.port);
        query.addBindValue(int(config.tlsMode));
        query.addBindValue(config.resource);
        query.addBindValue(int(config.passwordStorage));
        query.addBindValue(config.enabled);
        query.addBindValue(int(config.proxyType));
        query.addBindValue(config.proxyHost.isNull() ? QStringLiteral("") : config.proxyHost);
        query.addBindValue(config.proxyPort);
        query.addBindValue(config.proxyUser.isNull() ? QStringLiteral("") : config.proxyUser);
        query.addBindValue(config.displayName.isNull() ? QStringLiteral("") : config.displayName);
        query.addBindValue(config.colour.isNull() ? QStringLiteral("") : config.colour);
        // Bound as a blob even when empty: a null QByteArray would be NULL, which the column refuses.
        query.addBindValue(config.pinnedCertificate.isNull() ? QByteArray("") : config.pinnedCertificate);
        query.addBindValue(config.id == 0 ? QVariant(QDateTime::currentMSecsSinceEpoch())
                                          : QVariant(config.id));
        if (!query.exec()) {
            if (query.lastError().nativeErrorCode() == QLatin1String("2067")) // SQLITE_CONSTRAINT_UNIQUE
                return Error(Error::Code::AccountExists, config.jid);
            return queryError(query);
        }
        if (config.id == 0)
            config.id = query.lastInsertId().toLongLong();
        else if (query.numRowsAffected() == 0)
            return Error(Error::Code::AccountNotFound, config.jid);
        return config;
    });
}

QFuture<Result<Success>> AccountRepository::remove(const QString &jid)
{
    return m_db.run([jid](QSqlDatabase &db) -> Result<Success> {
        QSqlQuery query(db);
        query.prepare(QStringLiteral("DELETE FROM accounts WHERE jid = ?"));
        query.addBindValue(jid);
        if (!query.exec())
            return queryError(query);
        if (query.numRowsAffected() == 0)
            return Error(Error::Code::AccountNotFound, jid);
        return Success{};
    });
}

} // namespace Natter::Core
