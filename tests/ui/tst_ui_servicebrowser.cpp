// SPDX-License-Identifier: GPL-3.0-or-later
// Service discovery in the window, against the test server, as its administrator: Account → Service
// discovery walks the server's items, shows what each is and offers, offers to join a room, and runs an
// ad-hoc command (Prosody's "Add User") through its form to the end, and registers with a gateway
// (support/gateway_component.py, slixmpp's In-Band Registration) and unregisters again.
#include "GatewayComponent.h"
#include "OnlineAccount.h"
#include "Rooms.h"
#include "RunningApp.h"
#include "Screenshot.h"
#include "account/AccountManager.h"
#include "muc/MucService.h"
#include "tools/CommandDialog.h"
#include "tools/ServiceBrowserWindow.h"
#include "tools/ServiceRegistrationDialog.h"
#include "widgets/MainWindow.h"
#include "widgets/muc/JoinRoomDialog.h"

#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTreeWidget>

using namespace Natter;
using namespace Natter::Core;
using namespace Natter::Test;

namespace {
constexpr int NetworkTimeout = 20000;

template <typename T> T *child(QObject *parent, const char *name)
{
    return parent ? parent->findChild<T *>(QLatin1String(name)) : nullptr;
}

QListWidgetItem *entry(QListWidget *list, const QString &text)
{
    const auto found = list->findItems(text, Qt::MatchExactly);
    return found.isEmpty() ? nullptr : found.first();
}
} // namespace

class tst_UiServiceBrowser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void theServersItemsAndFeaturesAreShown();
    void aRoomCanBeJoinedFromTheBrowser();
    void aCommandRunsThroughItsForm();
    void aGatewayIsRegisteredWithAndLeftAgain();

private:
    Ui::MainWindow &window() { return m_app.app->mainWindow(); }
    TestServer m_server;
    RunningApp m_app;
    QPointer<Ui::ServiceBrowserWindow> m_browser;
};

void tst_UiServiceBrowser::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
    auto running = startApp(m_server, QStringLiteral("admin"), NetworkTimeout);
    QVERIFY(running);
    m_app = std::move(*running);
    window().resize(1000, 680);
    window().show();
    auto *open = window().findChild<QAction *>(QStringLiteral("serviceBrowserAction"));
    QVERIFY(open);
    open->trigger();
    QTRY_VERIFY((m_browser = window().findChild<Ui::ServiceBrowserWindow *>()) && m_browser->isVisible());
    open->trigger();
    QCOMPARE(window().findChildren<Ui::ServiceBrowserWindow *>().size(), 1);
}

void tst_UiServiceBrowser::cleanupTestCase()
{
    if (m_browser)
        m_browser->close();
    m_app.app.reset();
}

void tst_UiServiceBrowser::theServersItemsAndFeaturesAreShown()
{
    // It opens at the account's server, its components below it.
    QTRY_VERIFY_WITH_TIMEOUT(m_browser->findItem(m_server.mucService), NetworkTimeout);
    QVERIFY(m_browser->findItem(m_server.proxy65Service));
    QVERIFY(m_browser->findItem(QStringLiteral("upload.") + m_server.domain));
    QCOMPARE(m_browser->tree()->currentItem(), m_browser->findItem(m_server.domain));
    QTRY_VERIFY_WITH_TIMEOUT(entry(m_browser->features(), QStringLiteral("urn:xmpp:mam:2")) ||
                                 entry(m_browser->features(), QStringLiteral("urn:xmpp:blocking")),
                             NetworkTimeout);
    QVERIFY(entry(m_browser->features(), QStringLiteral("http://jabber.org/protocol/commands")));
    // The admin sees the administration commands.
    QTRY_VERIFY_WITH_TIMEOUT(entry(m_browser->commands(), QStringLiteral("Add User")), NetworkTimeout);
    QVERIFY(child<QPlainTextEdit>(m_browser, "serviceForms")
                ->toPlainText()
                .contains(QStringLiteral("http://jabber.org/network/serverinfo")));
    saveScreenshot(m_browser, QStringLiteral("service-browser.png"));

    // Another address typed in.
    auto *address = child<QLineEdit>(m_browser, "browseAddressEdit");
    address->setText(m_server.mucService);
    QTest::mouseClick(child<QPushButton>(m_browser, "browseButton"), Qt::LeftButton);
    QCOMPARE(m_browser->tree()->topLevelItemCount(), 1);
    QCOMPARE(m_browser->tree()->topLevelItem(0)->text(Ui::ServiceBrowserWindow::AddressColumn),
             m_server.mucService);
    QTRY_VERIFY_WITH_TIMEOUT(entry(m_browser->features(), QStringLiteral("http://jabber.org/protocol/muc")),
                             NetworkTimeout);
    // A service is not a room: nothing to join.
    QVERIFY(!child<QPushButton>(m_browser, "joinRoomButton")->isVisible());
    // An address that answers nothing says so.
    address->setText(QStringLiteral("nothing-here.") + m_server.domain);
    QTest::mouseClick(child<QPushButton>(m_browser, "browseButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!m_browser->statusText().isEmpty() &&
                                 m_browser->statusText().contains(QStringLiteral("nothing-here")),
                             NetworkTimeout);
}

void tst_UiServiceBrowser::aRoomCanBeJoinedFromTheBrowser()
{
    const QString room = newRoomJid(m_server, QStringLiteral("browsed"));
    auto joined = m_app.account->rooms().join(room, QStringLiteral("admin"));
    QVERIFY(QTest::qWaitFor([&joined] { return joined.isFinished(); }, NetworkTimeout));
    QVERIFY(isOk(joined.result()));
    // Rooms are not listed by the service unless public (Prosody's default): the room's address is typed.
    m_browser->browse(room);
    QCOMPARE(m_browser->tree()->currentItem(), m_browser->findItem(room));
    QTRY_VERIFY_WITH_TIMEOUT(entry(m_browser->features(), QStringLiteral("http://jabber.org/protocol/muc")),
                             NetworkTimeout);
    auto *join = child<QPushButton>(m_browser, "joinRoomButton");
    QTRY_VERIFY_WITH_TIMEOUT(join->isVisible(), NetworkTimeout);
    QTest::mouseClick(join, Qt::LeftButton);
    Ui::JoinRoomDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window().findChild<Ui::JoinRoomDialog *>()) && dialog->isVisible());
    QVERIFY(dialog->findChildren<QLineEdit *>().size() > 0);
    const auto edits = dialog->findChildren<QLineEdit *>();
    QVERIFY(
        std::any_of(edits.cbegin(), edits.cend(), [&room](QLineEdit *edit) { return edit->text() == room; }));
    dialog->reject();
}

void tst_UiServiceBrowser::aCommandRunsThroughItsForm()
{
    m_browser->browse(m_server.domain);
    QListWidgetItem *addUser = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((addUser = entry(m_browser->commands(), QStringLiteral("Add User"))),
                             NetworkTimeout);
    m_browser->commands()->setCurrentItem(addUser);
    QPointer<QDialog> opened;
    connect(m_browser, &Ui::ServiceBrowserWindow::commandOpened, this,
            [&opened](QDialog *dialog) { opened = dialog; });
    QTest::mouseClick(child<QPushButton>(m_browser, "runCommandButton"), Qt::LeftButton);
    QTRY_VERIFY(opened);
    auto *dialog = qobject_cast<Ui::CommandDialog *>(opened.data());
    QVERIFY(dialog);
    QLineEdit *accountJid = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((accountJid = child<QLineEdit>(dialog, "field:accountjid")) &&
                                 accountJid->isVisible(),
                             NetworkTimeout);
    const QString user =
        QStringLiteral("made-in-browser-%1").arg(QRandomGenerator::global()->generate(), 0, 16);
    accountJid->setText(user + u'@' + m_server.domain);
    child<QLineEdit>(dialog, "field:password")->setText(QStringLiteral("Browser-made-1"));
    child<QLineEdit>(dialog, "field:password-verify")->setText(QStringLiteral("Browser-made-1"));
    saveScreenshot(dialog, QStringLiteral("command-dialog.png"));
    auto *finish = child<QPushButton>(dialog, "commandFinishButton");
    QVERIFY(finish->isVisible());
    QTest::mouseClick(finish, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->status(), AdHocCommand::Status::Completed, NetworkTimeout);
    QVERIFY(!dialog->notesText().isEmpty());
    QVERIFY(!dialog->notesText().startsWith(QStringLiteral("Error")));
    QVERIFY(!child<QPushButton>(dialog, "commandFinishButton")->isVisible());
    QCOMPARE(child<QPushButton>(dialog, "commandCloseButton")->text(), QStringLiteral("&Close"));
    // The account exists now.
    QTemporaryDir elsewhere;
    AccountManager manager(elsewhere.path());
    manager.setAdditionalCaCertificates(m_server.caCertificates());
    QCOMPARE(
        tryLogin(manager, m_server, user + u'@' + m_server.domain, QStringLiteral("Browser-made-1")).code,
        Error::Code::None);
    dialog->reject();
}

void tst_UiServiceBrowser::aGatewayIsRegisteredWithAndLeftAgain()
{
    GatewayComponent gateway;
    QVERIFY(gateway.start());
    auto *address = child<QLineEdit>(m_browser, "browseAddressEdit");
    address->setText(gateway.jid());
    QTest::mouseClick(child<QPushButton>(m_browser, "browseButton"), Qt::LeftButton);
    auto *registerButton = child<QPushButton>(m_browser, "serviceRegisterButton");
    QTRY_VERIFY_WITH_TIMEOUT(registerButton->isVisible(), NetworkTimeout);
    QVERIFY(!child<QPushButton>(m_browser, "joinRoomButton")->isVisible());

    QTest::mouseClick(registerButton, Qt::LeftButton);
    QPointer<Ui::ServiceRegistrationDialog> dialog;
    QTRY_VERIFY((dialog = m_browser->findChild<Ui::ServiceRegistrationDialog *>()) && dialog->isVisible());
    QLineEdit *username = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((username = child<QLineEdit>(dialog, "field:username")) && username->isVisible(),
                             NetworkTimeout);
    QVERIFY(child<QLabel>(dialog, "registrationInstructions")->text().contains(u"Legacy network"));
    QVERIFY(dialog->statusText().contains(u"not registered"));
    auto *password = child<QLineEdit>(dialog, "field:password");
    auto *submit = child<QPushButton>(dialog, "serviceRegisterSubmitButton");

    // The gateway's refusal is shown, and the answers stay to be corrected.
    QTest::keyClicks(username, QStringLiteral("taken"));
    QTest::keyClicks(password, QStringLiteral("legacy-pw"));
    QTest::mouseClick(submit, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->statusText().contains(u"did not accept"), NetworkTimeout);
    QVERIFY2(dialog->statusText().contains(u"taken on the Legacy network"), qPrintable(dialog->statusText()));
    QCOMPARE(password->text(), QStringLiteral("legacy-pw"));

    username->clear();
    QTest::keyClicks(username, QStringLiteral("natter-user"));
    QTest::mouseClick(submit, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->statusText().contains(u"You are registered"), NetworkTimeout);
    const auto registeredEvent = [&gateway](const QString &kind) {
        for (const QJsonObject &event : gateway.events()) {
            if (event.value(u"event").toString() == kind)
                return event;
        }
        return QJsonObject();
    };
    QTRY_VERIFY_WITH_TIMEOUT(!registeredEvent(QStringLiteral("registered")).isEmpty(), NetworkTimeout);
    QCOMPARE(registeredEvent(QStringLiteral("registered")).value(u"username").toString(),
             QStringLiteral("natter-user"));
    QCOMPARE(registeredEvent(QStringLiteral("registered")).value(u"from").toString(), m_app.account->jid());
    auto *unregister = child<QPushButton>(dialog, "serviceUnregisterButton");
    QVERIFY(unregister->isVisible());
    saveScreenshot(dialog, QStringLiteral("gateway-registration.png"));

    // Unregistering asks first.
    QTest::mouseClick(unregister, Qt::LeftButton);
    QMessageBox *confirmation = nullptr;
    QTRY_VERIFY((confirmation = child<QMessageBox>(dialog, "unregisterConfirmation")) &&
                confirmation->isVisible());
    QTest::mouseClick(confirmation->button(QMessageBox::Yes), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->statusText().contains(u"no longer registered"), NetworkTimeout);
    QVERIFY(
        !registeredEvent(QStringLiteral("unregistered")).isEmpty() ||
        QTest::qWaitFor([&] { return !registeredEvent(QStringLiteral("unregistered")).isEmpty(); }, 5000));
    QVERIFY(!unregister->isVisible());
    dialog->close();
}

QTEST_MAIN(tst_UiServiceBrowser)
#include "tst_ui_servicebrowser.moc"
