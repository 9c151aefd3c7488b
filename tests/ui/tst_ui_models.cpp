// SPDX-License-Identifier: GPL-3.0-or-later
// The UI's item models keep Qt's model contract and the order, unread counts and delivery states users see.
#include "models/ConversationListModel.h"
#include "models/MessageListModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Natter::Core;
using namespace Natter::Ui;

namespace {
const QString Alice = QStringLiteral("alice@natter.test");

ChatMessage message(const QString &peer, const QString &body, ChatMessage::Direction direction,
                    qint64 secondsAgo, const QString &id = {})
{
    ChatMessage m;
    m.conversation = {Alice, peer};
    m.direction = direction;
    m.delivery = direction == ChatMessage::Direction::Outgoing ? ChatMessage::Delivery::Pending
                                                               : ChatMessage::Delivery::Acknowledged;
    m.id = id.isEmpty() ? QStringLiteral("%1-%2").arg(peer).arg(secondsAgo) : id;
    m.body = body;
    m.timestamp = QDateTime::currentDateTimeUtc().addSecs(-secondsAgo);
    return m;
}

QStringList peers(const ConversationListModel &model)
{
    QStringList result;
    for (int row = 0; row < model.rowCount(); ++row)
        result.append(model.index(row).data(ConversationListModel::PeerRole).toString());
    return result;
}
} // namespace

class tst_UiModels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void conversationsAreOrderedByLastActivity();
    void incomingMessagesCountAsUnreadUnlessTheConversationIsOpen();
    void previewShowsTheLastMessageOnOneLine();
    void deliveryStateUpdatesTheMessageRow();
    void messagesStayInTimeOrder();
    void removingAnAccountDropsItsConversations();
    void roomMessagesShowNicknamesGroupedPerPersonAndMentions();
};

void tst_UiModels::conversationsAreOrderedByLastActivity()
{
    ConversationListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.addMessage(message(QStringLiteral("bob@natter.test"), QStringLiteral("1"),
                             ChatMessage::Direction::Incoming, 300));
    model.addMessage(message(QStringLiteral("carol@natter.test"), QStringLiteral("2"),
                             ChatMessage::Direction::Incoming, 200));
    model.addMessage(message(QStringLiteral("dave@natter.test"), QStringLiteral("3"),
                             ChatMessage::Direction::Incoming, 100));
    QCOMPARE(peers(model),
             (QStringList{QStringLiteral("dave@natter.test"), QStringLiteral("carol@natter.test"),
                          QStringLiteral("bob@natter.test")}));

    // A new message raises the oldest conversation to the top.
    model.addMessage(message(QStringLiteral("bob@natter.test"), QStringLiteral("4"),
                             ChatMessage::Direction::Outgoing, 10));
    QCOMPARE(peers(model), (QStringList{QStringLiteral("bob@natter.test"), QStringLiteral("dave@natter.test"),
                                        QStringLiteral("carol@natter.test")}));

    // Opening a new chat puts it first; opening an existing one does not move it.
    const QModelIndex erin = model.openConversation({Alice, QStringLiteral("erin@natter.test")});
    QCOMPARE(erin.row(), 0);
    QCOMPARE(model.openConversation({Alice, QStringLiteral("carol@natter.test")}).row(), 3);
    QCOMPARE(model.rowCount(), 4);
}

void tst_UiModels::incomingMessagesCountAsUnreadUnlessTheConversationIsOpen()
{
    ConversationListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QString bob = QStringLiteral("bob@natter.test");
    model.addMessage(message(bob, QStringLiteral("a"), ChatMessage::Direction::Incoming, 30));
    model.addMessage(message(bob, QStringLiteral("b"), ChatMessage::Direction::Incoming, 20));
    model.addMessage(message(bob, QStringLiteral("mine"), ChatMessage::Direction::Outgoing, 15));
    QCOMPARE(model.indexOf({Alice, bob}).data(ConversationListModel::UnreadRole).toInt(), 2);

    model.setActiveConversation({Alice, bob});
    QCOMPARE(model.indexOf({Alice, bob}).data(ConversationListModel::UnreadRole).toInt(), 0);
    model.addMessage(message(bob, QStringLiteral("c"), ChatMessage::Direction::Incoming, 10));
    QCOMPARE(model.indexOf({Alice, bob}).data(ConversationListModel::UnreadRole).toInt(), 0);
}

void tst_UiModels::previewShowsTheLastMessageOnOneLine()
{
    ConversationListModel model;
    const QString bob = QStringLiteral("bob@natter.test");
    model.addMessage(message(bob, QStringLiteral("first"), ChatMessage::Direction::Incoming, 30));
    model.addMessage(message(bob, QStringLiteral("two\nlines"), ChatMessage::Direction::Incoming, 20));
    QCOMPARE(model.indexOf({Alice, bob}).data(ConversationListModel::PreviewRole).toString(),
             QStringLiteral("two lines"));
    // An older message arriving late (delayed delivery) does not replace the preview.
    model.addMessage(message(bob, QStringLiteral("late"), ChatMessage::Direction::Incoming, 300));
    QCOMPARE(model.indexOf({Alice, bob}).data(ConversationListModel::PreviewRole).toString(),
             QStringLiteral("two lines"));
}

void tst_UiModels::deliveryStateUpdatesTheMessageRow()
{
    ConversationListModel conversations;
    const QString bob = QStringLiteral("bob@natter.test");
    conversations.addMessage(
        message(bob, QStringLiteral("hi"), ChatMessage::Direction::Outgoing, 5, QStringLiteral("m1")));
    MessageListModel *messages = conversations.messages({Alice, bob});
    QVERIFY(messages);
    QAbstractItemModelTester tester(messages, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(messages->rowCount(), 1);
    QCOMPARE(messages->index(0).data(MessageListModel::DeliveryRole).toInt(),
             int(ChatMessage::Delivery::Pending));

    QSignalSpy changed(messages, &QAbstractItemModel::dataChanged);
    conversations.setDelivery({Alice, bob}, QStringLiteral("m1"), ChatMessage::Delivery::Acknowledged);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(messages->index(0).data(MessageListModel::DeliveryRole).toInt(),
             int(ChatMessage::Delivery::Acknowledged));
    QVERIFY(!messages->setDelivery(QStringLiteral("unknown"), ChatMessage::Delivery::Failed));
    QCOMPARE(messages->index(0).data(MessageListModel::SenderRole).toString(), Alice);
}

void tst_UiModels::messagesStayInTimeOrder()
{
    MessageListModel model({Alice, QStringLiteral("bob@natter.test")});
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QString bob = QStringLiteral("bob@natter.test");
    model.addMessage(message(bob, QStringLiteral("second"), ChatMessage::Direction::Incoming, 20));
    model.addMessage(message(bob, QStringLiteral("third"), ChatMessage::Direction::Incoming, 10));
    model.addMessage(message(bob, QStringLiteral("first"), ChatMessage::Direction::Incoming, 30));
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(0).data(MessageListModel::BodyRole).toString(), QStringLiteral("first"));
    QCOMPARE(model.index(2).data(MessageListModel::BodyRole).toString(), QStringLiteral("third"));
    // The same id again replaces the row instead of adding one.
    model.addMessage(message(bob, QStringLiteral("third, edited"), ChatMessage::Direction::Incoming, 10));
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(2).data(MessageListModel::BodyRole).toString(), QStringLiteral("third, edited"));
}

void tst_UiModels::removingAnAccountDropsItsConversations()
{
    ConversationListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.addMessage(
        message(QStringLiteral("bob@natter.test"), QStringLiteral("x"), ChatMessage::Direction::Incoming, 5));
    ChatMessage other =
        message(QStringLiteral("bob@natter.test"), QStringLiteral("y"), ChatMessage::Direction::Incoming, 4);
    other.conversation.account = QStringLiteral("zoe@natter.test");
    model.addMessage(other);
    QCOMPARE(model.rowCount(), 2);
    model.removeAccount(Alice);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0).data(ConversationListModel::AccountRole).toString(),
             QStringLiteral("zoe@natter.test"));
}

void tst_UiModels::roomMessagesShowNicknamesGroupedPerPersonAndMentions()
{
    const QString room = QStringLiteral("team@conference.natter.test");
    const ConversationKey key{Alice, room, ConversationKind::GroupChat};
    MessageListModel model(key);
    model.setOwnNick(QStringLiteral("Alice"));
    const auto said = [&](const QString &nick, const QString &occupantId, const QString &body,
                          int secondsAgo) {
        ChatMessage m = message(room, body, ChatMessage::Direction::Incoming, secondsAgo);
        m.conversation = key;
        m.senderFullJid = room + u'/' + nick;
        m.occupantId = occupantId;
        m.id = body;
        return m;
    };
    model.addMessage(said(QStringLiteral("Bob"), QStringLiteral("id-bob"), QStringLiteral("one"), 30));
    model.addMessage(said(QStringLiteral("Bob"), QStringLiteral("id-bob"), QStringLiteral("two"), 29));
    model.addMessage(
        said(QStringLiteral("Carol"), QStringLiteral("id-carol"), QStringLiteral("alice: three"), 28));
    // The same person under a new nickname stays in the group; another one under that nickname does not.
    model.addMessage(
        said(QStringLiteral("Carolina"), QStringLiteral("id-carol"), QStringLiteral("four"), 27));
    model.addMessage(
        said(QStringLiteral("Carolina"), QStringLiteral("id-mallory"), QStringLiteral("five"), 26));
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.index(0).data(MessageListModel::SenderRole).toString(), QStringLiteral("Bob"));
    QCOMPARE(model.index(2).data(MessageListModel::SenderRole).toString(), QStringLiteral("Carol"));
    QVERIFY(model.index(1).data(MessageListModel::GroupedRole).toBool());
    QVERIFY(!model.index(2).data(MessageListModel::GroupedRole).toBool());
    QVERIFY(model.index(3).data(MessageListModel::GroupedRole).toBool());
    QVERIFY(!model.index(4).data(MessageListModel::GroupedRole).toBool());
    QVERIFY(!model.index(0).data(MessageListModel::MentionRole).toBool());
    QVERIFY(model.index(2).data(MessageListModel::MentionRole).toBool());
}

QTEST_GUILESS_MAIN(tst_UiModels)
#include "tst_ui_models.moc"
