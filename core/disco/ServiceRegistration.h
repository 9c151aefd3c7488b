// SPDX-License-Identifier: GPL-3.0-or-later
// Registering our account with a service that offers In-Band Registration (XEP-0077 used with a gateway to
// another network, a transport, or any entity announcing jabber:iq:register): its form (and whether we are
// registered already), our answers, and cancelling the registration.
#pragma once

#include "account/RegisterForm.h"
#include "common/Result.h"

#include <QXmppTask.h>

class QObject;
class QXmppClient;

namespace Natter::Core::ServiceRegistration {

inline const QString Feature = QStringLiteral("jabber:iq:register");

QXmppTask<Result<RegisterForm>> askForm(QXmppClient &client, QObject *context, const QString &jid);
// RequestRefused with the service's condition and text when it does not accept the answers.
QXmppTask<Result<Success>> submit(QXmppClient &client, QObject *context, const QString &jid,
                                  const RegisterForm &form, const QXmppDataForm &answers);
QXmppTask<Result<Success>> unregister(QXmppClient &client, QObject *context, const QString &jid);

} // namespace Natter::Core::ServiceRegistration
