// SPDX-License-Identifier: GPL-3.0-or-later
// Account → Blocked addresses: the block list of one account, to add to (by address or domain) and unblock.
#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace Natter::Core {
class Account;
}

namespace Natter::Ui {

class BlockedListDialog : public QDialog
{
    Q_OBJECT
public:
    explicit BlockedListDialog(Core::Account &account, QWidget *parent = nullptr);

    QListWidget *list() const { return m_list; }
    QLineEdit *addressField() const { return m_address; }
    QString errorText() const;
    void blockEntered();
    void unblockSelected();

private:
    void refresh();
    void showError(const QString &text);

    Core::Account &m_account;
    QListWidget *m_list;
    QLineEdit *m_address;
    QPushButton *m_unblock;
    QLabel *m_error;
};

} // namespace Natter::Ui
