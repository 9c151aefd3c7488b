// SPDX-License-Identifier: GPL-3.0-or-later
// Asks for a new contact: account, address (or an invitation link), name, groups, and whether to share
// presence both ways.
#pragma once

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace Natter::Ui {

class AddContactDialog : public QDialog
{
    Q_OBJECT
public:
    explicit AddContactDialog(const QStringList &accountJids, QWidget *parent = nullptr);

    QString accountJid() const;
    QString contactJid() const { return m_contactJid; } // bare and normalized once accepted
    QString name() const;
    QStringList groups() const;
    bool askForPresence() const;
    bool sharePresence() const;
    // The pre-authentication token of a pasted invitation link (XEP-0379); empty otherwise.
    QString preauthToken() const { return m_token; }
    QString errorText() const;

    void accept() override;

private:
    QComboBox *m_account;
    QLineEdit *m_jid;
    QLineEdit *m_name;
    QLineEdit *m_groups;
    QCheckBox *m_ask;
    QCheckBox *m_share;
    QLabel *m_error;
    QLabel *m_invitationNote;
    QString m_contactJid;
    QString m_token;
};

} // namespace Natter::Ui
