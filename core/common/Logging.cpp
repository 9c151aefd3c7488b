// SPDX-License-Identifier: GPL-3.0-or-later
#include "Logging.h"

Q_LOGGING_CATEGORY(lcStorage, "natter.core.storage", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAccount, "natter.core.account", QtInfoMsg)
Q_LOGGING_CATEGORY(lcMessaging, "natter.core.messaging", QtInfoMsg)
Q_LOGGING_CATEGORY(lcXmpp, "natter.core.xmpp", QtWarningMsg)
Q_LOGGING_CATEGORY(lcRoster, "natter.core.roster", QtInfoMsg)
Q_LOGGING_CATEGORY(lcCrypto, "natter.core.crypto", QtInfoMsg)
Q_LOGGING_CATEGORY(lcFiles, "natter.core.files", QtInfoMsg)
Q_LOGGING_CATEGORY(lcCalls, "natter.core.calls", QtInfoMsg)
