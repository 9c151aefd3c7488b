// SPDX-License-Identifier: GPL-3.0-or-later
// The connection state of one account as the user sees it.
#pragma once

#include <QObject>

namespace Natter::Core {
Q_NAMESPACE

enum class ConnectionState
{
    Offline,
    Connecting,
    Online,
    Error, // the last attempt failed; Account::lastError() says why
};
Q_ENUM_NS(ConnectionState)

} // namespace Natter::Core
