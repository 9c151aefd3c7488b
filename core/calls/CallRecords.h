// SPDX-License-Identifier: GPL-3.0-or-later
// Keeps every call of an account in its chat's history once it is over: missed, declined, busy, how long it
// lasted.
#pragma once

#include "CallRecord.h"

#include <QObject>

namespace Natter::Core {
class MessageService;
}

namespace Natter::Core::Calls {

class Call;
class CallService;

class CallRecords : public QObject
{
    Q_OBJECT
public:
    CallRecords(CallService &calls, MessageService &messages, QString accountJid, QObject *parent = nullptr);

    static CallRecord recordOf(const Call &call);

private:
    void record(const Call &call);

    MessageService &m_messages;
    const QString m_accountJid;
};

} // namespace Natter::Core::Calls
