// SPDX-License-Identifier: GPL-3.0-or-later
// A group chat in the real main window against a real server: joining from the menu's dialog opens the room
// with its occupant list and subject; messages show the sender's nickname; a mention of our nickname is
// highlighted and notified while other messages are not (unless the room is set to all); Tab completes
// nicknames; a private message opens its own chat; the room menu offers what our affiliation allows; a
// moderator removes someone else's message for everyone from its menu, after a confirmation with a reason.
#include "Application.h"
#include "OnlineAccount.h"
#include "Rooms.h"
#include "RunningApp.h"
#include "TestProfile.h"
#include "TestServer.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "messaging/MessageService.h"
#include "models/ConversationListModel.h"
#include "models/MessageListModel.h"
#include "models/OccupantListModel.h"
#include "muc/MucService.h"
#include "platform/DesktopNotifier.h"
#include "widgets/Composer.h"
#include "widgets/MainWindow.h"
#include "widgets/chat/ChatController.h"
#include "widgets/chat/MessageBody.h"
#include "widgets/muc/JoinRoomDialog.h"
#include "widgets/muc/OccupantListWidget.h"
#include "widgets/muc/RoomActions.h"
#include "widgets/muc/RoomView.h"

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QToolButton>
#include <QUuid>
#include <QXmppClient.h>
#include <QXmppDataForm.h>
#include <QXmppLogger.h>

using namespace Natter;
using namespace Natter::Core;
using namespace Natter::Test;
using Natter::App::Application;

namespace {
constexpr int NetworkTimeout = 20000;

// What the moderation confirmation showed.
struct ModerationDialog
{
    bool shown = false;
    QString text;
    QString acceptLabel;
    bool cancelIsDefault = false;
};

// Answers the next moderation confirmation: with a reason it removes the message, without one it cancels.
void answerNextModeration(ModerationDialog &seen, const std::optional<QString> &reason)
{
    QTimer::singleShot(0, [&seen, reason] {
        auto *dialog = qobject_cast<QDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        auto *buttons = dialog->findChild<QDialogButtonBox *>();
        auto *confirm = dialog->findChild<QPushButton *>(QStringLiteral("confirmButton"));
        auto *field = dialog->findChild<QLineEdit *>(QStringLiteral("moderationReason"));
        if (dialog->objectName() != u"confirmModeration" || !buttons || !confirm || !field) {
            dialog->reject(); // not what the test expects: seen.shown stays false
            return;
        }
        seen.shown = true;
        for (const QLabel *label : dialog->findChildren<QLabel *>())
            seen.text += label->text();
        seen.acceptLabel = confirm->text();
        QPushButton *cancel = buttons->button(QDialogButtonBox::Cancel);
        seen.cancelIsDefault = cancel && cancel->isDefault() && !confirm->isDefault();
        if (!reason) {
            buttons->button(QDialogButtonBox::Cancel)->click();
            return;
        }
        QTest::keyClicks(field, *reason);
        confirm->click();
    });
}
} // namespace

class tst_UiRooms : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void joiningFromTheDialogOpensTheRoom();
    void nicknamesMentionsAndNotifications();
    void tabCompletesNicknames();
    void privateMessagesOpenTheirOwnChat();
    void theRoomMenuFollowsOurAffiliation();
    void moderatorsRemoveOthersMessagesForEveryone();
    void theRoomsNameIsShownAndFollowsChanges();

private:
    Ui::MainWindow &window() { return m_app->mainWindow(); }
    // Joins m_room through the dialog as nick and waits until it is open in the window.
    void joinThroughDialog(const QString &nick);
    // The peer, already in the room as "Peer", says text; waits until the window's open room shows it.
    int peerSays(const QString &text);

    TestServer m_server;
    std::unique_ptr<TestProfile> m_profile;
    std::unique_ptr<Application> m_app;
    std::unique_ptr<Account> m_peer;
    Account *m_account = nullptr;
    QString m_room;
};

void tst_UiRooms::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
}

void tst_UiRooms::init()
{
    const QString user = m_server.registerAccount(QStringLiteral("ui")).value_or(QString());
    const QString peerUser = m_server.registerAccount(QStringLiteral("peer")).value_or(QString());
    QVERIFY(!user.isEmpty() && !peerUser.isEmpty());
    auto running = startApp(m_server, user, NetworkTimeout);
    QVERIFY(running);
    m_profile = std::move(running->profile);
    m_app = std::move(running->app);
    m_account = running->account;
    m_peer = onlineAccount(m_server, peerUser, QStringLiteral("phone"));
    QVERIFY(m_peer);
    // The peer owns a public room that we join.
    m_room = QStringLiteral("ui-") + QUuid::createUuid().toString(QUuid::Id128).left(10) + u'@' +
             m_server.mucService;
    auto created = m_peer->rooms().join(m_room, QStringLiteral("Peer"));
    QTRY_VERIFY_WITH_TIMEOUT(created.isFinished(), NetworkTimeout);
    QVERIFY(isOk(created.result()));
    auto unlocked = m_peer->rooms().acceptDefaultConfiguration(m_room);
    QTRY_VERIFY_WITH_TIMEOUT(unlocked.isFinished(), NetworkTimeout);
    QVERIFY(isOk(unlocked.result()));
    auto subject = m_peer->rooms().setSubject(m_room, QStringLiteral("Weekly planning"));
    QTRY_VERIFY_WITH_TIMEOUT(subject.isFinished(), NetworkTimeout);
}

void tst_UiRooms::cleanup()
{
    m_peer.reset();
    if (m_app)
        m_app->accountManager().disconnectAll();
    m_app.reset();
    m_profile.reset();
}

void tst_UiRooms::joinThroughDialog(const QString &nick)
{
    Ui::JoinRoomDialog *dialog = window().roomActions()->openJoin({m_account->jid()}, m_account->jid());
    QVERIFY(dialog);
    auto *address = dialog->findChild<QLineEdit *>(QStringLiteral("roomAddress"));
    auto *nickname = dialog->findChild<QLineEdit *>(QStringLiteral("nickname"));
    auto *join = dialog->findChild<QPushButton *>(QStringLiteral("joinButton"));
    QVERIFY(address && nickname && join);
    address->setText(m_room);
    nickname->setText(nick);
    QVERIFY(join->isEnabled());
    join->click();
    const ConversationKey key{m_account->jid(), m_room, ConversationKind::GroupChat};
    QTRY_VERIFY_WITH_TIMEOUT(window().currentConversation() == key, NetworkTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(m_account->rooms().state(m_room), MucService::RoomState::Joined,
                              NetworkTimeout);
}

int tst_UiRooms::peerSays(const QString &text)
{
    auto composed =
        m_peer->messages().compose(ConversationKey{m_peer->jid(), m_room, ConversationKind::GroupChat}, text);
    if (!isOk(composed))
        return -1;
    m_peer->messages().send(std::get<ChatMessage>(composed));
    int row = -1;
    (void)QTest::qWaitFor(
        [&] {
            Ui::MessageListModel *messages = window().currentMessages();
            for (int i = 0; messages && i < messages->rowCount(); ++i) {
                if (messages->index(i).data(Ui::MessageListModel::BodyRole).toString() == text)
                    row = i;
            }
            return row >= 0;
        },
        NetworkTimeout);
    return row;
}

void tst_UiRooms::joiningFromTheDialogOpensTheRoom()
{
    joinThroughDialog(QStringLiteral("Me"));
    Ui::RoomView *room = window().roomView();
    QVERIFY(room->isVisible());
    QCOMPARE(room->room(), m_room);
    // Both occupants, ourselves included, in the list.
    QTRY_COMPARE_WITH_TIMEOUT(room->occupantModel()->occupantCount(), 2, NetworkTimeout);
    QVERIFY(room->occupantModel()->indexOfNick(QStringLiteral("Peer")).isValid());
    QTRY_COMPARE_WITH_TIMEOUT(room->subjectLabel()->text(), QStringLiteral("Weekly planning"),
                              NetworkTimeout);
    // The room is in the conversation list.
    QVERIFY(
        window().conversations()->indexOf({m_account->jid(), m_room, ConversationKind::GroupChat}).isValid());

    // Someone joining later shows up without reopening anything.
    auto third =
        onlineAccount(m_server, m_server.registerAccount(QStringLiteral("third")).value_or(QString()));
    QVERIFY(third);
    auto joined = third->rooms().join(m_room, QStringLiteral("Third"));
    QTRY_VERIFY_WITH_TIMEOUT(joined.isFinished(), NetworkTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(room->occupantModel()->occupantCount(), 3, NetworkTimeout);
}

void tst_UiRooms::nicknamesMentionsAndNotifications()
{
    joinThroughDialog(QStringLiteral("Me"));
    Ui::DesktopNotifier *notifier = window().notifier();
    QVERIFY(notifier);
    window().hide(); // not reading: notifications may come
    QStringList shown;
    connect(notifier, &Ui::DesktopNotifier::shown, this,
            [&shown](const Ui::DesktopNotifier::Notification &notification) {
                shown.append(notification.title);
            });
    const int plain = peerSays(QStringLiteral("lunch at noon"));
    QVERIFY(plain >= 0);
    Ui::MessageListModel *messages = window().currentMessages();
    QCOMPARE(messages->index(plain).data(Ui::MessageListModel::SenderRole).toString(),
             QStringLiteral("Peer"));
    QVERIFY(!messages->index(plain).data(Ui::MessageListModel::MentionRole).toBool());
    const int mention = peerSays(QStringLiteral("me: can you bring the slides?"));
    QVERIFY(mention >= 0);
    QVERIFY(messages->index(mention).data(Ui::MessageListModel::MentionRole).toBool());
    // By default only the mention is notified.
    QTRY_COMPARE_WITH_TIMEOUT(shown.size(), 1, NetworkTimeout);
    QVERIFY(shown.last().contains(QStringLiteral("Peer")));

    // Set to all messages, the next plain one is notified too.
    QMenu *menu = window().roomView()->menuButton()->menu();
    QVERIFY(menu);
    auto *all = menu->findChild<QAction *>(QStringLiteral("notifyAll"));
    QVERIFY(all);
    all->trigger();
    QVERIFY(peerSays(QStringLiteral("anyone?")) >= 0);
    QTRY_COMPARE_WITH_TIMEOUT(shown.size(), 2, NetworkTimeout);
    // … and the setting is stored.
    const auto stored = waitFor(m_app->accountManager().conversationStore().conversations(m_account->jid()));
    QVERIFY(isOk(stored));
    bool kept = false;
    for (const ConversationSummary &summary : std::get<QList<ConversationSummary>>(stored))
        kept = kept || (summary.key.peer == m_room && summary.notifications == RoomNotifications::All);
    QVERIFY(kept);
}

void tst_UiRooms::tabCompletesNicknames()
{
    joinThroughDialog(QStringLiteral("Me"));
    QTRY_COMPARE_WITH_TIMEOUT(window().roomView()->occupantModel()->occupantCount(), 2, NetworkTimeout);
    QPlainTextEdit *editor = window().composer()->editor();
    editor->setFocus();
    QTest::keyClicks(editor, QStringLiteral("pe"));
    QTest::keyClick(editor, Qt::Key_Tab);
    QCOMPARE(editor->toPlainText(), QStringLiteral("Peer: "));
    // A second Tab with no other match keeps it; an unknown prefix completes nothing.
    QTest::keyClick(editor, Qt::Key_Tab);
    QCOMPARE(editor->toPlainText(), QStringLiteral("Peer: "));
    QTest::keyClicks(editor, QStringLiteral("ok"));
    QTest::keyClick(editor, Qt::Key_Return);
    // It reached the room, from our nickname.
    QTRY_VERIFY_WITH_TIMEOUT(
        [this] {
            Ui::MessageListModel *messages = window().currentMessages();
            for (int i = 0; i < messages->rowCount(); ++i) {
                if (messages->index(i).data(Ui::MessageListModel::BodyRole).toString() == u"Peer: ok")
                    return messages->index(i).data(Ui::MessageListModel::SenderRole).toString() == u"Me";
            }
            return false;
        }(),
        NetworkTimeout);
}

void tst_UiRooms::privateMessagesOpenTheirOwnChat()
{
    joinThroughDialog(QStringLiteral("Me"));
    QTRY_COMPARE_WITH_TIMEOUT(window().roomView()->occupantModel()->occupantCount(), 2, NetworkTimeout);
    Q_EMIT window().roomView()->occupantList()->privateMessageRequested(QStringLiteral("Peer"));
    const ConversationKey pm{m_account->jid(), m_room + QStringLiteral("/Peer"), ConversationKind::Chat};
    QTRY_VERIFY_WITH_TIMEOUT(window().currentConversation() == pm, NetworkTimeout);
    QVERIFY(!window().roomView()->isVisible());
    QPlainTextEdit *editor = window().composer()->editor();
    editor->setFocus();
    QTest::keyClicks(editor, QStringLiteral("just between us"));
    QTest::keyClick(editor, Qt::Key_Return);
    bool arrived = false;
    connect(&m_peer->messages(), &MessageService::messageReceived, this,
            [&arrived](const ChatMessage &message) {
                arrived = arrived ||
                          (message.body == u"just between us" && message.conversation.peer.endsWith(u"/Me"));
            });
    QTRY_VERIFY_WITH_TIMEOUT(arrived, NetworkTimeout);
}

void tst_UiRooms::theRoomMenuFollowsOurAffiliation()
{
    joinThroughDialog(QStringLiteral("Me"));
    QMenu *menu = window().roomView()->menuButton()->menu();
    QTRY_VERIFY_WITH_TIMEOUT(menu->findChild<QAction *>(QStringLiteral("roomInvite")), NetworkTimeout);
    // A plain participant: no settings, no member lists.
    QVERIFY(!menu->findChild<QAction *>(QStringLiteral("roomSettings")));
    QVERIFY(!menu->findChild<QAction *>(QStringLiteral("roomAffiliations")));
    // Made owner by the peer: both appear.
    auto granted = m_peer->rooms().setAffiliation(m_room, m_account->jid(), MucAffiliation::Owner);
    QTRY_VERIFY_WITH_TIMEOUT(granted.isFinished(), NetworkTimeout);
    QVERIFY(isOk(granted.result()));
    QTRY_VERIFY_WITH_TIMEOUT(menu->findChild<QAction *>(QStringLiteral("roomSettings")), NetworkTimeout);
    QVERIFY(menu->findChild<QAction *>(QStringLiteral("roomAffiliations")));
    // Leaving from the menu leaves the room.
    menu->findChild<QAction *>(QStringLiteral("roomLeave"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(m_account->rooms().state(m_room), MucService::RoomState::NotJoined,
                              NetworkTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(!m_peer->rooms().occupant(m_room, QStringLiteral("Me")).has_value(),
                             NetworkTimeout);
}

void tst_UiRooms::moderatorsRemoveOthersMessagesForEveryone()
{
    joinThroughDialog(QStringLiteral("Me"));
    QCOMPARE(m_account->rooms().info(m_room).moderationVersion, 1);
    // What the peer, the author, hears from the room.
    QStringList peerHeard;
    auto *logger = new QXmppLogger(&m_peer->client());
    logger->setLoggingType(QXmppLogger::SignalLogging);
    logger->setMessageTypes(QXmppLogger::ReceivedMessage);
    connect(logger, &QXmppLogger::message, this,
            [&peerHeard](QXmppLogger::MessageType, const QString &text) { peerHeard.append(text); });
    m_peer->client().setLogger(logger);
    const auto detach = qScopeGuard([this, logger] {
        m_peer->client().setLogger(nullptr);
        delete logger;
    });
    const int row = peerSays(QStringLiteral("buy cheap watches"));
    QVERIFY(row >= 0);
    Ui::MessageListModel *messages = window().currentMessages();
    const QString stanzaId = messages->messageAt(row).stanzaId;
    QVERIFY(!stanzaId.isEmpty());
    Ui::ChatController *chat = window().chatController();
    QSignalSpy failures(chat, &Ui::ChatController::failed);
    auto ourRole = [this] {
        const auto self = m_account->rooms().self(m_room);
        return self ? self->role : MucRole::None;
    };

    // A participant may not: nothing offered.
    QCOMPARE(ourRole(), MucRole::Participant);
    std::unique_ptr<QMenu> menu(chat->menuFor(row, &window()));
    QVERIFY(menu->findChild<QAction *>(QStringLiteral("replyAction")));
    QVERIFY(!menu->findChild<QAction *>(QStringLiteral("moderateAction")));

    // Made a moderator by the owner: offered.
    auto granted = m_peer->rooms().setRole(m_room, QStringLiteral("Me"), MucRole::Moderator);
    QTRY_VERIFY_WITH_TIMEOUT(granted.isFinished(), NetworkTimeout);
    QVERIFY(isOk(granted.result()));
    QTRY_COMPARE_WITH_TIMEOUT(ourRole(), MucRole::Moderator, NetworkTimeout);
    menu.reset(chat->menuFor(row, &window()));
    QAction *moderate = menu->findChild<QAction *>(QStringLiteral("moderateAction"));
    QVERIFY(moderate);
    QVERIFY(moderate->isEnabled());

    // Cancelled (the default button): nothing changes.
    ModerationDialog cancelled;
    answerNextModeration(cancelled, std::nullopt);
    moderate->trigger();
    QVERIFY(cancelled.shown);
    QVERIFY(cancelled.cancelIsDefault);
    QCOMPARE(cancelled.acceptLabel, QStringLiteral("Remove for everyone"));
    QVERIFY2(cancelled.text.contains(QStringLiteral("everyone in the room")), qPrintable(cancelled.text));
    QVERIFY2(cancelled.text.contains(QStringLiteral("may already have read it")), qPrintable(cancelled.text));
    QTest::qWait(500);
    QCOMPARE(messages->index(row).data(Ui::MessageListModel::RemovalRole).toInt(),
             int(ChatMessage::Removal::None));
    QCOMPARE(messages->index(row).data(Ui::MessageListModel::BodyRole).toString(),
             QStringLiteral("buy cheap watches"));

    // Accepted with a reason: gone for everyone, the author included, who is told why.
    ModerationDialog accepted;
    answerNextModeration(accepted, QStringLiteral("spam"));
    moderate->trigger();
    QVERIFY(accepted.shown);
    QTRY_COMPARE_WITH_TIMEOUT(messages->index(row).data(Ui::MessageListModel::RemovalRole).toInt(),
                              int(ChatMessage::Removal::Moderated), NetworkTimeout);
    QVERIFY(messages->index(row).data(Ui::MessageListModel::BodyRole).toString().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(peerHeard.cbegin(), peerHeard.cend(),
                                         [&stanzaId](const QString &stanza) {
                                             return stanza.contains(stanzaId) &&
                                                    stanza.contains(u"urn:xmpp:message-moderate:1") &&
                                                    stanza.contains(u"<reason>spam</reason>");
                                         }),
                             NetworkTimeout);
    Ui::MessageBody tombstone(messages->messageAt(row), {}, QFont(), QPalette());
    QCOMPARE(tombstone.text(), QStringLiteral("This message was removed by a moderator"));
    // A removed message offers nothing more to remove.
    menu.reset(chat->menuFor(row, &window()));
    QVERIFY(!menu->findChild<QAction *>(QStringLiteral("moderateAction")));

    // Our own message, once the room has stamped it: ours to delete, not to moderate.
    QPlainTextEdit *editor = window().composer()->editor();
    editor->setFocus();
    QTest::keyClicks(editor, QStringLiteral("sorry about that"));
    QTest::keyClick(editor, Qt::Key_Return);
    int ours = -1;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (int i = 0; i < messages->rowCount(); ++i) {
                const ChatMessage message = messages->messageAt(i);
                if (message.body == u"sorry about that" && !message.stanzaId.isEmpty())
                    ours = i;
            }
            return ours >= 0;
        }(),
        NetworkTimeout);
    QCOMPARE(messages->messageAt(ours).direction, ChatMessage::Direction::Outgoing);
    menu.reset(chat->menuFor(ours, &window()));
    QVERIFY(menu->findChild<QAction *>(QStringLiteral("retractAction")));
    QVERIFY(!menu->findChild<QAction *>(QStringLiteral("moderateAction")));
    QCOMPARE(failures.size(), 0);
}

void tst_UiRooms::theRoomsNameIsShownAndFollowsChanges()
{
    joinThroughDialog(QStringLiteral("Me"));
    auto *title = window().findChild<QLabel *>(QStringLiteral("chatTitle"));
    QVERIFY(title);
    const ConversationKey key{m_account->jid(), m_room, ConversationKind::GroupChat};
    const auto listed = [&] {
        return window().conversations()->indexOf(key).data(Qt::DisplayRole).toString();
    };
    // A room without a name goes by its address.
    QCOMPARE(title->text(), m_room.section(u'@', 0, 0));
    QCOMPARE(listed(), m_room);

    // The owner names it: the room tells its occupants (status 104), and the header and list follow.
    auto form = m_peer->rooms().configuration(m_room);
    QTRY_VERIFY_WITH_TIMEOUT(form.isFinished(), NetworkTimeout);
    QVERIFY(isOk(form.result()));
    QXmppDataForm config = std::get<QXmppDataForm>(form.result());
    QVERIFY(setFormField(config, QStringLiteral("muc#roomconfig_roomname"), QStringLiteral("Weekly team")));
    auto configured = m_peer->rooms().configure(m_room, config);
    QTRY_VERIFY_WITH_TIMEOUT(configured.isFinished(), NetworkTimeout);
    QVERIFY(isOk(configured.result()));
    QTRY_COMPARE_WITH_TIMEOUT(title->text(), QStringLiteral("Weekly team"), NetworkTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(listed(), QStringLiteral("Weekly team"), NetworkTimeout);
}

QTEST_MAIN(tst_UiRooms)
#include "tst_ui_rooms.moc"
