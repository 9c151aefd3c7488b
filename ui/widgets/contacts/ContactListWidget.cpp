// SPDX-License-Identifier: GPL-3.0-or-later
#include "ContactListWidget.h"

#include "AddContactDialog.h"
#include "ContactDelegate.h"
#include "SubscriptionRequestsWidget.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "models/ContactListModel.h"
#include "presenters/AccountPresenter.h"
#include "presenters/ErrorPresenter.h"
#include "roster/RosterService.h"
#include "roster/SubscriptionService.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace Natter::Ui {

using Role = ContactListModel::Role;

namespace {
bool isGroupRow(const QModelIndex &index)
{
    return index.data(Role::KindRole).toInt() == int(ContactListModel::RowKind::Group);
}

// Roster changes answer asynchronously; a refusal is shown, success shows up through the roster push.
void reportFailure(QWidget *parent, QXmppTask<Core::Result<Core::Success>> task)
{
    task.then(parent, [parent](Core::Result<Core::Success> &&result) {
        if (!Core::isOk(result))
            QMessageBox::warning(parent, ContactListWidget::tr("Contact not changed"),
                                 ErrorPresenter::describe(Core::errorOf(result)));
    });
}
} // namespace

ContactListWidget::ContactListWidget(Core::AccountManager &accounts, QWidget *parent)
    : QWidget(parent)
    , m_accounts(accounts)
    , m_model(new ContactListModel(this))
    , m_requests(new SubscriptionRequestsWidget(this))
    , m_filter(new QLineEdit(this))
    , m_accountFilter(new QComboBox(this))
    , m_offlineToggle(new QToolButton(this))
    , m_view(new QListView(this))
{
    setObjectName(QStringLiteral("contactListPage"));
    m_filter->setObjectName(QStringLiteral("contactFilter"));
    m_filter->setPlaceholderText(tr("Filter contacts"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_model, &ContactListModel::setFilterText);

    m_accountFilter->setObjectName(QStringLiteral("contactAccountFilter"));
    m_accountFilter->setToolTip(tr("Show the contacts of one account"));
    connect(m_accountFilter, &QComboBox::currentIndexChanged, this,
            [this] { m_model->setAccountFilter(m_accountFilter->currentData().toString()); });

    m_offlineToggle->setObjectName(QStringLiteral("showOfflineToggle"));
    m_offlineToggle->setText(tr("Offline"));
    m_offlineToggle->setToolTip(tr("Show offline contacts"));
    m_offlineToggle->setCheckable(true);
    m_offlineToggle->setChecked(m_model->showsOffline());
    connect(m_offlineToggle, &QToolButton::toggled, m_model, &ContactListModel::setShowOffline);

    auto *add = new QPushButton(tr("Add contact…"), this);
    add->setObjectName(QStringLiteral("addContactButton"));
    connect(add, &QPushButton::clicked, this, &ContactListWidget::openAddContactDialog);

    m_view->setObjectName(QStringLiteral("contactList"));
    m_view->setModel(m_model);
    m_view->setItemDelegate(new ContactDelegate(m_view));
    m_view->setFrameShape(QFrame::NoFrame);
    m_view->setMouseTracking(true);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->setAccessibleName(tr("Contacts"));
    connect(m_view, &QListView::activated, this, &ContactListWidget::activate);
    connect(m_view, &QListView::clicked, this, [this](const QModelIndex &index) {
        if (isGroupRow(index))
            m_model->setGroupCollapsed(index.data(Role::GroupRole).toString(),
                                       !index.data(Role::CollapsedRole).toBool());
    });
    connect(m_view, &QListView::customContextMenuRequested, this, &ContactListWidget::showContextMenu);

    auto *tools = new QHBoxLayout;
    tools->setContentsMargins(8, 6, 8, 6);
    tools->addWidget(m_filter, 1);
    tools->addWidget(m_accountFilter);
    tools->addWidget(m_offlineToggle);
    auto *buttons = new QHBoxLayout;
    buttons->setContentsMargins(8, 0, 8, 6);
    buttons->addWidget(add);
    buttons->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_requests);
    layout->addLayout(buttons);
    layout->addLayout(tools);
    layout->addWidget(m_view, 1);
    connect(m_requests, &SubscriptionRequestsWidget::blockRequested, this,
            &ContactListWidget::blockRequested);

    connect(&m_accounts, &Core::AccountManager::accountAdded, this, &ContactListWidget::addAccount);
    connect(&m_accounts, &Core::AccountManager::accountRemoved, this, &ContactListWidget::removeAccount);
    for (Core::Account *account : m_accounts.accounts())
        addAccount(account);
    refreshAccountFilter();
}

void ContactListWidget::addAccount(Core::Account *account)
{
    m_model->addAccount(account);
    m_requests->addAccount(account);
    connect(account, &Core::Account::configChanged, this, &ContactListWidget::refreshAccountFilter,
            Qt::UniqueConnection);
    refreshAccountFilter();
}

void ContactListWidget::removeAccount(const QString &jid)
{
    m_model->removeAccount(jid);
    refreshAccountFilter();
}

void ContactListWidget::refreshAccountFilter()
{
    const QString current = m_accountFilter->currentData().toString();
    const QSignalBlocker blocker(m_accountFilter);
    m_accountFilter->clear();
    m_accountFilter->addItem(tr("All accounts"), QString());
    for (Core::Account *account : m_accounts.accounts())
        m_accountFilter->addItem(AccountPresenter::swatch(AccountPresenter::colour(account->config())),
                                 AccountPresenter::name(account->config()), account->jid());
    m_accountFilter->setCurrentIndex(std::max(0, m_accountFilter->findData(current)));
    // One account: nothing to choose.
    m_accountFilter->setVisible(m_accounts.accounts().size() > 1);
    m_model->setAccountFilter(m_accountFilter->currentData().toString());
}

Core::Account *ContactListWidget::accountOf(const QModelIndex &index) const
{
    return m_accounts.account(index.data(Role::AccountRole).toString());
}

void ContactListWidget::activate(const QModelIndex &index)
{
    if (!index.isValid() || isGroupRow(index))
        return;
    Q_EMIT chatRequested({index.data(Role::AccountRole).toString(), index.data(Role::JidRole).toString()});
}

void ContactListWidget::showContextMenu(const QPoint &position)
{
    const QModelIndex index = m_view->indexAt(position);
    Core::Account *account = accountOf(index);
    if (!index.isValid() || isGroupRow(index) || !account)
        return;
    const QString jid = index.data(Role::JidRole).toString();
    const auto item = account->roster().item(jid);
    QMenu menu(this);
    menu.addAction(tr("Open chat"), this, [this, index] { activate(index); });
    menu.addAction(tr("Details…"), this, [this, account, jid] { Q_EMIT detailsRequested(account, jid); });
    menu.addSeparator();
    menu.addAction(tr("Rename…"), this, [this, account, jid] { renameContact(account, jid); });
    menu.addAction(tr("Groups…"), this, [this, account, jid] { editGroups(account, jid); });
    if (item && item->subscription != Core::RosterItem::Subscription::Both) {
        const QString fix =
            item->subscription == Core::RosterItem::Subscription::From ? tr("Ask to see their presence")
            : item->subscription == Core::RosterItem::Subscription::To ? tr("Let them see your presence")
                                                                       : tr("Share presence with each other");
        QAction *fixAction =
            menu.addAction(fix, this, [account, jid] { account->subscriptions().fixHalfSubscription(jid); });
        fixAction->setObjectName(QStringLiteral("fixSubscriptionAction"));
    }
    menu.addSeparator();
    menu.addAction(tr("Remove…"), this, [this, account, jid] { removeContact(account, jid); });
    menu.addAction(tr("Block"), this, [this, account, jid] { Q_EMIT blockRequested(account, jid); });
    menu.exec(m_view->viewport()->mapToGlobal(position));
}

void ContactListWidget::renameContact(Core::Account *account, const QString &jid)
{
    const auto item = account->roster().item(jid);
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Rename contact"), tr("Name for %1:").arg(jid),
                                               QLineEdit::Normal, item ? item->name : QString(), &ok);
    if (ok)
        reportFailure(this, account->roster().rename(jid, name.trimmed()));
}

void ContactListWidget::editGroups(Core::Account *account, const QString &jid)
{
    const auto item = account->roster().item(jid);
    bool ok = false;
    const QString text = QInputDialog::getText(
        this, tr("Groups"), tr("Groups of %1, separated by commas:").arg(jid), QLineEdit::Normal,
        item ? item->groups.join(QStringLiteral(", ")) : QString(), &ok);
    if (!ok)
        return;
    QStringList groups;
    for (const QString &group : text.split(u',', Qt::SkipEmptyParts))
        if (!group.trimmed().isEmpty() && !groups.contains(group.trimmed()))
            groups.append(group.trimmed());
    reportFailure(this, account->roster().setGroups(jid, groups));
}

void ContactListWidget::removeContact(Core::Account *account, const QString &jid)
{
    const auto answer = QMessageBox::question(
        this, tr("Remove contact"),
        tr("Remove %1 from your contacts? You will no longer see each other's presence.").arg(jid));
    if (answer == QMessageBox::Yes)
        reportFailure(this, account->roster().remove(jid));
}

void ContactListWidget::openAddContactDialog()
{
    QStringList accountJids;
    for (Core::Account *account : m_accounts.accounts())
        accountJids.append(account->jid());
    if (accountJids.isEmpty())
        return;
    auto *dialog = new AddContactDialog(accountJids, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &AddContactDialog::accepted, this, [this, dialog] {
        Core::Account *account = m_accounts.account(dialog->accountJid());
        if (!account)
            return;
        const QString jid = dialog->contactJid();
        reportFailure(this, account->roster().add(jid, dialog->name(), dialog->groups()));
        if (dialog->askForPresence() || !dialog->preauthToken().isEmpty())
            account->subscriptions().requestSubscription(jid, {}, dialog->preauthToken());
        if (dialog->sharePresence())
            account->subscriptions().preApprove(jid);
    });
    dialog->open();
}

} // namespace Natter::Ui
