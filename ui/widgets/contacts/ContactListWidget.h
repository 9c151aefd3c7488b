// SPDX-License-Identifier: GPL-3.0-or-later
// The contact list page of the side bar: subscription requests, a filter, an account filter, the grouped
// list and the contact actions.
#pragma once

#include "domain/ChatMessage.h"

#include <QWidget>

class QComboBox;
class QLineEdit;
class QListView;
class QToolButton;

namespace Natter::Core {
class Account;
class AccountManager;
} // namespace Natter::Core

namespace Natter::Ui {

class ContactListModel;
class SubscriptionRequestsWidget;

class ContactListWidget : public QWidget
{
    Q_OBJECT
public:
    explicit ContactListWidget(Core::AccountManager &accounts, QWidget *parent = nullptr);

    ContactListModel *model() const { return m_model; }
    QListView *view() const { return m_view; }
    QLineEdit *filterField() const { return m_filter; }
    QComboBox *accountFilter() const { return m_accountFilter; }
    SubscriptionRequestsWidget *requests() const { return m_requests; }

    void openAddContactDialog();

Q_SIGNALS:
    void chatRequested(const Natter::Core::ConversationKey &conversation);
    void detailsRequested(Natter::Core::Account *account, const QString &jid);
    void blockRequested(Natter::Core::Account *account, const QString &jid);

private:
    void addAccount(Core::Account *account);
    void removeAccount(const QString &jid);
    void refreshAccountFilter();
    void activate(const QModelIndex &index);
    void showContextMenu(const QPoint &position);
    Core::Account *accountOf(const QModelIndex &index) const;
    void renameContact(Core::Account *account, const QString &jid);
    void editGroups(Core::Account *account, const QString &jid);
    void removeContact(Core::Account *account, const QString &jid);

    Core::AccountManager &m_accounts;
    ContactListModel *m_model;
    SubscriptionRequestsWidget *m_requests;
    QLineEdit *m_filter;
    QComboBox *m_accountFilter;
    QToolButton *m_offlineToggle;
    QListView *m_view;
};

} // namespace Natter::Ui
