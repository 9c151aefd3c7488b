// SPDX-License-Identifier: GPL-3.0-or-later
#include "LossBasedBitrate.h"

#include <algorithm>
#include <cmath>

namespace Natter::Core::Calls {

namespace {

constexpr double HighLoss = 0.10;
constexpr double LowLoss = 0.02;
constexpr double Growth = 1.05;

} // namespace

int LossBasedBitrate::reportLoss(double fraction)
{
    if (!std::isfinite(fraction))
        return m_bitsPerSecond;
    fraction = std::clamp(fraction, 0.0, 1.0);
    double next = m_bitsPerSecond;
    if (fraction > HighLoss)
        next *= 1.0 - 0.5 * fraction;
    else if (fraction < LowLoss)
        next *= Growth;
    m_bitsPerSecond = int(std::clamp(next, double(Minimum), double(Maximum)));
    return m_bitsPerSecond;
}

} // namespace Natter::Core::Calls
