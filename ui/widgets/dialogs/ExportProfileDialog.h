// SPDX-License-Identifier: GPL-3.0-or-later
// Natter → Export profile…: writes the whole profile (accounts, history, OMEMO identities and sessions,
// avatars) into one file protected by a passphrase, typed twice, with the passwords when the user asks, to
// be imported on another computer (natter-cli profile import).
#pragma once

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace Natter::Core {
class AccountManager;
}

namespace Natter::Ui {

class ExportProfileDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ExportProfileDialog(Core::AccountManager &accounts, QWidget *parent = nullptr);

    QString statusText() const;

Q_SIGNALS:
    void exported(const QString &file);

private:
    void chooseFile();
    void updateButton();
    void startExport();

    Core::AccountManager &m_accounts;
    QLineEdit *m_file;
    QLineEdit *m_passphrase;
    QLineEdit *m_repeat;
    QCheckBox *m_passwords;
    QLabel *m_status;
    QPushButton *m_exportButton;
};

} // namespace Natter::Ui
