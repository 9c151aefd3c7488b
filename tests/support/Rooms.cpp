// SPDX-License-Identifier: GPL-3.0-or-later
#include "Rooms.h"

#include <QUuid>

namespace Natter::Test {

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
