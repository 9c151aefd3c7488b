// SPDX-License-Identifier: GPL-3.0-or-later
// Account → Invite a contact…: asks the account's server for an invitation link and shows it to copy or to
// scan, with the page for people who have no XMPP app yet. Whoever opens it becomes a contact at once.
#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace Natter::Core {
class Account;
}

namespace Natter::Ui {

class QrCodeView;

class InviteContactDialog : public QDialog
{
    Q_OBJECT
public:
    explicit InviteContactDialog(Core::Account &account, QWidget *parent = nullptr);

    QString link() const;

private:
    void request();

    Core::Account &m_account;
    QLabel *m_status;
    QLineEdit *m_link;
    QPushButton *m_copy;
    QrCodeView *m_code;
    QLabel *m_landingPage;
    QLabel *m_expires;
};

} // namespace Natter::Ui
