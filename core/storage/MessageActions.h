// SPDX-License-Identifier: GPL-3.0-or-later
// Corrections, retractions and reactions in the store (database thread, inside the caller's transaction).
// Actions are recorded once and applied in both orders: to the stored message they target now, and to a
// message stored later (MessageRepository::ingest calls applyToNewRows).
#pragma once

#include "common/Result.h"
#include "domain/MessageAction.h"

#include <QList>
#include <QSet>

class QSqlDatabase;

namespace Natter::Core::MessageActions {

// Records the actions not recorded yet and applies them; returns the rows of the messages that changed.
Result<QSet<qint64>> record(QSqlDatabase &db, const QList<MessageAction> &actions);
// Applies the recorded actions to the messages stored from row firstRow on; returns the rows that changed.
Result<QSet<qint64>> applyToNewRows(QSqlDatabase &db, qint64 firstRow);
// The messages of rows, oldest first.
Result<QList<ChatMessage>> readRows(QSqlDatabase &db, const QSet<qint64> &rows);

} // namespace Natter::Core::MessageActions
