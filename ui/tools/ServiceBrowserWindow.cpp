// SPDX-License-Identifier: GPL-3.0-or-later
#include "ServiceBrowserWindow.h"

#include "CommandDialog.h"
#include "ServiceRegistrationDialog.h"
#include "account/Account.h"
#include "common/XmppError.h"
#include "disco/ServiceRegistration.h"
#include "presenters/DiscoPresenter.h"
#include "presenters/ErrorPresenter.h"

#include <QBoxLayout>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>
#include <QXmppClient.h>
#include <QXmppDiscoveryIq.h>
#include <QXmppDiscoveryManager.h>
#include <QXmppUtils.h>

namespace Natter::Ui {

namespace {

constexpr int JidRole = Qt::UserRole;
constexpr int NodeRole = Qt::UserRole + 1;
constexpr int LoadedRole = Qt::UserRole + 2;
const QString CommandsFeature = QStringLiteral("http://jabber.org/protocol/commands");

bool isRoom(const Core::DiscoInfo &info, const QString &jid)
{
    return info.hasIdentity(QStringLiteral("conference"), QStringLiteral("text")) &&
           !QXmppUtils::jidToUser(jid).isEmpty();
}

} // namespace

ServiceBrowserWindow::ServiceBrowserWindow(Core::Account &account, QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_account(account)
    , m_addressEdit(new QLineEdit(this))
    , m_nodeEdit(new QLineEdit(this))
    , m_tree(new QTreeWidget(this))
    , m_title(new QLabel(this))
    , m_identities(new QListWidget(this))
    , m_features(new QListWidget(this))
    , m_forms(new QPlainTextEdit(this))
    , m_commands(new QListWidget(this))
    , m_joinButton(new QPushButton(tr("&Join room…"), this))
    , m_runButton(new QPushButton(tr("&Run command…"), this))
    , m_registerButton(new QPushButton(tr("Re&gister…"), this))
    , m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("serviceBrowser"));
    setWindowTitle(tr("Services seen by %1").arg(account.jid()));
    m_addressEdit->setObjectName(QStringLiteral("browseAddressEdit"));
    m_nodeEdit->setObjectName(QStringLiteral("browseNodeEdit"));
    m_tree->setObjectName(QStringLiteral("serviceTree"));
    m_identities->setObjectName(QStringLiteral("serviceIdentities"));
    m_features->setObjectName(QStringLiteral("serviceFeatures"));
    m_forms->setObjectName(QStringLiteral("serviceForms"));
    m_commands->setObjectName(QStringLiteral("serviceCommands"));
    m_joinButton->setObjectName(QStringLiteral("joinRoomButton"));
    m_registerButton->setObjectName(QStringLiteral("serviceRegisterButton"));
    m_runButton->setObjectName(QStringLiteral("runCommandButton"));
    m_status->setObjectName(QStringLiteral("browseStatus"));

    m_addressEdit->setText(QXmppUtils::jidToDomain(account.jid()));
    m_addressEdit->setPlaceholderText(tr("an address, such as example.org"));
    m_nodeEdit->setPlaceholderText(tr("none"));
    auto *browseButton = new QPushButton(tr("&Browse"), this);
    browseButton->setObjectName(QStringLiteral("browseButton"));
    auto *address = new QHBoxLayout;
    auto *addressLabel = new QLabel(tr("&Address:"), this);
    addressLabel->setBuddy(m_addressEdit);
    address->addWidget(addressLabel);
    address->addWidget(m_addressEdit, 3);
    auto *nodeLabel = new QLabel(tr("N&ode:"), this);
    nodeLabel->setBuddy(m_nodeEdit);
    address->addWidget(nodeLabel);
    address->addWidget(m_nodeEdit, 1);
    address->addWidget(browseButton);

    m_tree->setHeaderLabels({tr("Name"), tr("Address"), tr("Node")});
    m_tree->header()->setSectionResizeMode(NameColumn, QHeaderView::Stretch);
    m_tree->setUniformRowHeights(true);
    m_title->setWordWrap(true);
    m_title->setTextFormat(Qt::PlainText);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_forms->setReadOnly(true);
    m_forms->setPlaceholderText(tr("No extended information"));
    m_joinButton->hide();
    m_registerButton->hide();
    m_runButton->setEnabled(false);

    auto *details = new QWidget(this);
    auto *detailsLayout = new QVBoxLayout(details);
    detailsLayout->setContentsMargins(0, 0, 0, 0);
    detailsLayout->addWidget(m_title);
    detailsLayout->addWidget(new QLabel(tr("What it is:"), details));
    detailsLayout->addWidget(m_identities, 1);
    detailsLayout->addWidget(new QLabel(tr("What it offers (features):"), details));
    detailsLayout->addWidget(m_features, 2);
    detailsLayout->addWidget(new QLabel(tr("More about it (forms):"), details));
    detailsLayout->addWidget(m_forms, 1);
    detailsLayout->addWidget(new QLabel(tr("Commands:"), details));
    detailsLayout->addWidget(m_commands, 1);
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_joinButton);
    actions->addWidget(m_registerButton);
    actions->addStretch(1);
    actions->addWidget(m_runButton);
    detailsLayout->addLayout(actions);

    auto *splitter = new QSplitter(this);
    splitter->addWidget(m_tree);
    splitter->addWidget(details);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(address);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_status);
    resize(920, 600);

    connect(browseButton, &QPushButton::clicked, this,
            [this] { browse(m_addressEdit->text().trimmed(), m_nodeEdit->text().trimmed()); });
    connect(m_addressEdit, &QLineEdit::returnPressed, browseButton, &QPushButton::click);
    connect(m_nodeEdit, &QLineEdit::returnPressed, browseButton, &QPushButton::click);
    connect(m_tree, &QTreeWidget::itemExpanded, this, &ServiceBrowserWindow::loadItems);
    connect(m_tree, &QTreeWidget::currentItemChanged, this,
            [this](QTreeWidgetItem *current) { showInfo(current); });
    connect(m_commands, &QListWidget::currentRowChanged, this,
            [this](int row) { m_runButton->setEnabled(row >= 0); });
    connect(m_commands, &QListWidget::itemActivated, this, &ServiceBrowserWindow::runSelectedCommand);
    connect(m_runButton, &QPushButton::clicked, this, &ServiceBrowserWindow::runSelectedCommand);
    connect(m_joinButton, &QPushButton::clicked, this,
            [this] { Q_EMIT joinRequested(m_account.jid(), m_infoJid); });
    connect(m_registerButton, &QPushButton::clicked, this, &ServiceBrowserWindow::openRegistration);
    browse(m_addressEdit->text());
}

QString ServiceBrowserWindow::statusText() const
{
    return m_status->text();
}

QTreeWidgetItem *ServiceBrowserWindow::newItem(const QString &name, const QString &jid, const QString &node)
{
    auto *item = new QTreeWidgetItem({name.isEmpty() ? jid : name, jid, node});
    item->setData(NameColumn, JidRole, jid);
    item->setData(NameColumn, NodeRole, node);
    item->setChildIndicatorPolicy(QTreeWidgetItem::ShowIndicator);
    item->setToolTip(AddressColumn, jid);
    return item;
}

void ServiceBrowserWindow::browse(const QString &jid, const QString &node)
{
    if (jid.isEmpty()) {
        m_status->setText(tr("Enter an address to browse."));
        return;
    }
    m_addressEdit->setText(jid);
    m_nodeEdit->setText(node);
    m_tree->clear();
    QTreeWidgetItem *root = newItem(QString(), jid, node);
    m_tree->addTopLevelItem(root);
    m_tree->setCurrentItem(root);
    root->setExpanded(true);
}

QTreeWidgetItem *ServiceBrowserWindow::findItem(const QString &jid, const QString &node) const
{
    for (QTreeWidgetItemIterator it(m_tree); *it; ++it)
        if ((*it)->data(NameColumn, JidRole).toString() == jid &&
            (*it)->data(NameColumn, NodeRole).toString() == node)
            return *it;
    return nullptr;
}

void ServiceBrowserWindow::loadItems(QTreeWidgetItem *item)
{
    if (item->data(NameColumn, LoadedRole).toBool())
        return;
    item->setData(NameColumn, LoadedRole, true);
    auto *discovery = m_account.client().findExtension<QXmppDiscoveryManager>();
    if (!discovery || !m_account.client().isConnected()) {
        m_status->setText(ErrorPresenter::describe(Core::Error(Core::Error::Code::NotConnected)));
        item->setData(NameColumn, LoadedRole, false);
        return;
    }
    const QString jid = item->data(NameColumn, JidRole).toString();
    const QString node = item->data(NameColumn, NodeRole).toString();
    m_status->setText(tr("Asking %1 for its items…").arg(jid));
    discovery->requestDiscoItems(jid, node).then(this, [this, jid,
                                                        node](QXmppDiscoveryManager::ItemsResult &&result) {
        QTreeWidgetItem *parent = findItem(jid, node);
        if (!parent)
            return; // browsed elsewhere meanwhile
        if (const auto *error = std::get_if<QXmppError>(&result)) {
            parent->setChildIndicatorPolicy(QTreeWidgetItem::DontShowIndicatorWhenChildless);
            m_status->setText(
                tr("%1 lists no items: %2").arg(jid, ErrorPresenter::describe(Core::requestError(*error))));
            return;
        }
        const auto items = std::get<QList<QXmppDiscoveryIq::Item>>(result);
        for (const QXmppDiscoveryIq::Item &child : items)
            parent->addChild(newItem(child.name(), child.jid().isEmpty() ? jid : child.jid(), child.node()));
        parent->setChildIndicatorPolicy(QTreeWidgetItem::DontShowIndicatorWhenChildless);
        m_status->setText(tr("%n item(s) at %1.", nullptr, int(items.size())).arg(jid));
    });
}

void ServiceBrowserWindow::showInfo(QTreeWidgetItem *item)
{
    m_identities->clear();
    m_features->clear();
    m_forms->clear();
    m_commands->clear();
    m_joinButton->hide();
    m_registerButton->hide();
    m_runButton->setEnabled(false);
    const quint64 round = ++m_infoRound;
    if (!item) {
        m_title->clear();
        return;
    }
    const QString jid = item->data(NameColumn, JidRole).toString();
    const QString node = item->data(NameColumn, NodeRole).toString();
    m_title->setText(node.isEmpty() ? jid : tr("%1, node %2").arg(jid, node));
    Core::askDiscoInfo(m_account.client(), this, jid, node)
        .then(this, [this, round, jid](Core::Result<Core::DiscoInfo> &&result) {
            if (round != m_infoRound)
                return;
            if (!Core::isOk(result)) {
                m_status->setText(tr("%1 does not say what it is: %2")
                                      .arg(jid, ErrorPresenter::describe(Core::errorOf(result))));
                return;
            }
            m_info = std::get<Core::DiscoInfo>(result);
            m_infoJid = jid;
            for (const Core::DiscoIdentity &identity : std::as_const(m_info.identities))
                m_identities->addItem(identityLine(identity));
            m_features->addItems(m_info.features);
            QStringList forms;
            for (auto [formType, fields] : m_info.forms.asKeyValueRange()) {
                forms.append(formType);
                for (auto [var, values] : fields.asKeyValueRange())
                    forms.append(QStringLiteral("  %1: %2").arg(var, values.join(QStringLiteral(", "))));
            }
            m_forms->setPlainText(forms.join(u'\n'));
            m_joinButton->setVisible(isRoom(m_info, jid));
            // Our own server's registration is the account itself (password, deletion: its settings).
            m_registerButton->setVisible(m_info.hasFeature(Core::ServiceRegistration::Feature) &&
                                         jid != m_account.jid().section(u'@', 1));
            if (m_info.hasFeature(CommandsFeature))
                showCommands(jid);
        });
}

void ServiceBrowserWindow::showCommands(const QString &jid)
{
    const quint64 round = m_infoRound;
    Core::AdHocCommand::list(m_account.client(), this, jid)
        .then(this, [this, round](Core::Result<QList<Core::CommandItem>> &&result) {
            if (round != m_infoRound)
                return;
            if (!Core::isOk(result)) {
                m_status->setText(tr("No commands: %1").arg(ErrorPresenter::describe(Core::errorOf(result))));
                return;
            }
            for (const Core::CommandItem &command : std::get<QList<Core::CommandItem>>(result)) {
                auto *entry =
                    new QListWidgetItem(command.name.isEmpty() ? command.node : command.name, m_commands);
                entry->setData(JidRole, command.jid);
                entry->setData(NodeRole, command.node);
                entry->setToolTip(command.node);
            }
        });
}

void ServiceBrowserWindow::runSelectedCommand()
{
    const QListWidgetItem *entry = m_commands->currentItem();
    if (!entry)
        return;
    const Core::CommandItem command{entry->data(JidRole).toString(), entry->data(NodeRole).toString(),
                                    entry->text()};
    auto *dialog = new CommandDialog(m_account, command, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    Q_EMIT commandOpened(dialog);
}

void ServiceBrowserWindow::openRegistration()
{
    auto *dialog = new ServiceRegistrationDialog(m_account, m_infoJid, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    Q_EMIT registrationOpened(dialog);
}

} // namespace Natter::Ui
