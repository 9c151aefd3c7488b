// SPDX-License-Identifier: GPL-3.0-or-later
#include "Error.h"

#include <QMetaEnum>

namespace Natter::Core {

QString Error::codeName() const
{
    return QString::fromLatin1(QMetaEnum::fromType<Code>().valueToKey(static_cast<int>(code)));
}

} // namespace Natter::Core
