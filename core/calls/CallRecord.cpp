// SPDX-License-Identifier: GPL-3.0-or-later
#include "CallRecord.h"

#include <QList>
#include <utility>

namespace Natter::Core::Calls {

namespace {

const QString Prefix = QStringLiteral("call:");

const QList<std::pair<CallRecord::Outcome, QString>> OutcomeNames = {
    {CallRecord::Outcome::Answered, QStringLiteral("answered")},
    {CallRecord::Outcome::Missed, QStringLiteral("missed")},
    {CallRecord::Outcome::Declined, QStringLiteral("declined")},
    {CallRecord::Outcome::Busy, QStringLiteral("busy")},
    {CallRecord::Outcome::NoAnswer, QStringLiteral("no-answer")},
    {CallRecord::Outcome::Cancelled, QStringLiteral("cancelled")},
    {CallRecord::Outcome::Failed, QStringLiteral("failed")},
    {CallRecord::Outcome::AnsweredElsewhere, QStringLiteral("answered-elsewhere")},
};

} // namespace

QString CallRecord::toBody() const
{
    QString outcomeName;
    for (const auto &[candidate, name] : OutcomeNames)
        if (candidate == outcome)
            outcomeName = name;
    return QStringLiteral("%1%2 %3 %4")
        .arg(Prefix, video ? QStringLiteral("video") : QStringLiteral("audio"), outcomeName)
        .arg(durationMs);
}

std::optional<CallRecord> CallRecord::fromBody(const QString &body)
{
    if (!body.startsWith(Prefix))
        return std::nullopt;
    const QStringList parts = body.mid(Prefix.size()).split(u' ');
    if (parts.size() != 3 || (parts[0] != u"video" && parts[0] != u"audio"))
        return std::nullopt;
    CallRecord record;
    record.video = parts[0] == u"video";
    bool known = false;
    for (const auto &[outcome, name] : OutcomeNames) {
        if (name == parts[1]) {
            record.outcome = outcome;
            known = true;
        }
    }
    bool number = false;
    record.durationMs = parts[2].toLongLong(&number);
    if (!known || !number || record.durationMs < 0)
        return std::nullopt;
    return record;
}

} // namespace Natter::Core::Calls
