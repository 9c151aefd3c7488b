// SPDX-License-Identifier: GPL-3.0-or-later
// Legacy OMEMO 0.3 on libomemo-c between two in-process devices: sessions, payloads, failures, reloads.
#include "RawStanza.h"
#include "crypto/LegacyOmemoEngine.h"
#include "crypto/SignalContext.h"
#include "crypto/SignalPointers.h"

#include <QDomDocument>
#include <QTest>
#include <QXmlStreamWriter>
#include <QXmppOmemoMemoryStorage.h>

extern "C" {
#include <omemo/curve.h>
#include <omemo/key_helper.h>
#include <omemo/ratchet.h>
}

using namespace Natter::Core;
using Device = LegacyOmemoEngine::Device;

namespace {

// What QXmpp's OMEMO 2 set-up stores as our device: a Curve25519 private key and the Ed25519 public key.
QXmppOmemoStorage::OwnDevice newOwnDevice(uint32_t id)
{
    SignalContext context;
    Signal::Ref<ratchet_identity_key_pair> pair;
    if (signal_protocol_key_helper_generate_identity_key_pair(pair.out(), context.get()) < 0)
        return {};
    signal_buffer *privateKey = nullptr;
    ec_private_key_serialize(&privateKey, ratchet_identity_key_pair_get_private(pair.get()));
    QXmppOmemoStorage::OwnDevice own;
    own.id = id;
    own.privateIdentityKey = Signal::toByteArray(Signal::Buffer(privateKey));
    own.publicIdentityKey = Signal::toByteArray(
        Signal::Buffer(ec_public_key_get_ed(ratchet_identity_key_pair_get_public(pair.get()))));
    return own;
}

template <typename T> T valueOf(const Result<T> &result)
{
    if (const auto *error = std::get_if<Error>(&result))
        qWarning() << "unexpected error:" << error->codeName() << error->detail;
    return std::get<T>(result);
}

struct Party
{
    Party(const QString &bareJid, uint32_t id)
        : jid(bareJid)
        , own(newOwnDevice(id))
    {
        reload();
    }

    // A new engine on the same storage, as after a restart.
    void reload()
    {
        engine = std::make_unique<LegacyOmemoEngine>(jid, storage);
        auto data = storage.allData();
        QVERIFY(data.isFinished());
        QVERIFY(isOk(engine->load(own, data.takeResult())));
    }

    Device device() const { return {jid, own.id}; }

    QString jid;
    QXmppOmemoStorage::OwnDevice own;
    QXmppOmemoMemoryStorage storage;
    std::unique_ptr<LegacyOmemoEngine> engine;
};

LegacyOmemo::EncryptedElement throughXml(const LegacyOmemo::EncryptedElement &element)
{
    QDomDocument document;
    document.setContent(Natter::Test::xmlOf(element), QDomDocument::ParseOption::UseNamespaceProcessing);
    return LegacyOmemo::EncryptedElement::parse(document.documentElement()).value();
}

LegacyOmemo::Bundle bundleThroughXml(const LegacyOmemo::Bundle &bundle)
{
    QDomDocument document;
    document.setContent(Natter::Test::xmlOf(bundle), QDomDocument::ParseOption::UseNamespaceProcessing);
    return LegacyOmemo::Bundle::parse(document.documentElement()).value();
}

} // namespace

class tst_LegacyOmemo : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void bundleHasSignedPreKeyAndHundredPreKeys();
    void firstMessageStartsSessionAndReplyCompletesIt();
    void usedPreKeyIsReplacedWithNewId();
    void sessionsContinueAfterReload();
    void replayedMessageIsRefused();
    void tamperedPayloadFailsTagCheck();
    void tamperedKeyIsRefused();
    void messageForAnotherDeviceIsReported();
    void bundleWithForgedSignatureBuildsNoSession();
    void keyTransportElementHasNoPayload();
    void encryptsForSeveralDevicesAndReportsThoseWithoutSession();
};

void tst_LegacyOmemo::bundleHasSignedPreKeyAndHundredPreKeys()
{
    Party bob(QStringLiteral("bob@example.org"), 4242);
    const auto bundle = bundleThroughXml(bob.engine->bundle());
    QCOMPARE(bundle.preKeys.size(), 100);
    QCOMPARE(bundle.identityKey.size(), 33);
    QCOMPARE(bundle.identityKey.at(0), char(0x05));
    QCOMPARE(bundle.identityKey.mid(1), bob.engine->identityKey());
    QCOMPARE(bundle.signedPreKeyPublic.size(), 33);
    QCOMPARE(bundle.signedPreKeySignature.size(), 64);
    QCOMPARE(bob.engine->deviceId(), 4242u);
}

void tst_LegacyOmemo::firstMessageStartsSessionAndReplyCompletesIt()
{
    Party alice(QStringLiteral("alice@example.org"), 1001);
    Party bob(QStringLiteral("bob@example.org"), 2002);
    QVERIFY(isOk(alice.engine->buildSession(bob.device(), bundleThroughXml(bob.engine->bundle()))));

    const auto first = valueOf(alice.engine->encrypt({bob.device()}, "Hello Bob"));
    QVERIFY(first.failed.isEmpty());
    QCOMPARE(first.element.keys.size(), 1);
    QVERIFY(first.element.keys.first().preKey);
    QCOMPARE(first.element.iv.size(), 12);

    const auto received = valueOf(bob.engine->decrypt(alice.jid, throughXml(first.element)));
    QCOMPARE(received.plaintext, QByteArray("Hello Bob"));
    QVERIFY(received.preKeyUsed);
    QCOMPARE(received.identityKey, alice.engine->identityKey());

    const auto reply = valueOf(bob.engine->encrypt({alice.device()}, "Hi Alice"));
    QVERIFY(!reply.element.keys.first().preKey);
    QCOMPARE(valueOf(alice.engine->decrypt(bob.jid, throughXml(reply.element))).plaintext,
             QByteArray("Hi Alice"));

    // Bob answered, so Alice's session is complete: no more pre-key messages.
    const auto second = valueOf(alice.engine->encrypt({bob.device()}, "Second"));
    QVERIFY(!second.element.keys.first().preKey);
    QCOMPARE(valueOf(bob.engine->decrypt(alice.jid, second.element)).plaintext, QByteArray("Second"));
}

void tst_LegacyOmemo::usedPreKeyIsReplacedWithNewId()
{
    Party alice(QStringLiteral("alice@example.org"), 1001);
    Party bob(QStringLiteral("bob@example.org"), 2002);
    const auto before = bob.engine->bundle();
    QVERIFY(isOk(alice.engine->buildSession(bob.device(), before)));
    const auto message = valueOf(alice.engine->encrypt({bob.device()}, "x"));
    QVERIFY(isOk(bob.engine->decrypt(alice.jid, message.element)));

    const auto after = bob.engine->bundle();
    QCOMPARE(after.preKeys.size(), 100);
    const auto beforeIds = QSet<uint32_t>(before.preKeys.keyBegin(), before.preKeys.keyEnd());
    const auto afterIds = QSet<uint32_t>(after.preKeys.keyBegin(), after.preKeys.keyEnd());
    const auto removed = beforeIds - afterIds;
    const auto added = afterIds - beforeIds;
    QCOMPARE(removed.size(), 1);
    QCOMPARE(added.size(), 1);
    QCOMPARE(*added.begin(), 101u);
    // The storage agrees: a restart publishes the same bundle.
    bob.reload();
    QCOMPARE(bob.engine->bundle().preKeys, after.preKeys);
}

void tst_LegacyOmemo::sessionsContinueAfterReload()
{
    Party alice(QStringLiteral("alice@example.org"), 1001);
    Party bob(QStringLiteral("bob@example.org"), 2002);
    QVERIFY(isOk(alice.engine->buildSession(bob.device(), bob.engine->bundle())));
    QVERIFY(
        isOk(bob.engine->decrypt(alice.jid, valueOf(alice.engine->encrypt({bob.device()}, "1")).element)));
    QVERIFY(
        isOk(alice.engine->decrypt(bob.jid, valueOf(bob.engine->encrypt({alice.device()}, "2")).element)));

    alice.reload();
    bob.reload();
    QVERIFY(alice.engine->hasSession(bob.device()));
    const auto message = valueOf(alice.engine->encrypt({bob.device()}, "after restart"));
    QVERIFY(!message.element.keys.first().preKey); // no new key exchange
    QCOMPARE(valueOf(bob.engine->decrypt(alice.jid, message.element)).plaintext, QByteArray("after restart"));
    QCOMPARE(bob.engine->identityKeyOf(alice.device()), alice.engine->identityKey());
}

void tst_LegacyOmemo::replayedMessageIsRefused()
{
    Party alice(QStringLiteral("alice@example.org"), 1001);
    Party bob(QStringLiteral("bob@example.org"), 2002);
    QVERIFY(isOk(alice.engine->buildSession(bob.device(), bob.engine->bundle())));
    QVERIFY(
        isOk(bob.engine->decrypt(alice.jid, valueOf(alice.engine->encrypt({bob.device()}, "1")).element)));
    QVERIFY(
        isOk(alice.engine->decrypt(bob.jid, valueOf(bob.engine->encrypt({alice.device()}, "2")).element)));
    const auto message = valueOf(alice.engine->encrypt({bob.device()}, "once"));
    QVERIFY(isOk(bob.engine->decrypt(alice.jid, message.element)));

    const auto replayed = bob.engine->decrypt(alice.jid, message.element);
    QCOMPARE(errorOf(replayed).code, Error::Code::DecryptionFailed);
    QVERIFY2(errorOf(replayed).detail.contains(u"replayed"), qPrintable(errorOf(replayed).detail));
}

void tst_LegacyOmemo::tamperedPayloadFailsTagCheck()
{
    Party alice(QStringLiteral("alice@example.org"), 1001);
    Party bob(QStringLiteral("bob@example.org"), 2002);
    QVERIFY(isOk(alice.engine->buildSession(bob.device(), bob.engine->bundle())));
    auto message = valueOf(alice.engine->encrypt({bob.device()}, "pay 10 euros")).element;
    (*message.payload)[3] = char((*message.payload)[3] ^ 0x01);

    const auto result = bob.engine->decrypt(alice.jid, message);
    QCOMPARE(errorOf(result).code, Error::Code::DecryptionFailed);
    QVERIFY2(errorOf(result).detail.contains(u"tag"), qPrintable(errorOf(result).detail));
}

void tst_LegacyOmemo::tamperedKeyIsRefused()
{
    Party alice(QStringLiteral("alice@example.org"), 1001);
    Party bob(QStringLiteral("bob@example.org"), 2002);
    QVERIFY(isOk(alice.engine->buildSession(bob.device(), bob.engine->bundle())));
    QVERIFY(
        isOk(bob.engine->decrypt(alice.jid, valueOf(alice.engine->encrypt({bob.device()}, "1")).element)));
    QVERIFY(
        isOk(alice.engine->decrypt(bob.jid, valueOf(bob.engine->encrypt({alice.device()}, "2")).element)));
    auto message = valueOf(alice.engine->encrypt({bob.device()}, "3")).element;
    QVERIFY(!message.keys.first().preKey);
    QByteArray &data = message.keys.first().data;
    data[data.size() - 3] = char(data[data.size() - 3] ^ 0x40); // a SignalMessage ends with its 8-byte MAC

    const auto result = bob.engine->decrypt(alice.jid, message);
    QCOMPARE(errorOf(result).code, Error::Code::DecryptionFailed);
}

void tst_LegacyOmemo::messageForAnotherDeviceIsReported()
{
    Party alice(QStringLiteral("alice@example.org"), 1001);
    Party bob(QStringLiteral("bob@example.org"), 2002);
    Party bobsPhone(QStringLiteral("bob@example.org"), 3003);
    QVERIFY(isOk(alice.engine->buildSession(bobsPhone.device(), bobsPhone.engine->bundle())));
    const auto message = valueOf(alice.engine->encrypt({bobsPhone.device()}, "for the phone"));

    const auto result = bob.engine->decrypt(alice.jid, message.element);
    QCOMPARE(errorOf(result).code, Error::Code::DecryptionFailed);
    QVERIFY(errorOf(result).detail.contains(u"not encrypted for this device"));
}

void tst_LegacyOmemo::bundleWithForgedSignatureBuildsNoSession()
{
    Party alice(QStringLiteral("alice@example.org"), 1001);
    Party bob(QStringLiteral("bob@example.org"), 2002);
    Party mallory(QStringLiteral("mallory@example.org"), 6666);
    auto bundle = bob.engine->bundle();
    bundle.identityKey = mallory.engine->bundle().identityKey; // Bob's keys under Mallory's identity

    const auto result = alice.engine->buildSession(bob.device(), bundle);
    QCOMPARE(errorOf(result).code, Error::Code::EncryptionFailed);
    QVERIFY(!alice.engine->hasSession(bob.device()));
    QCOMPARE(errorOf(alice.engine->encrypt({bob.device()}, "secret")).code, Error::Code::EncryptionFailed);
}

void tst_LegacyOmemo::keyTransportElementHasNoPayload()
{
    Party alice(QStringLiteral("alice@example.org"), 1001);
    Party bob(QStringLiteral("bob@example.org"), 2002);
    QVERIFY(isOk(alice.engine->buildSession(bob.device(), bob.engine->bundle())));
    const auto transport = valueOf(alice.engine->encrypt({bob.device()}, {}));
    QVERIFY(!transport.element.payload);

    const auto received = valueOf(bob.engine->decrypt(alice.jid, throughXml(transport.element)));
    QVERIFY(received.plaintext.isEmpty());
    QVERIFY(bob.engine->hasSession(alice.device()));
}

void tst_LegacyOmemo::encryptsForSeveralDevicesAndReportsThoseWithoutSession()
{
    Party alice(QStringLiteral("alice@example.org"), 1001);
    Party alicesLaptop(QStringLiteral("alice@example.org"), 1002);
    Party bob(QStringLiteral("bob@example.org"), 2002);
    Party bobsPhone(QStringLiteral("bob@example.org"), 2003);
    QVERIFY(isOk(alice.engine->buildSession(bob.device(), bob.engine->bundle())));
    QVERIFY(isOk(alice.engine->buildSession(alicesLaptop.device(), alicesLaptop.engine->bundle())));

    const auto message =
        valueOf(alice.engine->encrypt({bob.device(), bobsPhone.device(), alicesLaptop.device()}, "to all"));
    QCOMPARE(message.failed, QList<Device>{bobsPhone.device()});
    QCOMPARE(message.element.keys.size(), 2);
    QCOMPARE(valueOf(bob.engine->decrypt(alice.jid, message.element)).plaintext, QByteArray("to all"));
    QCOMPARE(valueOf(alicesLaptop.engine->decrypt(alice.jid, message.element)).plaintext,
             QByteArray("to all"));
}

QTEST_GUILESS_MAIN(tst_LegacyOmemo)
#include "tst_legacyomemo.moc"
