// SPDX-License-Identifier: GPL-3.0-or-later
#include "ServiceRegistrationDialog.h"

#include "account/Account.h"
#include "disco/ServiceRegistration.h"
#include "presenters/ErrorPresenter.h"
#include "widgets/forms/DataFormWidget.h"

#include <QBoxLayout>
#include <QDialogButtonBox>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>

namespace Natter::Ui {

namespace ServiceRegistration = Core::ServiceRegistration;

namespace {

// What the service said with its refusal names the problem better than any general sentence.
QString refusalText(const Core::Error &error)
{
    const QString said = error.detail.section(QStringLiteral(": "), 1);
    return error.code == Core::Error::Code::RequestRefused && !said.isEmpty()
               ? said
               : ErrorPresenter::describe(error);
}

} // namespace

ServiceRegistrationDialog::ServiceRegistrationDialog(Core::Account &account, const QString &jid,
                                                     QWidget *parent)
    : QDialog(parent)
    , m_account(account)
    , m_jid(jid)
    , m_status(new QLabel(this))
    , m_instructions(new QLabel(this))
    , m_form(new DataFormWidget(this))
    , m_registerButton(new QPushButton(tr("&Register"), this))
    , m_unregisterButton(new QPushButton(tr("&Unregister"), this))
{
    setObjectName(QStringLiteral("serviceRegistrationDialog"));
    setWindowTitle(tr("Register with %1").arg(jid));
    m_status->setObjectName(QStringLiteral("registrationStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_instructions->setObjectName(QStringLiteral("registrationInstructions"));
    m_instructions->setTextFormat(Qt::PlainText);
    m_instructions->setWordWrap(true);
    m_instructions->hide();
    m_form->setObjectName(QStringLiteral("registrationForm"));
    m_form->hide();
    m_registerButton->setObjectName(QStringLiteral("serviceRegisterSubmitButton"));
    m_registerButton->setDefault(true);
    m_registerButton->setEnabled(false);
    m_unregisterButton->setObjectName(QStringLiteral("serviceUnregisterButton"));
    m_unregisterButton->hide();
    connect(m_registerButton, &QPushButton::clicked, this, &ServiceRegistrationDialog::submit);
    connect(m_unregisterButton, &QPushButton::clicked, this, &ServiceRegistrationDialog::unregister);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_unregisterButton, QDialogButtonBox::ActionRole);
    buttons->addButton(m_registerButton, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_instructions);
    layout->addWidget(m_form, 1);
    layout->addWidget(buttons);
    setMinimumWidth(460);
    loadForm();
}

QString ServiceRegistrationDialog::statusText() const
{
    return m_status->text();
}

void ServiceRegistrationDialog::setBusy(bool busy, const QString &status)
{
    m_status->setText(status);
    m_form->setEnabled(!busy);
    m_registerButton->setEnabled(!busy && m_form->isVisible());
    m_unregisterButton->setEnabled(!busy);
}

void ServiceRegistrationDialog::loadForm()
{
    setBusy(true, tr("Asking %1 for its registration form…").arg(m_jid));
    ServiceRegistration::askForm(m_account.client(), this, m_jid)
        .then(this, [this](Core::Result<Core::RegisterForm> &&asked) {
            if (!Core::isOk(asked)) {
                m_form->hide();
                setBusy(false, tr("%1 offers no registration: %2")
                                   .arg(m_jid, ErrorPresenter::describe(Core::errorOf(asked))));
                m_registerButton->setEnabled(false);
                return;
            }
            showForm(std::get<Core::RegisterForm>(asked));
        });
}

void ServiceRegistrationDialog::showForm(const Core::RegisterForm &form)
{
    m_registerForm = form;
    m_instructions->setText(form.instructions);
    m_instructions->setVisible(!form.instructions.isEmpty());
    m_form->setForm(form.form);
    const auto media = form.media;
    m_form->setMediaResolver([media](const QString &uri) { return media.value(uri); });
    m_form->show();
    m_unregisterButton->setVisible(form.registered);
    m_registerButton->setText(form.registered ? tr("&Update registration") : tr("&Register"));
    setBusy(false, form.registered ? tr("You are registered with %1.").arg(m_jid)
                                   : tr("You are not registered with %1 yet.").arg(m_jid));
    m_form->focusFirstField();
}

void ServiceRegistrationDialog::submit()
{
    if (!m_form->validate())
        return;
    setBusy(true, tr("Registering with %1…").arg(m_jid));
    ServiceRegistration::submit(m_account.client(), this, m_jid, m_registerForm, m_form->submission())
        .then(this, [this](Core::Result<Core::Success> &&done) {
            if (!Core::isOk(done)) {
                setBusy(false, tr("%1 did not accept the registration: %2")
                                   .arg(m_jid, refusalText(Core::errorOf(done))));
                return;
            }
            m_registerForm.registered = true;
            m_unregisterButton->show();
            m_registerButton->setText(tr("&Update registration"));
            setBusy(false, tr("You are registered with %1.").arg(m_jid));
            Q_EMIT registrationChanged(m_jid, true);
        });
}

void ServiceRegistrationDialog::unregister()
{
    auto *confirm = new QMessageBox(
        QMessageBox::Question, tr("Unregister"),
        tr("Cancel your registration with %1? It forgets what you registered there.").arg(m_jid),
        QMessageBox::Yes | QMessageBox::No, this);
    confirm->setObjectName(QStringLiteral("unregisterConfirmation"));
    confirm->setAttribute(Qt::WA_DeleteOnClose);
    confirm->setDefaultButton(QMessageBox::No);
    connect(confirm->button(QMessageBox::Yes), &QAbstractButton::clicked, this,
            &ServiceRegistrationDialog::sendUnregistration);
    confirm->open();
}

void ServiceRegistrationDialog::sendUnregistration()
{
    setBusy(true, tr("Unregistering from %1…").arg(m_jid));
    ServiceRegistration::unregister(m_account.client(), this, m_jid)
        .then(this, [this](Core::Result<Core::Success> &&done) {
            if (!Core::isOk(done)) {
                setBusy(false, tr("%1 did not cancel the registration: %2")
                                   .arg(m_jid, refusalText(Core::errorOf(done))));
                return;
            }
            m_registerForm.registered = false;
            m_unregisterButton->hide();
            m_registerButton->setText(tr("&Register"));
            setBusy(false, tr("You are no longer registered with %1.").arg(m_jid));
            Q_EMIT registrationChanged(m_jid, false);
        });
}

} // namespace Natter::Ui
