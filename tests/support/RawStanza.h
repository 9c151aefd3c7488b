// SPDX-License-Identifier: GPL-3.0-or-later
// Sends hand-written XML over a real connection: what a hostile or foreign client would send.
#pragma once

#include <QString>

class QXmppClient;

namespace Natter::Test {

// Sends xml (one stanza) as it is; false when it is not well-formed or the client is not connected.
bool sendRaw(QXmppClient &client, const QString &xml);

} // namespace Natter::Test
