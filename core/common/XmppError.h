// SPDX-License-Identifier: GPL-3.0-or-later
// Turns QXmpp's errors for a request (a stanza error, a lost connection, a timeout) into our Error values.
#pragma once

#include "Error.h"

class QXmppError;

namespace Natter::Core {

// RequestRefused with the stanza error's condition and text as detail, NotConnected when the stream was
// closed before an answer came, Timeout when none came in time.
Error requestError(const QXmppError &error);

} // namespace Natter::Core
