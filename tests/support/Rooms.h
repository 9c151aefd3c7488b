// SPDX-License-Identifier: GPL-3.0-or-later
// Test helpers for group chats: fresh room addresses, filling a room form (and, from StoredAccount.h, new
// online users with stores).
#pragma once

#include "StoredAccount.h"
#include "TestServer.h"

#include <QVariant>
#include <QXmppDataForm.h>
#include <memory>

namespace Natter::Test {

// An address on the test server's conference service that no room has yet.
QString newRoomJid(const TestServer &server, const QString &prefix = QStringLiteral("room"));
// Sets the value of form's field var; false when the form has no such field.
bool setFormField(QXmppDataForm &form, const QString &var, const QVariant &value);

} // namespace Natter::Test
