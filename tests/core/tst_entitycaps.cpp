// SPDX-License-Identifier: GPL-3.0-or-later
// Entity Capabilities verification (XEP-0115 section 5) over the disco#info answer as received: the
// specification's two examples, an entity with two extended forms, the answers section 5.4 calls
// ill-formed, other hash algorithms, and the XML kept in the caps store. Expected hashes were computed
// outside Natter (Python's hashlib over the string S written by hand).
#include "disco/DiscoInfo.h"
#include "disco/EntityCaps.h"

#include <QDomDocument>
#include <QTest>

using namespace Natter::Core;

namespace {

QDomElement queryOf(const QString &xml)
{
    QDomDocument document;
    const auto parsed = document.setContent(xml, QDomDocument::ParseOption::UseNamespaceProcessing);
    if (!parsed)
        qFatal("test XML does not parse: %s", qPrintable(parsed.errorMessage));
    return document.documentElement();
}

const QString Simple = QStringLiteral("<query xmlns='http://jabber.org/protocol/disco#info'>"
                                      "<identity category='client' name='Exodus 0.9.1' type='pc'/>"
                                      "<feature var='http://jabber.org/protocol/disco#info'/>"
                                      "<feature var='http://jabber.org/protocol/caps'/>"
                                      "<feature var='http://jabber.org/protocol/muc'/>"
                                      "<feature var='http://jabber.org/protocol/disco#items'/>"
                                      "</query>");

// XEP-0115's complex example, its identities and fields in another order.
const QString Complex = QStringLiteral(
    "<query xmlns='http://jabber.org/protocol/disco#info'>"
    "<identity xml:lang='en' category='client' name='Psi 0.11' type='pc'/>"
    "<identity xml:lang='el' category='client' name='\u03a8 0.11' type='pc'/>"
    "<feature var='http://jabber.org/protocol/caps'/>"
    "<feature var='http://jabber.org/protocol/disco#info'/>"
    "<feature var='http://jabber.org/protocol/disco#items'/>"
    "<feature var='http://jabber.org/protocol/muc'/>"
    "<x xmlns='jabber:x:data' type='result'>"
    "<field var='FORM_TYPE' type='hidden'><value>urn:xmpp:dataforms:softwareinfo</value></field>"
    "<field var='software'><value>Psi</value></field>"
    "<field var='ip_version' type='text-multi'><value>ipv6</value><value>ipv4</value></field>"
    "<field var='os'><value>Mac</value></field>"
    "<field var='os_version'><value>10.5.1</value></field>"
    "<field var='software_version'><value>0.11</value></field>"
    "</x></query>");

QString twoForms(const QString &secondFormType = QStringLiteral("urn:xmpp:dataforms:softwareinfo"))
{
    return QStringLiteral(
               "<query xmlns='http://jabber.org/protocol/disco#info'>"
               "<identity category='client' name='Natter test' type='pc'/>"
               "<feature var='urn:example:two'/>"
               "<feature var='http://jabber.org/protocol/disco#info'/>"
               "<x xmlns='jabber:x:data' type='result'>"
               "<field var='FORM_TYPE' type='hidden'><value>urn:xmpp:test:b</value></field>"
               "<field "
               "var='contact'><value>xmpp:b@example.org</value><value>mailto:b@example.org</value></field>"
               "</x>"
               "<x xmlns='jabber:x:data' type='result'>"
               "<field var='FORM_TYPE' type='hidden'><value>%1</value></field>"
               "<field var='software_version'><value>1.0</value></field>"
               "<field var='software'><value>Natter</value></field>"
               "</x></query>")
        .arg(secondFormType);
}

const QString TwoFormsSha1 = QStringLiteral("Z+1T1lI3a2ZOkGeAxIJ8AJhlruw=");
const QString TwoFormsSha256 = QStringLiteral("/Xj9GUuf2w2gLGvObLjVSTTkemAFiKpefMle84WGsiM=");

} // namespace

class tst_EntityCaps : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void specificationExamplesVerify_data();
    void specificationExamplesVerify();
    void everyExtendedFormCounts();
    void otherHashAlgorithms();
    void illFormedAnswersNeverVerify_data();
    void illFormedAnswersNeverVerify();
    void aRepeatedIdentityOrFeatureCountsOnce_data();
    void aRepeatedIdentityOrFeatureCountsOnce();
    void aFormWithoutHiddenFormTypeIsLeftOut();
    void keptXmlVerifiesAgainAfterReading();
    void xmlKeptBeforeEveryFormCountedIsRead();
    void anythingElseIsNotReadAsAnAnswer();
};

void tst_EntityCaps::specificationExamplesVerify_data()
{
    QTest::addColumn<QString>("xml");
    QTest::addColumn<QString>("verification");
    QTest::newRow("simple") << Simple << QStringLiteral("QgayPKawpkPSDYmwT/WM94uAlu0=");
    QTest::newRow("complex") << Complex << QStringLiteral("q07IKJEyjvHSyhy//CH0CxmKi8w=");
}

void tst_EntityCaps::specificationExamplesVerify()
{
    QFETCH(QString, xml);
    QFETCH(QString, verification);
    QVERIFY(EntityCaps::verifies(queryOf(xml), QStringLiteral("sha-1"), verification));
    QVERIFY(!EntityCaps::verifies(queryOf(xml), QStringLiteral("sha-1"), TwoFormsSha1));
}

void tst_EntityCaps::everyExtendedFormCounts()
{
    const QDomElement query = queryOf(twoForms());
    QCOMPARE(QString::fromUtf8(*EntityCaps::verificationInput(query)),
             QStringLiteral("client/pc//Natter test<http://jabber.org/protocol/disco#info<urn:example:two<"
                            "urn:xmpp:dataforms:softwareinfo<software<Natter<software_version<1.0<"
                            "urn:xmpp:test:b<contact<mailto:b@example.org<xmpp:b@example.org<"));
    QVERIFY(EntityCaps::verifies(query, QStringLiteral("sha-1"), TwoFormsSha1));
    // Both forms are also read as forms.
    QCOMPARE(DiscoInfo::fromQuery(query).forms.size(), 2);
}

void tst_EntityCaps::otherHashAlgorithms()
{
    const QDomElement query = queryOf(twoForms());
    QVERIFY(EntityCaps::verifies(query, QStringLiteral("sha-256"), TwoFormsSha256));
    QVERIFY(!EntityCaps::verifies(query, QStringLiteral("sha-256"), TwoFormsSha1));
    // A hash we do not know never verifies: the answer is then used for the one JID only.
    QVERIFY(!EntityCaps::verifies(query, QStringLiteral("md5"), TwoFormsSha1));
    QVERIFY(!EntityCaps::verifies(query, QString(), TwoFormsSha1));
}

void tst_EntityCaps::illFormedAnswersNeverVerify_data()
{
    QTest::addColumn<QString>("xml");
    QTest::newRow("FORM_TYPE twice") << twoForms(QStringLiteral("urn:xmpp:test:b"));
    QString twoFormTypes = Complex;
    twoFormTypes.replace(
        QStringLiteral("<value>urn:xmpp:dataforms:softwareinfo</value>"),
        QStringLiteral("<value>urn:xmpp:dataforms:softwareinfo</value><value>urn:other</value>"));
    QTest::newRow("FORM_TYPE with two values") << twoFormTypes;
}

void tst_EntityCaps::illFormedAnswersNeverVerify()
{
    QFETCH(QString, xml);
    const QDomElement query = queryOf(xml);
    QVERIFY(!EntityCaps::verificationInput(query));
    // Not even with the hash its string would have.
    QVERIFY(!EntityCaps::verifies(query, QStringLiteral("sha-1"),
                                  QStringLiteral("QgayPKawpkPSDYmwT/WM94uAlu0=")));
    QVERIFY(!EntityCaps::verifies(query, QStringLiteral("sha-1"),
                                  QStringLiteral("q07IKJEyjvHSyhy//CH0CxmKi8w=")));
}

void tst_EntityCaps::aRepeatedIdentityOrFeatureCountsOnce_data()
{
    QTest::addColumn<QString>("xml");
    const QString identity = QStringLiteral("<identity category='client' name='Exodus 0.9.1' type='pc'/>");
    QString repeatedIdentity = Simple;
    repeatedIdentity.replace(identity, identity + identity);
    QTest::newRow("identity twice") << repeatedIdentity;
    const QString feature = QStringLiteral("<feature var='http://jabber.org/protocol/muc'/>");
    QString repeatedFeature = Simple;
    repeatedFeature.replace(feature, feature + feature);
    QTest::newRow("feature twice") << repeatedFeature;
}

void tst_EntityCaps::aRepeatedIdentityOrFeatureCountsOnce()
{
    QFETCH(QString, xml);
    QVERIFY(EntityCaps::verifies(queryOf(xml), QStringLiteral("sha-1"), QStringLiteral("QgayPKawpkPSDYmwT/WM94uAlu0=")));
}

void tst_EntityCaps::aFormWithoutHiddenFormTypeIsLeftOut()
{
    QString visible = Simple;
    visible.replace(QStringLiteral("</query>"),
                    QStringLiteral("<x xmlns='jabber:x:data' type='result'><field var='FORM_TYPE'>"
                                   "<value>urn:example:visible</value></field></x>"
                                   "<x xmlns='jabber:x:data' type='result'><field var='os'><value>Mac</value>"
                                   "</field></x></query>"));
    QVERIFY(EntityCaps::verifies(queryOf(visible), QStringLiteral("sha-1"),
                                 QStringLiteral("QgayPKawpkPSDYmwT/WM94uAlu0=")));
}

void tst_EntityCaps::keptXmlVerifiesAgainAfterReading()
{
    for (const QString &xml : {Complex, twoForms()}) {
        const QString kept = EntityCaps::toXml(queryOf(xml));
        const auto read = EntityCaps::fromXml(kept);
        QVERIFY2(read, qPrintable(kept));
        QCOMPARE(EntityCaps::verificationInput(*read), EntityCaps::verificationInput(queryOf(xml)));
        QCOMPARE(DiscoInfo::fromQuery(*read).forms, DiscoInfo::fromQuery(queryOf(xml)).forms);
    }
    QVERIFY(EntityCaps::verifies(*EntityCaps::fromXml(EntityCaps::toXml(queryOf(twoForms()))),
                                 QStringLiteral("sha-1"), TwoFormsSha1));
}

void tst_EntityCaps::xmlKeptBeforeEveryFormCountedIsRead()
{
    // What the store held before: a whole IQ as QXmppDiscoveryIq wrote it.
    const QString iq = QStringLiteral("<iq id='x' type='result'>") + Simple + QStringLiteral("</iq>");
    const auto read = EntityCaps::fromXml(iq);
    QVERIFY(read);
    QVERIFY(
        EntityCaps::verifies(*read, QStringLiteral("sha-1"), QStringLiteral("QgayPKawpkPSDYmwT/WM94uAlu0=")));
}

void tst_EntityCaps::anythingElseIsNotReadAsAnAnswer()
{
    QVERIFY(!EntityCaps::fromXml(QStringLiteral("<query xmlns='jabber:iq:roster'/>")));
    QVERIFY(!EntityCaps::fromXml(QStringLiteral("<query xmlns='http://jabber.org/protocol/disco#info'>")));
    QVERIFY(!EntityCaps::fromXml(QString()));
    QVERIFY(!EntityCaps::fromXml(QStringLiteral("<iq type='result'/>")));
}

QTEST_GUILESS_MAIN(tst_EntityCaps)
#include "tst_entitycaps.moc"
