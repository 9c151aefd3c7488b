// SPDX-License-Identifier: GPL-3.0-or-later
// Jingle Message Initiation (XEP-0353) as Natter reads and writes it: Dino's proposals without a store hint
// ring too, a video call's proposal names both media, reasons and tie-breaks survive the round trip, and what
// is not a call proposal is not read as one.
#include "RawStanza.h"
#include "calls/JingleMessage.h"

#include <QDomDocument>
#include <QTest>

using namespace Natter::Core::Calls;

Q_DECLARE_METATYPE(JingleMessage)

namespace {

std::optional<JingleMessage> readXml(const QString &xml)
{
    QDomDocument document;
    if (!document.setContent(xml, QDomDocument::ParseOption::UseNamespaceProcessing))
        return std::nullopt;
    return readJingleMessage(document.documentElement());
}

} // namespace

class tst_JingleMessage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aProposalWithoutStoreHintIsRead();
    void everyTypeReadsBackAsWritten_data();
    void everyTypeReadsBackAsWritten();
    void whatWeSendIsStoredAndTyped();
    void whatIsNotACallIsNotRead_data();
    void whatIsNotACallIsNotRead();
};

void tst_JingleMessage::aProposalWithoutStoreHintIsRead()
{
    // As Dino sends it: no <store/>, one description per medium.
    const auto propose = readXml(QStringLiteral(
        "<message xmlns='jabber:client' from='romeo@montague.example/dino' to='juliet@capulet.example' "
        "type='chat'><propose xmlns='urn:xmpp:jingle-message:0' id='a73sjjvkla37jfea'>"
        "<description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'/>"
        "<description xmlns='urn:xmpp:jingle:apps:rtp:1' media='video'/></propose></message>"));
    QVERIFY(propose);
    QCOMPARE(propose->type, JingleMessage::Type::Propose);
    QCOMPARE(propose->id, u"a73sjjvkla37jfea");
    QCOMPARE(propose->media, QStringList({QStringLiteral("audio"), QStringLiteral("video")}));
}

void tst_JingleMessage::everyTypeReadsBackAsWritten_data()
{
    QTest::addColumn<JingleMessage>("message");
    QTest::newRow("propose audio") << JingleMessage{
        JingleMessage::Type::Propose, QStringLiteral("p1"), {QStringLiteral("audio")}, {}, false};
    QTest::newRow("ringing") << JingleMessage{
        JingleMessage::Type::Ringing, QStringLiteral("r1"), {}, {}, false};
    QTest::newRow("proceed") << JingleMessage{
        JingleMessage::Type::Proceed, QStringLiteral("p2"), {}, {}, false};
    QTest::newRow("reject busy") << JingleMessage{
        JingleMessage::Type::Reject, QStringLiteral("j1"), {}, QStringLiteral("busy"), false};
    QTest::newRow("reject tie-break") << JingleMessage{
        JingleMessage::Type::Reject, QStringLiteral("j2"), {}, QStringLiteral("expired"), true};
    QTest::newRow("retract") << JingleMessage{
        JingleMessage::Type::Retract, QStringLiteral("t1"), {}, QStringLiteral("cancel"), false};
    QTest::newRow("finish") << JingleMessage{
        JingleMessage::Type::Finish, QStringLiteral("f1"), {}, QStringLiteral("success"), false};
}

void tst_JingleMessage::everyTypeReadsBackAsWritten()
{
    QFETCH(JingleMessage, message);
    const QString xml =
        Natter::Test::xmlOf(jingleMessageStanza(QStringLiteral("juliet@capulet.example"), message));
    const auto read = readXml(xml);
    QVERIFY2(read, qPrintable(xml));
    QCOMPARE(*read, message);
}

void tst_JingleMessage::whatWeSendIsStoredAndTyped()
{
    const QString xml = Natter::Test::xmlOf(jingleMessageStanza(
        QStringLiteral("romeo@montague.example/orchard"),
        {JingleMessage::Type::Reject, QStringLiteral("x"), {}, QStringLiteral("busy"), false}));
    QDomDocument document;
    QVERIFY(document.setContent(xml, QDomDocument::ParseOption::UseNamespaceProcessing));
    const QDomElement message = document.documentElement();
    QCOMPARE(message.attribute(QStringLiteral("type")), u"chat");
    QCOMPARE(message.attribute(QStringLiteral("to")), u"romeo@montague.example/orchard");
    const QDomElement store = message.firstChildElement(QStringLiteral("store"));
    QCOMPARE(store.namespaceURI(), u"urn:xmpp:hints");
    const QDomElement reason =
        message.firstChildElement(QStringLiteral("reject")).firstChildElement(QStringLiteral("reason"));
    QCOMPARE(reason.namespaceURI(), u"urn:xmpp:jingle:1");
    QVERIFY(!reason.firstChildElement(QStringLiteral("busy")).isNull());
}

void tst_JingleMessage::whatIsNotACallIsNotRead_data()
{
    QTest::addColumn<QString>("xml");
    QTest::newRow("no JMI") << QStringLiteral("<message xmlns='jabber:client'><body>hi</body></message>");
    QTest::newRow("no id") << QStringLiteral(
        "<message xmlns='jabber:client'><proceed xmlns='urn:xmpp:jingle-message:0'/></message>");
    QTest::newRow("unknown type") << QStringLiteral(
        "<message xmlns='jabber:client'><accept-all xmlns='urn:xmpp:jingle-message:0' id='x'/></message>");
    QTest::newRow("a file proposal") << QStringLiteral(
        "<message xmlns='jabber:client'><propose xmlns='urn:xmpp:jingle-message:0' id='x'><description "
        "xmlns='urn:xmpp:jingle:apps:file-transfer:5'/></propose></message>");
    QTest::newRow("unknown medium") << QStringLiteral(
        "<message xmlns='jabber:client'><propose xmlns='urn:xmpp:jingle-message:0' id='x'><description "
        "xmlns='urn:xmpp:jingle:apps:rtp:1' media='hologram'/></propose></message>");
    QTest::newRow("huge id") << QStringLiteral("<message xmlns='jabber:client'><ringing "
                                               "xmlns='urn:xmpp:jingle-message:0' id='%1'/></message>")
                                    .arg(QString(300, u'a'));
}

void tst_JingleMessage::whatIsNotACallIsNotRead()
{
    QFETCH(QString, xml);
    QVERIFY(!readXml(xml));
}

QTEST_GUILESS_MAIN(tst_JingleMessage)
#include "tst_jinglemessage.moc"
