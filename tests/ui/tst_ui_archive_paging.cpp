// SPDX-License-Identifier: GPL-3.0-or-later
// Scrolling back in the chat view past what the store holds fetches older history from the server's
// archive (XEP-0313) and pages it in: every archived message once, in order, against a real Prosody.
#include "TestProfile.h"
#include "TestServer.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "domain/ConnectionState.h"
#include "messaging/MessageService.h"
#include "models/ConversationListModel.h"
#include "models/MessageListModel.h"
#include "sync/HistorySync.h"
#include "widgets/ChatView.h"
#include "widgets/MainWindow.h"

#include <QListView>
#include <QScrollBar>
#include <QSet>
#include <QTest>
#include <QUuid>

using namespace Natter;
using namespace Natter::Core;
using Natter::Test::TestProfile;
using Natter::Test::TestServer;
using Natter::Test::waitFor;

class tst_UiArchivePaging : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void scrollingBackPastTheStoreFetchesTheArchive();

private:
    TestServer m_server;
};

void tst_UiArchivePaging::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
}

void tst_UiArchivePaging::scrollingBackPastTheStoreFetchesTheArchive()
{
    constexpr int Count = 45;
    const QString label = QUuid::createUuid().toString(QUuid::WithoutBraces).left(8);
    // Dave writes while Alice is online on another device: the messages are in her archive, and not
    // kept as offline messages for the next login.
    auto online = [this](const QString &user) {
        auto account = std::make_unique<Account>(m_server.accountConfig(user));
        account->setPassword(m_server.account(user).password);
        account->setAdditionalCaCertificates(m_server.caCertificates());
        account->connectToServer();
        const bool ok =
            QTest::qWaitFor([&account] { return account->state() == ConnectionState::Online; }, 20000);
        return ok ? std::move(account) : nullptr;
    };
    auto otherDevice = online(QStringLiteral("alice"));
    auto daveAccount = online(QStringLiteral("dave"));
    QVERIFY(otherDevice && daveAccount);
    Account &dave = *daveAccount;
    QSignalSpy delivered(&otherDevice->messages(), &MessageService::messageReceived);
    const QString alice = m_server.jid(QStringLiteral("alice"));
    QList<QFuture<Result<ChatMessage>>> sent;
    for (int i = 0; i < Count; ++i) {
        const auto composed = dave.messages().compose(alice, QStringLiteral("%1 line %2").arg(label).arg(i));
        QVERIFY(isOk(composed));
        sent.append(dave.messages().send(std::get<ChatMessage>(composed)));
    }
    for (auto &future : sent)
        QVERIFY(isOk(waitFor(future, 30000)));
    // All delivered before that device leaves (else the server would keep them for the next login).
    QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), Count, 20000);
    dave.disconnectFromServer();
    otherDevice->disconnectFromServer();
    QTRY_VERIFY_WITH_TIMEOUT(otherDevice->state() == ConnectionState::Offline, 10000);

    // Alice's first login fetches only a recent window; the rest waits for scrolling.
    TestProfile profile;
    AccountManager accounts(profile.path());
    accounts.setAdditionalCaCertificates(m_server.caCertificates());
    QVERIFY(isOk(waitFor(accounts.open())));
    QVERIFY(isOk(waitFor(accounts.addAccount(m_server.accountConfig(QStringLiteral("alice")),
                                             m_server.account(QStringLiteral("alice")).password))));
    Account *account = accounts.accounts().first();
    HistorySync::Settings settings;
    settings.pageSize = 20;
    settings.firstLoginWindow = 5;
    settings.conversationWindow = 5;
    account->history().setSettings(settings);
    QSignalSpy caughtUp(&account->history(), &HistorySync::catchUpFinished);

    Ui::MainWindow window(accounts);
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    window.profileOpened();
    QTRY_VERIFY_WITH_TIMEOUT(caughtUp.size() > 0, 60000);
    const ConversationKey withDave{alice, dave.jid()};
    QTRY_VERIFY_WITH_TIMEOUT(window.conversations()->indexOf(withDave).isValid(), 10000);

    window.openConversation(withDave);
    Ui::MessageListModel *messages = window.currentMessages();
    QVERIFY(messages);
    QTRY_VERIFY_WITH_TIMEOUT(messages->rowCount() > 0, 10000);
    QVERIFY(messages->rowCount() < Count);
    QCOMPARE(messages->index(messages->rowCount() - 1).data(Ui::MessageListModel::BodyRole).toString(),
             QStringLiteral("%1 line %2").arg(label).arg(Count - 1));

    QScrollBar *bar = window.chatView()->verticalScrollBar();
    for (int round = 0; round < 100 && !messages->reachedStart(); ++round) {
        const int before = messages->rowCount();
        bar->setValue(0);
        QTRY_VERIFY_WITH_TIMEOUT(messages->rowCount() > before || messages->reachedStart(), 30000);
    }
    QVERIFY(messages->reachedStart());

    // Every message of this run once, in order; nothing shown twice.
    QStringList ours;
    QSet<qint64> rows;
    for (int row = 0; row < messages->rowCount(); ++row) {
        const QModelIndex index = messages->index(row);
        const qint64 storageId = index.data(Ui::MessageListModel::StorageIdRole).toLongLong();
        QVERIFY2(!rows.contains(storageId), qPrintable(QStringLiteral("row %1 repeats").arg(row)));
        rows.insert(storageId);
        const QString body = index.data(Ui::MessageListModel::BodyRole).toString();
        if (body.startsWith(label))
            ours.append(body);
    }
    QStringList expected;
    for (int i = 0; i < Count; ++i)
        expected.append(QStringLiteral("%1 line %2").arg(label).arg(i));
    QCOMPARE(ours, expected);
    accounts.disconnectAll();
}

QTEST_MAIN(tst_UiArchivePaging)
#include "tst_ui_archive_paging.moc"
