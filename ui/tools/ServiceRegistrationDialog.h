// SPDX-License-Identifier: GPL-3.0-or-later
// Registering with a service from the service browser (XEP-0077 to a gateway or any entity that offers it):
// the service's form and instructions, whether we are registered already, Register and Unregister, and the
// service's answer.
#pragma once

#include "account/RegisterForm.h"

#include <QDialog>

class QLabel;
class QPushButton;

namespace Natter::Core {
class Account;
}

namespace Natter::Ui {

class DataFormWidget;

class ServiceRegistrationDialog : public QDialog
{
    Q_OBJECT
public:
    ServiceRegistrationDialog(Core::Account &account, const QString &jid, QWidget *parent = nullptr);

    QString statusText() const;

Q_SIGNALS:
    // Registered or unregistered, as the service confirmed.
    void registrationChanged(const QString &jid, bool registered);

private:
    void loadForm();
    void showForm(const Core::RegisterForm &form);
    void submit();
    void unregister();
    void sendUnregistration();
    void setBusy(bool busy, const QString &status);

    Core::Account &m_account;
    QString m_jid;
    Core::RegisterForm m_registerForm;
    QLabel *m_status;
    QLabel *m_instructions;
    DataFormWidget *m_form;
    QPushButton *m_registerButton;
    QPushButton *m_unregisterButton;
};

} // namespace Natter::Ui
