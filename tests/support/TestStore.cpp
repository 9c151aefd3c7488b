// SPDX-License-Identifier: GPL-3.0-or-later
#include "TestStore.h"

#include "storage/AccountRepository.h"

namespace Natter::Test {

TestStore::TestStore(const QString &account)
    : m_db(std::make_unique<Core::Database>(m_profile.path() + QStringLiteral("/natter.sqlite")))
{
    if (!Core::isOk(waitFor(m_db->open())))
        return;
    Core::AccountConfig config;
    config.jid = account;
    config.resource = QStringLiteral("r");
    m_open = Core::isOk(waitFor(Core::AccountRepository(*m_db).save(config)));
}

} // namespace Natter::Test
