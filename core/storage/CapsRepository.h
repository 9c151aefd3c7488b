// SPDX-License-Identifier: GPL-3.0-or-later
// The entity capabilities cache (XEP-0115): the disco#info answer for each verified caps hash, shared by all
// accounts of the profile (database thread).
#pragma once

#include "Database.h"
#include "common/Result.h"

#include <optional>

namespace Natter::Core {

class CapsRepository
{
public:
    explicit CapsRepository(Database &db);

    // The stored disco#info query element (XML) for algorithm and verification string, if any.
    QFuture<Result<std::optional<QString>>> load(const QString &algorithm, const QString &verification);
    QFuture<Result<Success>> save(const QString &algorithm, const QString &verification, const QString &info);

private:
    Database &m_db;
};

} // namespace Natter::Core
