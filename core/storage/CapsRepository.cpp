// SPDX-License-Identifier: GPL-3.0-or-later
#include "CapsRepository.h"

#include "MessageRows.h"

#include <QSqlQuery>

namespace Natter::Core {

using MessageRows::queryError;

CapsRepository::CapsRepository(Database &db)
    : m_db(db)
{}

QFuture<Result<std::optional<QString>>> CapsRepository::load(const QString &algorithm,
                                                             const QString &verification)
{
    return m_db.run([algorithm, verification](QSqlDatabase &db) -> Result<std::optional<QString>> {
        QSqlQuery query(db);
        query.prepare(QStringLiteral("SELECT info FROM caps_cache WHERE algorithm = ? AND verification = ?"));
        query.addBindValue(algorithm);
        query.addBindValue(verification);
        if (!query.exec())
            return queryError(query);
        if (!query.next())
            return std::optional<QString>();
        return std::optional<QString>(query.value(0).toString());
    });
}

QFuture<Result<Success>> CapsRepository::save(const QString &algorithm, const QString &verification,
                                              const QString &info)
{
    return m_db.run([algorithm, verification, info](QSqlDatabase &db) -> Result<Success> {
        QSqlQuery query(db);
        query.prepare(
            QStringLiteral("INSERT INTO caps_cache (algorithm, verification, info) VALUES (?, ?, ?) "
                           "ON CONFLICT (algorithm, verification) DO UPDATE SET info = excluded.info"));
        query.addBindValue(algorithm);
        query.addBindValue(verification);
        query.addBindValue(info);
        if (!query.exec())
            return queryError(query);
        return Success();
    });
}

} // namespace Natter::Core
