// SPDX-License-Identifier: GPL-3.0-or-later
// Adds an account: checks the address, logs in once to prove the password, then stores the account.
#pragma once

#include "account/LoginCheck.h"
#include "common/Error.h"
#include "domain/AccountConfig.h"

#include <QDialog>
#include <QPointer>
#include <QSslCertificate>
#include <QTimer>

class QCheckBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QToolButton;
class QWidget;

namespace Natter::Core {
class Account;
class AccountManager;
} // namespace Natter::Core

namespace Natter::Ui {

class AccountWizard : public QDialog
{
    Q_OBJECT
public:
    explicit AccountWizard(Core::AccountManager &accounts, QWidget *parent = nullptr);
    ~AccountWizard() override;

    // The error shown on the page, empty when there is none.
    QString errorText() const;
    bool isBusy() const { return m_busy; }

    void reject() override;

Q_SIGNALS:
    // The account is stored; the wizard closes right after.
    void accountAdded(Natter::Core::Account *account);

private:
    void finish();
    bool validateInput();
    Core::AccountConfig configFromInput() const;
    void startLogin(const Core::AccountConfig &config);
    void loginSucceeded();
    void loginFailed(const Core::Error &error);
    void stopLoginCheck();
    void save(Core::AccountConfig::PasswordStorage storage);
    void saved(Core::Account *account);
    void askWhereToKeepPassword();
    void showError(const QString &text, QWidget *focus = nullptr);
    void setBusy(bool busy, const QString &status = {});

    Core::AccountManager &m_accounts;
    Core::AccountConfig m_config;
    QString m_password;
    QPointer<Core::LoginCheck> m_check;
    bool m_busy = false;

    QLineEdit *m_jidEdit;
    QLineEdit *m_passwordEdit;
    QToolButton *m_advancedToggle;
    QWidget *m_advanced;
    QLineEdit *m_hostEdit;
    QLineEdit *m_portEdit;
    QCheckBox *m_directTlsCheck;
    QProgressBar *m_progress;
    QLabel *m_statusLabel;
    QLabel *m_errorLabel;
    QPushButton *m_finishButton;
    QPushButton *m_cancelButton;
};

} // namespace Natter::Ui
