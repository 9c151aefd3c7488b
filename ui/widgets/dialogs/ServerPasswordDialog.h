// SPDX-License-Identifier: GPL-3.0-or-later
// Changes an account's password on its server (XEP-0077), typed twice; Natter then keeps the new one where it
// kept the old one.
#pragma once

#include <QDialog>
#include <QPointer>

class QLabel;
class QLineEdit;
class QPushButton;

namespace Natter::Core {
class Account;
class AccountManager;
} // namespace Natter::Core

namespace Natter::Ui {

class ServerPasswordDialog : public QDialog
{
    Q_OBJECT
public:
    ServerPasswordDialog(Core::AccountManager &accounts, Core::Account &account, QWidget *parent = nullptr);

    QString errorText() const;
    void accept() override;

private:
    void showError(const QString &text, QWidget *focus = nullptr);

    Core::AccountManager &m_accounts;
    QPointer<Core::Account> m_account;
    QLineEdit *m_password;
    QLineEdit *m_repeat;
    QLabel *m_error;
    QPushButton *m_change;
};

} // namespace Natter::Ui
