// SPDX-License-Identifier: GPL-3.0-or-later
// Calls in words: what a call window says about the call under way, how it ended, and the line the chat
// history keeps of it.
#pragma once

#include "calls/Call.h"
#include "calls/CallRecord.h"

#include <QCoreApplication>
#include <QString>

namespace Natter::Ui {

class CallPresenter
{
    Q_DECLARE_TR_FUNCTIONS(CallPresenter)
public:
    // "1:05" or "1:02:03".
    static QString duration(qint64 milliseconds);
    // The line under the contact's name in the call window.
    static QString stateText(const Core::Calls::Call &call);
    // Why the call ended, for the call window and the status bar.
    static QString endText(const Core::Calls::Call &call);
    // The history's line: "Missed video call", "Audio call · 3:12", …
    static QString recordText(const Core::Calls::CallRecord &record);
    // The same, with a leading symbol, for the conversation list and notifications.
    static QString previewOf(const Core::Calls::CallRecord &record);
};

} // namespace Natter::Ui
