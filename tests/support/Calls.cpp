// SPDX-License-Identifier: GPL-3.0-or-later
#include "Calls.h"

#include "account/Account.h"
#include "calls/CallService.h"

#include <QSignalSpy>
#include <QTest>

namespace Natter::Test {

using Core::Calls::Call;
using Core::Calls::CallService;

QString describe(const Call *call)
{
    if (!call)
        return QStringLiteral("gone");
    return QStringLiteral("%1, end %2 %3 %4")
        .arg(QVariant::fromValue(call->state()).toString(), QVariant::fromValue(call->endReason()).toString(),
             call->error().codeName(), call->error().detail);
}

CallEnds ring(Core::Account &caller, Core::Account &callee, bool video)
{
    QSignalSpy incoming(&callee.calls(), &CallService::incoming);
    QPointer<Call> outgoing = caller.calls().call(callee.jid(), video);
    if (!outgoing || !incoming.wait(10000))
        return {outgoing, nullptr};
    QPointer<Call> ringing = incoming.first().first().value<Call *>();
    return {outgoing, ringing};
}

CallEnds connectCall(Core::Account &caller, Core::Account &callee, bool video)
{
    auto [outgoing, ringing] = ring(caller, callee, video);
    if (!outgoing || !ringing)
        return {};
    ringing->accept();
    if (!QTest::qWaitFor(
            [&] {
                return outgoing && ringing && outgoing->state() == Call::State::Connected &&
                       ringing->state() == Call::State::Connected;
            },
            CallConnectTimeoutMs)) {
        qWarning() << "caller:" << describe(outgoing) << "callee:" << describe(ringing);
        return {};
    }
    return {outgoing, ringing};
}

} // namespace Natter::Test
