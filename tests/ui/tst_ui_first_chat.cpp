// SPDX-License-Identifier: GPL-3.0-or-later
// The first run as a user lives it: the wizard adds an account against a real server, then a chat with Bob.
#include "Application.h"
#include "TestProfile.h"
#include "TestServer.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "account/CredentialStore.h"
#include "messaging/MessageService.h"
#include "models/MessageListModel.h"
#include "presenters/ErrorPresenter.h"
#include "widgets/AccountStatusWidget.h"
#include "widgets/ChatView.h"
#include "widgets/MainWindow.h"
#include "widgets/chat/EncryptionButton.h"
#include "widgets/dialogs/AccountWizard.h"
#include "widgets/dialogs/NewChatDialog.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStatusBar>
#include <QTest>
#include <QXmppClient.h>
#include <QXmppPingIq.h>
#include <QXmppTask.h>

using namespace Natter;
using namespace Natter::Core;
using namespace Natter::Test;
using Natter::App::Application;

namespace {
constexpr int NetworkTimeout = 20000;

template <typename T> T *child(QObject *parent, const char *name)
{
    return parent->findChild<T *>(QString::fromLatin1(name));
}
} // namespace

class tst_UiFirstChat : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void firstRunAddsTheAccountAndSendsAMessage();
    void wrongPasswordIsExplainedAndNothingIsStored();
    void invalidJidIsRejectedBeforeTheNetwork();

private:
    // Starts the app on an empty profile and returns its first-run wizard.
    Ui::AccountWizard *startFirstRun(Application &app);
    void fillWizard(Ui::AccountWizard *wizard, const QString &jid, const QString &password);
    std::unique_ptr<Account> onlineBob();

    TestServer m_server;
    // A contact of its own: the shared "bob" may still announce OMEMO devices other tests left on the server.
    QString m_bobUser;
};

void tst_UiFirstChat::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
    const auto bob = m_server.registerAccount(QStringLiteral("bob"));
    QVERIFY(bob);
    m_bobUser = *bob;
}

Ui::AccountWizard *tst_UiFirstChat::startFirstRun(Application &app)
{
    const auto opened = waitFor(app.start());
    if (!isOk(opened)) {
        qWarning() << "profile did not open:" << errorOf(opened).codeName();
        return nullptr;
    }
    if (!QTest::qWaitFor([&] { return app.mainWindow().accountWizard() != nullptr; }, 5000))
        return nullptr;
    return app.mainWindow().accountWizard();
}

void tst_UiFirstChat::fillWizard(Ui::AccountWizard *wizard, const QString &jid, const QString &password)
{
    QTest::keyClicks(child<QLineEdit>(wizard, "jidEdit"), jid);
    QTest::keyClicks(child<QLineEdit>(wizard, "passwordEdit"), password);
    auto *advanced = child<QAbstractButton>(wizard, "advancedToggle");
    QTest::mouseClick(advanced, Qt::LeftButton);
    QVERIFY(child<QLineEdit>(wizard, "hostEdit")->isVisible());
    QTest::keyClicks(child<QLineEdit>(wizard, "hostEdit"), m_server.host);
    QTest::keyClicks(child<QLineEdit>(wizard, "portEdit"), QString::number(m_server.c2sPort));
}

std::unique_ptr<Account> tst_UiFirstChat::onlineBob()
{
    auto bob = std::make_unique<Account>(m_server.accountConfig(m_bobUser));
    bob->setPassword(m_server.account(m_bobUser).password);
    bob->setAdditionalCaCertificates(m_server.caCertificates());
    bob->connectToServer();
    if (!QTest::qWaitFor([&] { return bob->state() == ConnectionState::Online; }, NetworkTimeout)) {
        qWarning() << "bob did not come online:" << bob->lastError().codeName() << bob->lastError().detail;
        return bob;
    }
    // The server handles a session's stanzas in order: once this ping is answered, Bob's initial presence
    // is in effect and messages to his bare JID reach this session (not a hibernating one of another test).
    QXmppPingIq ping;
    ping.setTo(m_server.domain);
    auto answered = std::make_shared<bool>(false);
    bob->client().sendGenericIq(std::move(ping)).then(this, [answered](auto &&) { *answered = true; });
    if (!QTest::qWaitFor([&] { return *answered; }, NetworkTimeout))
        qWarning() << "bob's ping was not answered";
    return bob;
}

void tst_UiFirstChat::firstRunAddsTheAccountAndSendsAMessage()
{
    TestProfile profile;
    Application app(profile.path(), m_server.caCertificates());
    Ui::MainWindow &window = app.mainWindow();
    QCOMPARE(window.windowTitle(), QStringLiteral("Natter"));
    QPointer<Ui::AccountWizard> wizard = startFirstRun(app);
    QVERIFY2(wizard, "the account wizard did not open on the first run");
    QVERIFY(wizard->isVisible());

    const QString aliceJid = m_server.jid(QStringLiteral("alice"));
    const QString alicePassword = m_server.account(QStringLiteral("alice")).password;
    fillWizard(wizard, aliceJid, alicePassword);
    QTest::mouseClick(child<QPushButton>(wizard, "finishButton"), Qt::LeftButton);
    QVERIFY(wizard->isBusy());

    // Without D-Bus there is no keychain: the wizard asks where to keep the password.
    QMessageBox *question = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((question = child<QMessageBox>(wizard, "passwordStorageQuestion")) &&
                                 question->isVisible(),
                             NetworkTimeout);
    QCOMPARE(QApplication::activeModalWidget(), question);
    QVERIFY(question->text().contains(QStringLiteral("No system keychain is available")));
    QVERIFY(app.accountManager().accounts().isEmpty());
    QTest::mouseClick(child<QPushButton>(question, "keepInProfileButton"), Qt::LeftButton);

    QTRY_VERIFY_WITH_TIMEOUT(!wizard || !wizard->isVisible(), NetworkTimeout);
    Account *alice = app.accountManager().account(aliceJid);
    QVERIFY(alice);
    QCOMPARE(alice->config().passwordStorage, AccountConfig::PasswordStorage::ProfileFile);
    QCOMPARE(alice->config().host, m_server.host);
    QCOMPARE(alice->config().port, m_server.c2sPort);
    QVERIFY(QFile::exists(app.accountManager().credentials().profileFileFor(aliceJid)));
    QTRY_COMPARE_WITH_TIMEOUT(alice->state(), ConnectionState::Online, NetworkTimeout);
    QVERIFY(window.statusWidget(aliceJid));
    QCOMPARE(window.statusWidget(aliceJid)->statusText(), QStringLiteral("Online"));

    auto bob = onlineBob();
    QCOMPARE(bob->state(), ConnectionState::Online);
    QSignalSpy bobReceived(&bob->messages(), &MessageService::messageReceived);

    // New chat: an invalid address is refused on the dialog, then Bob's is accepted.
    QTest::mouseClick(child<QPushButton>(&window, "newChatButton"), Qt::LeftButton);
    QPointer<Ui::NewChatDialog> newChat = child<Ui::NewChatDialog>(&window, "newChatDialog");
    QVERIFY(newChat && newChat->isVisible());
    auto *peerEdit = child<QLineEdit>(newChat, "peerJidEdit");
    QTest::keyClicks(peerEdit, QStringLiteral("bob@@natter.test"));
    QTest::mouseClick(child<QPushButton>(newChat, "startChatButton"), Qt::LeftButton);
    QVERIFY(newChat->isVisible());
    QVERIFY(!newChat->errorText().isEmpty());
    peerEdit->clear();
    QTest::keyClicks(peerEdit, m_server.jid(m_bobUser));
    QTest::mouseClick(child<QPushButton>(newChat, "startChatButton"), Qt::LeftButton);
    QTRY_VERIFY(!newChat || !newChat->isVisible());
    QCOMPARE(window.currentConversation().peer, m_server.jid(m_bobUser));
    QCOMPARE(window.currentConversation().account, aliceJid);

    Ui::MessageListModel *messages = window.currentMessages();
    QVERIFY(messages);
    QAbstractItemModelTester tester(messages, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(child<Ui::ChatView>(&window, "chatView")->model(), messages);
    // The server's archive may already hold chats with Bob (earlier tests): the newest page of them
    // loads; what this test sends and receives comes below it.
    const auto last = [messages] { return messages->index(messages->rowCount() - 1); };
    const auto rowsWith = [messages](const QString &body) {
        int count = 0;
        for (int row = 0; row < messages->rowCount(); ++row)
            count += messages->index(row).data(Ui::MessageListModel::BodyRole).toString() == body ? 1 : 0;
        return count;
    };

    auto *composer = child<QPlainTextEdit>(&window, "composerEdit");
    QVERIFY(composer->isEnabled());
    // Typed key by key (QTest types ASCII only); markup must stay text.
    const QString text =
        QStringLiteral("Hello Bob <b>plain</b> & more %1").arg(QDateTime::currentMSecsSinceEpoch());
    QTest::keyClicks(composer, text);
    QTest::keyClick(composer, Qt::Key_Return);

    QCOMPARE(rowsWith(text), 1);
    QCOMPARE(last().data(Ui::MessageListModel::BodyRole).toString(), text);
    QCOMPARE(last().data(Ui::MessageListModel::DirectionRole).toInt(), int(ChatMessage::Direction::Outgoing));
    QVERIFY(composer->toPlainText().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(last().data(Ui::MessageListModel::DeliveryRole).toInt(),
                              int(ChatMessage::Delivery::Acknowledged), NetworkTimeout);
    QCOMPARE(rowsWith(text), 1);

    QTRY_COMPARE_WITH_TIMEOUT(bobReceived.size(), 1, NetworkTimeout);
    QCOMPARE(bobReceived.first().first().value<ChatMessage>().body, text);

    // Bob's answer lands in the open chat.
    const QString answer = QStringLiteral("Hi Alice %1").arg(QDateTime::currentMSecsSinceEpoch());
    auto reply = bob->messages().compose(aliceJid, answer);
    QVERIFY(isOk(waitFor(bob->messages().send(std::get<ChatMessage>(reply)))));
    QTRY_COMPARE_WITH_TIMEOUT(last().data(Ui::MessageListModel::BodyRole).toString(), answer, NetworkTimeout);
    QCOMPARE(last().data(Ui::MessageListModel::DirectionRole).toInt(), int(ChatMessage::Direction::Incoming));
    QCOMPARE(rowsWith(answer), 1);

    // Bob's client has no OMEMO: the lock in the header says so. Insisting on encryption sends nothing; the
    // message leaves the chat and its text goes back into the composer.
    auto *lock = child<Ui::EncryptionButton>(&window, "encryptionButton");
    QVERIFY(lock->isVisible());
    QTRY_COMPARE(lock->text(), QStringLiteral("Not encrypted"));
    QVERIFY(!lock->isChecked());
    QTest::mouseClick(lock, Qt::LeftButton);
    QTRY_COMPARE(lock->text(), QStringLiteral("Encrypted"));
    QVERIFY(lock->isChecked());
    const QString secret = QStringLiteral("only if encrypted %1").arg(QDateTime::currentMSecsSinceEpoch());
    QTest::keyClicks(composer, secret);
    QTest::keyClick(composer, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(composer->toPlainText(), secret, NetworkTimeout);
    QCOMPARE(rowsWith(secret), 0);
    QTest::qWait(500);
    QCOMPARE(bobReceived.size(), 1); // only the first message ever reached Bob
    QVERIFY(window.statusBar()->currentMessage().contains(m_server.jid(m_bobUser)));
    bob->disconnectFromServer();
}

void tst_UiFirstChat::wrongPasswordIsExplainedAndNothingIsStored()
{
    TestProfile profile;
    Application app(profile.path(), m_server.caCertificates());
    QPointer<Ui::AccountWizard> wizard = startFirstRun(app);
    QVERIFY(wizard);

    const QString wrongPassword = QStringLiteral("not-the-password-4711");
    fillWizard(wizard, m_server.jid(QStringLiteral("alice")), wrongPassword);
    QTest::mouseClick(child<QPushButton>(wizard, "finishButton"), Qt::LeftButton);
    QVERIFY(wizard->isBusy());

    const QString expected = Ui::ErrorPresenter::describe(Error(Error::Code::AuthenticationFailed));
    QTRY_COMPARE_WITH_TIMEOUT(wizard->errorText(), expected, NetworkTimeout);
    QVERIFY(wizard->isVisible());
    QVERIFY(!wizard->isBusy());
    QVERIFY(!child<QMessageBox>(wizard, "passwordStorageQuestion"));
    QVERIFY(app.accountManager().accounts().isEmpty());
    QVERIFY(!QFile::exists(
        app.accountManager().credentials().profileFileFor(m_server.jid(QStringLiteral("alice")))));
    const QDir passwords(profile.path() + QStringLiteral("/passwords"));
    QVERIFY(!passwords.exists() || passwords.isEmpty());
    QVERIFY(!profile.allFileContents().contains(wrongPassword.toUtf8()));
}

void tst_UiFirstChat::invalidJidIsRejectedBeforeTheNetwork()
{
    TestProfile profile;
    Application app(profile.path(), m_server.caCertificates());
    QPointer<Ui::AccountWizard> wizard = startFirstRun(app);
    QVERIFY(wizard);

    fillWizard(wizard, QStringLiteral("al ice@natter.test"), QStringLiteral("whatever"));
    QTest::mouseClick(child<QPushButton>(wizard, "finishButton"), Qt::LeftButton);
    QVERIFY(!wizard->isBusy());
    QCOMPARE(wizard->errorText(),
             Ui::ErrorPresenter::describeJidProblem(JidValidator::Problem::ForbiddenCharacterInLocalpart));
    QVERIFY(app.accountManager().accounts().isEmpty());
}

QTEST_MAIN(tst_UiFirstChat)
#include "tst_ui_first_chat.moc"
