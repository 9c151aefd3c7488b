// SPDX-License-Identifier: GPL-3.0-or-later
// What store tests start from: a temporary profile with its database open and one account saved.
#pragma once

#include "TestProfile.h"
#include "storage/Database.h"

#include <memory>

namespace Natter::Test {

class TestStore
{
public:
    // Opens the database and saves account; isOpen() tells whether both worked.
    explicit TestStore(const QString &account);

    bool isOpen() const { return m_open; }
    Core::Database &database() { return *m_db; }
    const TestProfile &profile() const { return m_profile; }

private:
    TestProfile m_profile;
    std::unique_ptr<Core::Database> m_db;
    bool m_open = false;
};

} // namespace Natter::Test
