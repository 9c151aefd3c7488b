// SPDX-License-Identifier: GPL-3.0-or-later
// The XML console in the window, against the test server: opened from the Account menu, it shows a login
// with the secrets hidden, filters by kind, address and text, holds still while paused, sends a stanza
// typed into it and shows the answer, and refuses XML that is not a stanza with a reason, keeping the text.
#include "RunningApp.h"
#include "Screenshot.h"
#include "console/StanzaLog.h"
#include "tools/XmlConsoleWindow.h"
#include "widgets/MainWindow.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QTextBrowser>
#include <QToolButton>
#include <QXmppClient.h>

using namespace Natter;
using namespace Natter::Core;
using namespace Natter::Test;

namespace {
constexpr int NetworkTimeout = 20000;

template <typename T> T *child(QWidget *parent, const char *name)
{
    return parent ? parent->findChild<T *>(QLatin1String(name)) : nullptr;
}
} // namespace

class tst_UiXmlConsole : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void theConsoleShowsTheStreamWithoutSecrets();
    void filtersAndPause();
    void aTypedStanzaIsSentAndBadXmlIsRefused();
    void aConsoleLeftOpenKeepsOnlyTheNewestOnScreen();

private:
    Ui::MainWindow &window() { return m_app.app->mainWindow(); }
    QString shown() const { return child<QTextBrowser>(m_console, "consoleLog")->toPlainText(); }

    TestServer m_server;
    RunningApp m_app;
    QString m_password;
    QPointer<Ui::XmlConsoleWindow> m_console;
};

void tst_UiXmlConsole::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
    const QString user = m_server.registerAccount(QStringLiteral("consoleui")).value_or(QString());
    QVERIFY(!user.isEmpty());
    m_password = m_server.account(user).password;
    auto running = startApp(m_server, user, NetworkTimeout);
    QVERIFY(running);
    m_app = std::move(*running);
    window().resize(1000, 680);
    window().show();
    // Account → XML console…
    auto *open = window().findChild<QAction *>(QStringLiteral("xmlConsoleAction"));
    QVERIFY(open);
    open->trigger();
    QTRY_VERIFY((m_console = window().findChild<Ui::XmlConsoleWindow *>()) && m_console->isVisible());
    QVERIFY(m_app.account->stanzaLog().isRecording());
    // Asked again, the same window comes up.
    open->trigger();
    QCOMPARE(window().findChildren<Ui::XmlConsoleWindow *>().size(), 1);
}

void tst_UiXmlConsole::cleanupTestCase()
{
    if (m_console)
        m_console->close();
    QTRY_VERIFY(!m_app.account->stanzaLog().isRecording());
    m_app.app.reset();
}

void tst_UiXmlConsole::theConsoleShowsTheStreamWithoutSecrets()
{
    // A login from the first byte.
    m_app.account->disconnectFromServer();
    QTRY_COMPARE(m_app.account->client().state(), QXmppClient::DisconnectedState);
    m_app.account->connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(m_app.account->state(), ConnectionState::Online, NetworkTimeout);
    QTRY_VERIFY(shown().contains(u"<auth"));
    QVERIFY(shown().contains(u"[hidden]"));
    QVERIFY(shown().contains(u"urn:ietf:params:xml:ns:xmpp-bind"));
    QVERIFY(!shown().contains(m_password));
    // Indented: a child on its own line, two spaces in.
    QVERIFY2(shown().contains(u"\n  <bind"), qPrintable(shown().left(2000)));
}

void tst_UiXmlConsole::filtersAndPause()
{
    auto *kind = child<QComboBox>(m_console, "consoleKindFilter");
    auto *text = child<QLineEdit>(m_console, "consoleTextFilter");
    auto *jid = child<QLineEdit>(m_console, "consoleJidFilter");
    QVERIFY(kind && text && jid);
    QVERIFY(shown().contains(u"<presence") || shown().contains(u"<iq"));
    kind->setCurrentIndex(kind->findText(QStringLiteral("IQs")));
    QVERIFY(shown().contains(u"<iq"));
    QVERIFY(!shown().contains(u"<presence"));
    QVERIFY(!shown().contains(u"<auth"));
    // Text and namespaces.
    QTest::keyClicks(text, QStringLiteral("xmpp-bind"));
    QVERIFY(shown().contains(u"<bind"));
    QVERIFY(!shown().contains(u"jabber:iq:roster"));
    text->clear();
    kind->setCurrentIndex(0);
    // An address that nothing came from or went to.
    QTest::keyClicks(jid, QStringLiteral("nobody@nowhere.example"));
    QVERIFY(!shown().contains(u"<"));
    jid->clear();

    auto *pause = child<QToolButton>(m_console, "consolePauseButton");
    auto *note = child<QLabel>(m_console, "consolePausedNote");
    QTest::mouseClick(pause, Qt::LeftButton);
    QVERIFY(pause->isChecked() && note->isVisible());
    QVERIFY(isOk(m_app.account->stanzaLog().send(
        QStringLiteral("<iq type='get' to='%1' id='while-paused'><ping xmlns='urn:xmpp:ping'/></iq>")
            .arg(m_server.domain))));
    // The answer is in the log, and not on screen.
    const auto answered = [this] {
        const auto entries = m_app.account->stanzaLog().entries();
        return std::any_of(entries.cbegin(), entries.cend(), [](const Console::StanzaEntry &entry) {
            return entry.direction == Console::StanzaEntry::Direction::Received &&
                   entry.xml.contains(u"while-paused");
        });
    };
    QTRY_VERIFY(answered());
    QVERIFY(!shown().contains(u"while-paused"));
    QVERIFY2(note->text().contains(QRegularExpression(QStringLiteral("not shown yet: ([2-9]|\\d\\d+)$"))),
             qPrintable(note->text()));
    QTest::mouseClick(pause, Qt::LeftButton);
    QVERIFY(!note->isVisible());
    QVERIFY(shown().contains(u"while-paused"));
}

void tst_UiXmlConsole::aTypedStanzaIsSentAndBadXmlIsRefused()
{
    auto *input = child<QPlainTextEdit>(m_console, "consoleInput");
    auto *send = child<QPushButton>(m_console, "consoleSendButton");
    auto *error = child<QLabel>(m_console, "consoleSendError");
    QVERIFY(input && send && error);

    const QString broken = QStringLiteral("<iq type='get' id='typed-1'><query xmlns='jabber:iq:version'>");
    input->setPlainText(broken);
    QTest::mouseClick(send, Qt::LeftButton);
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(u"not well-formed"), qPrintable(error->text()));
    QCOMPARE(input->toPlainText(), broken); // kept to be mended
    QTest::qWait(300);
    QVERIFY(!shown().contains(u"typed-1"));

    input->setPlainText(QStringLiteral("<iq type='get' to='%1' id='typed-2'><query "
                                       "xmlns='http://jabber.org/protocol/disco#info'/></iq>")
                            .arg(m_server.domain));
    QVERIFY(!error->isVisible());
    input->setFocus();
    QTest::keyClick(input, Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(input->toPlainText().isEmpty());
    // Our stanza and the server's answer, with its features.
    QTRY_VERIFY_WITH_TIMEOUT(shown().count(u"typed-2") >= 2, NetworkTimeout);
    QVERIFY(shown().contains(u"<identity"));
    m_console->resize(900, 640);
    m_console->show();
    saveScreenshot(m_console, QStringLiteral("xml-console.png"));
}

void tst_UiXmlConsole::aConsoleLeftOpenKeepsOnlyTheNewestOnScreen()
{
    // Each ping and its answer are two entries: 800 pings pass the cap of ShownEntries (and its quarter).
    constexpr int Pings = 800;
    static_assert(2 * Pings > Ui::XmlConsoleWindow::ShownEntries * 5 / 4);
    const auto ping = [this](int n) {
        return QStringLiteral("<iq type='get' to='%1' id='flood-%2'><ping xmlns='urn:xmpp:ping'/></iq>")
            .arg(m_server.domain)
            .arg(n);
    };
    for (int n = 0; n < Pings; ++n)
        QVERIFY(isOk(m_app.account->stanzaLog().send(ping(n))));
    const QString last = QStringLiteral("id='flood-%1'").arg(Pings - 1);
    QTRY_VERIFY2_WITH_TIMEOUT(shown().count(last) >= 2, qPrintable(shown().right(600)), NetworkTimeout);
    // The oldest are gone from the view (all pings went out before any answer came, so the first pings sent
    // were cut), never more than the cap and its quarter are shown, and the log itself still has them.
    QVERIFY(!shown().contains(u"<iq id='flood-0' "));
    const qsizetype onScreen = shown().count(QRegularExpression(QStringLiteral("(↑ sent|↓ received)")));
    QVERIFY2(onScreen >= Ui::XmlConsoleWindow::ShownEntries &&
                 onScreen <= Ui::XmlConsoleWindow::ShownEntries * 5 / 4,
             qPrintable(QString::number(onScreen)));
    const auto entries = m_app.account->stanzaLog().entries();
    QVERIFY(std::any_of(entries.cbegin(), entries.cend(), [](const Console::StanzaEntry &entry) {
        return entry.xml.contains(u"'flood-0'") || entry.xml.contains(u"\"flood-0\"");
    }));
}

QTEST_MAIN(tst_UiXmlConsole)
#include "tst_ui_xmlconsole.moc"
