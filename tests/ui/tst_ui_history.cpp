// SPDX-License-Identifier: GPL-3.0-or-later
// The history view over the real message store, offscreen: paging back without gaps or jumps, unread
// counts and activity order, search with highlighted words that opens the message in context, day lines
// and sender groups.
#include "TestProfile.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "messaging/MessageService.h"
#include "models/ConversationListModel.h"
#include "models/MessageListModel.h"
#include "models/SearchResultsModel.h"
#include "storage/ConversationRepository.h"
#include "storage/MessageRepository.h"
#include "widgets/ChatView.h"
#include "widgets/Composer.h"
#include "widgets/MainWindow.h"
#include "widgets/SearchPanel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTest>
#include <QTimeZone>
#include <QToolButton>

using namespace Natter;
using namespace Natter::Core;
using Natter::Test::TestProfile;
using Natter::Test::waitFor;
using Ui::MessageListModel;

namespace {
const QString Alice = QStringLiteral("alice@natter.test");
const QString Bob = QStringLiteral("bob@natter.test");
const QString Carol = QStringLiteral("carol@natter.test");
const QDateTime Base = QDateTime(QDate(2026, 1, 2), QTime(10, 0), QTimeZone::UTC);
constexpr int Timeout = 10000;

ChatMessage message(const QString &peer, int n, ChatMessage::Direction direction, const QDateTime &time,
                    const QString &body = {})
{
    ChatMessage m;
    m.conversation = {Alice, peer};
    m.direction = direction;
    m.delivery = ChatMessage::Delivery::Acknowledged;
    m.id = QStringLiteral("%1-%2").arg(peer).arg(n);
    m.originId = m.id;
    m.senderFullJid = direction == ChatMessage::Direction::Incoming ? peer + QStringLiteral("/phone")
                                                                    : Alice + QStringLiteral("/desk");
    m.body = body.isEmpty() ? QStringLiteral("message number %1").arg(n) : body;
    m.timestamp = time;
    return m;
}

// n messages with peer, seven minutes apart (so they span two days), alternating direction.
QList<ChatMessage> conversation(const QString &peer, int count, const QDateTime &start = Base)
{
    QList<ChatMessage> messages;
    for (int n = 1; n <= count; ++n)
        messages.append(
            message(peer, n, n % 3 == 0 ? ChatMessage::Direction::Outgoing : ChatMessage::Direction::Incoming,
                    start.addSecs(qint64(n) * 7 * 60)));
    return messages;
}

QDateTime localTime(int day, int hour, int minute)
{
    return QDateTime(QDate(2026, 3, day), QTime(hour, minute)).toUTC();
}
} // namespace

class tst_UiHistory : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void conversationListComesFromTheStoreInActivityOrder();
    void scrollingToTheTopLoadsOlderPagesWithoutGapsRepeatsOrJumps();
    void liveMessagesAppendOnceAndRaiseTheirConversation();
    void openingAConversationJumpsToTheFirstUnreadAndResetsTheCount();
    void searchHighlightsTheWordsAndEnterShowsTheMessageInContext();
    void conversationSearchFindsOnlyThatConversation();
    void daySeparatorsAndSenderGroupsFollowTheMessages();
    void archiveGapIsMarkedBetweenTheMessagesAroundIt();
    void draftIsKeptPerConversationAcrossRestarts();
    void storedMessagesWithAReusedIdAreBothShown();

private:
    void ingest(const QList<ChatMessage> &messages);
    void markRead(const QString &peer);
    void openWindow();
    MessageListModel *openConversation(const QString &peer);
    int storedUnread(const QString &peer);

    std::unique_ptr<TestProfile> m_profile;
    std::unique_ptr<AccountManager> m_accounts;
    std::unique_ptr<Ui::MainWindow> m_window;
};

void tst_UiHistory::init()
{
    m_profile = std::make_unique<TestProfile>();
    m_accounts = std::make_unique<AccountManager>(m_profile->path());
    QVERIFY(isOk(waitFor(m_accounts->open())));
    AccountConfig config;
    config.jid = Alice;
    config.resource = QStringLiteral("desk");
    config.passwordStorage = AccountConfig::PasswordStorage::AskEachStart;
    config.enabled = false; // never connects: the store is all these tests need
    const auto added = waitFor(m_accounts->addAccount(config, QString()));
    QVERIFY2(isOk(added), qPrintable(errorOf(added).detail));
}

void tst_UiHistory::cleanup()
{
    m_window.reset();
    m_accounts.reset();
    m_profile.reset();
}

void tst_UiHistory::ingest(const QList<ChatMessage> &messages)
{
    const auto stored = waitFor(m_accounts->messageStore().ingest(messages));
    QVERIFY2(isOk(stored), qPrintable(errorOf(stored).detail));
}

void tst_UiHistory::markRead(const QString &peer)
{
    QVERIFY(isOk(waitFor(m_accounts->conversationStore().markRead({Alice, peer}))));
}

int tst_UiHistory::storedUnread(const QString &peer)
{
    const auto list = waitFor(m_accounts->conversationStore().conversations(Alice));
    if (!isOk(list))
        return -1;
    for (const ConversationSummary &summary : std::get<QList<ConversationSummary>>(list)) {
        if (summary.key.peer == peer)
            return summary.unread;
    }
    return -1;
}

void tst_UiHistory::openWindow()
{
    m_window = std::make_unique<Ui::MainWindow>(*m_accounts);
    m_window->show();
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QSignalSpy loaded(m_window.get(), &Ui::MainWindow::conversationsLoaded);
    m_window->profileOpened();
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, Timeout);
}

MessageListModel *tst_UiHistory::openConversation(const QString &peer)
{
    const QModelIndex index = m_window->conversations()->indexOf({Alice, peer});
    if (!index.isValid())
        return nullptr;
    QListView *list = m_window->conversationList();
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(index).center());
    return m_window->currentMessages();
}

void tst_UiHistory::conversationListComesFromTheStoreInActivityOrder()
{
    ingest(conversation(Bob, 5));
    ingest(conversation(Carol, 5, Base.addDays(1)));
    ingest({message(QStringLiteral("dave@natter.test"), 1, ChatMessage::Direction::Outgoing, Base.addSecs(60),
                    QStringLiteral("first\nand only"))});
    openWindow();
    const auto *model = m_window->conversations();
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(model->index(0).data(Ui::ConversationListModel::PeerRole).toString(), Carol);
    QCOMPARE(model->index(1).data(Ui::ConversationListModel::PeerRole).toString(), Bob);
    QCOMPARE(model->index(2).data(Ui::ConversationListModel::PeerRole).toString(),
             QStringLiteral("dave@natter.test"));
    // Unread: the incoming messages after our last reply (4 and 5 of each; we answered with 3).
    QCOMPARE(model->index(0).data(Ui::ConversationListModel::UnreadRole).toInt(), 2);
    QCOMPARE(model->index(1).data(Ui::ConversationListModel::UnreadRole).toInt(), 2);
    QCOMPARE(model->index(1).data(Ui::ConversationListModel::PreviewRole).toString(),
             QStringLiteral("message number 5"));
    QCOMPARE(model->index(2).data(Ui::ConversationListModel::PreviewRole).toString(),
             QStringLiteral("You: first and only"));
}

void tst_UiHistory::scrollingToTheTopLoadsOlderPagesWithoutGapsRepeatsOrJumps()
{
    constexpr int Count = 230;
    ingest(conversation(Bob, Count));
    markRead(Bob);
    openWindow();
    MessageListModel *messages = openConversation(Bob);
    QVERIFY(messages);
    QAbstractItemModelTester tester(messages, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_COMPARE_WITH_TIMEOUT(messages->rowCount(), MessageListModel::PageSize, Timeout);
    Ui::ChatView *view = m_window->chatView();
    QScrollBar *bar = view->verticalScrollBar();
    // The newest page is shown at the bottom.
    QTRY_VERIFY(bar->maximum() > 0 && bar->value() == bar->maximum());
    QCOMPARE(messages->index(messages->rowCount() - 1).data(MessageListModel::BodyRole).toString(),
             QStringLiteral("message number %1").arg(Count));

    int pages = 1;
    while (!messages->reachedStart()) {
        const int before = messages->rowCount();
        // What is on top now must stay exactly where it is while the older page is put above it.
        bar->setValue(0);
        const QPersistentModelIndex top = view->indexAt(QPoint(view->viewport()->width() / 2, 1));
        QVERIFY(top.isValid());
        const int topBefore = view->visualRect(top).top();
        QTRY_VERIFY_WITH_TIMEOUT(messages->rowCount() > before || messages->reachedStart(), Timeout);
        if (messages->rowCount() == before)
            break;
        QTRY_COMPARE(view->visualRect(top).top(), topBefore);
        QVERIFY(bar->value() > 0);
        ++pages;
        QVERIFY(pages < 20);
    }
    QCOMPARE(pages, (Count + MessageListModel::PageSize - 1) / MessageListModel::PageSize);
    QCOMPARE(messages->rowCount(), Count);
    for (int row = 0; row < Count; ++row)
        QCOMPARE(messages->index(row).data(MessageListModel::BodyRole).toString(),
                 QStringLiteral("message number %1").arg(row + 1));
}

void tst_UiHistory::liveMessagesAppendOnceAndRaiseTheirConversation()
{
    ingest(conversation(Bob, 10));
    ingest(conversation(Carol, 10, Base.addSecs(3600)));
    markRead(Bob);
    markRead(Carol);
    openWindow();
    QCOMPARE(m_window->conversations()->index(0).data(Ui::ConversationListModel::PeerRole).toString(), Carol);
    MessageListModel *messages = openConversation(Carol);
    QTRY_COMPARE_WITH_TIMEOUT(messages->rowCount(), 10, Timeout);

    // Bob writes: stored first (as MessageService does), then reported.
    const ChatMessage fromBob = message(Bob, 11, ChatMessage::Direction::Incoming,
                                        QDateTime::currentDateTimeUtc(), QStringLiteral("news"));
    const auto stored = waitFor(m_accounts->messageStore().ingest({fromBob}));
    QVERIFY(isOk(stored));
    Account *account = m_accounts->account(Alice);
    Q_EMIT account->messages().messageReceived(std::get<QList<ChatMessage>>(stored).first());
    const auto *list = m_window->conversations();
    QCOMPARE(list->index(0).data(Ui::ConversationListModel::PeerRole).toString(), Bob);
    QCOMPARE(list->index(0).data(Ui::ConversationListModel::UnreadRole).toInt(), 1);
    QCOMPARE(list->index(0).data(Ui::ConversationListModel::PreviewRole).toString(), QStringLiteral("news"));
    QCOMPARE(storedUnread(Bob), 1);

    // Carol writes into the open conversation of the focused window: shown once, nothing unread.
    const ChatMessage fromCarol = message(Carol, 11, ChatMessage::Direction::Incoming,
                                          QDateTime::currentDateTimeUtc(), QStringLiteral("hi"));
    const auto storedCarol = waitFor(m_accounts->messageStore().ingest({fromCarol}));
    QVERIFY(isOk(storedCarol));
    const ChatMessage live = std::get<QList<ChatMessage>>(storedCarol).first();
    Q_EMIT account->messages().messageReceived(live);
    Q_EMIT account->messages().messageReceived(live);
    QCOMPARE(messages->rowCount(), 11);
    QCOMPARE(messages->index(10).data(MessageListModel::BodyRole).toString(), QStringLiteral("hi"));
    QCOMPARE(list->indexOf({Alice, Carol}).data(Ui::ConversationListModel::UnreadRole).toInt(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(storedUnread(Carol), 0, Timeout);
}

void tst_UiHistory::openingAConversationJumpsToTheFirstUnreadAndResetsTheCount()
{
    ingest(conversation(Bob, 120));
    markRead(Bob);
    QList<ChatMessage> unread;
    for (int n = 1; n <= 5; ++n)
        unread.append(message(Bob, 1000 + n, ChatMessage::Direction::Incoming,
                              Base.addDays(2).addSecs(n * 60), QStringLiteral("unread %1").arg(n)));
    ingest(unread);
    // More than a screen of messages below the first unread one.
    ingest(conversation(Carol, 5)); // 4 and 5 unread, after our reply 3
    openWindow();
    QCOMPARE(
        m_window->conversations()->indexOf({Alice, Bob}).data(Ui::ConversationListModel::UnreadRole).toInt(),
        5);

    MessageListModel *messages = openConversation(Bob);
    Ui::ChatView *view = m_window->chatView();
    QTRY_VERIFY_WITH_TIMEOUT(view->currentIndex().isValid(), Timeout);
    const QModelIndex current = view->currentIndex();
    QCOMPARE(current.data(MessageListModel::BodyRole).toString(), QStringLiteral("unread 1"));
    QVERIFY(current.data(MessageListModel::FirstUnreadRole).toBool());
    QVERIFY(!messages->index(current.row() - 1).data(MessageListModel::FirstUnreadRole).toBool());
    QVERIFY(view->viewport()->rect().intersects(view->visualRect(current)));
    // Older messages are above it, to scroll back to.
    QVERIFY(current.row() >= MessageListModel::PageSize);
    QCOMPARE(
        m_window->conversations()->indexOf({Alice, Bob}).data(Ui::ConversationListModel::UnreadRole).toInt(),
        0);
    QTRY_COMPARE_WITH_TIMEOUT(storedUnread(Bob), 0, Timeout);
    QCOMPARE(storedUnread(Carol), 2);
}

void tst_UiHistory::searchHighlightsTheWordsAndEnterShowsTheMessageInContext()
{
    QList<ChatMessage> bob = conversation(Bob, 200);
    bob[36].body = QStringLiteral("Shall we make Pumpkin soup on Thursday?");
    ingest(bob);
    ingest({message(Carol, 1, ChatMessage::Direction::Incoming, Base.addSecs(-3600),
                    QStringLiteral("pumpkins everywhere"))});
    markRead(Bob);
    markRead(Carol);
    openWindow();

    Ui::SearchPanel *search = m_window->globalSearch();
    QTest::keyClick(m_window.get(), Qt::Key_F, Qt::ControlModifier);
    QVERIFY(search->field()->hasFocus());
    QTest::keyClicks(search->field(), QStringLiteral("pump"));
    const auto *results = search->results();
    QTRY_COMPARE_WITH_TIMEOUT(results->rowCount(), 2, Timeout);
    QVERIFY(m_window->conversationList()->isHidden());
    // Newest first: Bob's message; the searched word is marked where it is.
    const QModelIndex first = results->index(0);
    QCOMPARE(first.data(Ui::SearchResultsModel::PeerRole).toString(), Bob);
    const QVariantList matches = first.data(Ui::SearchResultsModel::MatchesRole).toList();
    QCOMPARE(matches.size(), 1);
    const QPoint match = matches.first().toPoint();
    QCOMPARE(first.data(Ui::SearchResultsModel::BodyRole).toString().mid(match.x(), match.y()),
             QStringLiteral("Pump"));

    QTest::keyClick(search->field(), Qt::Key_Return);
    Ui::ChatView *view = m_window->chatView();
    QTRY_COMPARE_WITH_TIMEOUT(m_window->currentConversation().peer, Bob, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(view->currentIndex().isValid(), Timeout);
    const QModelIndex shown = view->currentIndex();
    QCOMPARE(shown.data(MessageListModel::BodyRole).toString(), bob[36].body);
    QVERIFY(view->selectionModel()->isSelected(shown));
    QVERIFY(shown.data(MessageListModel::HighlightRole).toBool());
    // Centred in context: messages above and below it are loaded and on screen.
    QVERIFY(view->viewport()->rect().contains(view->visualRect(shown).center()));
    QCOMPARE(m_window->currentMessages()->index(shown.row() - 1).data(MessageListModel::BodyRole).toString(),
             QStringLiteral("message number 36"));
    QCOMPARE(m_window->currentMessages()->index(shown.row() + 1).data(MessageListModel::BodyRole).toString(),
             QStringLiteral("message number 38"));
    QTRY_VERIFY_WITH_TIMEOUT(!shown.data(MessageListModel::HighlightRole).toBool(), Timeout);

    // Clearing the search brings the conversation list back.
    search->clear();
    QVERIFY(!m_window->conversationList()->isHidden());
}

void tst_UiHistory::conversationSearchFindsOnlyThatConversation()
{
    ingest(conversation(Bob, 30));
    ingest(conversation(Carol, 30));
    markRead(Bob);
    markRead(Carol);
    openWindow();
    MessageListModel *messages = openConversation(Carol);
    QTRY_VERIFY_WITH_TIMEOUT(messages->rowCount() > 0, Timeout);
    auto *button = m_window->findChild<QToolButton *>(QStringLiteral("conversationSearchButton"));
    QVERIFY(button);
    QTest::mouseClick(button, Qt::LeftButton);
    Ui::SearchPanel *search = m_window->conversationSearch();
    QVERIFY(search->isVisible());
    QTest::keyClicks(search->field(), QStringLiteral("number 2"));
    const auto *results = search->results();
    // "number" and a word starting with 2: 2, 20…29 of Carol only.
    QTRY_COMPARE_WITH_TIMEOUT(results->rowCount(), 11, Timeout);
    for (int row = 0; row < results->rowCount(); ++row)
        QCOMPARE(results->index(row).data(Ui::SearchResultsModel::PeerRole).toString(), Carol);
    QCOMPARE(results->index(0).data(Ui::SearchResultsModel::MatchesRole).toList().size(), 2);
}

void tst_UiHistory::daySeparatorsAndSenderGroupsFollowTheMessages()
{
    using D = ChatMessage::Direction;
    ingest({message(Bob, 1, D::Incoming, localTime(1, 23, 50)),
            message(Bob, 2, D::Incoming, localTime(1, 23, 52)),
            message(Bob, 3, D::Outgoing, localTime(1, 23, 53)),
            message(Bob, 4, D::Outgoing, localTime(2, 0, 5)),
            message(Bob, 5, D::Outgoing, localTime(2, 0, 6)),
            message(Bob, 6, D::Outgoing, localTime(2, 0, 30))});
    MessageListModel model({Alice, Bob});
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setStore(&m_accounts->messageStore());
    QSignalSpy loaded(&model, &MessageListModel::pageLoaded);
    model.loadNewest();
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, Timeout);
    QCOMPARE(model.rowCount(), 6);
    auto day = [&model](int row) { return model.index(row).data(MessageListModel::DayRole).toDate(); };
    auto grouped = [&model](int row) {
        return model.index(row).data(MessageListModel::GroupedRole).toBool();
    };
    QCOMPARE(day(0), QDate(2026, 3, 1));
    QVERIFY(!day(1).isValid());
    QVERIFY(!day(2).isValid());
    QCOMPARE(day(3), QDate(2026, 3, 2));
    QVERIFY(!day(4).isValid());
    QVERIFY(!grouped(0));
    QVERIFY(grouped(1));  // same sender two minutes later
    QVERIFY(!grouped(2)); // the other side speaks
    QVERIFY(!grouped(3)); // a new day
    QVERIFY(grouped(4));
    QVERIFY(!grouped(5)); // 24 minutes later
}

void tst_UiHistory::archiveGapIsMarkedBetweenTheMessagesAroundIt()
{
    using D = ChatMessage::Direction;
    ingest({message(Bob, 1, D::Incoming, Base), message(Bob, 2, D::Incoming, Base.addSecs(60)),
            message(Bob, 3, D::Incoming, Base.addSecs(120)),
            message(Bob, 4, D::Incoming, Base.addSecs(180))});
    MessageListModel model({Alice, Bob});
    model.setStore(&m_accounts->messageStore());
    QSignalSpy loaded(&model, &MessageListModel::pageLoaded);
    model.loadNewest();
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, Timeout);
    QVERIFY(model.index(2).data(MessageListModel::GroupedRole).toBool());
    model.setGaps({HistoryGap{Base.addSecs(70), Base.addSecs(110)}});
    auto gap = [&model](int row) { return model.index(row).data(MessageListModel::GapBeforeRole).toBool(); };
    QVERIFY(!gap(0));
    QVERIFY(!gap(1));
    QVERIFY(gap(2));
    QVERIFY(!gap(3));
    // The message after a gap starts a new group.
    QVERIFY(!model.index(2).data(MessageListModel::GroupedRole).toBool());
}

void tst_UiHistory::draftIsKeptPerConversationAcrossRestarts()
{
    ingest(conversation(Bob, 3));
    ingest(conversation(Carol, 3, Base.addSecs(3600)));
    openWindow();
    openConversation(Bob);
    // The account is offline (the composer is read-only then): the text stands for a restored draft.
    m_window->composer()->editor()->setPlainText(QStringLiteral("half a thought"));
    openConversation(Carol);
    QCOMPARE(m_window->composer()->text(), QString());
    const QModelIndex bob = m_window->conversations()->indexOf({Alice, Bob});
    QCOMPARE(bob.data(Ui::ConversationListModel::DraftRole).toString(), QStringLiteral("half a thought"));
    openConversation(Bob);
    QCOMPARE(m_window->composer()->text(), QStringLiteral("half a thought"));

    // Closing the window keeps it; the next start shows it again.
    m_window->composer()->editor()->setPlainText(QStringLiteral("half a thought, finished"));
    m_window->close();
    m_window.reset();
    openWindow();
    openConversation(Bob);
    QCOMPARE(m_window->composer()->text(), QStringLiteral("half a thought, finished"));
}

void tst_UiHistory::storedMessagesWithAReusedIdAreBothShown()
{
    // Some clients number their messages per session: the same id comes back later for other text.
    ChatMessage first = message(Bob, 1, ChatMessage::Direction::Incoming, Base, QStringLiteral("first"));
    ChatMessage later =
        message(Bob, 1, ChatMessage::Direction::Incoming, Base.addSecs(600), QStringLiteral("later"));
    first.originId.clear();
    later.originId.clear();
    ingest({first, later});
    MessageListModel model({Alice, Bob});
    model.setStore(&m_accounts->messageStore());
    QSignalSpy loaded(&model, &MessageListModel::pageLoaded);
    model.loadNewest();
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, Timeout);
    QCOMPARE(model.rowCount(), 2);
    // The later one reported live again (a repeated notification) replaces only itself.
    model.addMessage(model.messageAt(1));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0).data(MessageListModel::BodyRole).toString(), QStringLiteral("first"));
    QCOMPARE(model.index(1).data(MessageListModel::BodyRole).toString(), QStringLiteral("later"));
}

QTEST_MAIN(tst_UiHistory)
#include "tst_ui_history.moc"
