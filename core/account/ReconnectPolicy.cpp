// SPDX-License-Identifier: GPL-3.0-or-later
#include "ReconnectPolicy.h"

#include <algorithm>

namespace Natter::Core {

ReconnectPolicy::ReconnectPolicy(quint32 seed)
    : m_random(seed)
{}

ReconnectPolicy::Milliseconds ReconnectPolicy::nextDelay()
{
    const int exponent = std::min(m_failures, 20);
    ++m_failures;
    const double base =
        std::min(double(FirstDelay.count()) * double(1 << exponent), double(MaxDelay.count()));
    const double factor = 1.0 + Jitter * (2.0 * m_random.generateDouble() - 1.0);
    return Milliseconds(qint64(base * factor));
}

void ReconnectPolicy::reset()
{
    m_failures = 0;
}

} // namespace Natter::Core
