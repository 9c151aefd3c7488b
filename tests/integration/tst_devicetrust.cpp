// SPDX-License-Identifier: GPL-3.0-or-later
// OMEMO device trust on the real Prosody against an independent implementation (support/omemo_peer.py): one
// entry per device whichever versions it speaks, decisions that both versions obey (nothing in plain text
// when a contact has no trusted device), fingerprints and QR codes, "manual only", removing an old device
// of ours, and all of it after a restart.
#include "Contacts.h"
#include "OmemoPeer.h"
#include "OnlineAccount.h"
#include "StoredAccount.h"
#include "TestProfile.h"
#include "TestServer.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "crypto/DeviceTrustService.h"
#include "crypto/EncryptionService.h"
#include "crypto/Fingerprint.h"
#include "crypto/KeyTrustPolicy.h"
#include "crypto/LegacyOmemoService.h"
#include "crypto/TrustStorage.h"
#include "messaging/MessageService.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QXmppOmemoManager.h>

using namespace Natter::Core;
using namespace Natter::Test;
using QXmpp::TrustLevel;

namespace {

OmemoPeer::Options withVersions(const QString &versions)
{
    OmemoPeer::Options options;
    options.versions = versions;
    return options;
}

const OmemoPeer::Options BothVersions = withVersions(QStringLiteral("legacy,v2"));
const OmemoPeer::Options LegacyOnly = withVersions(QStringLiteral("legacy"));

DeviceTrustService &trustOf(Account *account)
{
    return account->encryption()->deviceTrust();
}

QList<OmemoDeviceInfo> devicesOf(Account *account, const QString &jid)
{
    const auto devices = waitFor(trustOf(account).devices(jid), 60000);
    if (!isOk(devices))
        qWarning() << "devices of" << jid << "failed:" << errorOf(devices).codeName()
                   << errorOf(devices).detail;
    return isOk(devices) ? std::get<QList<OmemoDeviceInfo>>(devices) : QList<OmemoDeviceInfo>();
}

std::optional<OmemoDeviceInfo> deviceOf(Account *account, const QString &jid, uint32_t id)
{
    for (const OmemoDeviceInfo &device : devicesOf(account, jid)) {
        if (device.id == id)
            return device;
    }
    return std::nullopt;
}

// jid's device id as account lists it, once its key is known and ready says it is as expected.
std::optional<OmemoDeviceInfo> waitForDevice(Account *account, const QString &jid, uint32_t id,
                                             const std::function<bool(const OmemoDeviceInfo &)> &ready = {})
{
    std::optional<OmemoDeviceInfo> found;
    [[maybe_unused]] const bool seen = QTest::qWaitFor(
        [&] {
            found = deviceOf(account, jid, id);
            if (found && (found->identityKey.isEmpty() || (ready && !ready(*found))))
                found.reset();
            return found.has_value();
        },
        30000);
    return found;
}

QByteArray curveKeyOf(const OmemoPeer &peer)
{
    return QByteArray::fromHex(peer.fingerprint(QStringLiteral("legacy")).toLatin1());
}

Result<ChatMessage> send(Account *account, const QString &to, const QString &body)
{
    const auto composed = account->messages().compose(to, body);
    if (!isOk(composed))
        return errorOf(composed);
    return waitFor(account->messages().send(std::get<ChatMessage>(composed)), 60000);
}

bool peerGot(OmemoPeer &peer, const QString &body)
{
    const auto events = peer.events(QStringLiteral("message"));
    return std::any_of(events.cbegin(), events.cend(), [&body](const QJsonObject &event) {
        return event.value(QStringLiteral("body")).toString() == body;
    });
}

TrustLevel storedLevel(Account *account, const QString &encryption, const QString &owner,
                       const QByteArray &key)
{
    return waitTask(account->encryption()->trustStorage().trustLevel(encryption, owner, key))
        .value_or(TrustLevel::Undecided);
}

} // namespace

class tst_DeviceTrust : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void aDeviceSpeakingBothVersionsIsListedOnceWithOneFingerprint();
    void ourOwnDeviceComesFirstWithQxmppsKeyInCurveForm();
    void aDistrustedDeviceGetsNothingUntilTrustedAgain();
    void aLegacyOnlyDeviceObeysTrustToo();
    void aLegacyKeyMetInAMessageIsRecordedAtOnce();
    void aWrongFingerprintChangesNothingAndTheQrCodeVerifies();
    void manualOnlyLeavesNewDevicesUndecidedAndUnencryptedFor();
    void anOldDeviceOfOursIsRemovedFromBothLists();
    void decisionsAndTheManualPolicySurviveARestart();

private:
    // A new account (named prefix and a random suffix) with the scripted peer on it, ready; its JID in jid.
    std::unique_ptr<OmemoPeer> readyPeer(const QString &prefix, const OmemoPeer::Options &options,
                                         QString &jid);

    TestServer m_server;
};

std::unique_ptr<OmemoPeer> tst_DeviceTrust::readyPeer(const QString &prefix,
                                                      const OmemoPeer::Options &options, QString &jid)
{
    const auto user = m_server.registerAccount(prefix);
    if (!user)
        return nullptr;
    auto peer = std::make_unique<OmemoPeer>(m_server, *user, options);
    if (!peer->waitReady())
        return nullptr;
    jid = m_server.jid(*user);
    return peer;
}

void tst_DeviceTrust::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
}

void tst_DeviceTrust::aDeviceSpeakingBothVersionsIsListedOnceWithOneFingerprint()
{
    auto alice = newEncryptedUser(m_server, QStringLiteral("trust-alice"));
    QVERIFY(alice);
    QString peerJid;
    const auto peer = readyPeer(QStringLiteral("trust-peer"), BothVersions, peerJid);
    QVERIFY2(peer, "the scripted peer did not start");

    const auto device = waitForDevice(alice->account(), peerJid, peer->deviceId(),
                                      [](const OmemoDeviceInfo &d) { return d.omemo2 && d.legacy; });
    QVERIFY(device);
    const auto all = devicesOf(alice->account(), peerJid);
    QCOMPARE(std::count_if(all.cbegin(), all.cend(), [](const OmemoDeviceInfo &d) { return d.active; }), 1);
    // The fingerprint the peer shows for legacy OMEMO, and its OMEMO 2 (Ed25519) key converted by us.
    QCOMPARE(device->fingerprint(), Fingerprint::grouped(curveKeyOf(*peer)));
    QCOMPARE(Fingerprint::curveFromEd25519(
                 QByteArray::fromHex(peer->fingerprint(QStringLiteral("v2")).toLatin1())),
             device->identityKey);
    // Blind trust before verification.
    QCOMPARE(device->trust, DeviceTrust::Trusted);
    QVERIFY(device->automatic);
    QVERIFY(device->active);
    QVERIFY(!device->thisDevice);
    QCOMPARE(device->jid, peerJid);
}

void tst_DeviceTrust::ourOwnDeviceComesFirstWithQxmppsKeyInCurveForm()
{
    auto alice = newEncryptedUser(m_server, QStringLiteral("trust-own"));
    QVERIFY(alice);
    auto *encryption = alice->account()->encryption();
    const auto own = devicesOf(alice->account(), alice->jid());
    QVERIFY(!own.isEmpty());
    const OmemoDeviceInfo &first = own.first();
    QVERIFY(first.thisDevice);
    QCOMPARE(first.id, encryption->legacy().engine()->deviceId());
    QVERIFY(first.omemo2 && first.legacy);
    // QXmpp's OMEMO 2 identity key (Ed25519) is the same key as our legacy identity (Curve25519).
    const auto ownKey = waitTask(encryption->omemo2().ownKey());
    QVERIFY(ownKey && ownKey->size() == 32);
    QCOMPARE(Fingerprint::curveFromEd25519(*ownKey).toHex(), first.identityKey.toHex());
    QCOMPARE(encryption->legacy().engine()->identityKey().toHex(), first.identityKey.toHex());

    const auto uri = waitFor(trustOf(alice->account()).ownVerificationUri());
    QVERIFY(isOk(uri));
    const auto &ownUri = std::get<VerificationUri>(uri);
    QCOMPARE(ownUri.jid, alice->jid());
    QCOMPARE(ownUri.devices, (QList<VerificationUri::Device>{{first.id, first.identityKey}}));
    QCOMPARE(VerificationUri::parse(ownUri.toString()), std::optional<VerificationUri>(ownUri));
}

void tst_DeviceTrust::aDistrustedDeviceGetsNothingUntilTrustedAgain()
{
    auto alice = newEncryptedUser(m_server, QStringLiteral("trust-alice"));
    QVERIFY(alice);
    QString peerJid;
    const auto peer = readyPeer(QStringLiteral("trust-peer"), BothVersions, peerJid);
    QVERIFY2(peer, "the scripted peer did not start");
    Account *account = alice->account();
    QVERIFY(waitForDevice(account, peerJid, peer->deviceId()));
    QSignalSpy changed(&trustOf(account), &DeviceTrustService::devicesChanged);

    QVERIFY(isOk(waitFor(trustOf(account).setTrust(peerJid, peer->deviceId(), DeviceTrust::Untrusted))));
    const auto distrusted = deviceOf(account, peerJid, peer->deviceId());
    QVERIFY(distrusted);
    QCOMPARE(distrusted->trust, DeviceTrust::Untrusted);
    QVERIFY(!distrusted->automatic);
    QTRY_VERIFY_WITH_TIMEOUT(changed.contains(QVariantList{peerJid}), 10000);
    // Written for both versions: QXmpp's OMEMO 2 record and ours for legacy OMEMO.
    const QByteArray ed25519 = QByteArray::fromHex(peer->fingerprint(QStringLiteral("v2")).toLatin1());
    QCOMPARE(storedLevel(account, KeyTrustPolicy::omemo2Namespace(), peerJid, ed25519),
             TrustLevel::ManuallyDistrusted);
    QCOMPARE(storedLevel(account, KeyTrustPolicy::legacyNamespace(), peerJid, curveKeyOf(*peer)),
             TrustLevel::ManuallyDistrusted);

    const auto refused = send(account, peerJid, QStringLiteral("must not reach the distrusted device"));
    QCOMPARE(errorOf(refused).code, Error::Code::EncryptionUnavailable);

    QVERIFY(isOk(waitFor(trustOf(account).setTrust(peerJid, peer->deviceId(), DeviceTrust::Trusted))));
    QCOMPARE(deviceOf(account, peerJid, peer->deviceId())->trust, DeviceTrust::Trusted);
    const auto sent = send(account, peerJid, QStringLiteral("trusted again"));
    QVERIFY2(isOk(sent), qPrintable(errorOf(sent).detail));
    const auto received = peer->waitForEvent(QStringLiteral("message"), [](const QJsonObject &event) {
        return event.value(QStringLiteral("body")).toString() == u"trusted again";
    });
    QVERIFY2(received, qPrintable(peer->errorOutput()));
    QVERIFY(received->value(QStringLiteral("encrypted")).toBool());
    // The refused message came before it and never arrived, in plain text or otherwise.
    QVERIFY(!peerGot(*peer, QStringLiteral("must not reach the distrusted device")));
    for (const QJsonObject &event : peer->events(QStringLiteral("message")))
        QVERIFY(event.value(QStringLiteral("encrypted")).toBool());
}

void tst_DeviceTrust::aLegacyOnlyDeviceObeysTrustToo()
{
    auto alice = newEncryptedUser(m_server, QStringLiteral("trust-alice"));
    QVERIFY(alice);
    QString peerJid;
    const auto peer = readyPeer(QStringLiteral("trust-legacy"), LegacyOnly, peerJid);
    QVERIFY2(peer, "the scripted peer did not start");
    Account *account = alice->account();

    const auto device = waitForDevice(account, peerJid, peer->deviceId());
    QVERIFY(device);
    QVERIFY(device->legacy && !device->omemo2);
    QCOMPARE(device->fingerprint(), Fingerprint::grouped(curveKeyOf(*peer)));
    // Recorded when first seen, as QXmpp records an OMEMO 2 key under blind trust.
    QCOMPARE(device->trust, DeviceTrust::Trusted);
    QCOMPARE(storedLevel(account, KeyTrustPolicy::legacyNamespace(), peerJid, curveKeyOf(*peer)),
             TrustLevel::AutomaticallyTrusted);

    QVERIFY(isOk(waitFor(trustOf(account).setTrust(peerJid, peer->deviceId(), DeviceTrust::Untrusted))));
    const auto refused = send(account, peerJid, QStringLiteral("not for a distrusted legacy device"));
    QCOMPARE(errorOf(refused).code, Error::Code::EncryptionUnavailable);

    QVERIFY(isOk(waitFor(trustOf(account).setTrust(peerJid, peer->deviceId(), DeviceTrust::Verified))));
    const auto sent = send(account, peerJid, QStringLiteral("for a verified legacy device"));
    QVERIFY2(isOk(sent), qPrintable(errorOf(sent).detail));
    QCOMPARE(std::get<ChatMessage>(sent).encryption, ChatMessage::Encryption::LegacyOmemo);
    const auto received = peer->waitForEvent(QStringLiteral("message"), [](const QJsonObject &event) {
        return event.value(QStringLiteral("body")).toString() == u"for a verified legacy device";
    });
    QVERIFY2(received, qPrintable(peer->errorOutput()));
    QCOMPARE(received->value(QStringLiteral("version")).toString(), QStringLiteral("legacy"));
    QVERIFY(!peerGot(*peer, QStringLiteral("not for a distrusted legacy device")));
}

void tst_DeviceTrust::aLegacyKeyMetInAMessageIsRecordedAtOnce()
{
    auto alice = newEncryptedUser(m_server, QStringLiteral("trust-alice"));
    QVERIFY(alice);
    QVERIFY(isOk(waitFor(trustOf(alice->account()).setManualOnly(true))));
    QSignalSpy undecided(&trustOf(alice->account()), &DeviceTrustService::undecidedDeviceAdded);
    QString peerJid;
    const auto peer = readyPeer(QStringLiteral("trust-legacy"), LegacyOnly, peerJid);
    QVERIFY2(peer, "the scripted peer did not start");

    // Nobody asked for the peer's devices: its first message (a pre-key message) brings the key.
    peer->command({{QStringLiteral("cmd"), QStringLiteral("send")},
                   {QStringLiteral("to"), alice->jid()},
                   {QStringLiteral("body"), QStringLiteral("hello from a legacy client")},
                   {QStringLiteral("version"), QStringLiteral("legacy")}});
    QVERIFY2(peer->waitForEvent(QStringLiteral("sent")), qPrintable(peer->errorOutput()));
    // Without a policy, distrusted until the user decides, as QXmpp stores a new OMEMO 2 key.
    QTRY_COMPARE_WITH_TIMEOUT(
        storedLevel(alice->account(), KeyTrustPolicy::legacyNamespace(), peerJid, curveKeyOf(*peer)),
        TrustLevel::AutomaticallyDistrusted, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(undecided.contains(QVariantList({peerJid, peer->deviceId()})), 10000);
    QCOMPARE(deviceOf(alice->account(), peerJid, peer->deviceId())->trust, DeviceTrust::Undecided);
}

void tst_DeviceTrust::aWrongFingerprintChangesNothingAndTheQrCodeVerifies()
{
    auto alice = newEncryptedUser(m_server, QStringLiteral("trust-alice"));
    QVERIFY(alice);
    QString peerJid;
    const auto peer = readyPeer(QStringLiteral("trust-peer"), BothVersions, peerJid);
    QVERIFY2(peer, "the scripted peer did not start");
    Account *account = alice->account();
    QVERIFY(waitForDevice(account, peerJid, peer->deviceId()));
    const auto before = devicesOf(account, peerJid);

    // RFC 8032's TEST 1 key: a valid key, but not the peer's.
    const QByteArray otherKey = Fingerprint::curveFromEd25519(
        QByteArray::fromHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
    const auto wrong = waitFor(trustOf(account).verifyFingerprint(peerJid, Fingerprint::grouped(otherKey)));
    QCOMPARE(errorOf(wrong).code, Error::Code::FingerprintMismatch);
    QCOMPARE(devicesOf(account, peerJid), before);
    // A QR code naming the peer's device with another key: someone may be impersonating it.
    const auto forged =
        waitFor(trustOf(account).verify(VerificationUri{peerJid, {{peer->deviceId(), otherKey}}}));
    QCOMPARE(errorOf(forged).code, Error::Code::FingerprintMismatch);
    QCOMPARE(devicesOf(account, peerJid), before);

    // The peer's own QR code, as Conversations writes it.
    const auto uri = VerificationUri::parse(QStringLiteral("xmpp:%1?omemo-sid-%2=%3")
                                                .arg(peerJid)
                                                .arg(peer->deviceId())
                                                .arg(peer->fingerprint(QStringLiteral("legacy"))));
    QVERIFY(uri);
    const auto verified = waitFor(trustOf(account).verify(*uri));
    QVERIFY2(isOk(verified), qPrintable(errorOf(verified).detail));
    QCOMPARE(std::get<int>(verified), 1);
    const auto device = deviceOf(account, peerJid, peer->deviceId());
    QCOMPARE(device->trust, DeviceTrust::Verified);
    QVERIFY(!device->automatic);

    // The typed fingerprint, in capitals with colons, verifies too (it already is).
    QString typed;
    for (const char byte : curveKeyOf(*peer))
        typed += QString::number(uchar(byte), 16).rightJustified(2, u'0').toUpper() + u':';
    const auto byFingerprint = waitFor(trustOf(account).verifyFingerprint(peerJid, typed));
    QVERIFY2(isOk(byFingerprint), qPrintable(errorOf(byFingerprint).detail));
    QCOMPARE(std::get<OmemoDeviceInfo>(byFingerprint).id, peer->deviceId());
    QCOMPARE(std::get<OmemoDeviceInfo>(byFingerprint).trust, DeviceTrust::Verified);

    const auto sent = send(account, peerJid, QStringLiteral("to a verified device"));
    QVERIFY2(isOk(sent), qPrintable(errorOf(sent).detail));
    QVERIFY(peer->waitForEvent(QStringLiteral("message"), [](const QJsonObject &event) {
        return event.value(QStringLiteral("body")).toString() == u"to a verified device";
    }));
}

void tst_DeviceTrust::manualOnlyLeavesNewDevicesUndecidedAndUnencryptedFor()
{
    auto alice = newEncryptedUser(m_server, QStringLiteral("trust-manual"));
    QVERIFY(alice);
    Account *account = alice->account();
    auto &trust = trustOf(account);
    QCOMPARE(std::get<bool>(waitFor(trust.manualOnly())), false);
    QVERIFY(isOk(waitFor(trust.setManualOnly(true))));
    QCOMPARE(std::get<bool>(waitFor(trust.manualOnly())), true);
    QSignalSpy undecided(&trust, &DeviceTrustService::undecidedDeviceAdded);

    const auto peerUser = m_server.registerAccount(QStringLiteral("trust-peer"));
    QVERIFY(peerUser);
    const QString peerJid = m_server.jid(*peerUser);
    OmemoPeer first(m_server, *peerUser, BothVersions);
    QVERIFY(first.waitReady());
    const auto firstDevice = waitForDevice(account, peerJid, first.deviceId());
    QVERIFY(firstDevice);
    QCOMPARE(firstDevice->trust, DeviceTrust::Undecided);
    QTRY_VERIFY_WITH_TIMEOUT(undecided.contains(QVariantList({peerJid, first.deviceId()})), 10000);
    // Nobody decided: nothing is encrypted for it.
    QCOMPARE(errorOf(send(account, peerJid, QStringLiteral("nobody decided yet"))).code,
             Error::Code::EncryptionUnavailable);
    QVERIFY(isOk(waitFor(trust.setTrust(peerJid, first.deviceId(), DeviceTrust::Trusted))));

    // A second device of the contact writes to us.
    OmemoPeer second(m_server, *peerUser, BothVersions);
    QVERIFY(second.waitReady());
    QVERIFY(second.deviceId() != first.deviceId());
    second.command({{QStringLiteral("cmd"), QStringLiteral("send")},
                    {QStringLiteral("to"), alice->jid()},
                    {QStringLiteral("body"), QStringLiteral("my new phone")},
                    {QStringLiteral("version"), QStringLiteral("auto")}});
    QVERIFY2(second.waitForEvent(QStringLiteral("sent")), qPrintable(second.errorOutput()));
    QTRY_VERIFY_WITH_TIMEOUT(undecided.contains(QVariantList({peerJid, second.deviceId()})), 30000);
    const auto secondDevice = waitForDevice(account, peerJid, second.deviceId());
    QVERIFY(secondDevice);
    QCOMPARE(secondDevice->trust, DeviceTrust::Undecided);
    QCOMPARE(secondDevice->fingerprint(), Fingerprint::grouped(curveKeyOf(second)));
    QCOMPARE(deviceOf(account, peerJid, first.deviceId())->trust, DeviceTrust::Trusted);
    // Both versions know the second device now: neither may encrypt for it.
    const auto legacyList = waitFor(account->encryption()->legacy().refreshDeviceList(peerJid));
    QVERIFY(isOk(legacyList));
    QVERIFY(std::get<QList<uint32_t>>(legacyList).contains(second.deviceId()));

    const auto sent = send(account, peerJid, QStringLiteral("only for the first device"));
    QVERIFY2(isOk(sent), qPrintable(errorOf(sent).detail));
    const auto atFirst = first.waitForEvent(QStringLiteral("message"), [](const QJsonObject &event) {
        return event.value(QStringLiteral("body")).toString() == u"only for the first device";
    });
    QVERIFY2(atFirst, qPrintable(first.errorOutput()));
    const QJsonArray recipients = atFirst->value(QStringLiteral("recipient_devices")).toArray();
    QVERIFY(recipients.contains(qint64(first.deviceId())));
    QVERIFY(!recipients.contains(qint64(second.deviceId())));
    const QString id = std::get<ChatMessage>(sent).id;
    QVERIFY(second.waitForEvent(QStringLiteral("decrypt_error"), [&id](const QJsonObject &event) {
        return event.value(QStringLiteral("id")).toString() == id;
    }));
    QVERIFY(!peerGot(second, QStringLiteral("only for the first device")));
}

void tst_DeviceTrust::anOldDeviceOfOursIsRemovedFromBothLists()
{
    auto laptop = newEncryptedUser(m_server, QStringLiteral("trust-remove"));
    QVERIFY(laptop);
    Account *account = laptop->account();
    const uint32_t laptopId = account->encryption()->legacy().engine()->deviceId();
    const QString user = laptop->jid().section(u'@', 0, 0);
    uint32_t oldId = 0;
    {
        StoredAccount old(m_server, user);
        QVERIFY(old.isOnline());
        auto *oldEncryption = old.account()->encryption();
        QTRY_VERIFY_WITH_TIMEOUT(oldEncryption->isReady(), 20000);
        oldId = oldEncryption->legacy().engine()->deviceId();
        // The laptop learns of it from our own device lists (PEP notifications).
        QVERIFY(waitForDevice(account, laptop->jid(), oldId,
                              [](const OmemoDeviceInfo &d) { return d.omemo2 && d.legacy; }));
    }

    QCOMPARE(errorOf(waitFor(trustOf(account).removeOwnDevice(laptopId))).code, Error::Code::RequestRefused);
    const auto removed = waitFor(trustOf(account).removeOwnDevice(oldId));
    QVERIFY2(isOk(removed), qPrintable(errorOf(removed).detail));
    QCOMPARE(errorOf(waitFor(trustOf(account).removeOwnDevice(oldId))).code, Error::Code::DeviceUnknown);

    // Another client no longer sees it, in either version; the laptop is still there.
    const auto peerUser = m_server.registerAccount(QStringLiteral("trust-observer"));
    QVERIFY(peerUser);
    OmemoPeer observer(m_server, *peerUser, BothVersions);
    QVERIFY(observer.waitReady());
    observer.command(
        {{QStringLiteral("cmd"), QStringLiteral("refresh")}, {QStringLiteral("jid"), laptop->jid()}});
    QVERIFY(observer.waitForEvent(QStringLiteral("refreshed")));
    observer.command(
        {{QStringLiteral("cmd"), QStringLiteral("devices")}, {QStringLiteral("jid"), laptop->jid()}});
    const auto listed = observer.waitForEvent(QStringLiteral("devices"));
    QVERIFY(listed);
    QSet<QString> laptopVersions;
    for (const QJsonValue &value : listed->value(QStringLiteral("devices")).toArray()) {
        const QJsonObject entry = value.toObject();
        const auto id = uint32_t(entry.value(QStringLiteral("id")).toInteger());
        if (!entry.value(QStringLiteral("active")).toBool(true))
            continue;
        QVERIFY2(id != oldId, QJsonDocument(entry).toJson().constData());
        if (id == laptopId)
            laptopVersions.insert(entry.value(QStringLiteral("version")).toString());
    }
    QCOMPARE(laptopVersions, (QSet<QString>{QStringLiteral("legacy"), QStringLiteral("v2")}));

    // We list it no more as active.
    const auto kept = deviceOf(account, laptop->jid(), oldId);
    QVERIFY(!kept || (!kept->active && !kept->omemo2 && !kept->legacy));
}

void tst_DeviceTrust::decisionsAndTheManualPolicySurviveARestart()
{
    const auto user = m_server.registerAccount(QStringLiteral("trust-restart"));
    const auto peerUser = m_server.registerAccount(QStringLiteral("trust-peer"));
    QVERIFY(user && peerUser);
    const QString peerJid = m_server.jid(*peerUser);
    OmemoPeer peer(m_server, *peerUser, BothVersions);
    QVERIFY(peer.waitReady());
    TestProfile profile;
    QVERIFY(addAccountToProfile(m_server, *user, profile.path()));
    auto openAndConnect = [&](AccountManager &manager) -> Account * {
        manager.setAdditionalCaCertificates(m_server.caCertificates());
        if (!isOk(waitFor(manager.open())))
            return nullptr;
        Account *account = manager.account(m_server.jid(*user));
        if (!account || !goOnline(account))
            return nullptr;
        auto *encryption = account->encryption();
        return QTest::qWaitFor([encryption] { return encryption->isReady(); }, 20000) ? account : nullptr;
    };
    {
        AccountManager manager(profile.path());
        Account *account = openAndConnect(manager);
        QVERIFY(account);
        QVERIFY(isOk(waitFor(trustOf(account).setManualOnly(true))));
        QVERIFY(waitForDevice(account, peerJid, peer.deviceId()));
        QVERIFY(isOk(waitFor(trustOf(account).setTrust(peerJid, peer.deviceId(), DeviceTrust::Verified))));
        QCOMPARE(deviceOf(account, peerJid, peer.deviceId())->trust, DeviceTrust::Verified);
        manager.disconnectAll();
    }

    AccountManager manager(profile.path());
    Account *account = openAndConnect(manager);
    QVERIFY(account);
    // The default (blind trust) did not replace the user's choice.
    QCOMPARE(std::get<bool>(waitFor(trustOf(account).manualOnly())), true);
    const auto device = deviceOf(account, peerJid, peer.deviceId());
    QVERIFY(device);
    QCOMPARE(device->trust, DeviceTrust::Verified);
    QCOMPARE(storedLevel(account, KeyTrustPolicy::legacyNamespace(), peerJid, curveKeyOf(peer)),
             TrustLevel::Authenticated);
    const auto sent = send(account, peerJid, QStringLiteral("after the restart"));
    QVERIFY2(isOk(sent), qPrintable(errorOf(sent).detail));
    QVERIFY(peer.waitForEvent(QStringLiteral("message"), [](const QJsonObject &event) {
        return event.value(QStringLiteral("body")).toString() == u"after the restart";
    }));
    manager.disconnectAll();
}

QTEST_GUILESS_MAIN(tst_DeviceTrust)
#include "tst_devicetrust.moc"
