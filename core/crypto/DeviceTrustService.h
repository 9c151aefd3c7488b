// SPDX-License-Identifier: GPL-3.0-or-later
// The OMEMO devices of a contact or of our own account as the user sees them: one entry per device, whichever
// versions it speaks (OMEMO 2, legacy OMEMO 0.3 or both), with one fingerprint and one trust state; and the
// user's decisions on them (verify, trust, distrust, remove an old device of ours, the "manual only" policy).
// Trust records live in TrustStorage: OMEMO 2 keys under urn:xmpp:omemo:2 (QXmpp's manager reads them),
// legacy keys under eu.siacs.conversations.axolotl (LegacyOmemoService reads them); a decision on a device
// that speaks both is written to both.
#pragma once

#include "VerificationUri.h"
#include "common/Result.h"

#include <QFuture>
#include <QObject>

namespace Natter::Core {

class EncryptionService;

enum class DeviceTrust
{
    Undecided,  // manual policy, nobody decided yet: not encrypted for
    Trusted,    // trusted without verification (blind trust before verification, or by the user)
    Verified,   // fingerprint compared by the user (or a QR code scanned)
    Untrusted,  // distrusted: not encrypted for; its messages are marked
};

struct OmemoDeviceInfo
{
    QString jid; // bare JID of the owner
    uint32_t id = 0;
    QString label;          // the device's own label (OMEMO 2), may be empty
    QByteArray identityKey; // 32-byte Curve25519 form; empty while we have not seen its bundle
    bool omemo2 = false;    // on the owner's OMEMO 2 device list
    bool legacy = false;    // on the owner's legacy device list
    DeviceTrust trust = DeviceTrust::Undecided;
    bool automatic = false;  // the trust state was set by the policy, not by the user
    bool thisDevice = false; // our own device in this profile
    bool active = true;      // still on the owner's device list (else: removed, kept for old messages)

    QString fingerprint() const; // Fingerprint::grouped(identityKey), empty without a key
    friend bool operator==(const OmemoDeviceInfo &, const OmemoDeviceInfo &) = default;
};

class DeviceTrustService : public QObject
{
    Q_OBJECT
public:
    explicit DeviceTrustService(EncryptionService &encryption, QObject *parent = nullptr);
    ~DeviceTrustService() override;

    // The devices of bareJid we know, sorted by id; for our own JID this device comes first. Fetches the
    // device lists when we have never seen them.
    QFuture<Result<QList<OmemoDeviceInfo>>> devices(const QString &bareJid);

    // The user's decision on one device (Trusted, Verified or Untrusted; Undecided is refused with
    // RequestRefused). DeviceUnknown when bareJid has no such device with a known key.
    QFuture<Result<Success>> setTrust(const QString &bareJid, uint32_t deviceId, DeviceTrust trust);

    // Verifies the device of bareJid whose identity key is fingerprint (any form Fingerprint::parse takes).
    // FingerprintMismatch when no device of bareJid has that key; nothing changes then.
    QFuture<Result<OmemoDeviceInfo>> verifyFingerprint(const QString &bareJid, const QString &fingerprint);

    // A scanned QR code: every device named in uri whose key matches is verified. FingerprintMismatch (and
    // no change at all) when a named device we know has another key: someone may be impersonating it.
    // Devices we have not seen yet are left alone; the result counts those verified.
    QFuture<Result<int>> verify(const VerificationUri &uri);

    // Takes one of our own other devices off both our device lists (a lost phone, an old install).
    // RequestRefused for this device.
    QFuture<Result<Success>> removeOwnDevice(uint32_t deviceId);

    // "Manual only": new devices stay Undecided (not encrypted for) until the user decides. Off (the
    // default) is blind trust before verification (XEP-0450's Toakafa).
    QFuture<Result<bool>> manualOnly();
    QFuture<Result<Success>> setManualOnly(bool manual);

    // The URI for our own QR code: our JID and this device's key.
    QFuture<Result<VerificationUri>> ownVerificationUri();

Q_SIGNALS:
    // Devices or trust states of bareJid changed.
    void devicesChanged(const QString &bareJid);
    // Under the manual policy, bareJid (a contact or our own account) announced a device nobody decided on.
    void undecidedDeviceAdded(const QString &bareJid, uint32_t deviceId);

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace Natter::Core

Q_DECLARE_METATYPE(Natter::Core::OmemoDeviceInfo)
