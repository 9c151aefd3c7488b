// SPDX-License-Identifier: GPL-3.0-or-later
// Asks for an account's password when none is stored (or the stored one was rejected).
#pragma once

#include <QDialog>

class QCheckBox;
class QLineEdit;

namespace Natter::Core {
class Account;
}

namespace Natter::Ui {

class PasswordDialog : public QDialog
{
    Q_OBJECT
public:
    explicit PasswordDialog(Core::Account *account, const QString &reason = {}, QWidget *parent = nullptr);

    Core::Account *account() const { return m_account; }
    QString password() const;
    // The user wants the password kept where the account's settings say.
    bool remember() const;

private:
    Core::Account *m_account;
    QLineEdit *m_passwordEdit;
    QCheckBox *m_rememberCheck;
};

} // namespace Natter::Ui
