// SPDX-License-Identifier: GPL-3.0-or-later
// Asks for the address of a contact (and the account to use) to start a conversation.
#pragma once

#include <QDialog>
#include <QStringList>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace Natter::Ui {

class NewChatDialog : public QDialog
{
    Q_OBJECT
public:
    // accountJids: the accounts to choose from; the first is preselected.
    explicit NewChatDialog(const QStringList &accountJids, QWidget *parent = nullptr);

    QString accountJid() const;
    // The contact's bare, normalized JID once accepted.
    QString peerJid() const { return m_peerJid; }
    QString errorText() const;

    void accept() override;

private:
    QComboBox *m_accountCombo;
    QLineEdit *m_peerEdit;
    QLabel *m_errorLabel;
    QPushButton *m_startButton;
    QString m_peerJid;
};

} // namespace Natter::Ui
