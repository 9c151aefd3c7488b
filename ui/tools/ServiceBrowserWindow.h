// SPDX-License-Identifier: GPL-3.0-or-later
// Service discovery (XEP-0030) for one account: walk the items of any address and node, see what each
// entity is and offers (identities, features, extended forms), join rooms and run ad-hoc commands from it.
#pragma once

#include "disco/AdHocCommand.h"
#include "disco/DiscoInfo.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace Natter::Core {
class Account;
}

namespace Natter::Ui {

class ServiceBrowserWindow : public QWidget
{
    Q_OBJECT
public:
    enum Column
    {
        NameColumn,
        AddressColumn,
        NodeColumn,
    };

    ServiceBrowserWindow(Core::Account &account, QWidget *parent = nullptr);

    // Starts over at jid (and node), as if typed and Browse pressed.
    void browse(const QString &jid, const QString &node = {});
    QTreeWidget *tree() const { return m_tree; }
    QListWidget *features() const { return m_features; }
    QListWidget *commands() const { return m_commands; }
    QString statusText() const;
    // The item for jid (and node) among those loaded, or nullptr.
    QTreeWidgetItem *findItem(const QString &jid, const QString &node = {}) const;

Q_SIGNALS:
    // The user wants to join the room at jid with this account.
    void joinRequested(const QString &accountJid, const QString &room);
    void commandOpened(QDialog *dialog);
    void registrationOpened(QDialog *dialog);

private:
    void loadItems(QTreeWidgetItem *item);
    void showInfo(QTreeWidgetItem *item);
    void showCommands(const QString &jid);
    void runSelectedCommand();
    void openRegistration();
    QTreeWidgetItem *newItem(const QString &name, const QString &jid, const QString &node);

    Core::Account &m_account;
    QLineEdit *m_addressEdit;
    QLineEdit *m_nodeEdit;
    QTreeWidget *m_tree;
    QLabel *m_title;
    QListWidget *m_identities;
    QListWidget *m_features;
    QPlainTextEdit *m_forms;
    QListWidget *m_commands;
    QPushButton *m_joinButton;
    QPushButton *m_runButton;
    QPushButton *m_registerButton;
    QLabel *m_status;
    quint64 m_infoRound = 0; // answers for an item no longer selected are dropped
    Core::DiscoInfo m_info;
    QString m_infoJid;
};

} // namespace Natter::Ui
