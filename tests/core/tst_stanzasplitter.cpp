// SPDX-License-Identifier: GPL-3.0-or-later
// StanzaSplitter: where top-level elements of an incoming stream end, however the network cuts them; and
// IncomingStanzaReader::parse, which turns them into the elements QXmpp reads.
#include "stream/IncomingStanzaReader.h"
#include "stream/StanzaSplitter.h"

#include <QTest>

using namespace Natter::Core;
using Kind = StanzaSplitter::Piece::Kind;

namespace {

const QString Header =
    QStringLiteral("<stream:stream xmlns='jabber:client' "
                   "xmlns:stream='http://etherx.jabber.org/streams' id='s1' version='1.0'>");

QList<StanzaSplitter::Piece> feedInSlices(StanzaSplitter &splitter, const QString &text, int slice)
{
    QList<StanzaSplitter::Piece> pieces;
    for (qsizetype at = 0; at < text.size(); at += slice)
        pieces += splitter.feed(QStringView(text).mid(at, slice));
    return pieces;
}

QStringList stanzasOf(const QList<StanzaSplitter::Piece> &pieces)
{
    QStringList stanzas;
    for (const auto &piece : pieces) {
        if (piece.kind == Kind::Stanza)
            stanzas.append(piece.xml);
    }
    return stanzas;
}

} // namespace

class tst_StanzaSplitter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everySliceSizeGivesTheSameStanzas_data();
    void everySliceSizeGivesTheSameStanzas();
    void attributeValuesMayHoldAngleBrackets();
    void anEmptyElementIsAStanzaOfItsOwn();
    void aNewStreamHeaderRestartsTheStream();
    void theEndOfTheStreamIsReported();
    void idleOnlyBetweenStanzas();
    void doctypesAndElementsOutsideTheStreamAreMalformed();
    void nothingIsReadAfterMalformedInput();
    void parsedStanzasCarryTheStreamNamespaces();
    void textThatDoesNotParseIsReported();
};

void tst_StanzaSplitter::everySliceSizeGivesTheSameStanzas_data()
{
    QTest::addColumn<int>("slice");
    for (int slice : {1, 2, 3, 7, 64, 100000})
        QTest::addRow("%d", slice) << slice;
}

void tst_StanzaSplitter::everySliceSizeGivesTheSameStanzas()
{
    QFETCH(int, slice);
    const QStringList stanzas{
        QStringLiteral("<message from='a@x/r' to='b@x'><body>hi &amp; bye</body><x><y/></x></message>"),
        QStringLiteral("<presence from='room@c/Ünïcødé 😀'><x xmlns='http://jabber.org/protocol/muc#user'>"
                       "<item role='participant'/></x></presence>"),
        QStringLiteral("<iq type='result' id='1'/>"),
        QStringLiteral("<message><body><![CDATA[a </body> that is text]]></body></message>"),
    };
    StanzaSplitter splitter;
    const QString stream =
        QStringLiteral("<?xml version='1.0'?>") + Header + stanzas.join(QStringLiteral("\n  "));
    const auto pieces = feedInSlices(splitter, stream, slice);
    QCOMPARE(pieces.first().kind, Kind::StreamOpened);
    QCOMPARE(pieces.first().xml, Header);
    QCOMPARE(stanzasOf(pieces), stanzas);
    QVERIFY(splitter.isIdle());
}

void tst_StanzaSplitter::attributeValuesMayHoldAngleBrackets()
{
    StanzaSplitter splitter;
    splitter.feed(Header);
    const QString stanza = QStringLiteral("<message id='a>b' type=\"x/>\"><body>1 > 0</body></message>");
    QCOMPARE(stanzasOf(feedInSlices(splitter, stanza, 5)), QStringList{stanza});
}

void tst_StanzaSplitter::anEmptyElementIsAStanzaOfItsOwn()
{
    StanzaSplitter splitter;
    splitter.feed(Header);
    QCOMPARE(stanzasOf(splitter.feed(u"<r xmlns='urn:xmpp:sm:3'/><a h='5' xmlns='urn:xmpp:sm:3' />")),
             (QStringList{QStringLiteral("<r xmlns='urn:xmpp:sm:3'/>"),
                          QStringLiteral("<a h='5' xmlns='urn:xmpp:sm:3' />")}));
}

void tst_StanzaSplitter::aNewStreamHeaderRestartsTheStream()
{
    // After authentication the server opens a new stream on the same connection, without closing the old one.
    StanzaSplitter splitter;
    splitter.feed(Header);
    splitter.feed(u"<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
    const QString second = QString(Header).replace(QStringLiteral("s1"), QStringLiteral("s2"));
    const auto pieces = splitter.feed(QStringLiteral("<?xml version='1.0'?>") + second +
                                      QStringLiteral("<stream:features><bind/></stream:features>"));
    QCOMPARE(pieces.size(), 2);
    QCOMPARE(pieces[0].kind, Kind::StreamOpened);
    QCOMPARE(pieces[0].xml, second);
    QCOMPARE(pieces[1].xml, QStringLiteral("<stream:features><bind/></stream:features>"));
}

void tst_StanzaSplitter::theEndOfTheStreamIsReported()
{
    StanzaSplitter splitter;
    splitter.feed(Header);
    const auto pieces = splitter.feed(u"<message/></stream:stream>");
    QCOMPARE(pieces.size(), 2);
    QCOMPARE(pieces[1].kind, Kind::StreamClosed);
}

void tst_StanzaSplitter::idleOnlyBetweenStanzas()
{
    StanzaSplitter splitter;
    splitter.feed(Header);
    QVERIFY(splitter.isIdle());
    splitter.feed(u"<message><bo");
    QVERIFY(!splitter.isIdle());
    splitter.feed(u"dy/></message> \n ");
    QVERIFY(splitter.isIdle());
    splitter.feed(u"<presence id='x");
    QVERIFY(!splitter.isIdle());
}

void tst_StanzaSplitter::doctypesAndElementsOutsideTheStreamAreMalformed()
{
    StanzaSplitter doctype;
    doctype.feed(Header);
    auto pieces = doctype.feed(u"<!DOCTYPE x [<!ENTITY a 'b'>]><message/>");
    QCOMPARE(pieces.size(), 1);
    QCOMPARE(pieces[0].kind, Kind::Malformed);

    StanzaSplitter outside;
    pieces = outside.feed(u"<message><body>no stream</body></message>");
    QCOMPARE(pieces.size(), 1);
    QCOMPARE(pieces[0].kind, Kind::Malformed);

    StanzaSplitter tooManyEnds;
    tooManyEnds.feed(Header);
    pieces = tooManyEnds.feed(u"</stream:stream></x>");
    QCOMPARE(pieces.last().kind, Kind::Malformed);
}

void tst_StanzaSplitter::nothingIsReadAfterMalformedInput()
{
    StanzaSplitter splitter;
    splitter.feed(Header);
    QCOMPARE(splitter.feed(u"<!DOCTYPE x>").size(), 1);
    QVERIFY(splitter.feed(u"<message/>").isEmpty());
    splitter.reset();
    splitter.feed(Header);
    QCOMPARE(stanzasOf(splitter.feed(u"<message/>")).size(), 1);
}

void tst_StanzaSplitter::parsedStanzasCarryTheStreamNamespaces()
{
    const auto parsed = IncomingStanzaReader::parse(
        Header, QStringLiteral("<message><body>a</body></message><stream:features><bind "
                               "xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>"));
    QVERIFY(parsed.ok);
    QCOMPARE(parsed.stanzas.size(), 2);
    QCOMPARE(parsed.stanzas[0].namespaceURI(), QStringLiteral("jabber:client"));
    QCOMPARE(parsed.stanzas[0].firstChildElement().namespaceURI(), QStringLiteral("jabber:client"));
    QCOMPARE(parsed.stanzas[1].namespaceURI(), QStringLiteral("http://etherx.jabber.org/streams"));
    QCOMPARE(parsed.stanzas[1].localName(), QStringLiteral("features"));
    QCOMPARE(parsed.stream.attribute(QStringLiteral("id")), QStringLiteral("s1"));
}

void tst_StanzaSplitter::textThatDoesNotParseIsReported()
{
    // The splitter counts depth only: mismatched names are caught when parsing.
    QVERIFY(!IncomingStanzaReader::parse(Header, QStringLiteral("<message><body>a</bogus></message>")).ok);
    QVERIFY(!IncomingStanzaReader::parse(Header, QStringLiteral("<message>&undefined;</message>")).ok);
}

QTEST_GUILESS_MAIN(tst_StanzaSplitter)
#include "tst_stanzasplitter.moc"
