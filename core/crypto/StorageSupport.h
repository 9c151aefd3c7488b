// SPDX-License-Identifier: GPL-3.0-or-later
// What the SQLite adapters for QXmpp's OMEMO and trust storage share: one transaction per change on the
// database thread, failures logged (QXmpp's interfaces have no error channel), tasks finished where asked.
#pragma once

#include "common/Logging.h"
#include "common/Result.h"
#include "storage/MessageRows.h"

#include <QFuture>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QXmppPromise.h>
#include <functional>
#include <type_traits>

namespace Natter::Core::StorageSupport {

// A change to one account's rows, given the account's row id.
using Change = std::function<Result<Success>(QSqlDatabase &, qint64)>;

inline void logFailure(const char *storage, const char *operation, const Error &error)
{
    qCWarning(lcStorage).noquote() << storage << "storage:" << operation << "failed:" << error.codeName()
                                   << error.detail;
}

inline Result<Success> exec(QSqlQuery &query)
{
    if (!query.exec())
        return MessageRows::queryError(query);
    return Success{};
}

// NOT NULL blob columns take an empty key as an empty blob: Qt binds a null QByteArray as NULL.
inline QByteArray blob(const QByteArray &bytes)
{
    return bytes.isNull() ? QByteArray("", 0) : bytes;
}

// Runs change for account's row inside one transaction; a failure is logged and rolled back. Whether the
// change was committed.
inline bool applyChange(QSqlDatabase &db, const QString &account, const char *storage, const char *operation,
                        const Change &change)
{
    const auto accountId = MessageRows::accountIdOf(db, account);
    if (!isOk(accountId)) {
        logFailure(storage, operation, errorOf(accountId));
        return false;
    }
    if (!db.transaction()) {
        logFailure(storage, operation, Error(Error::Code::DatabaseFailed, db.lastError().text()));
        return false;
    }
    if (const auto result = change(db, std::get<qint64>(accountId)); !isOk(result)) {
        db.rollback();
        logFailure(storage, operation, errorOf(result));
        return false;
    }
    if (!db.commit()) {
        logFailure(storage, operation, Error(Error::Code::DatabaseFailed, db.lastError().text()));
        db.rollback();
        return false;
    }
    return true;
}

// The task of future, finished on context's thread: QXmppPromise must not be finished from another one.
template <typename T> QXmppTask<T> finishOn(QObject *context, QFuture<T> future)
{
    QXmppPromise<T> promise;
    auto task = promise.task();
    if constexpr (std::is_void_v<T>)
        future.then(context, [promise]() mutable { promise.finish(); });
    else
        future.then(context, [promise](T value) mutable { promise.finish(std::move(value)); });
    return task;
}

} // namespace Natter::Core::StorageSupport
