// SPDX-License-Identifier: GPL-3.0-or-later
// A libomemo-c global context whose cryptography (random numbers, HMAC-SHA256, SHA-512, AES) is OpenSSL's.
#pragma once

#include <QRecursiveMutex>

extern "C" {
#include <omemo/signal_protocol.h>
}

namespace Natter::Core {

class SignalContext
{
public:
    SignalContext();
    ~SignalContext();
    SignalContext(const SignalContext &) = delete;
    SignalContext &operator=(const SignalContext &) = delete;

    // Null if libomemo-c could not be set up (out of memory).
    signal_context *get() const { return m_context; }

private:
    signal_context *m_context = nullptr;
    QRecursiveMutex m_mutex;
};

} // namespace Natter::Core
