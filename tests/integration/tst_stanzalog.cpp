// SPDX-License-Identifier: GPL-3.0-or-later
// The XML console's log against a real server: a login recorded from the first byte shows the SASL exchange
// with every secret hidden; a hand-written stanza is sent and its answer recorded; XML that is not
// well-formed or not a stanza is refused with a reason and nothing is sent; nothing is recorded while no
// console is open.
#include "OnlineAccount.h"
#include "TestServer.h"
#include "account/Account.h"
#include "console/SecretMasking.h"
#include "console/StanzaLog.h"

#include <QSignalSpy>
#include <QTest>
#include <QXmppClient.h>

using namespace Natter::Core;
using namespace Natter::Core::Console;
using namespace Natter::Test;
using namespace Qt::StringLiterals;

namespace {

bool anyEntry(const StanzaLog &log, const std::function<bool(const StanzaEntry &)> &matches)
{
    const QList<StanzaEntry> entries = log.entries();
    return std::any_of(entries.cbegin(), entries.cend(), matches);
}

} // namespace

class tst_StanzaLog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void aLoginIsRecordedWithItsSecretsHidden();
    void aHandWrittenStanzaIsSentAndAnswered();
    void badXmlIsRefusedAndNothingIsSent_data();
    void badXmlIsRefusedAndNothingIsSent();
    void nothingIsRecordedWithoutAConsole();

private:
    TestServer m_server;
    TestAccount m_user;
    std::unique_ptr<Account> m_account;
};

void tst_StanzaLog::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
    const auto name = m_server.registerAccount(QStringLiteral("console"));
    QVERIFY(name);
    m_user = m_server.account(*name);
    QVERIFY(!m_user.password.isEmpty());
    m_account = storelessAccount(m_server, *name);
    QVERIFY(m_account);
}

void tst_StanzaLog::cleanup()
{
    while (m_account->stanzaLog().isRecording())
        m_account->stanzaLog().stopRecording();
    m_account->stanzaLog().clear();
    if (m_account->state() != ConnectionState::Online)
        QVERIFY(goOnline(m_account.get()));
}

void tst_StanzaLog::aLoginIsRecordedWithItsSecretsHidden()
{
    StanzaLog &log = m_account->stanzaLog();
    log.startRecording();
    QVERIFY(goOnline(m_account.get()));
    // The stream from its start: features, the SASL exchange, the bind.
    QVERIFY(anyEntry(log, [](const StanzaEntry &entry) {
        return entry.direction == StanzaEntry::Direction::Sent && entry.xml.startsWith(u"<auth") &&
               entry.xml.contains(HiddenSecret);
    }));
    QVERIFY(anyEntry(log, [](const StanzaEntry &entry) {
        return entry.direction == StanzaEntry::Direction::Received && entry.xml.startsWith(u"<success") &&
               entry.xml.contains(HiddenSecret);
    }));
    QVERIFY(anyEntry(log, [](const StanzaEntry &entry) {
        return entry.kind == StanzaEntry::Kind::Iq && entry.xml.contains(u"urn:ietf:params:xml:ns:xmpp-bind");
    }));
    // No SASL payload and no password anywhere: SCRAM's first message names the user in base64.
    const QString user = m_user.jid.section(u'@', 0, 0);
    const QString clientFirst = QString::fromLatin1(QStringLiteral("n=%1,").arg(user).toUtf8().toBase64());
    for (const StanzaEntry &entry : log.entries()) {
        QVERIFY2(!entry.xml.contains(m_user.password), qPrintable(entry.xml));
        for (const QString &element : {u"<auth"_s, u"<response"_s, u"<challenge"_s, u"<success"_s}) {
            if (!entry.xml.startsWith(element) || entry.xml.endsWith(u"/>"))
                continue;
            const QString content = entry.xml.section(u'>', 1).section(u'<', 0, 0);
            QCOMPARE(content, HiddenSecret);
        }
        QVERIFY2(!entry.xml.contains(clientFirst.left(12)), qPrintable(entry.xml));
    }
}

void tst_StanzaLog::aHandWrittenStanzaIsSentAndAnswered()
{
    StanzaLog &log = m_account->stanzaLog();
    log.startRecording();
    QSignalSpy added(&log, &StanzaLog::entryAdded);
    const auto sent = log.send(QStringLiteral("<iq type='get' to='%1' id='console-1'>"
                                              "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>")
                                   .arg(m_server.domain));
    QVERIFY2(isOk(sent), qPrintable(errorOf(sent).detail));
    QTRY_VERIFY(anyEntry(log, [this](const StanzaEntry &entry) {
        return entry.direction == StanzaEntry::Direction::Received && entry.kind == StanzaEntry::Kind::Iq &&
               entry.from == m_server.domain && entry.xml.contains(u"id=\"console-1\"") &&
               entry.xml.contains(u"type=\"result\"") && entry.xml.contains(u"<identity");
    }));
    QVERIFY(anyEntry(log, [](const StanzaEntry &entry) {
        return entry.direction == StanzaEntry::Direction::Sent && entry.xml.contains(u"console-1");
    }));
    // Entries come in the order they went over the wire.
    const QList<StanzaEntry> entries = log.entries();
    QVERIFY(entries.first().time <= entries.last().time);
}

void tst_StanzaLog::badXmlIsRefusedAndNothingIsSent_data()
{
    QTest::addColumn<QString>("xml");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("marker"); // in what would have been sent
    QTest::newRow("not closed") << QStringLiteral("<iq type='get' id='bad-1'><ping xmlns='urn:xmpp:ping'/>")
                                << QStringLiteral("not well-formed") << QStringLiteral("bad-1");
    QTest::newRow("two stanzas") << QStringLiteral("<presence id='bad-2'/><presence type='unavailable'/>")
                                 << QStringLiteral("not well-formed") << QStringLiteral("bad-2");
    QTest::newRow("empty") << QString() << QStringLiteral("not well-formed") << QString();
    QTest::newRow("not a stanza") << QStringLiteral("<natter-test xmlns='urn:example:console' id='bad-3'/>")
                                  << QStringLiteral("not <natter-test/>") << QStringLiteral("bad-3");
}

void tst_StanzaLog::badXmlIsRefusedAndNothingIsSent()
{
    QFETCH(QString, xml);
    QFETCH(QString, reason);
    QFETCH(QString, marker);
    StanzaLog &log = m_account->stanzaLog();
    log.startRecording();
    const auto sent = log.send(xml);
    QVERIFY(!isOk(sent));
    QCOMPARE(errorOf(sent).code, Error::Code::XmlInvalid);
    QVERIFY2(errorOf(sent).detail.contains(reason), qPrintable(errorOf(sent).detail));
    QTest::qWait(300);
    if (!marker.isEmpty())
        QVERIFY(!anyEntry(log, [&](const StanzaEntry &entry) {
            return entry.direction == StanzaEntry::Direction::Sent && entry.xml.contains(marker);
        }));
    // The stream is still fine.
    QCOMPARE(m_account->state(), ConnectionState::Online);

    // Offline, even a good stanza waits for nothing: it is refused.
    if (qstrcmp(QTest::currentDataTag(), "not a stanza") == 0) {
        m_account->disconnectFromServer();
        QTRY_COMPARE(m_account->client().state(), QXmppClient::DisconnectedState);
        const auto offline = log.send(QStringLiteral("<presence/>"));
        QCOMPARE(errorOf(offline).code, Error::Code::NotConnected);
    }
}

void tst_StanzaLog::nothingIsRecordedWithoutAConsole()
{
    StanzaLog &log = m_account->stanzaLog();
    log.startRecording();
    log.startRecording(); // a second console
    log.stopRecording();
    QVERIFY(log.isRecording());
    log.stopRecording();
    QVERIFY(!log.isRecording());
    QVERIFY(isOk(
        log.send(QStringLiteral("<iq type='get' to='%1' id='console-2'><ping xmlns='urn:xmpp:ping'/></iq>")
                     .arg(m_server.domain))));
    QTest::qWait(500);
    QVERIFY(log.entries().isEmpty());
}

QTEST_GUILESS_MAIN(tst_StanzaLog)
#include "tst_stanzalog.moc"
