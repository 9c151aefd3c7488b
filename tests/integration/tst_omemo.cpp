// SPDX-License-Identifier: GPL-3.0-or-later
// OMEMO against an independent implementation (python-omemo through slixmpp-omemo, support/omemo_peer.py)
// on the real Prosody: legacy OMEMO 0.3 and OMEMO 2 both ways, and the refusal to send in plain text.
#include "OmemoPeer.h"
#include "OnlineAccount.h"
#include "RawStanza.h"
#include "StoredAccount.h"
#include "TestServer.h"
#include "WireTap.h"
#include "account/Account.h"
#include "crypto/EncryptionService.h"
#include "crypto/LegacyOmemoService.h"
#include "domain/ConnectionState.h"
#include "messaging/MessageService.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QXmppClient.h>
#include <QXmppLogger.h>
#include <QXmppMessage.h>

using namespace Natter::Core;
using namespace Natter::Test;

class tst_Omemo : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void legacyMessagesFromThePeerAreDecrypted();
    void ourMessagesReachALegacyPeerEncrypted();
    void omemo2MessagesFromThePeerAreDecrypted();
    void nothingGoesOutInPlainTextWhenNoDeviceCanBeReached();
    void aMessageForAnotherDeviceLeavesANotice();
    void twoNatterAccountsTalkEncrypted();
    void devicesWithOmemo2GetOmemo2();
    void ourOtherDeviceReadsWhatWeSend();
    void messagesSentWhileWeWereOfflineAreDecrypted_data();
    void messagesSentWhileWeWereOfflineAreDecrypted();

private:
    // A fresh account with a profile whose OMEMO keys are published; nullptr when that failed.
    // Waits until peer sees account's device in version's device list.
    static bool peerSeesDevice(OmemoPeer &peer, const StoredAccount &account, const QString &version);
    // peer sends body to to, encrypted in version ("legacy", "v2" or "auto").
    static void peerSends(OmemoPeer &peer, const QString &to, const QString &body, const QString &version);
    static std::optional<ChatMessage> waitForStored(StoredAccount &account, const QString &peer,
                                                    const std::function<bool(const ChatMessage &)> &matches);

    TestServer m_server;
};

namespace {
const OmemoPeer::Options LegacyOnly{QStringLiteral("legacy"), QStringLiteral("blind")};
} // namespace

void tst_Omemo::peerSends(OmemoPeer &peer, const QString &to, const QString &body, const QString &version)
{
    peer.command({{QStringLiteral("cmd"), QStringLiteral("send")},
                  {QStringLiteral("to"), to},
                  {QStringLiteral("body"), body},
                  {QStringLiteral("version"), version}});
}

void tst_Omemo::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
}

bool tst_Omemo::peerSeesDevice(OmemoPeer &peer, const StoredAccount &account, const QString &version)
{
    const uint32_t ours = account.account()->encryption()->legacy().engine()->deviceId();
    for (int attempt = 0; attempt < 20; ++attempt) {
        peer.command(
            {{QStringLiteral("cmd"), QStringLiteral("devices")}, {QStringLiteral("jid"), account.jid()}});
        const auto devices = peer.waitForEvent(QStringLiteral("devices"));
        if (!devices)
            return false;
        for (const QJsonValue &device : devices->value(QStringLiteral("devices")).toArray()) {
            const QJsonObject entry = device.toObject();
            if (uint32_t(entry.value(QStringLiteral("id")).toInteger()) == ours &&
                entry.value(QStringLiteral("version")).toString() == version)
                return true;
        }
        peer.command(
            {{QStringLiteral("cmd"), QStringLiteral("refresh")}, {QStringLiteral("jid"), account.jid()}});
        peer.waitForEvent(QStringLiteral("refreshed"));
        QTest::qWait(250);
    }
    return false;
}

std::optional<ChatMessage> tst_Omemo::waitForStored(StoredAccount &account, const QString &peer,
                                                    const std::function<bool(const ChatMessage &)> &matches)
{
    std::optional<ChatMessage> found;
    [[maybe_unused]] const bool seen = QTest::qWaitFor(
        [&] {
            for (const ChatMessage &message : account.messagesWith(peer)) {
                if (matches(message))
                    found = message;
            }
            return found.has_value();
        },
        20000);
    return found;
}

void tst_Omemo::legacyMessagesFromThePeerAreDecrypted()
{
    auto alice = newEncryptedUser(m_server, QStringLiteral("omemo-alice"));
    QVERIFY(alice);
    const auto peerUser = m_server.registerAccount(QStringLiteral("omemo-legacy"));
    QVERIFY(peerUser);
    OmemoPeer peer(m_server, *peerUser, LegacyOnly);
    QVERIFY(peer.waitReady());
    QVERIFY(peerSeesDevice(peer, *alice, QStringLiteral("legacy")));

    peerSends(peer, alice->jid(), QStringLiteral("Grüße from the legacy side <&>"), QStringLiteral("legacy"));
    const auto sent = peer.waitForEvent(QStringLiteral("sent"));
    QVERIFY2(sent, qPrintable(peer.errorOutput()));

    const QString peerJid = m_server.jid(*peerUser);
    const auto stored =
        waitForStored(*alice, peerJid, [](const ChatMessage &m) { return m.body.startsWith(u"Grüße"); });
    QVERIFY(stored);
    QCOMPARE(stored->body, QStringLiteral("Grüße from the legacy side <&>"));
    QCOMPARE(stored->encryption, ChatMessage::Encryption::LegacyOmemo);
    QVERIFY(stored->cryptoError.isEmpty());
    // The peer's identity is the one it announced.
    const auto &engine = *alice->account()->encryption()->legacy().engine();
    QCOMPARE(QString::fromLatin1(engine.identityKeyOf({peerJid, peer.deviceId()}).toHex()),
             peer.fingerprint(QStringLiteral("legacy")));
}

void tst_Omemo::ourMessagesReachALegacyPeerEncrypted()
{
    auto alice = newEncryptedUser(m_server, QStringLiteral("omemo-alice"));
    QVERIFY(alice);
    const auto peerUser = m_server.registerAccount(QStringLiteral("omemo-legacy"));
    QVERIFY(peerUser);
    OmemoPeer peer(m_server, *peerUser, LegacyOnly);
    QVERIFY(peer.waitReady());
    const QString peerJid = m_server.jid(*peerUser);

    auto composed = alice->account()->messages().compose(peerJid, QStringLiteral("a secret for the peer"));
    QVERIFY(isOk(composed));
    const auto sent = waitFor(alice->account()->messages().send(std::get<ChatMessage>(composed)));
    QVERIFY2(isOk(sent), qPrintable(errorOf(sent).detail));
    QCOMPARE(std::get<ChatMessage>(sent).encryption, ChatMessage::Encryption::LegacyOmemo);

    const auto received = peer.waitForEvent(QStringLiteral("message"));
    QVERIFY2(received, qPrintable(peer.errorOutput()));
    QCOMPARE(received->value(QStringLiteral("body")).toString(), QStringLiteral("a secret for the peer"));
    QCOMPARE(received->value(QStringLiteral("version")).toString(), QStringLiteral("legacy"));
    QVERIFY(received->value(QStringLiteral("encrypted")).toBool());

    // Stored as sent, and the conversation stays encrypted from now on.
    const auto stored = waitForStored(*alice, peerJid, [](const ChatMessage &m) {
        return m.direction == ChatMessage::Direction::Outgoing &&
               m.encryption == ChatMessage::Encryption::LegacyOmemo;
    });
    QVERIFY(stored);
    const auto choice = waitFor(alice->account()->encryption()->choice({alice->jid(), peerJid}));
    QCOMPARE(std::get<EncryptionChoice>(choice), EncryptionChoice::On);

    // The peer answers within the session we started.
    peerSends(peer, alice->jid(), QStringLiteral("answer"), QStringLiteral("legacy"));
    QVERIFY(waitForStored(*alice, peerJid, [](const ChatMessage &m) { return m.body == u"answer"; }));

    // A correction's new text is encrypted like the message it corrects.
    WireTap wire(alice->account()->client());
    const auto corrected =
        waitFor(alice->account()->messages().correct(*stored, QStringLiteral("a corrected zebra secret")));
    QVERIFY2(isOk(corrected), qPrintable(errorOf(corrected).detail));
    QCOMPARE(std::get<ChatMessage>(corrected).body, QStringLiteral("a corrected zebra secret"));
    const auto correction = peer.waitForEvent(QStringLiteral("message"), [](const QJsonObject &event) {
        return event.value(QStringLiteral("body")).toString() == u"a corrected zebra secret";
    });
    QVERIFY2(correction, qPrintable(peer.errorOutput()));
    QVERIFY(correction->value(QStringLiteral("encrypted")).toBool());
    QVERIFY(wire.sentContains(QStringLiteral("eu.siacs.conversations.axolotl")));
    QVERIFY2(!wire.sentContains(QStringLiteral("zebra")), qPrintable(wire.sent().join(u'\n')));
}

void tst_Omemo::omemo2MessagesFromThePeerAreDecrypted()
{
    auto alice = newEncryptedUser(m_server, QStringLiteral("omemo-alice"));
    QVERIFY(alice);
    const auto peerUser = m_server.registerAccount(QStringLiteral("omemo-two"));
    QVERIFY(peerUser);
    OmemoPeer peer(m_server, *peerUser, {QStringLiteral("v2"), QStringLiteral("blind")});
    QVERIFY(peer.waitReady());
    QVERIFY(peerSeesDevice(peer, *alice, QStringLiteral("v2")));

    peerSends(peer, alice->jid(), QStringLiteral("hello in OMEMO 2"), QStringLiteral("v2"));
    QVERIFY2(peer.waitForEvent(QStringLiteral("sent")), qPrintable(peer.errorOutput()));
    const auto stored = waitForStored(*alice, m_server.jid(*peerUser),
                                      [](const ChatMessage &m) { return m.body == u"hello in OMEMO 2"; });
    QVERIFY(stored);
    QCOMPARE(stored->encryption, ChatMessage::Encryption::Omemo2);
}

void tst_Omemo::nothingGoesOutInPlainTextWhenNoDeviceCanBeReached()
{
    auto alice = newEncryptedUser(m_server, QStringLiteral("omemo-alice"));
    QVERIFY(alice);
    // A contact whose client has no OMEMO at all.
    const auto plainUser = m_server.registerAccount(QStringLiteral("plain"));
    QVERIFY(plainUser);
    auto plain = onlineAccount(m_server, *plainUser);
    QVERIFY(plain);
    QSignalSpy arrived(&plain->client(), &QXmppClient::messageReceived);
    const QString plainJid = m_server.jid(*plainUser);
    const ConversationKey conversation{alice->jid(), plainJid};
    QVERIFY(isOk(waitFor(alice->account()->encryption()->setChoice(conversation, EncryptionChoice::On))));

    auto composed = alice->account()->messages().compose(plainJid, QStringLiteral("must not leak"));
    QVERIFY(isOk(composed));
    const auto sent = waitFor(alice->account()->messages().send(std::get<ChatMessage>(composed)));
    QCOMPARE(errorOf(sent).code, Error::Code::EncryptionUnavailable);
    QCOMPARE(errorOf(sent).detail, plainJid);

    // A message sent after it in plain text arrives; the refused one never does.
    QVERIFY(isOk(waitFor(alice->account()->encryption()->setChoice(conversation, EncryptionChoice::Off))));
    composed = alice->account()->messages().compose(plainJid, QStringLiteral("plain on purpose"));
    QVERIFY(isOk(waitFor(alice->account()->messages().send(std::get<ChatMessage>(composed)))));
    QTRY_VERIFY_WITH_TIMEOUT(!arrived.isEmpty(), 10000);
    for (const auto &arguments : arrived)
        QVERIFY(arguments.first().value<QXmppMessage>().body() != u"must not leak");
    QCOMPARE(arrived.last().first().value<QXmppMessage>().body(), QStringLiteral("plain on purpose"));
    // Nothing of the refused message stays to be resent later.
    for (const ChatMessage &message : alice->messagesWith(plainJid))
        QVERIFY(message.body != u"must not leak");
}

void tst_Omemo::aMessageForAnotherDeviceLeavesANotice()
{
    auto alice = newEncryptedUser(m_server, QStringLiteral("omemo-alice"));
    QVERIFY(alice);
    const auto senderUser = m_server.registerAccount(QStringLiteral("forger"));
    QVERIFY(senderUser);
    auto sender = onlineAccount(m_server, *senderUser);
    QVERIFY(sender);
    const uint32_t ours = alice->account()->encryption()->legacy().engine()->deviceId();
    const QString senderJid = m_server.jid(*senderUser);

    // Encrypted for another device of Alice's only, and one whose key element for us is garbage.
    const QString notForUs =
        QStringLiteral(
            "<message to='%1' type='chat' id='not-for-us'><body>fallback text</body>"
            "<encrypted xmlns='eu.siacs.conversations.axolotl'><header sid='12345'><key "
            "rid='%2'>AAECAwQ=</key>"
            "<iv>AAECAwQFBgcICQoL</iv></header><payload>AAEC</payload></encrypted>"
            "<encryption xmlns='urn:xmpp:eme:0' namespace='eu.siacs.conversations.axolotl'/></message>")
            .arg(alice->jid())
            .arg(ours + 1);
    const QString garbage =
        QStringLiteral(
            "<message to='%1' type='chat' id='garbage'><body>fallback text</body>"
            "<encrypted xmlns='eu.siacs.conversations.axolotl'><header sid='12345'><key rid='%2' "
            "prekey='true'>"
            "AAECAwQ=</key><iv>AAECAwQFBgcICQoL</iv></header><payload>AAEC</payload></encrypted></message>")
            .arg(alice->jid())
            .arg(ours);
    QVERIFY(sendRaw(sender->client(), notForUs));
    QVERIFY(sendRaw(sender->client(), garbage));

    for (const QString &id : {QStringLiteral("not-for-us"), QStringLiteral("garbage")}) {
        const auto stored =
            waitForStored(*alice, senderJid, [&id](const ChatMessage &m) { return m.id == id; });
        QVERIFY2(stored, qPrintable(id));
        // Neither the fallback text nor an empty bubble: a notice that it could not be decrypted.
        QVERIFY(stored->body.isEmpty());
        QCOMPARE(stored->encryption, ChatMessage::Encryption::LegacyOmemo);
        QCOMPARE(stored->cryptoError, QStringLiteral("undecryptable"));
    }
}

void tst_Omemo::twoNatterAccountsTalkEncrypted()
{
    auto alice = newEncryptedUser(m_server, QStringLiteral("omemo-alice"));
    auto bob = newEncryptedUser(m_server, QStringLiteral("omemo-bob"));
    QVERIFY(alice && bob);
    // Alice's client learns Bob's devices (a contact's list would come by notification).
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const auto ids = waitFor(alice->account()->encryption()->legacy().refreshDeviceList(bob->jid()));
            return isOk(ids) && !std::get<QList<uint32_t>>(ids).isEmpty();
        }(),
        10000);

    auto composed = alice->account()->messages().compose(bob->jid(), QStringLiteral("between two Natters"));
    QVERIFY(isOk(composed));
    const ChatMessage original = std::get<ChatMessage>(composed);
    const auto sent = waitFor(alice->account()->messages().send(original));
    QVERIFY2(isOk(sent), qPrintable(errorOf(sent).detail));
    // Both speak OMEMO 2 as well: that is the version a device announcing both gets.
    QCOMPARE(std::get<ChatMessage>(sent).encryption, ChatMessage::Encryption::Omemo2);

    const auto atBob =
        waitForStored(*bob, alice->jid(), [](const ChatMessage &m) { return !m.body.isEmpty(); });
    QVERIFY(atBob);
    QCOMPARE(atBob->body, QStringLiteral("between two Natters"));
    QCOMPARE(atBob->encryption, ChatMessage::Encryption::Omemo2);
    // The ids outside the encryption stay as they were: receipts, corrections and replies refer to them.
    QCOMPARE(atBob->id, original.id);
    QCOMPARE(atBob->originId, original.originId);

    // Bob answers in the session Alice started.
    composed = bob->account()->messages().compose(alice->jid(), QStringLiteral("and back"));
    const auto answer = waitFor(bob->account()->messages().send(std::get<ChatMessage>(composed)));
    QVERIFY2(isOk(answer), qPrintable(errorOf(answer).detail));
    QCOMPARE(std::get<ChatMessage>(answer).encryption, ChatMessage::Encryption::Omemo2);
    QVERIFY(waitForStored(*alice, bob->jid(), [](const ChatMessage &m) { return m.body == u"and back"; }));
}

void tst_Omemo::devicesWithOmemo2GetOmemo2()
{
    auto alice = newEncryptedUser(m_server, QStringLiteral("omemo-alice"));
    QVERIFY(alice);
    const auto onlyTwoUser = m_server.registerAccount(QStringLiteral("omemo-two"));
    const auto bothUser = m_server.registerAccount(QStringLiteral("omemo-both"));
    QVERIFY(onlyTwoUser && bothUser);
    OmemoPeer onlyTwo(m_server, *onlyTwoUser, {QStringLiteral("v2"), QStringLiteral("blind")});
    OmemoPeer both(m_server, *bothUser, {QStringLiteral("legacy,v2"), QStringLiteral("blind")});
    QVERIFY(onlyTwo.waitReady());
    QVERIFY(both.waitReady());

    for (OmemoPeer *peer : {&onlyTwo, &both}) {
        const QString peerJid = m_server.jid(peer == &onlyTwo ? *onlyTwoUser : *bothUser);
        auto composed = alice->account()->messages().compose(peerJid, QStringLiteral("which version?"));
        WireTap wire(alice->account()->client());
        const auto sent = waitFor(alice->account()->messages().send(std::get<ChatMessage>(composed)));
        QVERIFY2(isOk(sent), qPrintable(errorOf(sent).detail));
        QCOMPARE(std::get<ChatMessage>(sent).encryption, ChatMessage::Encryption::Omemo2);
        // Only the ciphertext went out: the text is in no stanza Alice wrote.
        QVERIFY(wire.sentContains(QStringLiteral("urn:xmpp:omemo:2")));
        QVERIFY2(!wire.sentContains(QStringLiteral("which version?")), qPrintable(wire.sent().join(u'\n')));
        const auto received = peer->waitForEvent(QStringLiteral("message"));
        QVERIFY2(received, qPrintable(peer->errorOutput()));
        QCOMPARE(received->value(QStringLiteral("body")).toString(), QStringLiteral("which version?"));
        QCOMPARE(received->value(QStringLiteral("version")).toString(), QStringLiteral("v2"));
        QCOMPARE(uint32_t(received->value(QStringLiteral("sender_device")).toInteger()),
                 alice->account()->encryption()->legacy().engine()->deviceId());
    }
    // Neither peer met a message it could not read.
    QVERIFY(onlyTwo.events(QStringLiteral("decrypt_error")).isEmpty());
    QVERIFY(both.events(QStringLiteral("decrypt_error")).isEmpty());
}

void tst_Omemo::ourOtherDeviceReadsWhatWeSend()
{
    auto laptop = newEncryptedUser(m_server, QStringLiteral("omemo-carol"));
    QVERIFY(laptop);
    const QString user = laptop->jid().section(u'@', 0, 0);
    auto desktop = std::make_unique<StoredAccount>(m_server, user);
    QVERIFY(desktop->isOnline());
    auto *desktopEncryption = desktop->account()->encryption();
    QTRY_VERIFY_WITH_TIMEOUT(desktopEncryption->isReady(), 20000);
    const uint32_t desktopDevice = desktopEncryption->legacy().engine()->deviceId();
    // The laptop learns of the new device from our own device list (PEP notification).
    QTRY_VERIFY_WITH_TIMEOUT(laptop->account()
                                 ->encryption()
                                 ->legacy()
                                 .deviceIds(laptop->jid())
                                 .value_or(QList<uint32_t>())
                                 .contains(desktopDevice),
                             20000);

    const auto peerUser = m_server.registerAccount(QStringLiteral("omemo-legacy"));
    QVERIFY(peerUser);
    OmemoPeer peer(m_server, *peerUser, LegacyOnly);
    QVERIFY(peer.waitReady());
    const QString peerJid = m_server.jid(*peerUser);
    auto composed = laptop->account()->messages().compose(peerJid, QStringLiteral("from the laptop"));
    const auto sent = waitFor(laptop->account()->messages().send(std::get<ChatMessage>(composed)));
    QVERIFY2(isOk(sent), qPrintable(errorOf(sent).detail));

    // The carbon reaches the desktop encrypted for it too.
    const auto copy = waitForStored(*desktop, peerJid, [](const ChatMessage &m) {
        return m.direction == ChatMessage::Direction::Outgoing;
    });
    QVERIFY(copy);
    QCOMPARE(copy->body, QStringLiteral("from the laptop"));
    QCOMPARE(copy->encryption, ChatMessage::Encryption::LegacyOmemo);
    QVERIFY(peer.waitForEvent(QStringLiteral("message")));

    // The peer's answer is encrypted for both of our devices.
    peer.command(
        {{QStringLiteral("cmd"), QStringLiteral("refresh")}, {QStringLiteral("jid"), laptop->jid()}});
    QVERIFY(peer.waitForEvent(QStringLiteral("refreshed")));
    peerSends(peer, laptop->jid(), QStringLiteral("to both of you"), QStringLiteral("legacy"));
    QVERIFY(
        waitForStored(*laptop, peerJid, [](const ChatMessage &m) { return m.body == u"to both of you"; }));
    QVERIFY(
        waitForStored(*desktop, peerJid, [](const ChatMessage &m) { return m.body == u"to both of you"; }));

    // What the laptop says while the desktop is off reaches the desktop from the archive, readable.
    desktop->account()->disconnectFromServer();
    QTRY_COMPARE_WITH_TIMEOUT(desktop->account()->state(), ConnectionState::Offline, 10000);
    auto later = laptop->account()->messages().compose(peerJid, QStringLiteral("while the desktop slept"));
    QVERIFY(isOk(waitFor(laptop->account()->messages().send(std::get<ChatMessage>(later)))));
    QVERIFY(peer.waitForEvent(QStringLiteral("message"), [](const QJsonObject &event) {
        return event.value(QStringLiteral("body")).toString() == u"while the desktop slept";
    }));
    desktop->account()->connectToServer();
    const auto archived = waitForStored(
        *desktop, peerJid, [](const ChatMessage &m) { return m.body == u"while the desktop slept"; });
    QVERIFY(archived);
    QCOMPARE(archived->direction, ChatMessage::Direction::Outgoing);
    QVERIFY(archived->encryption != ChatMessage::Encryption::None);
    // Key transport messages for the laptop's device alone leave nothing at the desktop either.
    for (const ChatMessage &message : desktop->messagesWith(peerJid))
        QVERIFY2(message.cryptoError.isEmpty(),
                 qPrintable(QStringLiteral("%1 %2 origin %3 stanza %4")
                                .arg(int(message.direction))
                                .arg(message.id, message.originId, message.stanzaId)));
}

void tst_Omemo::messagesSentWhileWeWereOfflineAreDecrypted_data()
{
    QTest::addColumn<QString>("version");
    QTest::addColumn<ChatMessage::Encryption>("encryption");
    QTest::newRow("legacy") << QStringLiteral("legacy") << ChatMessage::Encryption::LegacyOmemo;
    QTest::newRow("OMEMO 2") << QStringLiteral("v2") << ChatMessage::Encryption::Omemo2;
}

void tst_Omemo::messagesSentWhileWeWereOfflineAreDecrypted()
{
    QFETCH(QString, version);
    QFETCH(ChatMessage::Encryption, encryption);
    auto alice = newEncryptedUser(m_server, QStringLiteral("omemo-alice"));
    QVERIFY(alice);
    const auto peerUser = m_server.registerAccount(QStringLiteral("omemo-offline"));
    QVERIFY(peerUser);
    OmemoPeer peer(m_server, *peerUser, {version, QStringLiteral("blind")});
    QVERIFY(peer.waitReady());
    QVERIFY(peerSeesDevice(peer, *alice, version));
    const QString peerJid = m_server.jid(*peerUser);
    // A first message builds the session while Alice is online.
    peerSends(peer, alice->jid(), QStringLiteral("before"), version);
    QVERIFY(waitForStored(*alice, peerJid, [](const ChatMessage &m) { return m.body == u"before"; }));

    alice->account()->disconnectFromServer();
    QTRY_COMPARE_WITH_TIMEOUT(alice->account()->state(), ConnectionState::Offline, 10000);
    for (const QString &body :
         {QStringLiteral("while you were away 1"), QStringLiteral("while you were away 2")}) {
        peerSends(peer, alice->jid(), body, version);
        QVERIFY(peer.waitForEvent(QStringLiteral("sent")));
    }
    QTest::qWait(300);
    alice->account()->connectToServer();

    for (const QString &body :
         {QStringLiteral("while you were away 1"), QStringLiteral("while you were away 2")}) {
        const auto stored =
            waitForStored(*alice, peerJid, [&body](const ChatMessage &m) { return m.body == body; });
        QVERIFY2(stored, qPrintable(body));
        QCOMPARE(stored->encryption, encryption);
    }
    // Each once, and no notice for an undecryptable copy.
    int notices = 0;
    for (const ChatMessage &message : alice->messagesWith(peerJid))
        notices += message.cryptoError.isEmpty() ? 0 : 1;
    QCOMPARE(notices, 0);
    QCOMPARE(alice->messagesWith(peerJid).size(), 3);
}

QTEST_GUILESS_MAIN(tst_Omemo)
#include "tst_omemo.moc"
