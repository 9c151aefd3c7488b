// SPDX-License-Identifier: GPL-3.0-or-later
#include "ServiceRegistration.h"

#include "common/XmppRequest.h"

#include <QXmppRegisterIq.h>

namespace Natter::Core::ServiceRegistration {

QXmppTask<Result<RegisterForm>> askForm(QXmppClient &client, QObject *context, const QString &jid)
{
    QXmppRegisterIq request;
    request.setType(QXmppIq::Get);
    request.setTo(jid);
    return ask<RegisterForm>(client, context, std::move(request), [](const QDomElement &answer) {
        QXmppRegisterIq iq;
        iq.parse(answer);
        return Result<RegisterForm>(RegisterForm::fromIq(iq));
    });
}

QXmppTask<Result<Success>> submit(QXmppClient &client, QObject *context, const QString &jid,
                                  const RegisterForm &form, const QXmppDataForm &answers)
{
    QXmppRegisterIq request = form.answerIq(answers);
    request.setTo(jid);
    return askToDo(client, context, std::move(request));
}

QXmppTask<Result<Success>> unregister(QXmppClient &client, QObject *context, const QString &jid)
{
    QXmppRegisterIq request = QXmppRegisterIq::createUnregistrationRequest(jid);
    return askToDo(client, context, std::move(request));
}

} // namespace Natter::Core::ServiceRegistration
