// SPDX-License-Identifier: GPL-3.0-or-later
// Edits one account: its name and colour, server, TLS, proxy, enabled, password and where it is kept; removes
// the account from Natter; changes its password on the server or deletes it there.
#pragma once

#include "domain/AccountConfig.h"

#include <QDialog>
#include <QPointer>

class QCheckBox;
class QGroupBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace Natter::Core {
class Account;
class AccountManager;
} // namespace Natter::Core

namespace Natter::Ui {

class ConnectionSettingsWidget;

class AccountSettingsDialog : public QDialog
{
    Q_OBJECT
public:
    AccountSettingsDialog(Core::AccountManager &accounts, Core::Account *account, QWidget *parent = nullptr);

    QString errorText() const;
    void accept() override;

private:
    void fillColours(const Core::AccountConfig &config);
    Core::AccountConfig configFromInput() const;
    QGroupBox *createCertificateBox(const Core::AccountConfig &config);
    bool validateInput();
    void applySaved(const Core::AccountConfig &before);
    void confirmRemoval();
    void remove();
    void showError(const QString &text);
    void setBusy(bool busy);

    Core::AccountManager &m_accounts;
    QPointer<Core::Account> m_account;
    QLineEdit *m_nameEdit;
    QComboBox *m_colourCombo;
    int m_lastColourIndex = 0;
    ConnectionSettingsWidget *m_connection;
    QCheckBox *m_enabledCheck;
    // Only when a certificate is trusted for the account (pinned): ticked, Save stops trusting it.
    QCheckBox *m_forgetCertificateCheck = nullptr;
    QComboBox *m_storageCombo;
    QLineEdit *m_newPasswordEdit;
    QLabel *m_errorLabel;
    QPushButton *m_saveButton;
    QPushButton *m_removeButton;
};

} // namespace Natter::Ui
