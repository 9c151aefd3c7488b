// SPDX-License-Identifier: GPL-3.0-or-later
// The trust level an OMEMO key gets when it is first seen: the security policy as QXmpp applies it to OMEMO 2
// keys, and for a legacy key the decision on the same device's OMEMO 2 key when it is the same identity.
#include "Contacts.h"
#include "TestProfile.h"
#include "crypto/Fingerprint.h"
#include "crypto/KeyTrustPolicy.h"

#include <QSignalSpy>
#include <QTest>
#include <QXmppOmemoMemoryStorage.h>
#include <QXmppTrustMemoryStorage.h>

using namespace Natter::Core;
using namespace Natter::Test;
using QXmpp::TrustLevel;

namespace {
const QString Bob = QStringLiteral("bob@example.org");
// RFC 8032 TEST 1 and TEST 2 public keys (Ed25519).
const QByteArray Ed1 =
    QByteArray::fromHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
const QByteArray Ed2 =
    QByteArray::fromHex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
} // namespace

class tst_KeyTrustPolicy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void toakafaTrustsTheKeysOfSomeoneWithoutAVerifiedKey();
    void toakafaDistrustsNewKeysOnceAKeyIsVerified_data();
    void toakafaDistrustsNewKeysOnceAKeyIsVerified();
    void withoutAPolicyNewKeysWaitForTheUser();
    void theDecisionOnTheSameIdentitysOmemo2KeyIsCopied();
    void anotherIdentityIsNotCopied();
    void aRecordedDecisionIsKeptAndNotRecordedAgain();
    void anOmemo2KeyGetsWhatQxmppWouldGiveIt();
    void acceptedLevelsAreQxmppsDefault();

private:
    QHash<uint32_t, TrustLevel> levels(const QHash<uint32_t, QByteArray> &keys);
    TrustLevel storedLegacyLevel(const QByteArray &key);

    std::unique_ptr<QXmppTrustMemoryStorage> m_trust;
    std::unique_ptr<QXmppOmemoMemoryStorage> m_omemo2;
    std::unique_ptr<KeyTrustPolicy> m_legacyTrust;
};

void tst_KeyTrustPolicy::init()
{
    m_trust = std::make_unique<QXmppTrustMemoryStorage>();
    m_omemo2 = std::make_unique<QXmppOmemoMemoryStorage>();
    m_legacyTrust = std::make_unique<KeyTrustPolicy>(*m_trust, *m_omemo2);
    m_trust->setSecurityPolicy(KeyTrustPolicy::legacyNamespace(), QXmpp::Toakafa);
    m_trust->setSecurityPolicy(KeyTrustPolicy::omemo2Namespace(), QXmpp::Toakafa);
}

void tst_KeyTrustPolicy::cleanup()
{
    m_legacyTrust.reset();
    m_omemo2.reset();
    m_trust.reset();
}

QHash<uint32_t, TrustLevel> tst_KeyTrustPolicy::levels(const QHash<uint32_t, QByteArray> &keys)
{
    return waitFor(m_legacyTrust->legacyLevels(Bob, keys));
}

TrustLevel tst_KeyTrustPolicy::storedLegacyLevel(const QByteArray &key)
{
    auto stored = m_trust->keys(KeyTrustPolicy::legacyNamespace(), {Bob});
    return stored.takeResult().value(Bob).value(key, TrustLevel::Undecided);
}

void tst_KeyTrustPolicy::toakafaTrustsTheKeysOfSomeoneWithoutAVerifiedKey()
{
    QSignalSpy recorded(m_legacyTrust.get(), &KeyTrustPolicy::keyRecorded);
    const QByteArray key = Fingerprint::curveFromEd25519(Ed1);
    QCOMPARE(levels({{7, key}}).value(7), TrustLevel::AutomaticallyTrusted);
    QCOMPARE(storedLegacyLevel(key), TrustLevel::AutomaticallyTrusted);
    QCOMPARE(recorded.size(), 1);
    QCOMPARE(recorded.first().at(0).toString(), Bob);
    QCOMPARE(recorded.first().at(1).toUInt(), 7u);
}

void tst_KeyTrustPolicy::toakafaDistrustsNewKeysOnceAKeyIsVerified_data()
{
    QTest::addColumn<QString>("verifiedIn");
    QTest::newRow("OMEMO 2") << KeyTrustPolicy::omemo2Namespace();
    QTest::newRow("legacy OMEMO") << KeyTrustPolicy::legacyNamespace();
}

void tst_KeyTrustPolicy::toakafaDistrustsNewKeysOnceAKeyIsVerified()
{
    QFETCH(QString, verifiedIn);
    m_trust->addKeys(verifiedIn, Bob, {QByteArray(32, 'v')}, TrustLevel::Authenticated);
    const QByteArray key = Fingerprint::curveFromEd25519(Ed2);
    QCOMPARE(levels({{8, key}}).value(8), TrustLevel::AutomaticallyDistrusted);
    QCOMPARE(storedLegacyLevel(key), TrustLevel::AutomaticallyDistrusted);
}

void tst_KeyTrustPolicy::withoutAPolicyNewKeysWaitForTheUser()
{
    // QXmpp stores a new OMEMO 2 key as automatically distrusted without a policy: not encrypted for until
    // the user decides.
    m_trust->setSecurityPolicy(KeyTrustPolicy::legacyNamespace(), QXmpp::NoSecurityPolicy);
    const QByteArray key = Fingerprint::curveFromEd25519(Ed1);
    const TrustLevel level = levels({{7, key}}).value(7);
    QCOMPARE(level, TrustLevel::AutomaticallyDistrusted);
    QVERIFY(!KeyTrustPolicy::AcceptedLevels.testFlag(level));
}

void tst_KeyTrustPolicy::theDecisionOnTheSameIdentitysOmemo2KeyIsCopied()
{
    QXmppOmemoStorage::Device device;
    device.keyId = Ed1;
    m_omemo2->addDevice(Bob, 7, device);
    m_trust->addKeys(KeyTrustPolicy::omemo2Namespace(), Bob, {Ed1}, TrustLevel::ManuallyDistrusted);
    // Under Toakafa a new key would be trusted; the user distrusted this identity already.
    const QByteArray key = Fingerprint::curveFromEd25519(Ed1);
    QCOMPARE(levels({{7, key}}).value(7), TrustLevel::ManuallyDistrusted);
    QCOMPARE(storedLegacyLevel(key), TrustLevel::ManuallyDistrusted);
}

void tst_KeyTrustPolicy::anotherIdentityIsNotCopied()
{
    QXmppOmemoStorage::Device device;
    device.keyId = Ed1;
    m_omemo2->addDevice(Bob, 7, device);
    m_trust->addKeys(KeyTrustPolicy::omemo2Namespace(), Bob, {Ed1}, TrustLevel::ManuallyDistrusted);
    // Device 7's legacy key is another identity than its OMEMO 2 key: the policy decides.
    const QByteArray other = Fingerprint::curveFromEd25519(Ed2);
    QCOMPARE(levels({{7, other}}).value(7), TrustLevel::AutomaticallyTrusted);
}

void tst_KeyTrustPolicy::aRecordedDecisionIsKeptAndNotRecordedAgain()
{
    const QByteArray key = Fingerprint::curveFromEd25519(Ed1);
    m_trust->addKeys(KeyTrustPolicy::legacyNamespace(), Bob, {key}, TrustLevel::ManuallyTrusted);
    QSignalSpy recorded(m_legacyTrust.get(), &KeyTrustPolicy::keyRecorded);
    QCOMPARE(levels({{7, key}}).value(7), TrustLevel::ManuallyTrusted);
    QCOMPARE(recorded.size(), 0);
    QVERIFY(levels({}).isEmpty());
}

void tst_KeyTrustPolicy::anOmemo2KeyGetsWhatQxmppWouldGiveIt()
{
    QSignalSpy recorded(m_legacyTrust.get(), &KeyTrustPolicy::keyRecorded);
    QCOMPARE(waitFor(m_legacyTrust->omemo2Levels(Bob, {{7, Ed1}})).value(7),
             TrustLevel::AutomaticallyTrusted);
    QCOMPARE(waitTask(m_trust->trustLevel(KeyTrustPolicy::omemo2Namespace(), Bob, Ed1)).value(),
             TrustLevel::AutomaticallyTrusted);
    QCOMPARE(recorded.size(), 1);
    // QXmpp looks at OMEMO 2's authenticated keys only.
    m_trust->addKeys(KeyTrustPolicy::legacyNamespace(), Bob, {QByteArray(32, 'v')},
                     TrustLevel::Authenticated);
    QCOMPARE(waitFor(m_legacyTrust->omemo2Levels(Bob, {{8, Ed2}})).value(8),
             TrustLevel::AutomaticallyTrusted);
    m_trust->setTrustLevel(KeyTrustPolicy::omemo2Namespace(), {{Bob, Ed1}}, TrustLevel::Authenticated);
    const QByteArray third(32, '3');
    QCOMPARE(waitFor(m_legacyTrust->omemo2Levels(Bob, {{9, third}})).value(9),
             TrustLevel::AutomaticallyDistrusted);
    // A recorded key keeps its level.
    QCOMPARE(waitFor(m_legacyTrust->omemo2Levels(Bob, {{7, Ed1}})).value(7), TrustLevel::Authenticated);
}

void tst_KeyTrustPolicy::acceptedLevelsAreQxmppsDefault()
{
    for (const TrustLevel level :
         {TrustLevel::AutomaticallyTrusted, TrustLevel::ManuallyTrusted, TrustLevel::Authenticated})
        QVERIFY(KeyTrustPolicy::AcceptedLevels.testFlag(level));
    for (const TrustLevel level :
         {TrustLevel::Undecided, TrustLevel::AutomaticallyDistrusted, TrustLevel::ManuallyDistrusted})
        QVERIFY(!KeyTrustPolicy::AcceptedLevels.testFlag(level));
}

QTEST_GUILESS_MAIN(tst_KeyTrustPolicy)
#include "tst_keytrustpolicy.moc"
