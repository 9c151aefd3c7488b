// SPDX-License-Identifier: GPL-3.0-or-later
// The open chat in the real main window against a real server, with a peer on the other side: replies and
// edits from the composer (Up arrow, Esc), reactions from the menu and the chips, deletion for everyone and
// on this device behind a confirmation, chat states both ways (ours only when allowed), read markers only
// for what a focused window showed, and hostile text that stays inert.
#include "Application.h"
#include "Contacts.h"
#include "OnlineAccount.h"
#include "RawStanza.h"
#include "RunningApp.h"
#include "TestProfile.h"
#include "TestServer.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "account/Preferences.h"
#include "messaging/MessageService.h"
#include "models/ConversationListModel.h"
#include "models/MessageListModel.h"
#include "widgets/ChatView.h"
#include "widgets/Composer.h"
#include "widgets/MainWindow.h"
#include "widgets/MessageDelegate.h"
#include "widgets/chat/ChatController.h"
#include "widgets/chat/EmojiPicker.h"
#include "widgets/chat/MessageBody.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTextLayout>
#include <QTimer>
#include <QXmppClient.h>
#include <QXmppMessage.h>
#include <QXmppMessageReaction.h>

using namespace Natter;
using namespace Natter::Core;
using namespace Natter::Test;
using Natter::App::Application;
using Role = Ui::MessageListModel::Role;

namespace {
constexpr int NetworkTimeout = 20000;

// Answers the next confirmation dialog: accept clicks its destructive button, else Cancel.
void answerNextConfirmation(bool accept)
{
    QTimer::singleShot(0, [accept] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box)
            return;
        if (accept)
            box->findChild<QPushButton *>(QStringLiteral("confirmButton"))->click();
        else
            box->button(QMessageBox::Cancel)->click();
    });
}
} // namespace

class tst_UiMessaging : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void repliesAndEditsFromTheComposer();
    void reactionsFromTheMenuAndTheChips();
    void deletionAsksFirst();
    void chatStatesBothWaysOursOnlyWhenAllowed();
    void readMarkersOnlyForAFocusedWindow();
    void hostileTextStaysInert();
    void stylingIsFormattedNotInterpreted();

private:
    Ui::MainWindow &window() { return m_app->mainWindow(); }
    Ui::MessageListModel *messages() { return window().currentMessages(); }
    // Opens the chat with the peer once it has a message from the peer with that text; returns its row.
    int receiveAndOpen(const QString &text);
    void typeAndSend(const QString &text);
    // A point of the row's message (viewport coordinates) where the delegate finds kind, or a null point.
    QPoint pointOf(int row, Ui::MessageDelegate::Hit::Kind kind);
    // The first reaction chip of the row: how many reacted, and whether we did.
    int firstChipCount(int row) const;
    bool firstChipIsMine(int row) const;
    // Stanzas the peer receives from us.
    QList<QXmppMessage> m_peerGot;

    TestServer m_server;
    std::unique_ptr<TestProfile> m_profile;
    std::unique_ptr<Application> m_app;
    std::unique_ptr<Account> m_peer;
    Account *m_account = nullptr;
};

void tst_UiMessaging::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
}

void tst_UiMessaging::init()
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
    QVERIFY(makeMutualContacts(m_account, m_peer.get()));
    m_peerGot.clear();
    connect(&m_peer->client(), &QXmppClient::messageReceived, this,
            [this](const QXmppMessage &message) { m_peerGot.append(message); });
}

void tst_UiMessaging::cleanup()
{
    m_peer.reset();
    if (m_app)
        m_app->accountManager().disconnectAll();
    m_app.reset();
    m_profile.reset();
}

int tst_UiMessaging::receiveAndOpen(const QString &text)
{
    auto composed = m_peer->messages().compose(m_account->jid(), text);
    if (!isOk(composed) || !isOk(waitFor(m_peer->messages().send(std::get<ChatMessage>(composed)))))
        return -1;
    window().openConversation({m_account->jid(), m_peer->jid()});
    if (!QTest::qWaitFor(
            [&] {
                Ui::MessageListModel *model = messages();
                return model && model->rowCount() > 0 && model->messageAt(model->rowCount() - 1).body == text;
            },
            NetworkTimeout))
        return -1;
    return messages()->rowCount() - 1;
}

void tst_UiMessaging::typeAndSend(const QString &text)
{
    QPlainTextEdit *editor = window().composer()->editor();
    editor->setFocus();
    QTest::keyClicks(editor, text);
    QTest::keyClick(editor, Qt::Key_Return);
}

QPoint tst_UiMessaging::pointOf(int row, Ui::MessageDelegate::Hit::Kind kind)
{
    Ui::ChatView *view = window().chatView();
    view->scrollToBottom();
    QApplication::processEvents();
    const QModelIndex index = messages()->index(row);
    QStyleOptionViewItem option;
    option.initFrom(view);
    option.rect = view->visualRect(index);
    option.font = view->font();
    for (int y = option.rect.top(); y < option.rect.bottom(); y += 2)
        for (int x = option.rect.left(); x < option.rect.left() + 120; x += 4)
            if (view->messageDelegate()->hitAt(option, index, QPoint(x, y)).kind == kind)
                return QPoint(x, y);
    return {};
}

int tst_UiMessaging::firstChipCount(int row) const
{
    const QVariantList chips =
        m_app->mainWindow().currentMessages()->index(row).data(Role::ReactionsRole).toList();
    return chips.isEmpty() ? 0 : chips.first().toMap().value(QStringLiteral("count")).toInt();
}

bool tst_UiMessaging::firstChipIsMine(int row) const
{
    const QVariantList chips =
        m_app->mainWindow().currentMessages()->index(row).data(Role::ReactionsRole).toList();
    return !chips.isEmpty() && chips.first().toMap().value(QStringLiteral("mine")).toBool();
}

void tst_UiMessaging::repliesAndEditsFromTheComposer()
{
    const int row = receiveAndOpen(QStringLiteral("Shall we meet tomorrow?"));
    QVERIFY(row >= 0);
    QAbstractItemModelTester tester(messages(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    Ui::ChatController *chat = window().chatController();

    // Reply from the message's menu: the bar says what is answered.
    std::unique_ptr<QMenu> menu(chat->menuFor(row, &window()));
    menu->findChild<QAction *>(QStringLiteral("replyAction"))->trigger();
    QCOMPARE(window().composer()->mode(), Ui::Composer::Mode::Replying);
    QVERIFY(
        window().composer()->findChild<QWidget *>(QStringLiteral("composerModeBar"))->isVisibleTo(&window()));
    typeAndSend(QStringLiteral("Yes, at noon"));
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(m_peerGot.cbegin(), m_peerGot.cend(),
                                         [](const QXmppMessage &m) { return m.reply().has_value(); }),
                             NetworkTimeout);
    const QXmppMessage reply = *std::find_if(m_peerGot.cbegin(), m_peerGot.cend(),
                                             [](const QXmppMessage &m) { return m.reply().has_value(); });
    QCOMPARE(reply.reply()->id, messages()->messageAt(row).referenceId());
    // Clients without replies see the quote; we strip it again.
    QVERIFY(reply.body().startsWith(QStringLiteral("> ")));
    QVERIFY(reply.body().endsWith(QStringLiteral("Yes, at noon")));
    QCOMPARE(window().composer()->mode(), Ui::Composer::Mode::Writing);
    const int replyRow = messages()->rowCount() - 1;
    QCOMPARE(messages()->index(replyRow).data(Role::BodyRole).toString(), QStringLiteral("Yes, at noon"));
    QCOMPARE(messages()->index(replyRow).data(Role::ReplyQuoteRole).toString(),
             QStringLiteral("Shall we meet tomorrow?"));

    // A click on the quote shows the message it answers.
    window().chatView()->setCurrentIndex(messages()->index(replyRow));
    const QPoint quotePoint = pointOf(replyRow, Ui::MessageDelegate::Hit::Kind::Quote);
    QVERIFY(!quotePoint.isNull());
    QTest::mouseClick(window().chatView()->viewport(), Qt::LeftButton, {}, quotePoint);
    QTRY_COMPARE(window().chatView()->currentIndex().row(), row);

    // Up in the empty composer edits the last message; Enter sends the correction.
    QPlainTextEdit *editor = window().composer()->editor();
    QTest::keyClick(editor, Qt::Key_Up);
    QCOMPARE(window().composer()->mode(), Ui::Composer::Mode::Editing);
    QCOMPARE(editor->toPlainText(), QStringLiteral("Yes, at noon"));
    editor->selectAll();
    typeAndSend(QStringLiteral("Yes, at one"));
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(m_peerGot.cbegin(), m_peerGot.cend(),
                                         [](const QXmppMessage &m) { return !m.replaceId().isEmpty(); }),
                             NetworkTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(messages()->index(replyRow).data(Role::BodyRole).toString(),
                              QStringLiteral("Yes, at one"), NetworkTimeout);
    QVERIFY(messages()->index(replyRow).data(Role::EditedRole).toBool());
    QVERIFY(messages()
                ->index(replyRow)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("Yes, at noon")));
    QCOMPARE(messages()->rowCount(), replyRow + 1); // a correction is no new message

    // Esc leaves an edit and gives the draft back.
    QTest::keyClicks(editor, QStringLiteral("half a thought"));
    chat->edit(replyRow);
    QCOMPARE(editor->toPlainText(), QStringLiteral("Yes, at one"));
    QTest::keyClick(editor, Qt::Key_Escape);
    QCOMPARE(window().composer()->mode(), Ui::Composer::Mode::Writing);
    QCOMPARE(editor->toPlainText(), QStringLiteral("half a thought"));
    // The peer's messages cannot be edited.
    menu.reset(chat->menuFor(row, &window()));
    QVERIFY(!menu->findChild<QAction *>(QStringLiteral("editAction")));
}

void tst_UiMessaging::reactionsFromTheMenuAndTheChips()
{
    const int row = receiveAndOpen(QStringLiteral("I passed the exam!"));
    QVERIFY(row >= 0);
    std::unique_ptr<QMenu> menu(window().chatController()->menuFor(row, &window()));
    QAction *like = menu->findChild<QAction *>(QStringLiteral("react 👍"));
    QVERIFY(like);
    like->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(messages()->index(row).data(Role::ReactionsRole).toList().size(), 1,
                              NetworkTimeout);
    const QVariantMap chip = messages()->index(row).data(Role::ReactionsRole).toList().first().toMap();
    QCOMPARE(chip.value(QStringLiteral("emoji")).toString(), QStringLiteral("👍"));
    QCOMPARE(chip.value(QStringLiteral("count")).toInt(), 1);
    QVERIFY(chip.value(QStringLiteral("mine")).toBool());
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(m_peerGot.cbegin(), m_peerGot.cend(),
                                         [](const QXmppMessage &m) {
                                             return m.reaction() &&
                                                    m.reaction()->emojis().contains(QStringLiteral("👍"));
                                         }),
                             NetworkTimeout);

    // The peer reacts too: the chip counts two.
    QVERIFY(sendRaw(
        m_peer->client(),
        QStringLiteral("<message xmlns='jabber:client' to='%1' type='chat' id='r1'><reactions "
                       "xmlns='urn:xmpp:reactions:0' id='%2'><reaction>👍</reaction></reactions></message>")
            .arg(m_account->jid(), messages()->messageAt(row).referenceId())));
    QTRY_COMPARE_WITH_TIMEOUT(firstChipCount(row), 2, NetworkTimeout);

    // Clicking our chip takes our reaction back.
    const QPoint chipPoint = pointOf(row, Ui::MessageDelegate::Hit::Kind::Reaction);
    QVERIFY(!chipPoint.isNull());
    QTest::mouseClick(window().chatView()->viewport(), Qt::LeftButton, {}, chipPoint);
    QTRY_COMPARE_WITH_TIMEOUT(firstChipCount(row), 1, NetworkTimeout);
    QVERIFY(!firstChipIsMine(row));

    // Any emoji from the picker ("More…" in the quick bar).
    menu.reset(window().chatController()->menuFor(row, &window()));
    menu->findChild<QAction *>(QStringLiteral("moreReactionsAction"))->trigger();
    Ui::EmojiPicker *picker = window().chatController()->reactionPicker();
    QVERIFY(picker && picker->isVisible());
    QTest::keyClicks(picker->searchField(), QStringLiteral("fire"));
    QTest::keyClick(picker->searchField(), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(messages()->messageAt(row).reactions.cbegin(),
                                         messages()->messageAt(row).reactions.cend(),
                                         [this](const ChatMessage::Reaction &r) {
                                             return r.reactor == m_account->jid() &&
                                                    r.emojis == QStringList{QStringLiteral("🔥")};
                                         }),
                             NetworkTimeout);
}

void tst_UiMessaging::deletionAsksFirst()
{
    QVERIFY(receiveAndOpen(QStringLiteral("tell me a secret")) >= 0);
    typeAndSend(QStringLiteral("the secret is 42"));
    QTRY_COMPARE_WITH_TIMEOUT(messages()->messageAt(messages()->rowCount() - 1).delivery,
                              ChatMessage::Delivery::Received, NetworkTimeout);
    const int ours = messages()->rowCount() - 1;
    Ui::ChatController *chat = window().chatController();

    // Declined: nothing happens.
    answerNextConfirmation(false);
    chat->retract(ours);
    QTest::qWait(300);
    QCOMPARE(messages()->index(ours).data(Role::RemovalRole).toInt(), int(ChatMessage::Removal::None));

    answerNextConfirmation(true);
    chat->retract(ours);
    QTRY_COMPARE_WITH_TIMEOUT(messages()->index(ours).data(Role::RemovalRole).toInt(),
                              int(ChatMessage::Removal::Retracted), NetworkTimeout);
    QVERIFY(messages()->index(ours).data(Role::BodyRole).toString().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(
        std::any_of(m_peerGot.cbegin(), m_peerGot.cend(),
                    [](const QXmppMessage &m) {
                        return std::any_of(m.extensions().cbegin(), m.extensions().cend(),
                                           [](const QXmppElement &e) { return e.tagName() == u"retract"; });
                    }),
        NetworkTimeout);
    // So does the chat list, where it was the newest message.
    const QModelIndex chatRow = window().conversations()->indexOf({m_account->jid(), m_peer->jid()});
    QTRY_COMPARE_WITH_TIMEOUT(chatRow.data(Ui::ConversationListModel::PreviewRole).toString(),
                              QStringLiteral("Message deleted"), NetworkTimeout);
    // The tombstone says so.
    Ui::MessageBody tombstone(messages()->messageAt(ours), {}, QFont(), QPalette());
    QCOMPARE(tombstone.text(), QStringLiteral("This message was deleted"));

    // Deleting the peer's message here only: its row goes.
    const int rowsBefore = messages()->rowCount();
    answerNextConfirmation(true);
    chat->deleteLocally(0);
    QTRY_COMPARE_WITH_TIMEOUT(messages()->rowCount(), rowsBefore - 1, NetworkTimeout);
}

void tst_UiMessaging::chatStatesBothWaysOursOnlyWhenAllowed()
{
    QVERIFY(receiveAndOpen(QStringLiteral("hi")) >= 0);
    QLabel *state = window().chatStateLabel();
    m_peer->messages().sendChatState(m_account->jid(), ChatState::Composing);
    QTRY_COMPARE_WITH_TIMEOUT(state->text(), QStringLiteral("typing…"), NetworkTimeout);
    m_peer->messages().sendChatState(m_account->jid(), ChatState::Paused);
    QTRY_COMPARE_WITH_TIMEOUT(state->text(), QStringLiteral("stopped typing"), NetworkTimeout);

    // Not allowed: typing tells nothing (a message sent afterwards proves nothing was on its way).
    auto &preferences = *window().findChild<Core::Preferences *>();
    preferences.setValue(Core::Preferences::Key::SendChatStates, false);
    auto isComposing = [](const QXmppMessage &m) { return m.state() == QXmppMessage::Composing; };
    typeAndSend(QStringLiteral("quiet typing"));
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(m_peerGot.cbegin(), m_peerGot.cend(),
                                         [](const QXmppMessage &m) { return m.body() == u"quiet typing"; }),
                             NetworkTimeout);
    QVERIFY(std::none_of(m_peerGot.cbegin(), m_peerGot.cend(), isComposing));

    preferences.setValue(Core::Preferences::Key::SendChatStates, true);
    QTest::keyClicks(window().composer()->editor(), QStringLiteral("loud"));
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(m_peerGot.cbegin(), m_peerGot.cend(), isComposing), NetworkTimeout);
}

void tst_UiMessaging::readMarkersOnlyForAFocusedWindow()
{
    auto isDisplayed = [](const QXmppMessage &m) { return m.marker() == QXmppMessage::Displayed; };
    window().show();
    // Not focused: the message arrives and is shown, but nobody has seen it.
    QWidget other;
    other.show();
    other.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&other));
    const int row = receiveAndOpen(QStringLiteral("are you there?"));
    QVERIFY(row >= 0);
    QTest::qWait(500);
    QVERIFY(std::none_of(m_peerGot.cbegin(), m_peerGot.cend(), isDisplayed));

    window().activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window()));
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(m_peerGot.cbegin(), m_peerGot.cend(), isDisplayed), NetworkTimeout);
    const QXmppMessage marker = *std::find_if(m_peerGot.cbegin(), m_peerGot.cend(), isDisplayed);
    QCOMPARE(marker.markedId(), messages()->messageAt(row).id);
}

void tst_UiMessaging::hostileTextStaysInert()
{
    // Markup, a right-to-left override and many combining marks, sent as text.
    const QString combining(100000, QChar(0x0301));
    QVERIFY(sendRaw(
        m_peer->client(),
        QStringLiteral("<message xmlns='jabber:client' to='%1' type='chat' id='h1'><body>&lt;b&gt;bold"
                       "&lt;/b&gt;&lt;img src='https://evil.example/x.png'&gt; &#x202E;gnp.exe</body>"
                       "</message>")
            .arg(m_account->jid())));
    QVERIFY(
        sendRaw(m_peer->client(), QStringLiteral("<message xmlns='jabber:client' to='%1' type='chat' id='h2'>"
                                                 "<body>Z%2</body></message>")
                                      .arg(m_account->jid(), combining)));
    const int row = receiveAndOpen(QStringLiteral("/me waves"));
    QVERIFY(row >= 2);
    const ChatMessage markup = messages()->messageAt(row - 2);
    const ChatMessage zalgo = messages()->messageAt(row - 1);
    QCOMPARE(markup.body, QStringLiteral("<b>bold</b><img src='https://evil.example/x.png'> \u202Egnp.exe"));
    // Laid out as exactly that text: no tags interpreted, nothing fetched.
    Ui::MessageBody body(markup, {}, window().font(), window().palette());
    QCOMPARE(body.text(), markup.body);
    // Cut at the size limit, and at most a few marks per character on screen.
    QVERIFY(zalgo.truncated);
    QCOMPARE(zalgo.body.size(), ChatMessage::MaxBodyLength);
    // On screen, at most a few marks per character (the store keeps the text as it came).
    const QString shown = Ui::MessageBody::displayText(zalgo.body);
    int run = 0;
    int longestRun = 0;
    for (const QChar c : shown) {
        run = c.category() == QChar::Mark_NonSpacing ? run + 1 : 0;
        longestRun = std::max(longestRun, run);
    }
    QCOMPARE(longestRun, Ui::MessageBody::MaxMarks);
    QCOMPARE(Ui::MessageBody::displayText(QStringLiteral("Z") +
                                          QString(ChatMessage::MaxBodyLength, QChar(0x0301))),
             QStringLiteral("Z") + QString(Ui::MessageBody::MaxMarks, QChar(0x0301)));
    // Control characters are shown, not obeyed.
    QCOMPARE(Ui::MessageBody::displayText(QStringLiteral("a\u0007b\u001bc")),
             QStringLiteral("a\u2407b\u241bc"));
    // /me with the author's name isolated from the text around it.
    Ui::MessageBody me(messages()->messageAt(row), QStringLiteral("\u05D3\u05E0\u05D9"), window().font(),
                       window().palette());
    QCOMPARE(me.text(), QStringLiteral("* \u2068\u05D3\u05E0\u05D9\u2069 waves"));
    // The whole chat paints (the hostile rows included) without trouble.
    window().resize(900, 600);
    window().show();
    QVERIFY(!window().chatView()->grab().isNull());
}

void tst_UiMessaging::stylingIsFormattedNotInterpreted()
{
    ChatMessage message;
    message.body = QStringLiteral("*bold* and `code` see https://example.org/x.");
    Ui::MessageBody body(message, {}, window().font(), window().palette());
    // The text is the body itself, markup characters included.
    QCOMPARE(body.text(), message.body);
    bool bold = false, dimmedMarkup = false, fixed = false, link = false;
    for (const QTextLayout::FormatRange &range : body.formats()) {
        if (range.start == 1 && range.length == 4 && range.format.fontWeight() == QFont::Bold)
            bold = true;
        if (range.start == 0 && range.length == 1 &&
            range.format.foreground().color() == window().palette().color(QPalette::PlaceholderText))
            dimmedMarkup = true;
        if (range.start == 12 && range.length == 4 && !range.format.fontFamilies().toStringList().isEmpty())
            fixed = true;
        if (range.format.fontUnderline() &&
            message.body.mid(range.start, range.length) == u"https://example.org/x")
            link = true;
    }
    QVERIFY(bold && dimmedMarkup && fixed && link);
    body.layout(800);
    const int linkStart = int(message.body.indexOf(u"https"));
    QCOMPARE(body.linkAt(body.positionOf(linkStart + 3)), QUrl(QStringLiteral("https://example.org/x")));
    QVERIFY(body.linkAt(body.positionOf(2)).isEmpty());
    // Large emoji for a message of emoji only.
    message.body = QStringLiteral("🥐🎉");
    QVERIFY(Ui::MessageBody(message, {}, window().font(), window().palette()).isLarge());
    message.body = QStringLiteral("croissant 🥐");
    QVERIFY(!Ui::MessageBody(message, {}, window().font(), window().palette()).isLarge());
}

QTEST_MAIN(tst_UiMessaging)
#include "tst_ui_messaging.moc"
