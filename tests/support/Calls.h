// SPDX-License-Identifier: GPL-3.0-or-later
// Test helpers around calls between two online accounts: ringing, connecting, describing a call that did
// not get where a test expected.
#pragma once

#include "calls/Call.h"

#include <QPointer>
#include <QString>
#include <utility>

namespace Natter::Core {
class Account;
}

namespace Natter::Test {

using CallEnds = std::pair<QPointer<Core::Calls::Call>, QPointer<Core::Calls::Call>>;

// How long two accounts on the loopback test server may take from accept to connected media.
constexpr int CallConnectTimeoutMs = 20000;

// Its state, end reason and error, for failure messages ("gone" once deleted).
QString describe(const Core::Calls::Call *call);

// caller rings callee; returns the outgoing call and, once one of callee's devices rings, the incoming one.
CallEnds ring(Core::Account &caller, Core::Account &callee, bool video = false);

// caller rings, callee accepts; both ends once both are connected, nothing (with a warning saying where each
// end stopped) when that did not happen in time.
CallEnds connectCall(Core::Account &caller, Core::Account &callee, bool video = false);

} // namespace Natter::Test
