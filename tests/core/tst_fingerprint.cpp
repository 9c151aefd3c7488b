// SPDX-License-Identifier: GPL-3.0-or-later
// OMEMO fingerprints: Ed25519 keys in their Curve25519 form, the grouped text form and what a user may type,
// and the xmpp: verification URIs of QR codes.
#include "crypto/Fingerprint.h"
#include "crypto/LegacyOmemoEngine.h"
#include "crypto/SignalContext.h"
#include "crypto/SignalPointers.h"
#include "crypto/VerificationUri.h"

#include <QTest>
#include <QXmppOmemoMemoryStorage.h>

extern "C" {
#include <omemo/curve.h>
#include <omemo/key_helper.h>
#include <omemo/ratchet.h>
}

using namespace Natter::Core;

namespace {

QByteArray hex(const char *digits)
{
    return QByteArray::fromHex(digits);
}

// RFC 8032, section 7.1, TEST 1: its public key and the Curve25519 form (see curveFormOfRfc8032Keys).
const char *const Test1Public = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
const char *const Test1Curve = "d85e07ec22b0ad881537c2f44d662d1a143cf830c57aca4305d85c7a90f6b62e";

} // namespace

class tst_Fingerprint : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void curveFormOfRfc8032Keys_data();
    void curveFormOfRfc8032Keys();
    void invalidEncodingsHaveNoCurveForm_data();
    void invalidEncodingsHaveNoCurveForm();
    void ourOmemo2KeyIsOurLegacyIdentityKey();
    void groupedIsEightGroupsOfEightLowercaseDigits();
    void parseTakesWhatUsersTypeAndPaste_data();
    void parseTakesWhatUsersTypeAndPaste();
    void parseRejectsWhatIsNotAKey_data();
    void parseRejectsWhatIsNotAKey();
    void verificationUriAsConversationsWritesIt();
    void verificationUriToleratesAnActionAndOtherParameters();
    void verificationUriPercentDecodesTheJid();
    void verificationUriRoundTrips();
    void verificationUriRejectsBadInput_data();
    void verificationUriRejectsBadInput();
};

// The expected values were computed once, independently of this code, with Python's integers:
//   p = 2**255 - 19; y = int.from_bytes(pk, "little") & ~(1 << 255)
//   u = (1 + y) * pow(1 - y, p - 2, p) % p; u.to_bytes(32, "little").hex()
// after checking that each public key is the one RFC 8032's secret key gives (a short pure-Python Ed25519
// key derivation); python3-xeddsa's ed25519_pub_to_curve25519_pub() agreed for TEST 1.
void tst_Fingerprint::curveFormOfRfc8032Keys_data()
{
    QTest::addColumn<QByteArray>("ed25519");
    QTest::addColumn<QByteArray>("curve25519");
    QTest::newRow("TEST 1") << hex(Test1Public) << hex(Test1Curve);
    QTest::newRow("TEST 2") << hex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c")
                            << hex("25c704c594b88afc00a76b69d1ed2b984d7e22550f3ed0802d04fbcd07d38d47");
    QTest::newRow("TEST 3") << hex("fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025")
                            << hex("cbb22fc9f790bd3eba9b84680c157ca4950a9894362601701f89c3c4d9fda23a");
    QTest::newRow("TEST 1024") << hex("278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e")
                               << hex("a4ef005363c92681e98912fcef98cc6f873922c31ac1e084569389bb4601b763");
    // The base points of both curves (RFC 7748, 4.1): y = 4/5 and u = 9.
    QTest::newRow("base point") << hex("5866666666666666666666666666666666666666666666666666666666666666")
                                << hex("0900000000000000000000000000000000000000000000000000000000000000");
    // y = -1 (x = 0, the point of order 2) maps to u = 0.
    QTest::newRow("y = -1") << hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")
                            << QByteArray(32, '\0');
}

void tst_Fingerprint::curveFormOfRfc8032Keys()
{
    QFETCH(QByteArray, ed25519);
    QFETCH(QByteArray, curve25519);
    QCOMPARE(Fingerprint::curveFromEd25519(ed25519).toHex(), curve25519.toHex());
}

void tst_Fingerprint::invalidEncodingsHaveNoCurveForm_data()
{
    QTest::addColumn<QByteArray>("ed25519");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("31 bytes") << hex(Test1Public).left(31);
    QTest::newRow("33 bytes") << hex(Test1Public) + '\0';
    // y = p and y = p + 1: not canonical.
    QTest::newRow("y = p") << hex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
    QTest::newRow("y = p + 1") << hex("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
    QTest::newRow("y = 2^255 - 1") << hex("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
    // y = 1 is the neutral element: 1 - y = 0.
    QTest::newRow("y = 1") << hex("0100000000000000000000000000000000000000000000000000000000000000");
    QTest::newRow("y = 1, sign bit") << hex(
        "0100000000000000000000000000000000000000000000000000000000000080");
    // (y² - 1) / (d·y² + 1) is not a square for y = 2: no point has it.
    QTest::newRow("not on the curve")
        << hex("0200000000000000000000000000000000000000000000000000000000000000");
    // x = 0 has no negative form.
    QTest::newRow("x = 0 with sign bit")
        << hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
}

void tst_Fingerprint::invalidEncodingsHaveNoCurveForm()
{
    QFETCH(QByteArray, ed25519);
    QVERIFY(Fingerprint::curveFromEd25519(ed25519).isEmpty());
}

void tst_Fingerprint::ourOmemo2KeyIsOurLegacyIdentityKey()
{
    // Our device as QXmpp's OMEMO 2 set-up creates it: one libomemo-c identity key pair, the private key
    // serialised, the public key in its Ed25519 form.
    for (int round = 0; round < 5; ++round) {
        SignalContext context;
        Signal::Ref<ratchet_identity_key_pair> pair;
        QVERIFY(signal_protocol_key_helper_generate_identity_key_pair(pair.out(), context.get()) >= 0);
        signal_buffer *privateKey = nullptr;
        QVERIFY(ec_private_key_serialize(&privateKey, ratchet_identity_key_pair_get_private(pair.get())) >=
                0);
        QXmppOmemoStorage::OwnDevice own;
        own.id = 4711 + uint32_t(round);
        own.privateIdentityKey = Signal::toByteArray(Signal::Buffer(privateKey));
        own.publicIdentityKey = Signal::toByteArray(
            Signal::Buffer(ec_public_key_get_ed(ratchet_identity_key_pair_get_public(pair.get()))));

        QXmppOmemoMemoryStorage storage;
        LegacyOmemoEngine engine(QStringLiteral("me@example.org"), storage);
        auto data = storage.allData();
        QVERIFY(data.isFinished());
        QVERIFY(isOk(engine.load(own, data.takeResult())));
        QCOMPARE(engine.identityKey().size(), 32);
        QCOMPARE(Fingerprint::curveFromEd25519(own.publicIdentityKey).toHex(), engine.identityKey().toHex());
    }
}

void tst_Fingerprint::groupedIsEightGroupsOfEightLowercaseDigits()
{
    QCOMPARE(Fingerprint::grouped(hex(Test1Curve)),
             QStringLiteral("d85e07ec 22b0ad88 1537c2f4 4d662d1a 143cf830 c57aca43 05d85c7a 90f6b62e"));
    QVERIFY(Fingerprint::grouped(hex(Test1Curve).left(31)).isEmpty());
    QVERIFY(Fingerprint::grouped({}).isEmpty());
}

void tst_Fingerprint::parseTakesWhatUsersTypeAndPaste_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("grouped") << Fingerprint::grouped(hex(Test1Curve));
    QTest::newRow("plain") << QString::fromLatin1(Test1Curve);
    QTest::newRow("upper case, colons") << QStringLiteral(
        "D8:5E:07:EC:22:B0:AD:88:15:37:C2:F4:4D:66:2D:1A:14:3C:F8:30:C5:7A:CA:43:05:D8:5C:7A:"
        "90:F6:B6:2E");
    QTest::newRow("dashes, line break, spaces around")
        << QStringLiteral("  d85e07ec-22b0ad88-1537c2f4-4d662d1a\n143cf830-c57aca43-05d85c7a-90f6b62e ");
    QTest::newRow("with the 05 type byte") << QStringLiteral("05") + QString::fromLatin1(Test1Curve);
    QTest::newRow("05 type byte, grouped") << QStringLiteral("05 ") + Fingerprint::grouped(hex(Test1Curve));
}

void tst_Fingerprint::parseTakesWhatUsersTypeAndPaste()
{
    QFETCH(QString, text);
    QCOMPARE(Fingerprint::parse(text).toHex(), QByteArray(Test1Curve));
}

void tst_Fingerprint::parseRejectsWhatIsNotAKey_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("63 digits") << QString::fromLatin1(Test1Curve).left(63);
    QTest::newRow("62 digits") << QString::fromLatin1(Test1Curve).left(62);
    QTest::newRow("66 digits without 05") << QStringLiteral("06") + QString::fromLatin1(Test1Curve);
    QTest::newRow("68 digits") << QStringLiteral("0505") + QString::fromLatin1(Test1Curve);
    QTest::newRow("not hex") << QString::fromLatin1(Test1Curve).left(63) + u'g';
    QTest::newRow("other separators") << QString::fromLatin1(Test1Curve).insert(8, u'.');
}

void tst_Fingerprint::parseRejectsWhatIsNotAKey()
{
    QFETCH(QString, text);
    QVERIFY(Fingerprint::parse(text).isEmpty());
}

void tst_Fingerprint::verificationUriAsConversationsWritesIt()
{
    const auto uri = VerificationUri::parse(
        QStringLiteral("xmpp:alice@example.org?omemo-sid-1234=%1;omemo-sid-567890=%2")
            .arg(QString::fromLatin1(Test1Curve), QString::fromLatin1(Test1Public).toUpper()));
    QVERIFY(uri);
    QCOMPARE(uri->jid, QStringLiteral("alice@example.org"));
    QCOMPARE(uri->devices.size(), 2);
    QCOMPARE(uri->devices.at(0).id, 1234u);
    QCOMPARE(uri->devices.at(0).identityKey, hex(Test1Curve));
    QCOMPARE(uri->devices.at(1).id, 567890u);
    QCOMPARE(uri->devices.at(1).identityKey, hex(Test1Public));
}

void tst_Fingerprint::verificationUriToleratesAnActionAndOtherParameters()
{
    const auto uri =
        VerificationUri::parse(QStringLiteral("xmpp:Bob@Example.org?message;omemo-sid-42=%1;body=hello")
                                   .arg(QString::fromLatin1(Test1Curve)));
    QVERIFY(uri);
    QCOMPARE(uri->jid, QStringLiteral("bob@example.org"));
    QCOMPARE(uri->devices, (QList<VerificationUri::Device>{{42, hex(Test1Curve)}}));
    // A malformed device parameter next to a good one is skipped.
    const auto partly =
        VerificationUri::parse(QStringLiteral("xmpp:bob@example.org?omemo-sid-7=abc;omemo-sid-42=%1")
                                   .arg(QString::fromLatin1(Test1Curve)));
    QVERIFY(partly);
    QCOMPARE(partly->devices.size(), 1);
    QCOMPARE(partly->devices.first().id, 42u);
}

void tst_Fingerprint::verificationUriPercentDecodesTheJid()
{
    const QString key = QString::fromLatin1(Test1Curve);
    const auto encoded =
        VerificationUri::parse(QStringLiteral("xmpp:alice%40example.org?omemo-sid-1=%1").arg(key));
    QVERIFY(encoded);
    QCOMPARE(encoded->jid, QStringLiteral("alice@example.org"));
    const auto unicode =
        VerificationUri::parse(QStringLiteral("xmpp:j%C3%BCrgen@example.org?omemo-sid-1=%1").arg(key));
    QVERIFY(unicode);
    QCOMPARE(unicode->jid, QStringLiteral("jürgen@example.org"));
    // The parameters may be encoded too.
    const auto parameter =
        VerificationUri::parse(QStringLiteral("xmpp:alice@example.org?omemo%2Dsid%2D9=%1").arg(key));
    QVERIFY(parameter);
    QCOMPARE(parameter->devices.first().id, 9u);
}

void tst_Fingerprint::verificationUriRoundTrips()
{
    VerificationUri uri;
    uri.jid = QStringLiteral("jürgen+ö@example.org");
    uri.devices = {{1, hex(Test1Curve)}, {2147483647, hex(Test1Public)}};
    const QString text = uri.toString();
    QVERIFY(text.startsWith(u"xmpp:"));
    QVERIFY(!text.contains(u"ü")); // percent-encoded
    QVERIFY(text.contains(QStringLiteral("omemo-sid-1=") + QString::fromLatin1(Test1Curve)));
    QCOMPARE(VerificationUri::parse(text), std::optional<VerificationUri>(uri));

    VerificationUri plain;
    plain.jid = QStringLiteral("alice@example.org");
    plain.devices = {{1234, hex(Test1Curve)}};
    QCOMPARE(plain.toString(),
             QStringLiteral("xmpp:alice@example.org?omemo-sid-1234=") + QString::fromLatin1(Test1Curve));
}

void tst_Fingerprint::verificationUriRejectsBadInput_data()
{
    const QString key = QString::fromLatin1(Test1Curve);
    QTest::addColumn<QString>("text");
    QTest::newRow("no sid") << QStringLiteral("xmpp:alice@example.org");
    QTest::newRow("only an action") << QStringLiteral("xmpp:alice@example.org?message");
    QTest::newRow("short key") << QStringLiteral("xmpp:alice@example.org?omemo-sid-1=%1").arg(key.left(63));
    QTest::newRow("long key") << QStringLiteral("xmpp:alice@example.org?omemo-sid-1=05%1").arg(key);
    QTest::newRow("key not hex")
        << QStringLiteral("xmpp:alice@example.org?omemo-sid-1=%1x").arg(key.left(63));
    QTest::newRow("id not a number") << QStringLiteral("xmpp:alice@example.org?omemo-sid-one=%1").arg(key);
    QTest::newRow("id 0") << QStringLiteral("xmpp:alice@example.org?omemo-sid-0=%1").arg(key);
    QTest::newRow("id too large")
        << QStringLiteral("xmpp:alice@example.org?omemo-sid-4294967296=%1").arg(key);
    QTest::newRow("bad JID") << QStringLiteral("xmpp:alice@@example.org?omemo-sid-1=%1").arg(key);
    QTest::newRow("no domain") << QStringLiteral("xmpp:alice@?omemo-sid-1=%1").arg(key);
    QTest::newRow("space in JID") << QStringLiteral("xmpp:al%20ice@example.org?omemo-sid-1=%1").arg(key);
    QTest::newRow("with resource") << QStringLiteral("xmpp:alice@example.org/phone?omemo-sid-1=%1").arg(key);
    QTest::newRow("empty JID") << QStringLiteral("xmpp:?omemo-sid-1=%1").arg(key);
    QTest::newRow("other scheme") << QStringLiteral("https:alice@example.org?omemo-sid-1=%1").arg(key);
    QTest::newRow("authority") << QStringLiteral("xmpp://alice@example.org?omemo-sid-1=%1").arg(key);
    QTest::newRow("two keys for one device")
        << QStringLiteral("xmpp:alice@example.org?omemo-sid-1=%1;omemo-sid-1=%2")
               .arg(key, QString::fromLatin1(Test1Public));
}

void tst_Fingerprint::verificationUriRejectsBadInput()
{
    QFETCH(QString, text);
    QVERIFY(!VerificationUri::parse(text).has_value());
}

QTEST_GUILESS_MAIN(tst_Fingerprint)
#include "tst_fingerprint.moc"
