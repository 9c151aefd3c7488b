// SPDX-License-Identifier: GPL-3.0-or-later
// The Jingle file transfer vocabulary: what we write reads back the same, the specification's examples read
// as meant, and what a hostile peer sends is bounded and cleaned (names, candidates, hashes); the SOCKS5
// destination address is the one XEP-0260 computes.
#include "RawStanza.h"
#include "filetransfer/JingleElements.h"
#include "filetransfer/Socks5.h"

#include <QDomDocument>
#include <QTest>

using namespace Natter::Core;

namespace {

QDomElement parseXml(const QString &xml, QDomDocument &document)
{
    document.setContent(xml, QDomDocument::ParseOption::UseNamespaceProcessing);
    return document.documentElement();
}

Jingle::Action roundTrip(const Jingle::Action &action)
{
    QDomDocument document;
    const auto parsed = Jingle::parse(parseXml(Natter::Test::xmlOf(Jingle::toElement(action)), document));
    return parsed.value_or(Jingle::Action{});
}

} // namespace

class tst_JingleElements : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void anOfferReadsBackAsWritten();
    void transportInfoReadsBackAsWritten();
    void inBandTransportAndReasonReadBack();
    void theSpecificationsOfferIsRead();
    void hostileValuesAreBoundedAndCleaned();
    void notJingleIsNotRead();
    void destinationAddressIsXep0260s();
};

void tst_JingleElements::anOfferReadsBackAsWritten()
{
    Jingle::Action offer;
    offer.action = QStringLiteral("session-initiate");
    offer.sid = QStringLiteral("a73sjjvkla37jfea");
    offer.initiator = QStringLiteral("romeo@montague.example/dr4hcr0st3lup4c");
    offer.contentName = QStringLiteral("file");
    FileMetadata file;
    file.name = QStringLiteral("holiday.mkv");
    file.size = 2'000'000'000;
    file.mediaType = QStringLiteral("video/x-matroska");
    file.sha256 = QByteArray(32, '\x5a');
    offer.file = file;
    offer.transport = Jingle::Action::Transport::Socks5;
    offer.transportSid = QStringLiteral("vj3hs98y");
    offer.dstaddr = QStringLiteral("972b7bf47291ca609517f67f86b5081086052dad");
    offer.candidates = {
        {QStringLiteral("hft54dqy"), QStringLiteral("192.168.4.1"), 5086, offer.initiator, 8257636,
         Jingle::Candidate::Type::Direct},
        {QStringLiteral("hutr46fe"), QStringLiteral("proxy.example"), 7777, QStringLiteral("proxy.example"),
         655360, Jingle::Candidate::Type::Proxy},
    };
    QCOMPARE(roundTrip(offer), offer);
}

void tst_JingleElements::transportInfoReadsBackAsWritten()
{
    Jingle::Action used;
    used.action = QStringLiteral("transport-info");
    used.sid = QStringLiteral("s1");
    used.contentName = QStringLiteral("file");
    used.transport = Jingle::Action::Transport::Socks5;
    used.transportSid = QStringLiteral("t1");
    used.candidateUsed = QStringLiteral("hft54dqy");
    QCOMPARE(roundTrip(used), used);
    Jingle::Action error = used;
    error.candidateUsed.clear();
    error.candidateError = true;
    QCOMPARE(roundTrip(error), error);
    Jingle::Action activated = used;
    activated.candidateUsed.clear();
    activated.activated = QStringLiteral("hutr46fe");
    QCOMPARE(roundTrip(activated), activated);
    Jingle::Action proxyError = used;
    proxyError.candidateUsed.clear();
    proxyError.proxyError = true;
    QCOMPARE(roundTrip(proxyError), proxyError);
}

void tst_JingleElements::inBandTransportAndReasonReadBack()
{
    Jingle::Action replace;
    replace.action = QStringLiteral("transport-replace");
    replace.sid = QStringLiteral("s1");
    replace.contentName = QStringLiteral("file");
    replace.transport = Jingle::Action::Transport::InBand;
    replace.transportSid = QStringLiteral("ch3d9s71");
    replace.blockSize = 4096;
    QCOMPARE(roundTrip(replace), replace);
    Jingle::Action terminate;
    terminate.action = QStringLiteral("session-terminate");
    terminate.sid = QStringLiteral("s1");
    terminate.reason = QStringLiteral("media-error");
    terminate.reasonText = QStringLiteral("hash mismatch");
    QCOMPARE(roundTrip(terminate), terminate);
}

void tst_JingleElements::theSpecificationsOfferIsRead()
{
    // XEP-0234's example 1, with XEP-0260's transport.
    QDomDocument document;
    const auto offer = Jingle::parse(parseXml(QStringLiteral(R"(
<jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' initiator='romeo@montague.example/dr4hcr0st3lup4c'
        sid='851ba2'>
  <content creator='initiator' name='a-file-offer' senders='initiator'>
    <description xmlns='urn:xmpp:jingle:apps:file-transfer:5'>
      <file>
        <date>1969-07-21T02:56:15Z</date>
        <desc>This is a test. If this were a real file...</desc>
        <media-type>text/plain</media-type>
        <name>test.txt</name>
        <range/>
        <size>6144</size>
        <hash xmlns='urn:xmpp:hashes:2' algo='sha-1'>w0mcJylzCn+AfvuGdqkty2+KP48=</hash>
        <hash xmlns='urn:xmpp:hashes:2' algo='sha-256'>2Aq8cMnvoBSCLzdyoijlmn2cefYbC+k9R1WqbbLsn3g=</hash>
      </file>
    </description>
    <transport xmlns='urn:xmpp:jingle:transports:s5b:1' mode='tcp' sid='vj3hs98y'>
      <candidate cid='hft54dqy' host='192.168.4.1' jid='romeo@montague.example/dr4hcr0st3lup4c' port='5086'
                 priority='8257636' type='direct'/>
      <candidate cid='hutr46fe' host='24.24.24.1' jid='streamer.example' port='5087' priority='8258636'
                 type='proxy'/>
    </transport>
  </content>
</jingle>)"),
                                              document));
    QVERIFY(offer);
    QCOMPARE(offer->action, QStringLiteral("session-initiate"));
    QCOMPARE(offer->sid, QStringLiteral("851ba2"));
    QCOMPARE(offer->contentName, QStringLiteral("a-file-offer"));
    QVERIFY(offer->file);
    QCOMPARE(offer->file->name, QStringLiteral("test.txt"));
    QCOMPARE(offer->file->size, qint64(6144));
    QCOMPARE(offer->file->mediaType, QStringLiteral("text/plain"));
    QCOMPARE(offer->file->sha256.size(), 32);
    QCOMPARE(offer->transport, Jingle::Action::Transport::Socks5);
    QCOMPARE(offer->transportSid, QStringLiteral("vj3hs98y"));
    QCOMPARE(offer->candidates.size(), 2);
    QCOMPARE(offer->candidates.at(1).type, Jingle::Candidate::Type::Proxy);
    QCOMPARE(offer->candidates.at(1).port, quint16(5087));
}

void tst_JingleElements::hostileValuesAreBoundedAndCleaned()
{
    QString candidates;
    for (int i = 0; i < 100; ++i)
        candidates +=
            QStringLiteral("<candidate cid='c%1' host='10.0.0.%1' jid='x@y/z' port='%2' priority='1'/>")
                .arg(i)
                .arg(1000 + i);
    QDomDocument document;
    const auto offer = Jingle::parse(parseXml(
        QStringLiteral(
            "<jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='s'><content name='f'>"
            "<description xmlns='urn:xmpp:jingle:apps:file-transfer:5'><file><name>../../.bashrc</name>"
            "<size>-5</size><media-type>evil</media-type>"
            "<hash xmlns='urn:xmpp:hashes:2' algo='sha-256'>c2hvcnQ=</hash></file></description>"
            "<transport xmlns='urn:xmpp:jingle:transports:s5b:1' sid='t'>"
            "<candidate cid='bad' host='h' jid='j' port='70000' priority='1'/>"
            "<candidate cid='bad2' host='h' jid='j' port='0' priority='1'/>"
            "<candidate cid='bad3' host='h' jid='j' port='5' priority='x'/>%1</transport></content></jingle>")
            .arg(candidates),
        document));
    QVERIFY(offer);
    QVERIFY(offer->file);
    QVERIFY(!offer->file->name.contains(u'/'));
    QVERIFY(!offer->file->name.startsWith(u'.'));
    QVERIFY(!offer->file->size);
    QVERIFY(offer->file->mediaType.isEmpty());
    QVERIFY(offer->file->sha256.isEmpty());
    QCOMPARE(offer->candidates.size(), 32); // at most 32, the broken ones dropped
    for (const Jingle::Candidate &candidate : offer->candidates)
        QVERIFY(candidate.cid.startsWith(u'c'));
}

void tst_JingleElements::notJingleIsNotRead()
{
    QDomDocument document;
    QVERIFY(!Jingle::parse(
        parseXml(QStringLiteral("<jingle xmlns='urn:xmpp:jingle:0' action='a' sid='s'/>"), document)));
    QVERIFY(
        !Jingle::parse(parseXml(QStringLiteral("<jingle xmlns='urn:xmpp:jingle:1' sid='s'/>"), document)));
    QVERIFY(!Jingle::parse(
        parseXml(QStringLiteral("<jingle xmlns='urn:xmpp:jingle:1' action='session-initiate'/>"), document)));
}

void tst_JingleElements::destinationAddressIsXep0260s()
{
    // XEP-0260 example 1: SHA-1 of "vj3hs98y" + romeo@montague.lit/orchard + juliet@capulet.lit/balcony.
    QCOMPARE(Socks5::destinationAddress(QStringLiteral("vj3hs98y"),
                                        QStringLiteral("romeo@montague.lit/orchard"),
                                        QStringLiteral("juliet@capulet.lit/balcony")),
             QStringLiteral("972b7bf47291ca609517f67f86b5081086052dad"));
}

QTEST_GUILESS_MAIN(tst_JingleElements)
#include "tst_jingleelements.moc"
