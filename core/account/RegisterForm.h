// SPDX-License-Identifier: GPL-3.0-or-later
// The form of In-Band Registration (XEP-0077), the same whether it creates an account on a server or
// registers us with a service (a gateway, a room): a data form, with a CAPTCHA's image when it has one
// (XEP-0158), or the old fixed fields turned into a data form; and the answer sent back in the shape asked.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QMetaType>
#include <QString>
#include <QXmppDataForm.h>

class QXmppRegisterIq;

namespace Natter::Core {

struct RegisterForm
{
    QXmppDataForm form; // always a data form: the old fixed fields are turned into one
    QString instructions;
    QHash<QString, QByteArray> media; // cid: URI → bytes (XEP-0231), e.g. a CAPTCHA's image
    bool fixedFields = false;         // the form came as the old fixed fields
    bool registered = false;          // <registered/>: we are registered already (with a service)

    static RegisterForm fromIq(const QXmppRegisterIq &iq);
    // The registration to send (type set) with these answers, in the shape the form came in.
    QXmppRegisterIq answerIq(const QXmppDataForm &answers) const;
    // The value given to one field of the answers ("username", "password"); empty when there is none.
    static QString answerOf(const QXmppDataForm &answers, const QString &var);
};

} // namespace Natter::Core

Q_DECLARE_METATYPE(Natter::Core::RegisterForm)
