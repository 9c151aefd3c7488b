// SPDX-License-Identifier: GPL-3.0-or-later
// Delays between reconnection attempts: exponential backoff with jitter, so many clients do not return at
// once.
#pragma once

#include <QRandomGenerator>
#include <chrono>

namespace Natter::Core {

class ReconnectPolicy
{
public:
    using Milliseconds = std::chrono::milliseconds;

    explicit ReconnectPolicy(quint32 seed = QRandomGenerator::global()->generate());

    // The delay before the next attempt; each call counts one more failure.
    Milliseconds nextDelay();
    // After a successful login.
    void reset();
    int failures() const { return m_failures; }

    static constexpr Milliseconds FirstDelay{1000};
    static constexpr Milliseconds MaxDelay{300000};
    static constexpr double Jitter = 0.25; // ± a quarter of the delay

private:
    QRandomGenerator m_random;
    int m_failures = 0;
};

} // namespace Natter::Core
