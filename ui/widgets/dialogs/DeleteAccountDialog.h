// SPDX-License-Identifier: GPL-3.0-or-later
// Deletes an account on its server for good (XEP-0077), after the user typed its address to confirm, then
// removes it from Natter.
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

class DeleteAccountDialog : public QDialog
{
    Q_OBJECT
public:
    DeleteAccountDialog(Core::AccountManager &accounts, Core::Account &account, QWidget *parent = nullptr);

    QString errorText() const;
    void accept() override;

private:
    void showError(const QString &text);

    Core::AccountManager &m_accounts;
    QPointer<Core::Account> m_account;
    QString m_jid;
    QLineEdit *m_confirmation;
    QLabel *m_error;
    QPushButton *m_delete;
};

} // namespace Natter::Ui
