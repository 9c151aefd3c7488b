// SPDX-License-Identifier: GPL-3.0-or-later
#include "RegisterForm.h"

#include <QCoreApplication>
#include <QXmppBitsOfBinaryContentId.h>
#include <QXmppBitsOfBinaryData.h>
#include <QXmppBitsOfBinaryDataList.h>
#include <QXmppRegisterIq.h>

namespace Natter::Core {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Natter::Core::RegisterForm", text);
}

QXmppDataForm::Field field(QXmppDataForm::Field::Type type, const QString &var, const QString &label,
                           bool required)
{
    QXmppDataForm::Field field(type, var);
    field.setLabel(label);
    field.setRequired(required);
    return field;
}

// A form without a data form asks for the fixed fields it lists (QXmpp reads username, password, email).
QXmppDataForm formFromFixedFields(const QXmppRegisterIq &iq)
{
    QXmppDataForm form(QXmppDataForm::Form);
    using Type = QXmppDataForm::Field::Type;
    auto username = field(Type::TextSingleField, QStringLiteral("username"), tr("Username"), true);
    username.setValue(iq.username()); // what a service we are registered with remembers
    form.fields().append(username);
    form.fields().append(field(Type::TextPrivateField, QStringLiteral("password"), tr("Password"), true));
    if (!iq.email().isNull())
        form.fields().append(field(Type::TextSingleField, QStringLiteral("email"), tr("Email"), false));
    return form;
}

} // namespace

RegisterForm RegisterForm::fromIq(const QXmppRegisterIq &iq)
{
    RegisterForm form;
    form.fixedFields = iq.form().isNull();
    form.form = form.fixedFields ? formFromFixedFields(iq) : iq.form();
    form.instructions = iq.instructions();
    form.registered = iq.isRegistered();
    for (const QXmppBitsOfBinaryData &data : iq.bitsOfBinaryData())
        form.media.insert(data.cid().toCidUrl(), data.data());
    return form;
}

QXmppRegisterIq RegisterForm::answerIq(const QXmppDataForm &answers) const
{
    QXmppRegisterIq iq;
    iq.setType(QXmppIq::Set);
    if (!fixedFields) {
        QXmppDataForm submitted = answers;
        submitted.setType(QXmppDataForm::Submit);
        iq.setForm(submitted);
        return iq;
    }
    iq.setUsername(answerOf(answers, QStringLiteral("username")));
    iq.setPassword(answerOf(answers, QStringLiteral("password")));
    if (const QString email = answerOf(answers, QStringLiteral("email")); !email.isEmpty())
        iq.setEmail(email);
    return iq;
}

QString RegisterForm::answerOf(const QXmppDataForm &answers, const QString &var)
{
    for (const QXmppDataForm::Field &field : answers.fields()) {
        if (field.key() == var)
            return field.value().toString();
    }
    return {};
}

} // namespace Natter::Core
