// SPDX-License-Identifier: GPL-3.0-or-later
#include "Rooms.h"

#include <QUuid>

namespace Natter::Test {

std::unique_ptr<StoredAccount> newOnlineUser(TestServer &server, const QString &prefix)
{
    const auto user = server.registerAccount(prefix);
    if (!user)
        return nullptr;
    auto account = std::make_unique<StoredAccount>(server, *user);
    return account->isOnline() ? std::move(account) : nullptr;
}

QString newRoomJid(const TestServer &server, const QString &prefix)
{
    return prefix + u'-' + QUuid::createUuid().toString(QUuid::Id128).left(12) + u'@' + server.mucService;
}

bool setFormField(QXmppDataForm &form, const QString &var, const QVariant &value)
{
    auto fields = form.fields();
    for (auto &field : fields) {
        if (field.key() == var) {
            field.setValue(value);
            form.setFields(fields);
            return true;
        }
    }
    return false;
}

} // namespace Natter::Test
