// SPDX-License-Identifier: GPL-3.0-or-later
// The reader of received message stanzas: what it takes from each kind of stanza, and what it refuses.
#include "RawStanza.h"
#include "TestFiles.h"
#include "files/Attachment.h"
#include "files/Thumbnailer.h"
#include "im/IncomingMessage.h"
#include "im/OutgoingStanza.h"

#include <QBuffer>
#include <QDomDocument>
#include <QImage>
#include <QTest>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>
#include <QXmppMessage.h>

using namespace Natter::Core;

namespace {
const QString Me = QStringLiteral("me@example.org");
const QString Peer = QStringLiteral("peer@example.org");

QXmppMessage parse(const QString &xml)
{
    QDomDocument document;
    document.setContent(xml, QDomDocument::ParseOption::UseNamespaceProcessing);
    QXmppMessage message;
    message.parse(document.documentElement());
    return message;
}

// A chat message from the peer's phone to us with the given children.
std::optional<IncomingMessage> fromPeer(const QString &children, const QString &id = QStringLiteral("m1"))
{
    return readIncomingMessage(parse(QStringLiteral("<message xmlns='jabber:client' from='%1/phone' to='%2' "
                                                    "type='chat' id='%3'>%4</message>")
                                         .arg(Peer, Me, id, children)),
                               Me);
}

} // namespace

class tst_IncomingMessage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void plainMessage();
    void replyFallbackIsCountedInCodePoints();
    void nonsenseFallbackRangesAreClamped();
    void ourReplyRoundTrips();
    void correctionsRetractionsAndReactionsAreActions();
    void legacyRetractionIsUnderstood();
    void reactionsAreBounded();
    void receiptsMarkersAndChatStates();
    void ourOtherDevicesMarkerMeansWeReadIt();
    void malformedInputIsRefusedOrRepaired();
    void undecryptableMessagesLeaveANoticeKeyTransportNothing();
    void sharedFileMetadataRoundTrips();
    void sharedFileMetadataIsCleaned();
    void sendersThumbnailIsTakenOnlyInline();
    void localFileLinksAreNoAttachment();
};

void tst_IncomingMessage::plainMessage()
{
    const auto in = fromPeer(QStringLiteral("<body>hello</body><origin-id xmlns='urn:xmpp:sid:0' id='o1'/>"
                                            "<markable xmlns='urn:xmpp:chat-markers:0'/>"
                                            "<request xmlns='urn:xmpp:receipts'/>"));
    QVERIFY(in && in->message);
    QCOMPARE(in->conversation.peer, Peer);
    QCOMPARE(in->message->body, QStringLiteral("hello"));
    QCOMPARE(in->message->originId, QStringLiteral("o1"));
    QCOMPARE(in->message->referenceId(), QStringLiteral("o1"));
    QVERIFY(in->message->markable);
    QVERIFY(in->receiptRequested);
    QVERIFY(!in->action);
}

void tst_IncomingMessage::replyFallbackIsCountedInCodePoints()
{
    // "> Anna wrote:\n> 🎉 party\n" is 24 code points but 25 UTF-16 units: the emoji counts once.
    const QString fallback = QStringLiteral("> Anna wrote:\n> 🎉 party\n");
    QCOMPARE(fallback.toUcs4().size(), 24);
    QCOMPARE(fallback.size(), 25);
    const auto in = fromPeer(QStringLiteral("<body>%1see you there</body><reply xmlns='urn:xmpp:reply:0' "
                                            "to='%2' id='orig'/><fallback xmlns='urn:xmpp:fallback:0' "
                                            "for='urn:xmpp:reply:0'><body start='0' end='24'/></fallback>")
                                 .arg(fallback, Me));
    QVERIFY(in && in->message);
    QCOMPARE(in->message->body, QStringLiteral("see you there"));
    QCOMPARE(in->message->replyToId, QStringLiteral("orig"));
    QCOMPARE(in->message->replyToJid, Me);
    QCOMPARE(in->message->replyQuote, QStringLiteral("🎉 party"));
}

void tst_IncomingMessage::nonsenseFallbackRangesAreClamped()
{
    const auto in = fromPeer(QStringLiteral("<body>short</body><reply xmlns='urn:xmpp:reply:0' id='x'/>"
                                            "<fallback xmlns='urn:xmpp:fallback:0' for='urn:xmpp:reply:0'>"
                                            "<body start='4000000000' end='7'/><body start='3' end='999999'/>"
                                            "</fallback>"));
    QVERIFY(in && in->message);
    QCOMPARE(in->message->body, QStringLiteral("sho"));
    // A fallback for something else is not removed.
    const auto other =
        fromPeer(QStringLiteral("<body>keep all</body><fallback xmlns='urn:xmpp:fallback:0' "
                                "for='urn:example:other'><body start='0' end='4'/></fallback>"));
    QCOMPARE(other->message->body, QStringLiteral("keep all"));
}

void tst_IncomingMessage::ourReplyRoundTrips()
{
    ChatMessage reply;
    reply.conversation = {Me, Peer};
    reply.id = QStringLiteral("r1");
    reply.originId = reply.id;
    reply.body = QStringLiteral("me too 😀");
    reply.replyToId = QStringLiteral("orig");
    reply.replyToJid = Peer;
    reply.replyQuote = QStringLiteral("🎉 first line\nsecond line");
    QXmppMessage stanza = OutgoingStanza::message(reply);
    const QString xml = Natter::Test::xmlOf(stanza);
    QVERIFY(xml.contains(QStringLiteral("urn:xmpp:reply:0")));
    QVERIFY(xml.contains(QStringLiteral("<origin-id")));
    // As the peer receives it.
    QDomDocument document;
    document.setContent(xml, QDomDocument::ParseOption::UseNamespaceProcessing);
    QDomElement element = document.documentElement();
    element.setAttribute(QStringLiteral("from"), Me + QStringLiteral("/desk"));
    element.setAttribute(QStringLiteral("to"), Peer);
    QXmppMessage received;
    received.parse(element);
    const auto in = readIncomingMessage(received, Peer);
    QVERIFY(in && in->message);
    QCOMPARE(in->message->body, reply.body);
    QCOMPARE(in->message->replyQuote, reply.replyQuote);
    QCOMPARE(in->message->replyToId, reply.replyToId);
}

void tst_IncomingMessage::correctionsRetractionsAndReactionsAreActions()
{
    const auto fix = fromPeer(QStringLiteral("<body>fixed</body><replace xmlns='urn:xmpp:message-correct:0' "
                                             "id='m0'/>"));
    QVERIFY(fix && fix->action && !fix->message);
    QCOMPARE(fix->action->kind, MessageAction::Kind::Correction);
    QCOMPARE(fix->action->targetId, QStringLiteral("m0"));
    QCOMPARE(fix->action->body, QStringLiteral("fixed"));
    QCOMPARE(fix->action->sender, Peer);
    QCOMPARE(fix->action->direction, ChatMessage::Direction::Incoming);
    QCOMPARE(fix->action->actionId, QStringLiteral("m1"));

    const auto gone =
        fromPeer(QStringLiteral("<retract xmlns='urn:xmpp:message-retract:1' id='m0'/>"
                                "<body>This person attempted to retract a previous message</body>"));
    QVERIFY(gone && gone->action && !gone->message);
    QCOMPARE(gone->action->kind, MessageAction::Kind::Retraction);

    const auto liked = fromPeer(QStringLiteral("<reactions xmlns='urn:xmpp:reactions:0' id='m0'><reaction>👍"
                                               "</reaction><reaction>👍</reaction><reaction>❤️</reaction>"
                                               "</reactions><body>👍</body>"));
    QVERIFY(liked && liked->action && !liked->message);
    QCOMPARE(liked->action->kind, MessageAction::Kind::Reactions);
    QStringList emojis = liked->action->emojis; // a set: the order is not kept
    emojis.sort();
    QStringList expected{QStringLiteral("👍"), QStringLiteral("❤️")};
    expected.sort();
    QCOMPARE(emojis, expected);
}

void tst_IncomingMessage::legacyRetractionIsUnderstood()
{
    const auto gone =
        fromPeer(QStringLiteral("<apply-to xmlns='urn:xmpp:fasten:0' id='m0'><retract "
                                "xmlns='urn:xmpp:message-retract:0'/></apply-to><body>x</body>"));
    QVERIFY(gone && gone->action);
    QCOMPARE(gone->action->kind, MessageAction::Kind::Retraction);
    QCOMPARE(gone->action->targetId, QStringLiteral("m0"));
}

void tst_IncomingMessage::reactionsAreBounded()
{
    QString many;
    for (int i = 0; i < 50; ++i)
        many += QStringLiteral("<reaction>e%1</reaction>").arg(i);
    many += QStringLiteral("<reaction>%1</reaction>").arg(QString(100, u'x'));
    const auto flood =
        fromPeer(QStringLiteral("<reactions xmlns='urn:xmpp:reactions:0' id='m0'>%1</reactions>").arg(many));
    QCOMPARE(flood->action->emojis.size(), 20);
    // Taking every reaction back is an empty set.
    const auto none = fromPeer(QStringLiteral("<reactions xmlns='urn:xmpp:reactions:0' id='m0'/>"));
    QVERIFY(none->action && none->action->emojis.isEmpty());
}

void tst_IncomingMessage::receiptsMarkersAndChatStates()
{
    const auto receipt = fromPeer(QStringLiteral("<received xmlns='urn:xmpp:receipts' id='mine'/>"));
    QCOMPARE(receipt->confirmedId, QStringLiteral("mine"));
    QCOMPARE(receipt->confirmation, ChatMessage::Delivery::Received);
    QVERIFY(!receipt->message);
    const auto marker = fromPeer(QStringLiteral("<displayed xmlns='urn:xmpp:chat-markers:0' id='mine'/>"));
    QCOMPARE(marker->confirmedId, QStringLiteral("mine"));
    QCOMPARE(marker->confirmation, ChatMessage::Delivery::Displayed);
    const auto typing = fromPeer(QStringLiteral("<composing xmlns='http://jabber.org/protocol/chatstates'/>"
                                                "<no-store xmlns='urn:xmpp:hints'/>"));
    QCOMPARE(typing->chatState, ChatState::Composing);
    QVERIFY(!typing->message);
    const auto offTheRecord =
        fromPeer(QStringLiteral("<body>secret</body><no-store xmlns='urn:xmpp:hints'/>"));
    QVERIFY(offTheRecord->message->transient);
}

void tst_IncomingMessage::ourOtherDevicesMarkerMeansWeReadIt()
{
    // A carbon of what our phone sent: its displayed marker is our own reading, its chat state not news.
    const auto in = readIncomingMessage(
        parse(QStringLiteral("<message xmlns='jabber:client' from='%1/phone' to='%2' type='chat' id='d1'>"
                             "<displayed xmlns='urn:xmpp:chat-markers:0' id='theirs'/>"
                             "<composing xmlns='http://jabber.org/protocol/chatstates'/></message>")
                  .arg(Me, Peer)),
        Me);
    QVERIFY(in);
    QCOMPARE(in->direction, ChatMessage::Direction::Outgoing);
    QCOMPARE(in->displayedByUs, QStringLiteral("theirs"));
    QVERIFY(in->confirmedId.isEmpty());
    QCOMPARE(in->chatState, ChatState::None);
}

void tst_IncomingMessage::malformedInputIsRefusedOrRepaired()
{
    // Group chat and error messages are not one-to-one messages.
    QVERIFY(!readIncomingMessage(
        parse(QStringLiteral("<message xmlns='jabber:client' from='room@muc.example.org/x' "
                             "type='groupchat'><body>hi</body></message>")),
        Me));
    // An own message without a valid recipient is dropped.
    QVERIFY(!readIncomingMessage(
        parse(QStringLiteral("<message xmlns='jabber:client' from='%1/desk' to='not a jid' "
                             "type='chat'><body>hi</body></message>")
                  .arg(Me)),
        Me));
    // A time in the future is not believed; an unreadable one neither.
    const QDateTime before = QDateTime::currentDateTimeUtc();
    const auto future = fromPeer(QStringLiteral("<body>t</body><delay xmlns='urn:xmpp:delay' "
                                                "stamp='2099-01-01T00:00:00Z'/>"));
    QVERIFY(future->message->timestamp >= before.addSecs(-1));
    QVERIFY(future->message->timestamp <= QDateTime::currentDateTimeUtc());
    const auto garbage =
        fromPeer(QStringLiteral("<body>t</body><delay xmlns='urn:xmpp:delay' stamp='soon'/>"));
    QVERIFY(garbage->message->timestamp >= before.addSecs(-1));
    // Ids too long or with control characters are dropped; actions on them are ignored.
    const auto longId = fromPeer(QStringLiteral("<body>t</body>"), QString(257, u'a'));
    QVERIFY(longId->message->id.isEmpty());
    QVERIFY(!longId->receiptRequested);
    const auto badTarget =
        fromPeer(QStringLiteral("<body>x</body><replace xmlns='urn:xmpp:message-correct:0' id='%1'/>")
                     .arg(QString(300, u'b')));
    QVERIFY(!badTarget->action);
    QVERIFY(!isUsableId(QStringLiteral("a\u0001b")));
    // Bodies over the limit are cut, never split inside a surrogate pair.
    const QString huge = QString(ChatMessage::MaxBodyLength - 1, u'a') + QStringLiteral("😀tail");
    const auto cut = fromPeer(QStringLiteral("<body>%1</body>").arg(huge));
    QVERIFY(cut->message->truncated);
    QCOMPARE(cut->message->body.size(), ChatMessage::MaxBodyLength - 1);
}

void tst_IncomingMessage::undecryptableMessagesLeaveANoticeKeyTransportNothing()
{
    const QString header =
        QStringLiteral("<header sid='7'><key rid='9'>AAAA</key><iv>AAAAAAAAAAAAAAAA</iv></header>");
    const auto unreadable =
        fromPeer(QStringLiteral(
                     "<encrypted xmlns='eu.siacs.conversations.axolotl'>%1<payload>AAAA</payload></encrypted>"
                     "<body>I sent you an OMEMO encrypted message</body>")
                     .arg(header));
    QVERIFY(unreadable && unreadable->message);
    QVERIFY(unreadable->message->body.isEmpty()); // not the fallback text
    QCOMPARE(unreadable->message->cryptoError, QStringLiteral("undecryptable"));
    QCOMPARE(unreadable->message->encryption, ChatMessage::Encryption::LegacyOmemo);

    // Key transport (no payload): it only moves a session on, maybe for another of our devices.
    const auto keyTransport = fromPeer(
        QStringLiteral("<encrypted xmlns='eu.siacs.conversations.axolotl'>%1</encrypted>").arg(header));
    QVERIFY(keyTransport);
    QVERIFY(!keyTransport->message);

    // A correction we cannot read leaves the notice too (its replace element may be inside the ciphertext).
    const auto correction = fromPeer(
        QStringLiteral(
            "<replace xmlns='urn:xmpp:message-correct:0' id='m0'/>"
            "<encrypted xmlns='eu.siacs.conversations.axolotl'>%1<payload>AAAA</payload></encrypted>")
            .arg(header));
    QVERIFY(correction && correction->message);
    QCOMPARE(correction->message->cryptoError, QStringLiteral("undecryptable"));
}

void tst_IncomingMessage::sharedFileMetadataRoundTrips()
{
    ChatMessage sent;
    sent.conversation = {Me, Peer};
    sent.id = QStringLiteral("f1");
    sent.originId = sent.id;
    sent.body = QStringLiteral("https://upload.example.org/abc/sunset.png");
    sent.oobUrl = sent.body;
    sent.file = FileMetadata{QStringLiteral("sunset.png"),
                             123456,
                             QStringLiteral("image/png"),
                             QByteArray(32, '\x11'),
                             1200,
                             800,
                             Natter::Test::encodedImage(QSize(8, 5), Qt::magenta)};
    QString xml = Natter::Test::xmlOf(OutgoingStanza::message(sent));
    QVERIFY2(xml.contains(QStringLiteral("urn:xmpp:sfs:0")), qPrintable(xml));
    // The preview as Dino sends and reads it: a data: URI of a PNG (XEP-0264), with its size.
    QVERIFY2(xml.contains(QStringLiteral("<thumbnail xmlns=\"urn:xmpp:thumbs:1\"")), qPrintable(xml));
    QVERIFY(xml.contains(QStringLiteral("uri=\"data:image/png;base64,") +
                         QString::fromLatin1(sent.file.thumbnail.toBase64()) + u'"'));
    QVERIFY(xml.contains(QStringLiteral("width=\"8\"")) && xml.contains(QStringLiteral("height=\"5\"")));
    // Well-formed, as a server checks it (QXmpp 1.10's own element repeats an xmlns attribute).
    QXmlStreamReader reader(xml);
    while (!reader.atEnd())
        reader.readNext();
    QVERIFY2(!reader.hasError(), qPrintable(reader.errorString() + u' ' + xml));
    QVERIFY(xml.contains(QStringLiteral("urn:xmpp:file:metadata:0")));
    QVERIFY(xml.contains(QStringLiteral("jabber:x:oob")));
    const auto in = readIncomingMessage(
        parse(xml.replace(QStringLiteral("to=\"peer@example.org\""),
                          QStringLiteral("to=\"me@example.org\" from=\"peer@example.org/phone\""))),
        Me);
    QVERIFY(in && in->message);
    QCOMPARE(in->message->oobUrl, sent.oobUrl);
    QCOMPARE(in->message->file, sent.file);

    // An encrypted file's link never goes with metadata in plain text.
    ChatMessage encrypted = sent;
    encrypted.body = QStringLiteral("aesgcm://upload.example.org/abc/x#") + QString(88, u'0');
    encrypted.oobUrl = encrypted.body;
    const QString secret = Natter::Test::xmlOf(OutgoingStanza::message(encrypted));
    QVERIFY(!secret.contains(QStringLiteral("urn:xmpp:sfs:0")));
    QVERIFY(!secret.contains(QStringLiteral("sunset.png")));
}

void tst_IncomingMessage::sharedFileMetadataIsCleaned()
{
    const auto share = [](const QString &url, const QString &metadata) {
        return QStringLiteral(
                   "<file-sharing xmlns='urn:xmpp:sfs:0' disposition='attachment'>"
                   "<file xmlns='urn:xmpp:file:metadata:0'>%2</file>"
                   "<sources><url-data xmlns='http://jabber.org/protocol/url-data' target='%1'/></sources>"
                   "</file-sharing>")
            .arg(url, metadata);
    };
    // Without XEP-0066 data: the share's link is the file's; a name from the network is made harmless, a
    // hash of the wrong length and absurd dimensions are dropped.
    const auto hostile = fromPeer(
        QStringLiteral("<body>https://files.example.org/x/evil.sh</body>") +
        share(QStringLiteral("https://files.example.org/x/evil.sh"),
              QStringLiteral("<name>../../.bashrc</name><size>42</size><media-type>text/plain</media-type>"
                             "<hash xmlns='urn:xmpp:hashes:2' algo='sha-256'>c2hvcnQ=</hash>"
                             "<width>999999999</width><height>10</height>")));
    QVERIFY(hostile && hostile->message);
    QCOMPARE(hostile->message->oobUrl, QStringLiteral("https://files.example.org/x/evil.sh"));
    QCOMPARE(hostile->message->file.name, QStringLiteral("bashrc"));
    QCOMPARE(hostile->message->file.size, std::optional<qint64>(42));
    QCOMPARE(hostile->message->file.mediaType, QStringLiteral("text/plain"));
    QVERIFY(hostile->message->file.sha256.isEmpty());
    QCOMPARE(hostile->message->file.width, 0);

    // Metadata about another link than the one shared describes nothing; plain http is no source.
    const auto other =
        fromPeer(QStringLiteral("<body>https://a.example.org/1.jpg</body>"
                                "<x xmlns='jabber:x:oob'><url>https://a.example.org/1.jpg</url></x>") +
                 share(QStringLiteral("https://b.example.org/2.jpg"), QStringLiteral("<name>2.jpg</name>")));
    QVERIFY(other && other->message);
    QCOMPARE(other->message->oobUrl, QStringLiteral("https://a.example.org/1.jpg"));
    QVERIFY(other->message->file.isEmpty());
    const auto http =
        fromPeer(QStringLiteral("<body>look</body>") +
                 share(QStringLiteral("http://a.example.org/1.jpg"), QStringLiteral("<name>1.jpg</name>")));
    QVERIFY(http && http->message);
    QVERIFY(http->message->oobUrl.isEmpty());
    QVERIFY(http->message->file.isEmpty());
}

void tst_IncomingMessage::sendersThumbnailIsTakenOnlyInline()
{
    const auto withThumbnail = [](const QString &uri) {
        return fromPeer(
            QStringLiteral(
                "<body>https://a.example.org/1.jpg</body>"
                "<file-sharing xmlns='urn:xmpp:sfs:0' disposition='inline'>"
                "<file "
                "xmlns='urn:xmpp:file:metadata:0'><name>1.jpg</name><width>800</width><height>600</height>"
                "<thumbnail xmlns='urn:xmpp:thumbs:1' uri='%1' media-type='image/jpeg' width='4' height='3'/>"
                "</file><sources><url-data xmlns='http://jabber.org/protocol/url-data' "
                "target='https://a.example.org/1.jpg'/></sources></file-sharing>")
                .arg(uri));
    };
    const QByteArray jpeg = Natter::Test::encodedImage(QSize(4, 3), Qt::yellow, "JPEG");
    const auto inlined =
        withThumbnail(QStringLiteral("data:image/jpeg;base64,") + QString::fromLatin1(jpeg.toBase64()));
    QVERIFY(inlined && inlined->message);
    QCOMPARE(inlined->message->file.thumbnail, jpeg);
    QCOMPARE(inlined->message->file.width, 800);

    // Fetching a link would tell its owner that we looked; Bits of Binary would need a request; other types
    // are no image; larger or broken data is refused. The rest of the metadata stays.
    const QString tooLarge =
        QStringLiteral("data:image/png;base64,") +
        QString::fromLatin1(QByteArray(Thumbnailer::MaxPreviewBytes + 3, 'x').toBase64());
    for (const QString &uri :
         {QStringLiteral("https://tracker.example.org/pixel.png"),
          QStringLiteral("cid:sha1+8f35fef110ffc5df08d579a50083ff9308fb6242@bob.xmpp.org"),
          QStringLiteral("data:text/html;base64,") + QString::fromLatin1(QByteArray("<b>hi</b>").toBase64()),
          QStringLiteral("data:image/png,rawbytes"), QStringLiteral("data:image/png;base64,@@not base64@@"),
          tooLarge}) {
        const auto refused = withThumbnail(uri);
        QVERIFY(refused && refused->message);
        QVERIFY2(refused->message->file.thumbnail.isEmpty(), qPrintable(uri.left(60)));
        QCOMPARE(refused->message->file.name, QStringLiteral("1.jpg"));
    }
}

void tst_IncomingMessage::localFileLinksAreNoAttachment()
{
    // Someone sends a link to a file on our own machine: it is text, never a file card to click.
    const auto local = fromPeer(QStringLiteral("<body>file:///etc/passwd</body>"
                                               "<x xmlns='jabber:x:oob'><url>file:///etc/passwd</url></x>"));
    QVERIFY(local && local->message);
    QCOMPARE(local->message->kind, ChatMessage::Kind::Message);
    QVERIFY(!attachmentOf(*local->message));
    // Only a record this device made of a direct transfer shows a local file.
    ChatMessage record = *local->message;
    record.kind = ChatMessage::Kind::DirectTransfer;
    const auto attachment = attachmentOf(record);
    QVERIFY(attachment);
    QVERIFY(attachment->direct);
    QCOMPARE(attachment->described.name, QStringLiteral("passwd"));
    record.oobUrl = QStringLiteral("https://example.org/x.png");
    QVERIFY(!attachmentOf(record));
}

QTEST_GUILESS_MAIN(tst_IncomingMessage)
#include "tst_incomingmessage.moc"
