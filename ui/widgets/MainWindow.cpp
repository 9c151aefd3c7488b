// SPDX-License-Identifier: GPL-3.0-or-later
// The main window: accounts and conversations on the left, the open chat on the right.
#include "MainWindow.h"

#include "AccountStatusWidget.h"
#include "ChatView.h"
#include "Composer.h"
#include "ConversationDelegate.h"
#include "SearchPanel.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "account/Preferences.h"
#include "calls/CallButtons.h"
#include "calls/CallCenter.h"
#include "calls/CallService.h"
#include "calls/DevicePreference.h"
#include "chat/ChatController.h"
#include "chat/ConversationDeletion.h"
#include "chat/DirectTransfersBar.h"
#include "chat/EncryptionButton.h"
#include "chat/UploadsBar.h"
#include "contacts/ContactListWidget.h"
#include "contacts/InviteContactDialog.h"
#include "contacts/OwnStatusWidget.h"
#include "dialogs/AccountSettingsDialog.h"
#include "dialogs/AccountWizard.h"
#include "dialogs/AvatarEditorDialog.h"
#include "dialogs/BlockedListDialog.h"
#include "dialogs/CertificateDialog.h"
#include "dialogs/ContactDetailsDialog.h"
#include "dialogs/ExportProfileDialog.h"
#include "dialogs/ImportProfileDialog.h"
#include "dialogs/NewChatDialog.h"
#include "dialogs/PasswordDialog.h"
#include "dialogs/ServerDetailsDialog.h"
#include "dialogs/SettingsDialog.h"
#include "domain/ConnectionState.h"
#include "files/AttachmentService.h"
#include "filetransfer/FileTransferService.h"
#include "im/DisplayedSync.h"
#include "messaging/MessageService.h"
#include "models/AnimationPlayer.h"
#include "models/ConversationListModel.h"
#include "models/MessageListModel.h"
#include "models/ThumbnailCache.h"
#include "muc/MucService.h"
#include "muc/RoomActions.h"
#include "muc/RoomView.h"
#include "platform/ActivityMonitor.h"
#include "platform/DesktopNotifier.h"
#include "platform/NotificationPolicy.h"
#include "platform/TrayIcon.h"
#include "presenters/DataSize.h"
#include "presenters/ErrorPresenter.h"
#include "roster/AvatarService.h"
#include "roster/BlockingService.h"
#include "roster/PresenceService.h"
#include "roster/RosterService.h"
#include "roster/SubscriptionService.h"
#include "storage/ConversationRepository.h"
#include "storage/MessageRepository.h"
#include "storage/SyncStateRepository.h"
#include "sync/HistorySync.h"
#include "tools/ServiceBrowserWindow.h"
#include "tools/XmlConsoleWindow.h"
#include "widgets/crypto/DeviceListDialog.h"
#include "widgets/crypto/UndecidedDeviceBanner.h"

#include <QAction>
#include <QApplication>
#include <QBoxLayout>
#include <QCloseEvent>
#include <QDir>
#include <QFrame>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabBar>
#include <QToolButton>

namespace Natter::Ui {

using Core::Account;
using Core::ChatMessage;
using Core::ConnectionState;
using Core::ConversationKey;
using Core::Error;
using Core::Result;

namespace {
constexpr int StatusMessageTimeout = 8000;

QFrame *separator(QWidget *parent)
{
    auto *line = new QFrame(parent);
    line->setFrameShape(QFrame::HLine);
    line->setFrameShadow(QFrame::Sunken);
    return line;
}

void openDeviceList(QWidget *parent, Account *account, const QString &bareJid)
{
    if (!account)
        return;
    auto *dialog = new DeviceListDialog(*account, bareJid, parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}
} // namespace

MainWindow::MainWindow(Core::AccountManager &accounts, QWidget *parent)
    : QMainWindow(parent)
    , m_accounts(accounts)
    , m_conversations(new ConversationListModel(this))
{
    m_conversations->setStore(&m_accounts.messageStore());
    m_roomActions = new RoomActions(m_accounts, this);
    connect(m_roomActions, &RoomActions::roomOpened, this, &MainWindow::openConversation);
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Natter"));
    resize(1100, 720);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("mainSplitter"));
    splitter->addWidget(createSidebar());
    splitter->addWidget(createChatArea());
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({320, 780});
    setCentralWidget(splitter);
    createMenus();
    statusBar()->setSizeGripEnabled(true);

    connect(&m_accounts, &Core::AccountManager::accountAdded, this, &MainWindow::addAccountRow);
    connect(&m_accounts, &Core::AccountManager::accountRemoved, this, &MainWindow::removeAccountRow);
    connect(&m_accounts, &Core::AccountManager::passwordRequired, this, &MainWindow::requestPassword);
    for (Account *account : m_accounts.accounts())
        addAccountRow(account);

    m_activity = new ActivityMonitor(m_accounts, this);
    createDesktopIntegration();
    createChatController();

    m_bannerTimer.setInterval(1000);
    connect(&m_bannerTimer, &QTimer::timeout, this, &MainWindow::refreshChatState);
    refreshChatState();
    refreshPlaceholder();
}

MainWindow::~MainWindow() = default;

QWidget *MainWindow::createSidebar()
{
    auto *sidebar = new QWidget(this);
    sidebar->setObjectName(QStringLiteral("sidebar"));
    sidebar->setMinimumWidth(240);

    auto *accountsBox = new QWidget(sidebar);
    accountsBox->setObjectName(QStringLiteral("accountStatusArea"));
    m_accountRows = new QVBoxLayout(accountsBox);
    m_accountRows->setContentsMargins(0, 0, 0, 0);
    m_accountRows->setSpacing(0);

    m_newChatButton = new QPushButton(tr("New chat…"), sidebar);
    m_newChatButton->setObjectName(QStringLiteral("newChatButton"));
    m_newChatButton->setToolTip(tr("Start a conversation with a contact (Ctrl+N)"));
    connect(m_newChatButton, &QPushButton::clicked, this, &MainWindow::openNewChatDialog);

    m_deletion = new ConversationDeletion(m_accounts, *m_conversations, this);
    connect(m_deletion, &ConversationDeletion::deleted, this, [this](const ConversationKey &key, int files) {
        if (m_current == key) {
            m_current = {};
            m_chatView->setModel(nullptr);
            refreshPlaceholder();
        }
        statusBar()->showMessage(
            files > 0 ? tr("Deleted the conversation with %1 and %n downloaded file(s).", nullptr, files)
                            .arg(key.peer)
                      : tr("Deleted the conversation with %1.").arg(key.peer),
            StatusMessageTimeout);
    });
    connect(m_deletion, &ConversationDeletion::failed, this,
            [this](const QString &text) { statusBar()->showMessage(text, StatusMessageTimeout); });
    m_conversationList = new QListView(sidebar);
    m_conversationList->setObjectName(QStringLiteral("conversationList"));
    m_conversationList->setModel(m_conversations);
    m_conversationList->setItemDelegate(new ConversationDelegate(m_conversationList));
    m_conversationList->setSelectionMode(QAbstractItemView::SingleSelection);
    m_conversationList->setUniformItemSizes(true);
    m_conversationList->setMouseTracking(true);
    m_conversationList->setFrameShape(QFrame::NoFrame);
    m_conversationList->setAccessibleName(tr("Conversations"));
    m_conversationList->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_conversationList, &QListView::customContextMenuRequested, this, [this](const QPoint &position) {
        const QModelIndex index = m_conversationList->indexAt(position);
        if (!index.isValid())
            return;
        const ConversationKey key = m_conversations->keyAt(index);
        const bool muted = m_conversations->isMuted(key);
        QMenu menu(this);
        menu.addAction(muted ? tr("Unmute notifications") : tr("Mute notifications"), this,
                       [this, key, muted] {
                           m_conversations->setMuted(key, !muted);
                           m_accounts.conversationStore().setMuted(key, !muted);
                       });
        if (key.kind == Core::ConversationKind::Chat) {
            menu.addSeparator();
            QAction *remove =
                menu.addAction(tr("Delete conversation…"), this, [this, key] { m_deletion->start(key); });
            remove->setObjectName(QStringLiteral("deleteConversationAction"));
        }
        menu.exec(m_conversationList->viewport()->mapToGlobal(position));
    });
    connect(m_conversationList->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) { showConversation(current); });

    m_globalSearch = new SearchPanel(m_accounts.messageStore(), sidebar);
    m_globalSearch->setObjectName(QStringLiteral("globalSearch"));
    m_globalSearch->setPlaceholderText(tr("Search all conversations (Ctrl+F)"));
    // While searching, the results take the conversation list's place.
    connect(m_globalSearch, &SearchPanel::activeChanged, m_conversationList, &QWidget::setHidden);
    connect(m_globalSearch, &SearchPanel::messageChosen, this, &MainWindow::showMessageInContext);

    // Chats and contacts share the side bar; a tab bar switches between them.
    auto *chatsPage = new QWidget(sidebar);
    chatsPage->setObjectName(QStringLiteral("chatsPage"));
    auto *chatsLayout = new QVBoxLayout(chatsPage);
    chatsLayout->setContentsMargins(0, 0, 0, 0);
    chatsLayout->setSpacing(0);
    auto *buttonRow = new QHBoxLayout;
    buttonRow->setContentsMargins(8, 6, 8, 6);
    buttonRow->addWidget(m_newChatButton);
    buttonRow->addStretch(1);
    chatsLayout->addLayout(buttonRow);
    auto *searchRow = new QVBoxLayout;
    searchRow->setContentsMargins(8, 0, 8, 6);
    searchRow->addWidget(m_globalSearch);
    chatsLayout->addLayout(searchRow, 0);
    // Conversations strangers started wait behind this button instead of among the chats.
    m_requestsButton = new QPushButton(chatsPage);
    m_requestsButton->setObjectName(QStringLiteral("messageRequestsButton"));
    m_requestsButton->setFlat(true);
    m_requestsButton->hide();
    connect(m_requestsButton, &QPushButton::clicked, this, [this] {
        m_showingRequests = !m_showingRequests;
        refreshRequestRows();
    });
    chatsLayout->addWidget(m_requestsButton);
    chatsLayout->addWidget(m_conversationList, 1);
    m_requestRowsTimer.setSingleShot(true);
    m_requestRowsTimer.setInterval(0);
    connect(&m_requestRowsTimer, &QTimer::timeout, this, &MainWindow::refreshRequestRows);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_conversations, signal, &m_requestRowsTimer, qOverload<>(&QTimer::start));
    connect(m_conversations, &QAbstractItemModel::rowsMoved, &m_requestRowsTimer,
            qOverload<>(&QTimer::start));
    connect(m_conversations, &QAbstractItemModel::modelReset, &m_requestRowsTimer,
            qOverload<>(&QTimer::start));
    connect(m_conversations, &QAbstractItemModel::dataChanged, &m_requestRowsTimer,
            qOverload<>(&QTimer::start));
    connect(m_globalSearch, &SearchPanel::activeChanged, this, [chatsLayout, searchRow](bool active) {
        chatsLayout->setStretchFactor(searchRow, active ? 1 : 0);
    });

    m_contactList = new ContactListWidget(m_accounts, sidebar);
    connect(m_contactList, &ContactListWidget::blockRequested, this, &MainWindow::blockAddress);
    connect(m_contactList, &ContactListWidget::detailsRequested, this,
            [this](Account *account, const QString &jid) {
                auto *dialog = new ContactDetailsDialog(*account, jid, this);
                dialog->setAttribute(Qt::WA_DeleteOnClose);
                dialog->open();
            });
    connect(m_contactList, &ContactListWidget::chatRequested, this, [this](const ConversationKey &key) {
        m_sidebarTabs->setCurrentIndex(0);
        openConversation(key);
    });
    m_sidebarPages = new QStackedWidget(sidebar);
    m_sidebarPages->addWidget(chatsPage);
    m_sidebarPages->addWidget(m_contactList);
    m_sidebarTabs = new QTabBar(sidebar);
    m_sidebarTabs->setObjectName(QStringLiteral("sidebarTabs"));
    m_sidebarTabs->setExpanding(true);
    m_sidebarTabs->setDocumentMode(true);
    m_sidebarTabs->addTab(tr("Chats"));
    m_sidebarTabs->addTab(tr("Contacts"));
    connect(m_sidebarTabs, &QTabBar::currentChanged, m_sidebarPages, &QStackedWidget::setCurrentIndex);

    auto *layout = new QVBoxLayout(sidebar);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(accountsBox);
    layout->addWidget(separator(sidebar));
    layout->addWidget(m_sidebarTabs);
    layout->addWidget(m_sidebarPages, 1);
    layout->addWidget(separator(sidebar));
    m_ownStatus = new OwnStatusWidget(m_accounts, sidebar);
    layout->addWidget(m_ownStatus);
    return sidebar;
}

QWidget *MainWindow::createChatArea()
{
    m_chatStack = new QStackedWidget(this);
    m_chatStack->setObjectName(QStringLiteral("chatStack"));

    auto *placeholderPage = new QWidget(m_chatStack);
    m_placeholder = new QLabel(placeholderPage);
    m_placeholder->setObjectName(QStringLiteral("chatPlaceholder"));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setTextFormat(Qt::PlainText);
    m_placeholderAddButton = new QPushButton(tr("Add account…"), placeholderPage);
    m_placeholderAddButton->setObjectName(QStringLiteral("placeholderAddAccountButton"));
    connect(m_placeholderAddButton, &QPushButton::clicked, this, &MainWindow::openAccountWizard);
    m_placeholderImportButton =
        new QPushButton(tr("Import a profile from another computer…"), placeholderPage);
    m_placeholderImportButton->setObjectName(QStringLiteral("placeholderImportButton"));
    m_placeholderImportButton->setFlat(true);
    connect(m_placeholderImportButton, &QPushButton::clicked, this, &MainWindow::openImportProfileDialog);
    auto *placeholderLayout = new QVBoxLayout(placeholderPage);
    placeholderLayout->addStretch(1);
    placeholderLayout->addWidget(m_placeholder);
    placeholderLayout->addWidget(m_placeholderAddButton, 0, Qt::AlignHCenter);
    placeholderLayout->addWidget(m_placeholderImportButton, 0, Qt::AlignHCenter);
    placeholderLayout->addStretch(1);

    auto *chatPage = new QWidget(m_chatStack);
    m_chatTitle = new QLabel(chatPage);
    m_chatTitle->setObjectName(QStringLiteral("chatTitle"));
    m_chatTitle->setTextFormat(Qt::PlainText);
    m_chatTitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont titleFont = m_chatTitle->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    m_chatTitle->setFont(titleFont);
    m_chatTitle->setContentsMargins(12, 8, 12, 8);
    // The peer's chat state (typing…): text of ours, never the peer's.
    m_chatState = new QLabel(chatPage);
    m_chatState->setObjectName(QStringLiteral("chatStateLabel"));
    m_chatState->setTextFormat(Qt::PlainText);
    QFont stateFont = m_chatState->font();
    stateFont.setItalic(true);
    m_chatState->setFont(stateFont);
    QPalette statePalette = m_chatState->palette();
    statePalette.setColor(QPalette::WindowText, statePalette.color(QPalette::PlaceholderText));
    m_chatState->setPalette(statePalette);

    m_callCenter = new CallCenter(
        [](Account *account, const QString &jid) {
            const auto item = account->roster().item(jid);
            return item && !item->name.isEmpty() ? item->name : jid;
        },
        this);
    connect(m_callCenter, &CallCenter::reported, this,
            [this](const QString &text) { statusBar()->showMessage(text, StatusMessageTimeout); });
    m_callButtons = new CallButtons(chatPage);
    connect(m_callButtons, &CallButtons::callRequested, m_callCenter, &CallCenter::call);
    connect(m_callCenter, &CallCenter::deviceChosen, this,
            [this](Core::Calls::DeviceMonitor::Kind kind, const QString &device) {
                if (m_preferences)
                    m_preferences->setText(devicePreference(kind), device);
            });
    m_encryptionButton = new EncryptionButton(chatPage);
    connect(m_encryptionButton, &EncryptionButton::devicesRequested, this,
            [this] { openDeviceList(this, accountOf(m_current), m_current.peer); });
    m_deviceBanner = new UndecidedDeviceBanner(chatPage);
    connect(m_deviceBanner, &UndecidedDeviceBanner::reviewRequested, this,
            [this](const QString &jid) { openDeviceList(this, accountOf(m_current), jid); });

    m_conversationSearchButton = new QToolButton(chatPage);
    m_conversationSearchButton->setObjectName(QStringLiteral("conversationSearchButton"));
    m_conversationSearchButton->setText(tr("Search"));
    m_conversationSearchButton->setIcon(QIcon::fromTheme(QStringLiteral("edit-find")));
    m_conversationSearchButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_conversationSearchButton->setToolTip(tr("Search in this conversation (Ctrl+Shift+F)"));
    m_conversationSearchButton->setCheckable(true);
    m_conversationSearchButton->setAutoRaise(true);
    connect(m_conversationSearchButton, &QToolButton::clicked, this, &MainWindow::toggleConversationSearch);

    m_conversationSearch = new SearchPanel(m_accounts.messageStore(), chatPage);
    m_conversationSearch->setObjectName(QStringLiteral("conversationSearch"));
    m_conversationSearch->setPlaceholderText(tr("Search in this conversation"));
    m_conversationSearch->setContentsMargins(12, 0, 12, 6);
    m_conversationSearch->resultsView()->setMaximumHeight(220);
    m_conversationSearch->hide();
    connect(m_conversationSearch, &SearchPanel::messageChosen, this, &MainWindow::showMessageInContext);

    m_banner = new QLabel(chatPage);
    m_banner->setObjectName(QStringLiteral("accountErrorBanner"));
    m_banner->setTextFormat(Qt::PlainText);
    m_banner->setWordWrap(true);
    m_banner->setContentsMargins(12, 6, 12, 6);
    m_banner->setStyleSheet(QStringLiteral("QLabel { background: #fdecea; color: #8a1c1c; "
                                           "border-bottom: 1px solid #f5c2c0; }"));
    m_banner->hide();

    m_chatView = new ChatView(chatPage);
    m_chatView->setObjectName(QStringLiteral("chatView"));
    m_roomView = new RoomView(m_accounts.conversationStore(), chatPage);
    connect(m_roomView, &RoomView::privateChatRequested, this, &MainWindow::openConversation);
    connect(m_roomView, &RoomView::statusMessage, this,
            [this](const QString &text) { statusBar()->showMessage(text, StatusMessageTimeout); });
    connect(m_roomView, &RoomView::notificationsChanged, m_conversations,
            &ConversationListModel::setRoomNotifications);
    connect(m_roomView, &RoomView::settingsRequested, m_roomActions, &RoomActions::openSettings);
    connect(m_roomView, &RoomView::inviteRequested, m_roomActions, &RoomActions::openInvite);
    connect(m_roomView, &RoomView::affiliationsRequested, m_roomActions, &RoomActions::openAffiliations);
    m_composer = new Composer(chatPage);
    connect(m_composer, &Composer::sendRequested, this, &MainWindow::sendMessage);
    m_uploads = new UploadsBar(chatPage);
    m_directTransfers = new DirectTransfersBar(chatPage);
    connect(m_directTransfers, &DirectTransfersBar::reported, this,
            [this](const QString &text) { statusBar()->showMessage(text, StatusMessageTimeout); });
    connect(m_composer, &Composer::sendFilesRequested, this,
            [this](const QStringList &paths, const QString &caption) {
                m_uploads->share(accountOf(m_current), m_current, paths, caption);
                m_chat->cancelMode();
                saveDraft();
            });
    connect(m_uploads, &UploadsBar::messageComposed, m_conversations, &ConversationListModel::addMessage);
    connect(m_uploads, &UploadsBar::deliveryChanged, m_conversations, &ConversationListModel::setDelivery);
    connect(m_uploads, &UploadsBar::captionReturned, this,
            [this](const ConversationKey &key, const QString &caption) {
                if (m_current == key && m_composer->text().isEmpty())
                    m_composer->setText(caption);
            });
    connect(m_uploads, &UploadsBar::failed, this,
            [this](const QString &text) { statusBar()->showMessage(text, StatusMessageTimeout); });
    connect(m_chatView, &ChatView::filesDropped, m_composer, &Composer::addAttachments);
    m_thumbnails = new ThumbnailCache(m_accounts.thumbnails(), this);
    m_animations = new AnimationPlayer(m_accounts.thumbnails(), this);

    auto *layout = new QVBoxLayout(chatPage);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    auto *header = new QHBoxLayout;
    header->setContentsMargins(0, 0, 8, 0);
    header->addWidget(m_chatTitle);
    header->addWidget(m_chatState, 1);
    header->addWidget(m_roomView->menuButton());
    header->addWidget(m_callButtons);
    header->addWidget(m_encryptionButton);
    header->addWidget(m_conversationSearchButton);
    layout->addLayout(header);
    layout->addWidget(m_roomView->subjectLabel());
    layout->addWidget(m_conversationSearch);
    layout->addWidget(separator(chatPage));
    layout->addWidget(m_banner);
    layout->addWidget(m_deviceBanner);
    layout->addWidget(createRequestBar(chatPage));
    auto *body = new QHBoxLayout;
    body->setSpacing(0);
    body->addWidget(m_chatView, 1);
    body->addWidget(m_roomView);
    layout->addLayout(body, 1);
    layout->addWidget(separator(chatPage));
    layout->addWidget(m_directTransfers);
    layout->addWidget(m_uploads);
    layout->addWidget(m_composer);

    m_chatStack->addWidget(placeholderPage);
    m_chatStack->addWidget(chatPage);
    return m_chatStack;
}

void MainWindow::createMenus()
{
    QMenu *natter = menuBar()->addMenu(tr("&Natter"));
    m_addAccountAction = natter->addAction(tr("&Add account…"), this, &MainWindow::openAccountWizard);
    m_addAccountAction->setObjectName(QStringLiteral("addAccountAction"));
    m_newChatAction = natter->addAction(tr("&New chat…"), this, &MainWindow::openNewChatDialog);
    m_newChatAction->setObjectName(QStringLiteral("newChatAction"));
    m_newChatAction->setShortcut(QKeySequence::New);
    QAction *joinRoom = natter->addAction(tr("&Join group chat…"), this, [this] {
        m_roomActions->openJoin(accountJids(), currentAccount() ? currentAccount()->jid() : QString());
    });
    joinRoom->setObjectName(QStringLiteral("joinRoomAction"));
    joinRoom->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_J));
    QAction *find =
        natter->addAction(tr("&Search messages…"), this, [this] { m_globalSearch->focusField(); });
    find->setObjectName(QStringLiteral("searchAction"));
    find->setShortcut(QKeySequence::Find);
    QAction *findHere = natter->addAction(tr("Search in &conversation…"), this, [this] {
        if (m_current.account.isEmpty())
            return;
        m_conversationSearchButton->setChecked(true);
        toggleConversationSearch();
    });
    findHere->setObjectName(QStringLiteral("conversationSearchAction"));
    findHere->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F));
    natter->addSeparator();
    QAction *exportProfile = natter->addAction(tr("E&xport profile…"), this, [this] {
        auto *dialog = new ExportProfileDialog(m_accounts, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
    exportProfile->setObjectName(QStringLiteral("exportProfileAction"));
    m_importProfileAction =
        natter->addAction(tr("&Import profile…"), this, &MainWindow::openImportProfileDialog);
    m_importProfileAction->setObjectName(QStringLiteral("importProfileAction"));
    m_importProfileAction->setEnabled(false);
    QAction *preferences = natter->addAction(tr("&Preferences…"), this, &MainWindow::openPreferences);
    preferences->setMenuRole(QAction::PreferencesRole);
    preferences->setObjectName(QStringLiteral("preferencesAction"));
    QAction *quit = natter->addAction(tr("&Quit"), this, &MainWindow::quitApplication);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    m_accountMenu = menuBar()->addMenu(tr("&Account"));
    m_settingsAction = m_accountMenu->addAction(tr("&Settings…"), this, [this] {
        if (Account *account = currentAccount())
            openSettings(account);
    });
    m_settingsAction->setObjectName(QStringLiteral("accountSettingsAction"));
    QAction *invite = m_accountMenu->addAction(tr("&Invite a contact…"), this, [this] {
        if (Account *account = currentAccount()) {
            auto *dialog = new InviteContactDialog(*account, this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            dialog->open();
        }
    });
    invite->setObjectName(QStringLiteral("inviteContactAction"));
    QAction *blocked = m_accountMenu->addAction(tr("&Blocked addresses…"), this, [this] {
        if (Account *account = currentAccount()) {
            auto *dialog = new BlockedListDialog(*account, this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            dialog->open();
        }
    });
    blocked->setObjectName(QStringLiteral("blockedListAction"));
    QAction *avatar = m_accountMenu->addAction(tr("&Avatar…"), this, [this] {
        if (Account *account = currentAccount()) {
            auto *dialog = new AvatarEditorDialog(*account, this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            dialog->open();
        }
    });
    avatar->setObjectName(QStringLiteral("avatarAction"));
    QAction *server = m_accountMenu->addAction(tr("Se&rver details…"), this, [this] {
        if (Account *account = currentAccount()) {
            auto *dialog = new ServerDetailsDialog(*account, this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            dialog->open();
        }
    });
    server->setObjectName(QStringLiteral("serverDetailsAction"));
    QAction *console = m_accountMenu->addAction(tr("&XML console…"), this, [this] {
        if (Account *account = currentAccount())
            openXmlConsole(account);
    });
    console->setObjectName(QStringLiteral("xmlConsoleAction"));
    QAction *services = m_accountMenu->addAction(tr("Ser&vice discovery…"), this, [this] {
        if (Account *account = currentAccount())
            openServiceBrowser(account);
    });
    services->setObjectName(QStringLiteral("serviceBrowserAction"));
    m_connectAction = m_accountMenu->addAction(tr("&Connect"), this, [this] {
        Account *account = currentAccount();
        if (!account)
            return;
        if (account->state() == ConnectionState::Online || account->state() == ConnectionState::Connecting)
            account->disconnectFromServer();
        else
            connectAccount(account);
    });
    m_connectAction->setObjectName(QStringLiteral("accountConnectAction"));
    connect(m_accountMenu, &QMenu::aboutToShow, this, &MainWindow::refreshAccountMenu);
    refreshAccountMenu();

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *about = help->addAction(tr("&About Natter"), this, &MainWindow::showAbout);
    about->setMenuRole(QAction::AboutRole);
}

void MainWindow::refreshAccountMenu()
{
    Account *account = currentAccount();
    m_settingsAction->setEnabled(account);
    m_connectAction->setEnabled(account);
    if (!account) {
        m_settingsAction->setText(tr("&Settings…"));
        m_connectAction->setText(tr("&Connect"));
        return;
    }
    m_settingsAction->setText(tr("&Settings of %1…").arg(account->jid()));
    const bool active =
        account->state() == ConnectionState::Online || account->state() == ConnectionState::Connecting;
    m_connectAction->setText(active ? tr("&Disconnect %1").arg(account->jid())
                                    : tr("&Connect %1").arg(account->jid()));
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About Natter"),
        tr("<h3>Natter %1</h3><p>A desktop XMPP client.</p>"
           "<p>Natter is free software under the GNU General Public License, version 3 or later.</p>")
            .arg(QStringLiteral(NATTER_VERSION)));
}

void MainWindow::profileOpened()
{
    m_profileOpen = true;
    m_preferences->load();
    refreshPlaceholder();
    if (m_accounts.accounts().isEmpty()) {
        openAccountWizard();
        Q_EMIT conversationsLoaded();
        return;
    }
    // The stored conversations are listed before anything new arrives; then the accounts connect.
    auto remaining = std::make_shared<qsizetype>(m_accounts.accounts().size());
    for (Account *account : m_accounts.accounts()) {
        const QString jid = account->jid();
        m_accounts.conversationStore().conversations(jid).then(
            this, [this, remaining](const Result<QList<Core::ConversationSummary>> &loaded) {
                if (Core::isOk(loaded))
                    m_conversations->loadSummaries(std::get<QList<Core::ConversationSummary>>(loaded));
                else
                    statusBar()->showMessage(tr("Stored conversations could not be read: %1")
                                                 .arg(ErrorPresenter::describe(Core::errorOf(loaded))),
                                             StatusMessageTimeout);
                if (--*remaining > 0)
                    return;
                Q_EMIT conversationsLoaded();
                m_accounts.connectAll();
            });
        loadGaps(jid);
    }
}

void MainWindow::loadConversations(const QString &accountJid)
{
    m_accounts.conversationStore()
        .conversations(accountJid)
        .then(this, [this](const Result<QList<Core::ConversationSummary>> &loaded) {
            if (Core::isOk(loaded))
                m_conversations->loadSummaries(std::get<QList<Core::ConversationSummary>>(loaded));
        });
}

void MainWindow::loadGaps(const QString &accountJid)
{
    m_accounts.syncState()
        .gaps(accountJid)
        .then(this, [this, accountJid](const Result<QList<Core::HistoryGap>> &gaps) {
            if (!Core::isOk(gaps))
                return;
            for (int row = 0; row < m_conversations->rowCount(); ++row) {
                const ConversationKey key = m_conversations->keyAt(m_conversations->index(row));
                if (key.account == accountJid)
                    m_conversations->messages(key)->setGaps(std::get<QList<Core::HistoryGap>>(gaps));
            }
            m_gaps.insert(accountJid, std::get<QList<Core::HistoryGap>>(gaps));
        });
}

void MainWindow::profileFailed(const Error &error)
{
    m_profileOpen = false;
    m_addAccountAction->setEnabled(false);
    m_newChatAction->setEnabled(false);
    m_newChatButton->setEnabled(false);
    m_placeholderAddButton->hide();
    const QString text = tr("Natter could not open its profile: %1").arg(ErrorPresenter::describe(error));
    m_placeholder->setText(text);
    auto *box = new QMessageBox(QMessageBox::Critical, tr("Natter"), text, QMessageBox::Close, this);
    box->setObjectName(QStringLiteral("profileErrorBox"));
    box->setDetailedText(error.codeName() + QStringLiteral(": ") + error.detail);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::refreshPlaceholder()
{
    if (!m_profileOpen && m_placeholder->text().isEmpty()) {
        m_placeholder->setText(tr("Opening the profile…"));
        m_placeholderAddButton->hide();
        m_placeholderImportButton->hide();
        return;
    }
    if (!m_profileOpen)
        return;
    const bool noAccounts = m_accounts.accounts().isEmpty();
    m_placeholder->setText(noAccounts ? tr("Add an XMPP account to start chatting.")
                                      : tr("Choose a conversation on the left, or start a new chat."));
    m_placeholderAddButton->setVisible(noAccounts);
    m_placeholderImportButton->setVisible(noAccounts);
    m_importProfileAction->setEnabled(noAccounts);
    m_newChatButton->setEnabled(!noAccounts);
    m_newChatAction->setEnabled(!noAccounts);
}

AccountWizard *MainWindow::openAccountWizard()
{
    if (m_wizard) {
        m_wizard->raise();
        m_wizard->activateWindow();
        return m_wizard;
    }
    m_wizard = new AccountWizard(m_accounts, this);
    m_wizard->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_wizard, &AccountWizard::importProfileRequested, this, &MainWindow::openImportProfileDialog);
    connect(m_wizard, &AccountWizard::accountAdded, this, [this](Account *account) {
        statusBar()->showMessage(tr("Added %1.").arg(account->jid()), StatusMessageTimeout);
        account->connectToServer();
    });
    m_wizard->open();
    return m_wizard;
}

NewChatDialog *MainWindow::openNewChatDialog()
{
    QStringList jids;
    if (Account *preferred = currentAccount())
        jids.append(preferred->jid());
    for (Account *account : m_accounts.accounts()) {
        if (!jids.contains(account->jid()))
            jids.append(account->jid());
    }
    if (jids.isEmpty()) {
        openAccountWizard();
        return nullptr;
    }
    auto *dialog = new NewChatDialog(jids, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog] { openConversation(ConversationKey{dialog->accountJid(), dialog->peerJid()}); });
    dialog->open();
    return dialog;
}

void MainWindow::openConversation(const ConversationKey &key)
{
    if (m_notifier)
        m_notifier->withdraw(key);
    const QModelIndex index = m_conversations->openConversation(key);
    m_conversationList->setCurrentIndex(index);
    m_composer->editor()->setFocus();
}

void MainWindow::showMessageInContext(const ChatMessage &message)
{
    m_pendingJump = message;
    const QModelIndex index = m_conversations->openConversation(message.conversation);
    if (m_conversationList->currentIndex() != index)
        m_conversationList->setCurrentIndex(index);
    else
        showConversation(index);
}

ImportProfileDialog *MainWindow::openImportProfileDialog()
{
    if (!m_profileOpen || !m_accounts.accounts().isEmpty())
        return nullptr;
    if (m_wizard)
        m_wizard->close();
    auto *dialog = new ImportProfileDialog(m_accounts.profileDirectory(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ImportProfileDialog::unpacked, this,
            [this](const QString &incoming, const Core::ProfileTransfer::Secrets &secrets) {
                Q_EMIT profileImportReady(incoming, secrets);
            });
    dialog->open();
    return dialog;
}

void MainWindow::reportProfileImport(const Core::Result<QString> &adopted)
{
    if (!Core::isOk(adopted)) {
        auto *box = new QMessageBox(QMessageBox::Warning, tr("Import profile"),
                                    tr("The imported profile could not be put in place: %1")
                                        .arg(ErrorPresenter::describe(Core::errorOf(adopted))),
                                    QMessageBox::Ok, this);
        box->setObjectName(QStringLiteral("profileImportFailedBox"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        return;
    }
    const QString setAside = std::get<QString>(adopted);
    statusBar()->showMessage(setAside.isEmpty()
                                 ? tr("Imported the profile.")
                                 : tr("Imported the profile. What this profile held before is kept in %1.")
                                       .arg(QDir::toNativeSeparators(setAside)));
}

AccountWizard *MainWindow::accountWizard() const
{
    return m_wizard;
}

MessageListModel *MainWindow::currentMessages() const
{
    return m_conversations->messages(m_current);
}

AccountStatusWidget *MainWindow::statusWidget(const QString &accountJid) const
{
    return m_statusWidgets.value(accountJid);
}

QString MainWindow::bannerText() const
{
    return m_banner->isHidden() ? QString() : m_banner->text();
}

Account *MainWindow::accountOf(const ConversationKey &key) const
{
    return key.account.isEmpty() ? nullptr : m_accounts.account(key.account);
}

Account *MainWindow::currentAccount() const
{
    if (Account *account = accountOf(m_current))
        return account;
    const auto all = m_accounts.accounts();
    return all.isEmpty() ? nullptr : all.first();
}

void MainWindow::addAccountRow(Account *account)
{
    if (m_statusWidgets.contains(account->jid()))
        return;
    auto *row = new AccountStatusWidget(account, this);
    m_accountRows->addWidget(row);
    m_statusWidgets.insert(account->jid(), row);
    connect(row, &AccountStatusWidget::connectRequested, this, &MainWindow::connectAccount);
    connect(row, &AccountStatusWidget::disconnectRequested, this,
            [](Account *target) { target->disconnectFromServer(); });
    connect(row, &AccountStatusWidget::settingsRequested, this, &MainWindow::openSettings);
    if (m_directTransfers)
        m_directTransfers->watch(account);
    if (m_callCenter)
        m_callCenter->watch(account);
    connect(&account->calls(), &Core::Calls::CallService::incoming, this,
            [this, account](Core::Calls::Call *call) { notifyIncomingCall(account, call); });
    connect(&account->directTransfers(), &Core::FileTransferService::offered, this,
            [this, account](Core::FileTransfer *transfer) { notifyFileOffer(account, transfer); });

    if (m_preferences) {
        applyFilePolicy();
        applyCallSettings();
    }
    connect(&account->messages(), &Core::MessageService::messageReceived, this, &MainWindow::messageArrived);
    // Added to the contacts (here or on another device): their chat is no longer a request.
    connect(&account->roster(), &Core::RosterService::itemAdded, this,
            [this, jid = account->jid()](const Core::RosterItem &item) {
                m_conversations->setRequest({jid, item.jid}, false);
                if (m_current == ConversationKey{jid, item.jid}) {
                    m_requestBar->hide();
                    m_chat->setRequest(false);
                }
            });
    connect(&account->history(), &Core::HistorySync::messagesStored, this,
            &MainWindow::archiveMessagesStored);
    // Corrections, retractions, reactions, receipts and markers, live or from the archive.
    connect(&account->messages(), &Core::MessageService::messagesChanged, m_conversations,
            &ConversationListModel::updateMessages);
    connect(&account->history(), &Core::HistorySync::messagesChanged, m_conversations,
            &ConversationListModel::updateMessages);
    // Read on another device of ours.
    connect(&account->messages(), &Core::MessageService::displayedElsewhere, m_conversations,
            &ConversationListModel::lowerUnread);
    connect(&account->displayedSync(), &Core::DisplayedSync::displayedElsewhere, m_conversations,
            &ConversationListModel::lowerUnread);
    connect(&account->messages(), &Core::MessageService::chatStateChanged, this,
            [this](const ConversationKey &key, Core::ChatState state) {
                if (m_chat)
                    m_chat->showPeerState(key, state);
            });
    const QString jid = account->jid();
    connect(&account->history(), &Core::HistorySync::catchUpFinished, this,
            [this, jid](int, const std::optional<Core::Error> &error) {
                // Catch-up changes unread counts and previews of many conversations at once (and a first
                // login marks them all read): read them again.
                loadConversations(jid);
                // A lost connection is shown by the account row and retried; anything else is said here.
                if (error && error->code != Core::Error::Code::NotConnected)
                    statusBar()->showMessage(tr("The history of %1 could not be brought up to date: %2 "
                                                "Missing periods are marked in the chats and loaded at the "
                                                "next connection.")
                                                 .arg(jid, ErrorPresenter::describe(*error)),
                                             StatusMessageTimeout);
            });
    connect(&account->history(), &Core::HistorySync::gapsChanged, this, [this, jid] { loadGaps(jid); });
    connectRooms(account);
    connect(account, &Account::stateChanged, this, &MainWindow::refreshChatState);
    connect(account, &Account::errorOccurred, this, &MainWindow::refreshChatState);
    connect(account, &Account::reconnectScheduled, this, &MainWindow::refreshChatState);
    refreshPlaceholder();
    refreshChatState();
}

void MainWindow::removeAccountRow(const QString &jid)
{
    delete m_statusWidgets.take(jid);
    if (auto dialog = m_passwordDialogs.take(jid))
        dialog->close();
    if (m_current.account == jid) {
        m_current = {};
        m_chatView->setModel(nullptr);
    }
    m_conversations->removeAccount(jid);
    statusBar()->showMessage(tr("Removed %1.").arg(jid), StatusMessageTimeout);
    refreshPlaceholder();
    refreshChatState();
}

void MainWindow::connectAccount(Account *account)
{
    const auto code = account->lastError().code;
    if (!account->hasPassword() || code == Error::Code::AuthenticationFailed)
        return requestPassword(account);
    if (CertificateDialog::canShow(account->lastError()))
        return reviewCertificate(account);
    account->connectToServer();
}

void MainWindow::reviewCertificate(Account *account)
{
    auto *dialog = new CertificateDialog(account->jid(), account->lastError(),
                                         account->config().pinnedCertificate, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, target = QPointer<Account>(account)] {
        if (!target || !m_accounts.accounts().contains(target.data()))
            return;
        Core::AccountConfig config = target->config();
        config.pinnedCertificate = dialog->certificate();
        m_accounts.updateAccount(config, std::nullopt)
            .then(this, [this, target](const Core::Result<Core::Success> &kept) {
                if (!Core::isOk(kept)) {
                    statusBar()->showMessage(tr("The certificate could not be trusted: %1")
                                                 .arg(ErrorPresenter::describe(Core::errorOf(kept))),
                                             StatusMessageTimeout);
                    return;
                }
                if (target)
                    target->connectToServer();
            });
    });
    dialog->open();
}

void MainWindow::requestPassword(Account *account)
{
    if (auto existing = m_passwordDialogs.value(account->jid())) {
        existing->raise();
        existing->activateWindow();
        return;
    }
    const QString reason = account->lastError().code == Error::Code::AuthenticationFailed
                               ? ErrorPresenter::describe(account->lastError())
                               : QString();
    auto *dialog = new PasswordDialog(account, reason, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_passwordDialogs.insert(account->jid(), dialog);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { passwordEntered(dialog); });
    dialog->open();
}

void MainWindow::passwordEntered(PasswordDialog *dialog)
{
    QPointer<Account> account = dialog->account();
    if (!account || !m_accounts.accounts().contains(account.data()))
        return;
    const QString password = dialog->password();
    if (dialog->remember()) {
        m_accounts.updateAccount(account->config(), password)
            .then(this, [this](const Core::Result<Core::Success> &kept) {
                if (!Core::isOk(kept))
                    statusBar()->showMessage(tr("The password was not kept: %1")
                                                 .arg(ErrorPresenter::describe(Core::errorOf(kept))),
                                             StatusMessageTimeout);
            });
    }
    account->setPassword(password);
    account->connectToServer();
}

void MainWindow::openSettings(Account *account)
{
    auto *dialog = new AccountSettingsDialog(m_accounts, account, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::finished, this, [this] { refreshChatState(); });
    dialog->open();
}

void MainWindow::connectRooms(Account *account)
{
    Core::MucService &rooms = account->rooms();
    connect(&rooms, &Core::MucService::historyStored, this, &MainWindow::archiveMessagesStored);
    connect(&rooms, &Core::MucService::historyChanged, m_conversations,
            &ConversationListModel::updateMessages);
    connect(&rooms, &Core::MucService::invitationReceived, m_roomActions, &RoomActions::showInvitation);
    // A room joined here or by a bookmark is in the list at once, even before its first message.
    connect(&rooms, &Core::MucService::roomStateChanged, this,
            [this, jid = account->jid()](const QString &room, Core::MucService::RoomState state) {
                if (state == Core::MucService::RoomState::Joined)
                    m_conversations->openConversation({jid, room, Core::ConversationKind::GroupChat});
                if (m_current == ConversationKey{jid, room, Core::ConversationKind::GroupChat})
                    refreshChatState();
            });
    connect(&rooms, &Core::MucService::infoChanged, this,
            [this, account = QPointer<Account>(account)](const QString &room) {
                if (!account)
                    return;
                const ConversationKey key{account->jid(), room, Core::ConversationKind::GroupChat};
                const QString name = account->rooms().info(room).name;
                m_conversations->setTitle(key, name);
                if (m_current == key) {
                    m_chatTitle->setText(name.isEmpty() ? room.section(u'@', 0, 0) : name);
                    m_encryptionButton->setConversation(account, key); // members-only may have changed
                }
            });
    connect(&rooms, &Core::MucService::removed, this,
            [this](const QString &room, Core::MucService::Removal removal, const QString &actor,
                   const QString &reason) {
                const QString why = RoomActions::describeRemoval(room, removal, actor, reason);
                if (!why.isEmpty())
                    statusBar()->showMessage(why, StatusMessageTimeout);
            });
    connect(
        &rooms, &Core::MucService::joinFailed, this, [this](const QString &room, const Core::Error &error) {
            statusBar()->showMessage(tr("Could not enter %1: %2").arg(room, ErrorPresenter::describe(error)),
                                     StatusMessageTimeout);
        });
}

QStringList MainWindow::accountJids() const
{
    QStringList jids;
    for (Account *account : m_accounts.accounts())
        jids.append(account->jid());
    return jids;
}

void MainWindow::showConversation(const QModelIndex &index)
{
    const ConversationKey key = m_conversations->keyAt(index);
    if (!(key == m_current)) {
        saveDraft();
        if (MessageListModel *previous = currentMessages())
            previous->clearFirstUnread();
    }
    const int unread = m_conversations->unreadCount(key);
    const bool switched = !(key == m_current);
    m_current = key;
    MessageListModel *messages = currentMessages();
    if (Account *account = accountOf(m_current); messages && account) {
        messages->setHistory(&account->history());
        messages->setAttachments(&account->attachments(), m_thumbnails, m_animations);
    }
    if (messages)
        messages->setGaps(m_gaps.value(m_current.account));
    m_chatView->setModel(messages);
    if (switched) {
        m_composer->setText(m_conversations->draft(m_current));
        m_conversationSearch->setScope(m_current);
    }
    m_requestBar->setVisible(m_conversations->isRequest(m_current));
    m_chat->setConversation(accountOf(m_current), messages, m_current, m_conversations->isRequest(m_current));
    m_requestText->setText(
        tr("%1 is not in your contacts. Answer, add them, or block them.").arg(m_current.peer));
    Account *shownAccount = accountOf(m_current);
    if (m_current.isGroupChat() && shownAccount) {
        const QString name = shownAccount->rooms().info(m_current.peer).name;
        m_chatTitle->setText(name.isEmpty() ? m_current.peer.section(u'@', 0, 0) : name);
        m_chatTitle->setToolTip(tr("Group chat %1 from %2").arg(m_current.peer, m_current.account));
        m_roomView->setRoom(shownAccount, m_current.peer, messages, m_composer,
                            m_conversations->roomNotifications(m_current));
    } else {
        m_chatTitle->setText(m_current.peer);
        m_chatTitle->setToolTip(tr("Chat with %1 from %2").arg(m_current.peer, m_current.account));
        m_roomView->setRoom(nullptr, {}, nullptr, m_composer, {});
    }
    m_encryptionButton->setConversation(shownAccount, m_current);
    m_callButtons->setConversation(shownAccount, m_current);
    m_deviceBanner->setConversation(shownAccount, m_current);
    refreshChatState();
    if (messages && !m_current.account.isEmpty())
        loadCurrentConversation(messages, unread);
    // After the look-up of the first unread message: the database runs jobs in order.
    refreshReading();
}

void MainWindow::loadCurrentConversation(MessageListModel *messages, int unread)
{
    if (m_pendingJump && m_pendingJump->conversation == m_current) {
        messages->loadAround(*std::exchange(m_pendingJump, std::nullopt));
        return;
    }
    if (!messages->isLoaded())
        messages->loadNewest(); // shown (and taking what is sent) while the first unread is looked up
    if (unread > 0) {
        // Open at the oldest unread message, below an "unread messages" line.
        // The model goes away with its account; the answer may come later.
        m_accounts.conversationStore().firstUnread(m_current).then(
            this, [messages = QPointer(messages)](const Result<std::optional<ChatMessage>> &first) {
                if (!messages)
                    return;
                const auto *found = std::get_if<std::optional<ChatMessage>>(&first);
                if (found && *found)
                    messages->loadAround(**found, MessageListModel::Mark::FirstUnread);
            });
    }
}

void MainWindow::refreshReading()
{
    const bool reading = isActiveWindow() && !m_current.account.isEmpty();
    m_conversations->setActiveConversation(reading ? m_current : ConversationKey{});
    if (reading) {
        m_accounts.conversationStore().markRead(m_current);
        m_readTimer.start();
    }
}

void MainWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::ActivationChange)
        refreshReading();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // What was typed but not sent is there at the next start (the database finishes before exit).
    saveDraft();
    if (!m_quitting && keepsRunningInTray()) {
        hide();
        event->ignore();
        if (!m_trayHintShown) {
            m_trayHintShown = true;
            m_tray->trayIcon().showMessage(tr("Natter is still running"),
                                           tr("Natter keeps you online in the tray. Quit from its menu."));
        }
        return;
    }
    QMainWindow::closeEvent(event);
}

bool MainWindow::keepsRunningInTray() const
{
    return m_preferences->value(Core::Preferences::Key::CloseToTray) && m_tray->trayIcon().isVisible();
}

void MainWindow::quitApplication()
{
    m_quitting = true;
    close();
    QCoreApplication::quit();
}

void MainWindow::openXmlConsole(Account *account)
{
    QPointer<XmlConsoleWindow> &window = m_xmlConsoles[account];
    if (!window)
        window = new XmlConsoleWindow(*account, this);
    window->show();
    window->raise();
    window->activateWindow();
}

void MainWindow::openServiceBrowser(Account *account)
{
    QPointer<ServiceBrowserWindow> &window = m_serviceBrowsers[account];
    if (!window) {
        window = new ServiceBrowserWindow(*account, this);
        connect(window, &ServiceBrowserWindow::joinRequested, this,
                [this](const QString &accountJid, const QString &room) {
                    m_roomActions->openJoin(accountJids(), accountJid, room);
                });
    }
    window->show();
    window->raise();
    window->activateWindow();
}

void MainWindow::openPreferences()
{
    auto *dialog = new SettingsDialog(*m_preferences, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::createChatController()
{
    m_chat = new ChatController(*m_preferences, m_chatView, m_composer, m_chatState, this);
    connect(m_chat, &ChatController::failed, this,
            [this](const QString &text) { statusBar()->showMessage(text, StatusMessageTimeout); });
    connect(m_chat, &ChatController::showInContextRequested, this, [this](const ChatMessage &reference) {
        m_accounts.messageStore()
            .findByReference(reference.conversation, reference.id)
            .then(this, [this](const Result<std::optional<ChatMessage>> &found) {
                const auto *message = std::get_if<std::optional<ChatMessage>>(&found);
                if (message && *message)
                    showMessageInContext(**message);
                else
                    statusBar()->showMessage(tr("The quoted message is not in this chat's history."),
                                             StatusMessageTimeout);
            });
    });
    // What scrolls into view while the window is focused has been read.
    m_readTimer.setSingleShot(true);
    m_readTimer.setInterval(300);
    connect(&m_readTimer, &QTimer::timeout, m_chat, &ChatController::markShownMessagesRead);
    connect(m_chatView->verticalScrollBar(), &QScrollBar::valueChanged, &m_readTimer,
            qOverload<>(&QTimer::start));
}

void MainWindow::createDesktopIntegration()
{
    m_preferences = new Core::Preferences(m_accounts.database(), this);
    connect(m_preferences, &Core::Preferences::changed, this, [this](Core::Preferences::Key key, bool on) {
        // In the tray, closing the last window (or a dialog while the window is hidden) must not quit.
        if (key == Core::Preferences::Key::CloseToTray)
            QGuiApplication::setQuitOnLastWindowClosed(!on);
        if (key == Core::Preferences::Key::AutoDownloadFiles ||
            key == Core::Preferences::Key::DirectFileConnections)
            applyFilePolicy();
        if (key == Core::Preferences::Key::CallTestSources)
            applyCallSettings();
    });
    connect(m_preferences, &Core::Preferences::textChanged, this, &MainWindow::applyFilePolicy);
    connect(m_preferences, &Core::Preferences::textChanged, this, &MainWindow::applyCallSettings);
    m_tray = new TrayIcon(m_accounts, this);
    if (TrayIcon::isAvailable())
        m_tray->trayIcon().show();
    connect(m_tray, &TrayIcon::toggleWindowRequested, this, [this] {
        if (isVisible() && isActiveWindow())
            hide();
        else
            bringToFront();
    });
    connect(m_tray, &TrayIcon::quitRequested, this, &MainWindow::quitApplication);
    auto refreshUnread = [this] { m_tray->setUnread(m_conversations->totalUnread()); };
    connect(m_conversations, &QAbstractItemModel::dataChanged, this, refreshUnread);
    connect(m_conversations, &QAbstractItemModel::rowsInserted, this, refreshUnread);
    connect(m_conversations, &QAbstractItemModel::rowsRemoved, this, refreshUnread);
    connect(m_conversations, &QAbstractItemModel::modelReset, this, refreshUnread);

    m_notifier = new DesktopNotifier(this);
    m_notifier->setTrayFallback(&m_tray->trayIcon());
    auto open = [this](const ConversationKey &key) {
        bringToFront();
        m_sidebarTabs->setCurrentIndex(0);
        openConversation(key);
    };
    connect(m_notifier, &DesktopNotifier::openRequested, this, open);
    connect(m_notifier, &DesktopNotifier::replyRequested, this, open);
    connect(m_notifier, &DesktopNotifier::inlineReplied, this,
            [this](const ConversationKey &key, const QString &text) {
                Account *account = m_accounts.account(key.account);
                if (!account)
                    return;
                const auto composed = account->messages().compose(key.peer, text);
                if (isOk(composed))
                    account->messages().send(std::get<ChatMessage>(composed));
                markConversationRead(key);
            });
    connect(m_notifier, &DesktopNotifier::markReadRequested, this, &MainWindow::markConversationRead);
}

void MainWindow::blockAddress(Account *account, const QString &jid)
{
    const auto answer = QMessageBox::question(this, tr("Block %1?").arg(jid),
                                              tr("Nothing from %1 will reach you any more: no messages, no "
                                                 "presence, no requests. You can unblock it "
                                                 "in Account → Blocked addresses.")
                                                  .arg(jid));
    if (answer != QMessageBox::Yes)
        return;
    account->blocking().block(jid).then(this, [this, jid](Core::Result<Core::Success> &&result) {
        if (!isOk(result))
            QMessageBox::warning(this, tr("%1 is not blocked").arg(jid),
                                 ErrorPresenter::describe(errorOf(result)));
    });
}

QWidget *MainWindow::createRequestBar(QWidget *parent)
{
    m_requestBar = new QFrame(parent);
    m_requestBar->setObjectName(QStringLiteral("requestBar"));
    m_requestBar->setFrameShape(QFrame::StyledPanel);
    m_requestText = new QLabel(m_requestBar);
    m_requestText->setTextFormat(Qt::PlainText);
    m_requestText->setWordWrap(true);
    auto *accept = new QPushButton(tr("Accept"), m_requestBar);
    accept->setObjectName(QStringLiteral("acceptRequestButton"));
    accept->setToolTip(tr("Move this conversation to your chats"));
    auto *add = new QPushButton(tr("Add to contacts"), m_requestBar);
    add->setObjectName(QStringLiteral("addRequestContactButton"));
    auto *block = new QPushButton(tr("Block"), m_requestBar);
    block->setObjectName(QStringLiteral("blockRequestButton"));
    connect(accept, &QPushButton::clicked, this, [this] { acceptRequest(m_current); });
    connect(add, &QPushButton::clicked, this, [this] {
        const ConversationKey key = m_current;
        if (Account *account = accountOf(key)) {
            account->roster().add(key.peer, QString(), {});
            account->subscriptions().requestSubscription(key.peer);
            account->subscriptions().preApprove(key.peer);
        }
        acceptRequest(key);
    });
    connect(block, &QPushButton::clicked, this, [this] {
        if (Account *account = accountOf(m_current))
            blockAddress(account, m_current.peer);
    });
    auto *layout = new QHBoxLayout(m_requestBar);
    layout->setContentsMargins(12, 6, 12, 6);
    layout->addWidget(m_requestText, 1);
    layout->addWidget(accept);
    layout->addWidget(add);
    layout->addWidget(block);
    m_requestBar->hide();
    return m_requestBar;
}

void MainWindow::acceptRequest(const ConversationKey &key)
{
    m_conversations->setRequest(key, false);
    m_accounts.conversationStore().accept(key);
    if (key == m_current) {
        m_requestBar->hide();
        m_chat->setRequest(false);
    }
}

void MainWindow::refreshRequestRows()
{
    const int requests = m_conversations->requestCount();
    if (requests == 0)
        m_showingRequests = false;
    for (int row = 0; row < m_conversations->rowCount(); ++row) {
        const bool request = m_conversations->index(row).data(ConversationListModel::RequestRole).toBool();
        m_conversationList->setRowHidden(row, request != m_showingRequests);
    }
    m_requestsButton->setVisible(requests > 0);
    m_requestsButton->setText(m_showingRequests ? tr("← Back to chats")
                                                : tr("Message requests (%1)").arg(requests));
}

void MainWindow::bringToFront()
{
    showNormal();
    raise();
    activateWindow();
    m_tray->setWindowVisible(true);
}

void MainWindow::markConversationRead(const ConversationKey &key)
{
    m_notifier->withdraw(key);
    m_accounts.conversationStore().markRead(key).then(
        this, [this, key](const Result<Core::Success> &) { loadConversations(key.account); });
}

void MainWindow::notifyIfWanted(const ChatMessage &message)
{
    Account *account = m_accounts.account(message.conversation.account);
    if (!account)
        return;
    NotificationContext context;
    context.notificationsEnabled = m_preferences->value(Core::Preferences::Key::NotificationsEnabled);
    context.previews = m_preferences->value(Core::Preferences::Key::NotificationPreviews);
    context.muted = m_conversations->isMuted(message.conversation);
    context.readingConversation = message.conversation == m_current && isActiveWindow();
    if (message.conversation.isGroupChat()) {
        context.roomNotifications = m_conversations->roomNotifications(message.conversation);
        context.ownNick = account->rooms().nick(message.conversation.peer);
    }
    for (Account *each : m_accounts.accounts())
        context.doNotDisturb |= each->presence().ownPresence().show == Core::PresenceShow::DoNotDisturb;
    if (!NotificationPolicy::shouldNotify(message, context))
        return;
    const auto contact = account->roster().item(message.conversation.peer);
    DesktopNotifier::Notification notification;
    notification.conversation = message.conversation;
    notification.title = contact && !contact->name.isEmpty() ? contact->name : message.conversation.peer;
    if (message.conversation.isGroupChat())
        notification.title = tr("%1 in %2").arg(message.senderNick(), message.conversation.peer);
    if (m_conversations->isRequest(message.conversation))
        notification.title = tr("Message request from %1").arg(notification.title);
    const QString preview = NotificationPolicy::preview(message, context);
    notification.body = preview.isEmpty() ? tr("New message") : preview;
    notification.iconFile = account->avatars().avatarFile(message.conversation.peer);
    m_notifier->show(notification);
}

void MainWindow::messageArrived(const ChatMessage &message)
{
    const bool known = m_conversations->indexOf(message.conversation).isValid();
    m_conversations->addMessage(message);
    Account *sender = accountOf(message.conversation);
    const bool fromRoom = message.conversation.isGroupChat() || message.conversation.peer.contains(u'/');
    if (!known && !fromRoom && message.direction == ChatMessage::Direction::Incoming && sender &&
        !sender->roster().contains(message.conversation.peer))
        m_conversations->setRequest(message.conversation, true);
    notifyIfWanted(message);
    const bool read = message.conversation == m_current && isActiveWindow() &&
                      message.direction == ChatMessage::Direction::Incoming;
    if (message.conversation == m_current && message.direction == ChatMessage::Direction::Incoming)
        m_chat->showPeerState(m_current, Core::ChatState::Active); // a message ends "typing…"
    if (read) {
        m_accounts.conversationStore().markRead(m_current);
        m_readTimer.start();
    }
}

void MainWindow::archiveMessagesStored(const QList<ChatMessage> &messages)
{
    m_conversations->addMessages(messages);
    const bool read =
        isActiveWindow() && std::any_of(messages.cbegin(), messages.cend(),
                                        [this](const ChatMessage &m) { return m.conversation == m_current; });
    if (read) {
        m_accounts.conversationStore().markRead(m_current);
        m_readTimer.start();
    }
}

void MainWindow::saveDraft()
{
    if (m_current.account.isEmpty())
        return;
    const QString text = m_composer->text();
    if (text == m_conversations->draft(m_current))
        return;
    m_conversations->setDraft(m_current, text);
    m_accounts.conversationStore().setDraft(m_current, text);
}

void MainWindow::toggleConversationSearch()
{
    const bool show = m_conversationSearchButton->isChecked();
    m_conversationSearch->setVisible(show);
    if (show)
        m_conversationSearch->focusField();
    else
        m_conversationSearch->clear();
}

void MainWindow::refreshChatState()
{
    const bool open = !m_current.account.isEmpty() && currentMessages();
    m_chatStack->setCurrentIndex(open ? 1 : 0);
    Account *account = accountOf(m_current);
    if (!open || !account) {
        m_banner->hide();
        m_bannerTimer.stop();
        m_composer->setSendingPossible(false);
        return;
    }
    switch (account->state()) {
    case ConnectionState::Online:
        m_composer->setSendingPossible(true);
        break;
    case ConnectionState::Connecting:
        m_composer->setSendingPossible(
            false, tr("Connecting %1… You can write once it is online.").arg(account->jid()));
        break;
    case ConnectionState::Offline:
    case ConnectionState::Error:
        m_composer->setSendingPossible(
            false, tr("%1 is not connected. Connect it to send messages.").arg(account->jid()));
        break;
    }
    const bool failed = account->state() == ConnectionState::Error;
    if (failed) {
        const AccountStatusWidget *row = statusWidget(account->jid());
        m_banner->setText(account->jid() + QStringLiteral(": ") +
                          (row ? row->statusText() : ErrorPresenter::describe(account->lastError())));
    }
    m_banner->setVisible(failed);
    if (failed && account->nextAttemptIn() >= 0)
        m_bannerTimer.start();
    else
        m_bannerTimer.stop();
}

void MainWindow::sendMessage(const QString &text)
{
    Account *account = accountOf(m_current);
    if (!account)
        return;
    if (m_chat->sendPrepared(text)) { // a correction
        if (!m_conversations->draft(m_current).isEmpty()) {
            m_conversations->setDraft(m_current, {});
            m_accounts.conversationStore().setDraft(m_current, {});
        }
        return;
    }
    const auto replyTo = m_chat->replyTarget();
    const auto composed = replyTo ? account->messages().composeReply(*replyTo, text)
                                  : account->messages().compose(m_current, text);
    if (!Core::isOk(composed)) {
        statusBar()->showMessage(ErrorPresenter::describe(Core::errorOf(composed)), StatusMessageTimeout);
        return;
    }
    const ChatMessage message = std::get<ChatMessage>(composed);
    m_conversations->addMessage(message);
    m_chat->cancelMode();
    m_chat->messageSent();
    m_composer->clear();
    if (!m_conversations->draft(m_current).isEmpty()) {
        m_conversations->setDraft(m_current, {});
        m_accounts.conversationStore().setDraft(m_current, {});
    }
    account->messages().send(message).then(this, [this, message](const Result<ChatMessage> &sent) {
        if (const auto *delivered = std::get_if<ChatMessage>(&sent))
            return m_conversations->setDelivery(message.conversation, message.id, delivered->delivery);
        const Core::Error error = Core::errorOf(sent);
        if (error.code == Core::Error::Code::EncryptionUnavailable) {
            // Nothing went out: the message leaves the chat and its text goes back into the composer.
            m_conversations->removeUnsent(message.conversation, message.id);
            if (m_current == message.conversation && m_composer->text().isEmpty())
                m_composer->setText(message.body);
        } else {
            m_conversations->setDelivery(message.conversation, message.id, ChatMessage::Delivery::Failed);
        }
        statusBar()->showMessage(
            tr("Not sent to %1: %2")
                .arg(message.conversation.peer, ErrorPresenter::describe(Core::errorOf(sent))),
            StatusMessageTimeout);
    });
}

void MainWindow::notifyIncomingCall(Account *account, Core::Calls::Call *call)
{
    // The call window is raised anyway; the notification is for a desktop where Natter is out of sight.
    if (!m_notifier || !m_preferences->value(Core::Preferences::Key::NotificationsEnabled))
        return;
    const ConversationKey conversation{account->jid(), call->peer()};
    const auto contact = account->roster().item(call->peer());
    DesktopNotifier::Notification notification;
    notification.conversation = conversation;
    notification.title = contact && !contact->name.isEmpty() ? contact->name : call->peer();
    notification.body = call->hasVideo() ? tr("Incoming video call") : tr("Incoming audio call");
    notification.iconFile = account->avatars().avatarFile(call->peer());
    m_notifier->show(notification);
    connect(call, &Core::Calls::Call::stateChanged, this, [this, call, conversation] {
        if (call->state() != Core::Calls::Call::State::Ringing)
            m_notifier->withdraw(conversation);
    });
}

void MainWindow::notifyFileOffer(Account *account, Core::FileTransfer *transfer)
{
    if (!m_notifier || !m_preferences->value(Core::Preferences::Key::NotificationsEnabled) ||
        isActiveWindow())
        return;
    const QString peer = transfer->peerBareJid();
    const auto contact = account->roster().item(peer);
    DesktopNotifier::Notification notification;
    notification.conversation = {account->jid(), peer};
    notification.title = contact && !contact->name.isEmpty() ? contact->name : peer;
    notification.body = tr("wants to send you %1 (%2)")
                            .arg(transfer->file().name, dataSizeText(transfer->file().size.value_or(0)));
    notification.iconFile = account->avatars().avatarFile(peer);
    m_notifier->show(notification);
}

void MainWindow::applyFilePolicy()
{
    Core::AttachmentService::Policy policy;
    policy.autoDownload = m_preferences->value(Core::Preferences::Key::AutoDownloadFiles);
    policy.autoDownloadLimit = m_preferences->autoDownloadLimit();
    policy.folder = m_preferences->text(Core::Preferences::Text::DownloadFolder);
    const Core::FileTransferService::Settings transfers{
        m_preferences->value(Core::Preferences::Key::DirectFileConnections), true};
    for (Account *account : m_accounts.accounts()) {
        account->attachments().setPolicy(policy);
        account->directTransfers().setSettings(transfers);
    }
}

void MainWindow::applyCallSettings()
{
    Core::Calls::MediaSession::Settings settings;
    settings.testSources = m_preferences->value(Core::Preferences::Key::CallTestSources);
    settings.microphone = m_preferences->text(Core::Preferences::Text::CallMicrophone);
    settings.speaker = m_preferences->text(Core::Preferences::Text::CallSpeaker);
    settings.camera = m_preferences->text(Core::Preferences::Text::CallCamera);
    const QString stun = m_preferences->text(Core::Preferences::Text::FallbackStunServer).trimmed();
    if (!stun.isEmpty())
        settings.stunServers = {QStringLiteral("stun://") + stun};
    for (Account *account : m_accounts.accounts())
        account->calls().setMediaSettings(settings);
}

} // namespace Natter::Ui
