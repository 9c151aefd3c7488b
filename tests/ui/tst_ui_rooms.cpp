// SPDX-License-Identifier: GPL-3.0-or-later
// A group chat in the real main window against a real server: joining from the menu's dialog opens the room
// with its occupant list and subject; messages show the sender's nickname; a mention of our nickname is
// highlighted and notified while other messages are not (unless the room is set to all); Tab completes
// nicknames; a private message opens its own chat; the room menu offers what our affiliation allows.
#include "Application.h"
#include "OnlineAccount.h"
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
#include "widgets/muc/JoinRoomDialog.h"
#include "widgets/muc/OccupantListWidget.h"
#include "widgets/muc/RoomActions.h"
#include "widgets/muc/RoomView.h"

#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTest>
#include <QToolButton>
#include <QUuid>

using namespace Natter;
using namespace Natter::Core;
using namespace Natter::Test;
using Natter::App::Application;

namespace {
constexpr int NetworkTimeout = 20000;
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
    m_profile = std::make_unique<TestProfile>();
    QVERIFY(addAccountToProfile(m_server, user, m_profile->path()));
    m_app = std::make_unique<Application>(m_profile->path(), m_server.caCertificates());
    m_app->start();
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->accountManager().accounts().isEmpty(), NetworkTimeout);
    m_account = m_app->accountManager().accounts().first();
    QTRY_COMPARE_WITH_TIMEOUT(m_account->state(), ConnectionState::Online, NetworkTimeout);
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

QTEST_MAIN(tst_UiRooms)
#include "tst_ui_rooms.moc"
