// SPDX-License-Identifier: GPL-3.0-or-later
// The XML console hides every secret the stream can carry and nothing else.
#include "console/SecretMasking.h"

#include <QTest>

using namespace Natter::Core::Console;

class tst_SecretMasking : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void secretsAreHidden_data();
    void secretsAreHidden();
    void everythingElseStays_data();
    void everythingElseStays();
};

void tst_SecretMasking::secretsAreHidden_data()
{
    QTest::addColumn<QString>("xml");
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QString>("expected");
    QTest::newRow("SASL auth") << QStringLiteral("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' "
                                                 "mechanism='SCRAM-SHA-1'>biwsbj1hbGljZSxyPTEyMw==</auth>")
                               << QStringLiteral("biwsbj1hbGljZSxyPTEyMw==")
                               << QStringLiteral("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' "
                                                 "mechanism='SCRAM-SHA-1'>[hidden]</auth>");
    QTest::newRow("SASL challenge and response, one chunk")
        << QStringLiteral(
               "<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>cj0xMjNhYmM=</challenge>"
               "<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>Yz1iaXdzLHA9c2VjcmV0</response>")
        << QStringLiteral("Yz1iaXdzLHA9c2VjcmV0")
        << QStringLiteral("<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>[hidden]</challenge>"
                          "<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>[hidden]</response>");
    QTest::newRow("SASL success")
        << QStringLiteral("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>dj1zZXJ2ZXJzaWc=</success>")
        << QStringLiteral("dj1zZXJ2ZXJzaWc=")
        << QStringLiteral("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>[hidden]</success>");
    QTest::newRow("SASL2")
        << QStringLiteral(
               "<authenticate xmlns='urn:xmpp:sasl:2' "
               "mechanism='PLAIN'><initial-response>AGFsaWNlAHMzY3IzdA==</initial-response></authenticate>")
        << QStringLiteral("AGFsaWNlAHMzY3IzdA==")
        << QStringLiteral("<authenticate xmlns='urn:xmpp:sasl:2' "
                          "mechanism='PLAIN'><initial-response>[hidden]</initial-response></authenticate>");
    QTest::newRow("registration password")
        << QStringLiteral(
               "<iq type='set' id='r1'><query xmlns='jabber:iq:register'><username>alice</username>"
               "<password>s3cr3t &amp; more</password></query></iq>")
        << QStringLiteral("s3cr3t")
        << QStringLiteral("<iq type='set' id='r1'><query xmlns='jabber:iq:register'>"
                          "<username>alice</username><password>[hidden]</password>"
                          "</query></iq>");
    QTest::newRow("password form fields")
        << QStringLiteral(
               "<x xmlns='jabber:x:data' type='submit'><field var='username'><value>alice</value></field>"
               "<field type='text-private' var='old_password'><value>old-s3cret</value></field>"
               "<field var=\"password\"><value>new-s3cret</value></field></x>")
        << QStringLiteral("s3cret")
        << QStringLiteral("<x xmlns='jabber:x:data' type='submit'><field var='username'>"
                          "<value>alice</value></field><field type='text-private' "
                          "var='old_password'><value>[hidden]</value></field>"
                          "<field var=\"password\"><value>[hidden]</value></field></x>");
    QTest::newRow("room password")
        << QStringLiteral(
               "<presence to='room@muc.example/alice'><x "
               "xmlns='http://jabber.org/protocol/muc'><password>letmein</password></x></presence>")
        << QStringLiteral("letmein")
        << QStringLiteral("<presence to='room@muc.example/alice'><x xmlns='http://jabber.org/"
                          "protocol/muc'><password>[hidden]</password></x></presence>");
    QTest::newRow("login token")
        << QStringLiteral("<token xmlns='urn:xmpp:fast:0' expiry='2026-12-31T00:00:00Z' token='WxPDl3+Bq' />")
        << QStringLiteral("WxPDl3+Bq")
        << QStringLiteral("<token xmlns='urn:xmpp:fast:0' expiry='2026-12-31T00:00:00Z' "
                          "token='[hidden]' />");
}

void tst_SecretMasking::secretsAreHidden()
{
    QFETCH(QString, xml);
    QFETCH(QString, secret);
    QFETCH(QString, expected);
    const QString masked = withSecretsHidden(xml);
    QVERIFY(!masked.contains(secret));
    QCOMPARE(masked, expected);
}

void tst_SecretMasking::everythingElseStays_data()
{
    QTest::addColumn<QString>("xml");
    QTest::newRow("a message about passwords") << QStringLiteral(
        "<message to='bob@example.org' type='chat'><body>my password is &lt;password&gt;hunter2"
        "&lt;/password&gt;, the token='x'</body></message>");
    QTest::newRow("an empty auth") << QStringLiteral(
        "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'/>");
    QTest::newRow("a form without passwords") << QStringLiteral(
        "<x xmlns='jabber:x:data'><field var='muc#roomconfig_roomname'><value>Tea</value></field></x>");
    QTest::newRow("stream features") << QStringLiteral(
        "<stream:features><mechanisms "
        "xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-1</mechanism>"
        "</mechanisms></stream:features>");
}

void tst_SecretMasking::everythingElseStays()
{
    QFETCH(QString, xml);
    QCOMPARE(withSecretsHidden(xml), xml);
}

QTEST_APPLESS_MAIN(tst_SecretMasking)
#include "tst_secretmasking.moc"
