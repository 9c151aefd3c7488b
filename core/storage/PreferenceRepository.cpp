// SPDX-License-Identifier: GPL-3.0-or-later
#include "PreferenceRepository.h"

#include "MessageRows.h"

#include <QSqlQuery>

namespace Natter::Core {

PreferenceRepository::PreferenceRepository(Database &db)
    : m_db(db)
{}

QFuture<Result<QHash<QString, QString>>> PreferenceRepository::loadAll()
{
    return m_db.run([](QSqlDatabase &db) -> Result<QHash<QString, QString>> {
        QSqlQuery query(db);
        if (!query.exec(QStringLiteral("SELECT key, value FROM preferences")))
            return MessageRows::queryError(query);
        QHash<QString, QString> values;
        while (query.next())
            values.insert(query.value(0).toString(), query.value(1).toString());
        return values;
    });
}

QFuture<Result<Success>> PreferenceRepository::save(const QString &key, const QString &value)
{
    return m_db.run([key, value](QSqlDatabase &db) -> Result<Success> {
        QSqlQuery query(db);
        query.prepare(QStringLiteral("INSERT INTO preferences (key, value) VALUES (?, ?) "
                                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
        query.addBindValue(key);
        // A null QString binds as SQL NULL, which the column refuses; an emptied choice is "".
        query.addBindValue(value.isNull() ? QStringLiteral("") : value);
        if (!query.exec())
            return MessageRows::queryError(query);
        return Success{};
    });
}

} // namespace Natter::Core
