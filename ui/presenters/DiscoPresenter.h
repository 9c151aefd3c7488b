// SPDX-License-Identifier: GPL-3.0-or-later
// How service discovery answers read in lists: "category/type name", as XEP-0030 writes identities.
#pragma once

#include "disco/DiscoInfo.h"

#include <QString>

namespace Natter::Ui {

inline QString identityLine(const Core::DiscoIdentity &identity)
{
    return QStringLiteral("%1/%2 %3").arg(identity.category, identity.type, identity.name).trimmed();
}

} // namespace Natter::Ui
