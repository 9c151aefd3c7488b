// SPDX-License-Identifier: GPL-3.0-or-later
// The main window: accounts and conversations on the left, the open chat on the right.
#pragma once

#include "common/Error.h"
#include "common/Result.h"
#include "domain/ChatMessage.h"
#include "profile/ProfileTransfer.h"
#include "storage/SyncStateRepository.h"

#include <QHash>
#include <QMainWindow>
#include <QPointer>
#include <QSslCertificate>
#include <QTimer>
#include <optional>

class QAction;
class QFrame;
class QLabel;
class QListView;
class QMenu;
class QPushButton;
class QStackedWidget;
class QTabBar;
class QToolButton;
class QVBoxLayout;

namespace Natter::Core {
class Account;
class FileTransfer;
class Preferences;
class AccountManager;
} // namespace Natter::Core

namespace Natter::Core::Calls {
class Call;
}

namespace Natter::Ui {

class AccountStatusWidget;
class ServiceBrowserWindow;
class XmlConsoleWindow;
class ChatController;
class ConversationDeletion;
class EncryptionButton;
class CallButtons;
class CallCenter;
class AccountWizard;
class ImportProfileDialog;
class ActivityMonitor;
class DesktopNotifier;
class TrayIcon;
class ChatView;
class ContactListWidget;
class OwnStatusWidget;
class Composer;
class ConversationListModel;
class MessageListModel;
class NewChatDialog;
class PasswordDialog;
class RoomActions;
class RoomView;
class SearchPanel;
class AnimationPlayer;
class ThumbnailCache;
class UndecidedDeviceBanner;
class UploadsBar;
class DirectTransfersBar;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(Core::AccountManager &accounts, QWidget *parent = nullptr);
    ~MainWindow() override;

    // The profile is open: the first run opens the account wizard; later runs load the stored
    // conversations of every account, then connect the enabled accounts.
    void profileOpened();
    // The profile could not be opened: say why and offer nothing that needs it.
    void profileFailed(const Core::Error &error);

    AccountWizard *openAccountWizard();
    // Offered only while the profile holds no account (moving in from another computer).
    ImportProfileDialog *openImportProfileDialog();
    // After the application put an imported profile in place (or failed to): tells the user, and where the
    // profile's earlier content was set aside.
    void reportProfileImport(const Core::Result<QString> &adopted);
    NewChatDialog *openNewChatDialog();
    void openConversation(const Core::ConversationKey &key);
    // Opens the message's conversation around it, selected and centred (a search result).
    void showMessageInContext(const Core::ChatMessage &message);

    AccountWizard *accountWizard() const;
    ConversationListModel *conversations() const { return m_conversations; }
    // The messages of the open conversation, or nullptr.
    MessageListModel *currentMessages() const;
    Core::ConversationKey currentConversation() const { return m_current; }
    ChatView *chatView() const { return m_chatView; }
    SearchPanel *globalSearch() const { return m_globalSearch; }
    SearchPanel *conversationSearch() const { return m_conversationSearch; }
    QListView *conversationList() const { return m_conversationList; }
    ContactListWidget *contactList() const { return m_contactList; }
    ActivityMonitor *activityMonitor() const { return m_activity; }
    DesktopNotifier *notifier() const { return m_notifier; }
    TrayIcon *tray() const { return m_tray; }
    Core::Preferences &preferences() const { return *m_preferences; }
    // Quits for real, also when closing only hides the window in the tray.
    void quitApplication();
    OwnStatusWidget *ownStatus() const { return m_ownStatus; }
    QPushButton *messageRequestsButton() const { return m_requestsButton; }
    QFrame *requestBar() const { return m_requestBar; }
    // 0: chats, 1: contacts.
    QTabBar *sidebarTabs() const { return m_sidebarTabs; }
    Composer *composer() const { return m_composer; }
    UploadsBar *uploads() const { return m_uploads; }
    DirectTransfersBar *directTransfers() const { return m_directTransfers; }
    CallCenter *callCenter() const { return m_callCenter; }
    ConversationDeletion *conversationDeletion() const { return m_deletion; }
    ChatController *chatController() const { return m_chat; }
    RoomView *roomView() const { return m_roomView; }
    RoomActions *roomActions() const { return m_roomActions; }
    QLabel *chatStateLabel() const { return m_chatState; }
    AccountStatusWidget *statusWidget(const QString &accountJid) const;
    // What the banner above the chat says; empty when it is hidden.
    QString bannerText() const;

Q_SIGNALS:
    // Every account's stored conversations are in the list (emitted once per profileOpened).
    void conversationsLoaded();
    // A profile from another computer is unpacked into incoming: the application closes this window and the
    // profile, puts incoming in its place and opens it with the passwords it carried.
    void profileImportReady(const QString &incoming, const Natter::Core::ProfileTransfer::Secrets &secrets);

protected:
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void createDesktopIntegration();
    void createChatController();
    bool keepsRunningInTray() const;
    void openPreferences();
    // One console per account, raised when it is already open.
    void openXmlConsole(Core::Account *account);
    void openServiceBrowser(Core::Account *account);
    void bringToFront();
    void blockAddress(Core::Account *account, const QString &jid);
    QWidget *createRequestBar(QWidget *parent);
    void acceptRequest(const Core::ConversationKey &key);
    void refreshRequestRows();
    void markConversationRead(const Core::ConversationKey &key);
    void notifyIfWanted(const Core::ChatMessage &message);
    void createMenus();
    void loadConversations(const QString &accountJid);
    void loadGaps(const QString &accountJid);
    void messageArrived(const Core::ChatMessage &message);
    void archiveMessagesStored(const QList<Core::ChatMessage> &messages);
    // The open conversation counts as read while the window is focused.
    void refreshReading();
    void saveDraft();
    void toggleConversationSearch();
    QWidget *createSidebar();
    QWidget *createChatArea();
    void addAccountRow(Core::Account *account);
    void removeAccountRow(const QString &jid);
    void connectAccount(Core::Account *account);
    void connectRooms(Core::Account *account);
    QStringList accountJids() const;
    void requestPassword(Core::Account *account);
    void reviewCertificate(Core::Account *account);
    void passwordEntered(PasswordDialog *dialog);
    void openSettings(Core::Account *account);
    void showConversation(const QModelIndex &index);
    // Loads the open conversation's newest page, or the page around its first unread message.
    void loadCurrentConversation(MessageListModel *messages, int unread);
    void sendMessage(const QString &text);
    // Where received files go and which are downloaded automatically, for every account.
    // A contact offers a file directly: a desktop notification when the window is not in front.
    void notifyFileOffer(Core::Account *account, Core::FileTransfer *transfer);
    void notifyIncomingCall(Core::Account *account, Core::Calls::Call *call);
    void applyFilePolicy();
    void applyCallSettings();
    void refreshChatState();
    void refreshAccountMenu();
    void refreshPlaceholder();
    void showAbout();
    // The account the Account menu acts on: the open conversation's, else the first.
    Core::Account *currentAccount() const;
    Core::Account *accountOf(const Core::ConversationKey &key) const;

    Core::AccountManager &m_accounts;
    ConversationListModel *m_conversations;
    Core::ConversationKey m_current;
    QPointer<AccountWizard> m_wizard;
    QHash<QString, QPointer<PasswordDialog>> m_passwordDialogs;
    QHash<QString, AccountStatusWidget *> m_statusWidgets;
    QTimer m_bannerTimer;
    bool m_profileOpen = false;
    // A search result to show once its conversation is open.
    std::optional<Core::ChatMessage> m_pendingJump;
    QHash<QString, QList<Core::HistoryGap>> m_gaps;

    QVBoxLayout *m_accountRows = nullptr;
    QListView *m_conversationList = nullptr;
    QPushButton *m_newChatButton = nullptr;
    SearchPanel *m_globalSearch = nullptr;
    ContactListWidget *m_contactList = nullptr;
    ActivityMonitor *m_activity = nullptr;
    Core::Preferences *m_preferences = nullptr;
    QHash<Core::Account *, QPointer<XmlConsoleWindow>> m_xmlConsoles;
    QHash<Core::Account *, QPointer<ServiceBrowserWindow>> m_serviceBrowsers;
    DesktopNotifier *m_notifier = nullptr;
    TrayIcon *m_tray = nullptr;
    bool m_quitting = false;
    bool m_trayHintShown = false;
    QPushButton *m_requestsButton = nullptr;
    QTimer m_requestRowsTimer;
    bool m_showingRequests = false;
    QFrame *m_requestBar = nullptr;
    QLabel *m_requestText = nullptr;
    OwnStatusWidget *m_ownStatus = nullptr;
    QTabBar *m_sidebarTabs = nullptr;
    QStackedWidget *m_sidebarPages = nullptr;
    SearchPanel *m_conversationSearch = nullptr;
    QToolButton *m_conversationSearchButton = nullptr;
    EncryptionButton *m_encryptionButton = nullptr;
    CallButtons *m_callButtons = nullptr;
    CallCenter *m_callCenter = nullptr;
    UndecidedDeviceBanner *m_deviceBanner = nullptr;
    QStackedWidget *m_chatStack = nullptr;
    QLabel *m_placeholder = nullptr;
    QPushButton *m_placeholderAddButton = nullptr;
    QPushButton *m_placeholderImportButton = nullptr;
    QLabel *m_chatTitle = nullptr;
    QLabel *m_chatState = nullptr;
    ChatController *m_chat = nullptr;
    RoomView *m_roomView = nullptr;
    RoomActions *m_roomActions = nullptr;
    QTimer m_readTimer;
    QLabel *m_banner = nullptr;
    ChatView *m_chatView = nullptr;
    UploadsBar *m_uploads = nullptr;
    DirectTransfersBar *m_directTransfers = nullptr;
    ConversationDeletion *m_deletion = nullptr;
    ThumbnailCache *m_thumbnails = nullptr;
    AnimationPlayer *m_animations = nullptr;
    Composer *m_composer = nullptr;
    QMenu *m_accountMenu = nullptr;
    QAction *m_newChatAction = nullptr;
    QAction *m_addAccountAction = nullptr;
    QAction *m_importProfileAction = nullptr;
    QAction *m_settingsAction = nullptr;
    QAction *m_connectAction = nullptr;
};

} // namespace Natter::Ui
