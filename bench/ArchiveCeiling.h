// SPDX-License-Identifier: GPL-3.0-or-later
// The server's ceiling for a catch-up: a bare client pages through an archive, newest first, keeping nothing.
#pragma once

#include "TestProfile.h"
#include "sync/ArchiveQuery.h"

#include <QElapsedTimer>
#include <optional>
#include <utility>

namespace Natter::Bench {

// (messages, nanoseconds) for the whole archive that archive queries; nullopt when a page fails.
inline std::optional<std::pair<qint64, qint64>> pageThroughArchive(Core::ArchiveQuery &archive, int pageSize)
{
    QElapsedTimer clock;
    clock.start();
    qint64 count = 0;
    QString before;
    for (;;) {
        Core::ArchiveQuery::Filter filter;
        filter.before = before;
        filter.max = pageSize;
        const auto page = Test::waitFor(archive.query(filter), 60000);
        if (!isOk(page))
            return std::nullopt;
        const auto &result = std::get<Core::ArchivePage>(page);
        count += result.messages.size();
        if (result.complete || result.messages.isEmpty())
            break;
        before = result.firstId;
    }
    return std::pair(count, clock.nsecsElapsed());
}

} // namespace Natter::Bench
