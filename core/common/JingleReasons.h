// SPDX-License-Identifier: GPL-3.0-or-later
// The reason conditions of a Jingle session-terminate (XEP-0166 §7.4), shared by file transfers and calls.
#pragma once

#include <QStringList>

namespace Natter::Core::Jingle {

inline const QStringList ReasonConditions = {
    QStringLiteral("success"),
    QStringLiteral("decline"),
    QStringLiteral("cancel"),
    QStringLiteral("busy"),
    QStringLiteral("connectivity-error"),
    QStringLiteral("failed-transport"),
    QStringLiteral("failed-application"),
    QStringLiteral("media-error"),
    QStringLiteral("general-error"),
    QStringLiteral("timeout"),
    QStringLiteral("gone"),
    QStringLiteral("expired"),
    QStringLiteral("security-error"),
    QStringLiteral("unsupported-applications"),
    QStringLiteral("unsupported-transports"),
    QStringLiteral("incompatible-parameters"),
    QStringLiteral("alternative-session"),
};

} // namespace Natter::Core::Jingle
