// SPDX-License-Identifier: GPL-3.0-or-later
// Adds an account: checks the address, logs in once to prove the password, then stores the account; or
// creates a new one on a server (RegistrationPage) and stores that.
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
class QStackedWidget;
class QToolButton;
class QWidget;

namespace Natter::Core {
class Account;
class AccountManager;
} // namespace Natter::Core

namespace Natter::Ui {

class ConnectionSettingsWidget;
class RegistrationPage;

class AccountWizard : public QDialog
{
    Q_OBJECT
public:
    explicit AccountWizard(Core::AccountManager &accounts, QWidget *parent = nullptr);
    ~AccountWizard() override;

    // The error shown on the page, empty when there is none.
    QString errorText() const;
    bool isBusy() const { return m_busy; }
    // Shows the way to create a new account (In-Band Registration) instead of logging in.
    void showRegistration();
    // Shows the way to create an account with an invitation link, filled in.
    void showRegistration(const QString &invitationLink);

    void reject() override;

Q_SIGNALS:
    // The account is stored; the wizard closes right after.
    void accountAdded(Natter::Core::Account *account);
    // The user moves a profile in from another computer instead (offered while the profile has no account).
    void importProfileRequested();

private:
    void finish();
    bool validateInput();
    bool validateConnection();
    Core::AccountConfig configFromInput(const QString &jid) const;
    void showLogin();
    void updateButtons();
    void startLogin(const Core::AccountConfig &config);
    void loginSucceeded();
    void loginFailed(const Core::Error &error);
    void reviewCertificate();
    static QString serverOf(const Core::AccountConfig &config);
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
    bool m_createdOnServer = false;

    QStackedWidget *m_pages;
    QWidget *m_loginPage;
    RegistrationPage *m_registrationPage;
    QPushButton *m_switchButton;
    QPushButton *m_importButton;
    QLineEdit *m_jidEdit;
    QLineEdit *m_passwordEdit;
    QToolButton *m_advancedToggle;
    QWidget *m_advanced;
    ConnectionSettingsWidget *m_connection;
    QProgressBar *m_progress;
    QLabel *m_statusLabel;
    QLabel *m_errorLabel;
    QPushButton *m_certificateButton;
    Core::Error m_certificateError; // the refused certificate the button shows
    // The certificate the user trusted here, and the server (host or domain) it was presented by.
    QByteArray m_trustedCertificate;
    QString m_trustedCertificateServer;
    QPushButton *m_finishButton;
    QPushButton *m_cancelButton;
};

} // namespace Natter::Ui
