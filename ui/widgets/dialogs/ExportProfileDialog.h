// SPDX-License-Identifier: GPL-3.0-or-later
// Natter → Export profile…: writes the whole profile (accounts, history, OMEMO identities and sessions,
// avatars) into one file protected by a passphrase, typed twice, with the passwords when the user asks, to
// be imported on another computer (ImportProfileDialog, or natter-cli profile import).
#pragma once

#include "ProfileFileDialog.h"

class QCheckBox;

namespace Natter::Core {
class AccountManager;
}

namespace Natter::Ui {

class ExportProfileDialog : public ProfileFileDialog
{
    Q_OBJECT
public:
    explicit ExportProfileDialog(Core::AccountManager &accounts, QWidget *parent = nullptr);

Q_SIGNALS:
    void exported(const QString &file);

private:
    QString chooseFile(const QString &current) override;
    void updateButton() override;
    void act() override;

    Core::AccountManager &m_accounts;
    QLineEdit *m_repeat;
    QCheckBox *m_passwords;
};

} // namespace Natter::Ui
