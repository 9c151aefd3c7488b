// SPDX-License-Identifier: GPL-3.0-or-later
#include "DeviceTrustService.h"

#include "EncryptionService.h"
#include "Fingerprint.h"
#include "KeyTrustPolicy.h"
#include "LegacyOmemoService.h"
#include "OmemoStorage.h"
#include "PepXmlItem.h"
#include "TrustStorage.h"
#include "common/JidValidator.h"
#include "common/Logging.h"

#include <QPromise>
#include <QXmlStreamWriter>
#include <QXmppAtmManager.h>
#include <QXmppClient.h>
#include <QXmppOmemoManager.h>
#include <QXmppPubSubManager.h>
#include <QXmppPubSubPublishOptions.h>

namespace Natter::Core {

namespace {

using QXmpp::TrustLevel;

const QString Omemo2DeviceListNode = QStringLiteral("urn:xmpp:omemo:2:devices");
const QString Omemo2BundlesNode = QStringLiteral("urn:xmpp:omemo:2:bundles");
const QString CurrentItem = QStringLiteral("current");

struct TrustState
{
    DeviceTrust trust = DeviceTrust::Undecided;
    bool automatic = false;
};

// How the user sees a stored trust level. Without a policy QXmpp stores a new key as automatically
// distrusted: under "manual only" nobody has decided on such a key yet.
TrustState stateOf(TrustLevel level, bool manualOnly)
{
    switch (level) {
    case TrustLevel::Authenticated:
        return {DeviceTrust::Verified, false};
    case TrustLevel::ManuallyTrusted:
        return {DeviceTrust::Trusted, false};
    case TrustLevel::AutomaticallyTrusted:
        return {DeviceTrust::Trusted, true};
    case TrustLevel::ManuallyDistrusted:
        return {DeviceTrust::Untrusted, false};
    case TrustLevel::AutomaticallyDistrusted:
        return manualOnly ? TrustState{DeviceTrust::Undecided, false}
                          : TrustState{DeviceTrust::Untrusted, true};
    case TrustLevel::Undecided:
        break;
    }
    return {DeviceTrust::Undecided, false};
}

int rank(DeviceTrust trust)
{
    switch (trust) {
    case DeviceTrust::Untrusted:
        return 0;
    case DeviceTrust::Undecided:
        return 1;
    case DeviceTrust::Trusted:
        return 2;
    case DeviceTrust::Verified:
        return 3;
    }
    return 0;
}

TrustLevel levelOf(DeviceTrust trust)
{
    switch (trust) {
    case DeviceTrust::Verified:
        return TrustLevel::Authenticated;
    case DeviceTrust::Trusted:
        return TrustLevel::ManuallyTrusted;
    case DeviceTrust::Untrusted:
        return TrustLevel::ManuallyDistrusted;
    case DeviceTrust::Undecided:
        break;
    }
    return TrustLevel::Undecided;
}

QString deviceName(const QString &jid, uint32_t id)
{
    return QStringLiteral("%1 device %2").arg(jid).arg(id);
}

// The Ed25519 identity key in an OMEMO 2 bundle (<ik/>), empty when there is none.
QByteArray identityKeyOfBundle(const PepXmlItem &item)
{
    const QDomDocument document = item.payload();
    const QDomElement ik = document.documentElement().firstChildElement(QStringLiteral("ik"));
    const QByteArray key = QByteArray::fromBase64(ik.text().trimmed().toLatin1());
    return key.size() == 32 ? key : QByteArray();
}

// Ids and labels of an OMEMO 2 device list item, in its order.
QList<QPair<uint32_t, QString>> devicesOfList(const PepXmlItem &item)
{
    QList<QPair<uint32_t, QString>> devices;
    const QDomDocument document = item.payload();
    for (auto device = document.documentElement().firstChildElement(QStringLiteral("device"));
         !device.isNull(); device = device.nextSiblingElement(QStringLiteral("device"))) {
        bool ok = false;
        const uint32_t id = device.attribute(QStringLiteral("id")).toUInt(&ok);
        if (ok)
            devices.append({id, device.attribute(QStringLiteral("label"))});
    }
    return devices;
}

QString deviceListXml(const QList<QPair<uint32_t, QString>> &devices)
{
    QString xml;
    QXmlStreamWriter writer(&xml);
    writer.writeStartElement(QStringLiteral("devices"));
    writer.writeDefaultNamespace(KeyTrustPolicy::omemo2Namespace());
    for (const auto &[id, label] : devices) {
        writer.writeStartElement(QStringLiteral("device"));
        writer.writeAttribute(QStringLiteral("id"), QString::number(id));
        if (!label.isEmpty())
            writer.writeAttribute(QStringLiteral("label"), label);
        writer.writeEndElement();
    }
    writer.writeEndElement();
    return xml;
}

// Counts down n finished steps, then calls done once.
std::function<void()> afterAll(qsizetype n, std::function<void()> done)
{
    if (n <= 0) {
        done();
        return [] {};
    }
    auto remaining = std::make_shared<qsizetype>(n);
    return [remaining, done = std::move(done)] {
        if (--*remaining == 0)
            done();
    };
}

template <typename T> void finish(const std::shared_ptr<QPromise<T>> &promise, T value)
{
    promise->addResult(std::move(value));
    promise->finish();
}

} // namespace

QString OmemoDeviceInfo::fingerprint() const
{
    return Fingerprint::grouped(identityKey);
}

class DeviceTrustService::Private
{
public:
    // A device as shown, and the keys its trust records are kept under.
    struct Entry
    {
        OmemoDeviceInfo info;
        QByteArray omemo2Key; // Ed25519
        QByteArray legacyKey; // Curve25519
    };

    Private(DeviceTrustService &service, EncryptionService &encryptionService)
        : q(service)
        , encryption(encryptionService)
    {}

    bool isReady() const { return encryption.isReady(); }
    bool isConnected() const { return encryption.client().isConnected(); }
    QXmppPubSubManager *pubSub() const { return encryption.client().findExtension<QXmppPubSubManager>(); }

    void applyDefaultPolicy();
    QFuture<void> ensureLists(const QString &jid);
    QFuture<void> learnKeys(const QString &jid);
    QFuture<void> learnOmemo2Keys(const QString &jid,
                                  const QHash<uint32_t, QXmppOmemoStorage::Device> &stored);
    QFuture<QList<Entry>> collect(const QString &jid);
    QByteArray omemo2KeyOf(const QString &jid, uint32_t id, const QXmppOmemoStorage::Device &device) const
    {
        return device.keyId.isEmpty() ? omemo2Keys.value(jid).value(id) : device.keyId;
    }
    QList<Entry> entriesOf(const QString &jid, const QXmppOmemoStorage::OmemoData &data,
                           const QHash<uint32_t, TrustLevel> &omemo2Levels,
                           const QHash<uint32_t, TrustLevel> &legacyLevels, bool manualOnly) const;
    QFuture<QList<Entry>> fetchedEntries(const QString &jid);
    QFuture<Result<Success>> write(const Entry &entry, DeviceTrust trust);
    QFuture<Result<bool>> removeFromOmemo2List(uint32_t deviceId);
    void announceUndecided(const QString &jid);
    void emitChangedForEveryOwner();
    void onTrustChanged(const QList<QString> &owners);

    DeviceTrustService &q;
    EncryptionService &encryption;
    // Runs then once the default policy is in place (at once if it is): a choice made before must not be
    // overwritten by it.
    void whenPolicyApplied(std::function<void()> then)
    {
        if (policyApplied)
            then();
        else
            afterPolicy.append(std::move(then));
    }
    void policyInPlace()
    {
        policyApplied = true;
        for (const auto &then : std::exchange(afterPolicy, {}))
            then();
    }

    bool policyApplied = false;
    QList<std::function<void()>> afterPolicy;
    QSet<QString> omemo2ListsRequested;
    // OMEMO 2 keys from bundles we fetched ourselves: QXmpp keeps those of devices it built no session with
    // (distrusted, undecided) in memory only, without their ids.
    QHash<QString, QHash<uint32_t, QByteArray>> omemo2Keys;
    QSet<QString> announced; // "jid/id/key" of undecided devices already announced
};

void DeviceTrustService::Private::applyDefaultPolicy()
{
    auto &trust = encryption.trustStorage();
    // Blind trust before verification (XEP-0450's Toakafa) unless the user chose; both versions alike.
    trust.hasSecurityPolicy(KeyTrustPolicy::omemo2Namespace()).then(&q, [this, &trust](bool chosen) {
        if (!chosen) {
            trust.setSecurityPolicy(KeyTrustPolicy::omemo2Namespace(), QXmpp::Toakafa);
            trust.setSecurityPolicy(KeyTrustPolicy::legacyNamespace(), QXmpp::Toakafa).then(&q, [this] {
                policyInPlace();
            });
            return;
        }
        trust.securityPolicy(KeyTrustPolicy::omemo2Namespace())
            .then(&q, [this, &trust](QXmpp::TrustSecurityPolicy policy) {
                trust.setSecurityPolicy(KeyTrustPolicy::legacyNamespace(), policy).then(&q, [this] {
                    policyInPlace();
                });
            });
    });
}

QFuture<void> DeviceTrustService::Private::ensureLists(const QString &jid)
{
    auto promise = std::make_shared<QPromise<void>>();
    promise->start();
    auto future = promise->future();
    if (!isReady() || !isConnected()) {
        promise->finish();
        return future;
    }
    const bool fetchLegacy = !encryption.legacy().deviceIds(jid).has_value();
    // QXmpp always follows our own list.
    const bool fetchOmemo2 = jid != encryption.accountJid() && !omemo2ListsRequested.contains(jid);
    auto oneDone = afterAll(int(fetchLegacy) + int(fetchOmemo2), [promise] { promise->finish(); });
    if (fetchLegacy)
        encryption.legacy().refreshDeviceList(jid).then(
            &q, [oneDone](const Result<QList<uint32_t>> &) { oneDone(); });
    if (fetchOmemo2)
        encryption.omemo2().requestDeviceLists({jid}).then(&q, [this, jid, oneDone](auto &&) {
            omemo2ListsRequested.insert(jid);
            oneDone();
        });
    return future;
}

QFuture<void>
DeviceTrustService::Private::learnOmemo2Keys(const QString &jid,
                                             const QHash<uint32_t, QXmppOmemoStorage::Device> &stored)
{
    auto promise = std::make_shared<QPromise<void>>();
    promise->start();
    auto future = promise->future();
    auto *pubsub = pubSub();
    QList<uint32_t> unknown;
    for (auto device = stored.cbegin(); device != stored.cend(); ++device) {
        if (device->keyId.isEmpty() && !omemo2Keys.value(jid).contains(device.key()) &&
            !device->removalFromDeviceListDate.isValid())
            unknown.append(device.key());
    }
    if (!pubsub || !isConnected())
        unknown.clear();
    auto oneDone = afterAll(unknown.size(), [promise] { promise->finish(); });
    for (const uint32_t id : std::as_const(unknown)) {
        pubsub->requestItem<PepXmlItem>(jid, Omemo2BundlesNode, QString::number(id))
            .then(&q, [this, jid, id, oneDone](QXmppPubSubManager::ItemResult<PepXmlItem> &&result) {
                if (const auto *item = std::get_if<PepXmlItem>(&result)) {
                    if (const QByteArray key = identityKeyOfBundle(*item); !key.isEmpty())
                        omemo2Keys[jid].insert(id, key);
                }
                oneDone();
            });
    }
    return future;
}

QFuture<void> DeviceTrustService::Private::learnKeys(const QString &jid)
{
    auto promise = std::make_shared<QPromise<void>>();
    promise->start();
    auto future = promise->future();
    if (!isReady() || !isConnected()) {
        promise->finish();
        return future;
    }
    // Not QXmppOmemoManager::buildMissingSessions(): a session it builds while another one is being built
    // for a message replaces it, and the contact cannot read that message.
    encryption.omemo2Storage().allData().then(&q, [this, jid, promise](QXmppOmemoStorage::OmemoData &&data) {
        if (!isReady()) {
            promise->finish();
            return;
        }
        auto oneDone = afterAll(2, [promise] { promise->finish(); });
        learnOmemo2Keys(jid, data.devices.value(jid)).then(&q, oneDone);
        encryption.legacy().learnIdentityKeys(jid).then(&q,
                                                        [oneDone](const Result<Success> &) { oneDone(); });
    });
    return future;
}

QList<DeviceTrustService::Private::Entry>
DeviceTrustService::Private::entriesOf(const QString &jid, const QXmppOmemoStorage::OmemoData &data,
                                       const QHash<uint32_t, TrustLevel> &omemo2Levels,
                                       const QHash<uint32_t, TrustLevel> &legacyLevels, bool manualOnly) const
{
    const bool ownJid = jid == encryption.accountJid();
    const uint32_t ownId = data.ownDevice ? data.ownDevice->id : 0;
    const auto omemo2Devices = data.devices.value(jid);
    const auto *engine = encryption.legacy().engine();
    const auto legacyDevices =
        engine ? engine->devices().value(jid) : QHash<uint32_t, QXmppOmemoStorage::Device>();
    QList<uint32_t> ids = omemo2Devices.keys() + legacyDevices.keys();
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());

    QList<Entry> entries;
    if (ownJid && data.ownDevice) {
        Entry own;
        own.info.jid = jid;
        own.info.id = ownId;
        own.info.label = data.ownDevice->label;
        own.omemo2Key = data.ownDevice->publicIdentityKey;
        own.info.identityKey = engine ? engine->identityKey() : Fingerprint::curveFromEd25519(own.omemo2Key);
        own.legacyKey = own.info.identityKey;
        own.info.omemo2 = true;
        own.info.legacy = engine != nullptr;
        own.info.trust = DeviceTrust::Verified; // our own key: nothing to compare
        own.info.thisDevice = true;
        entries.append(own);
    }
    for (const uint32_t id : std::as_const(ids)) {
        if (ownJid && id == ownId)
            continue;
        Entry entry;
        entry.info.jid = jid;
        entry.info.id = id;
        const auto omemo2 = omemo2Devices.constFind(id);
        const auto legacy = legacyDevices.constFind(id);
        entry.info.omemo2 = omemo2 != omemo2Devices.cend() && !omemo2->removalFromDeviceListDate.isValid();
        entry.info.legacy = legacy != legacyDevices.cend() && !legacy->removalFromDeviceListDate.isValid();
        entry.info.active = entry.info.omemo2 || entry.info.legacy;
        if (omemo2 != omemo2Devices.cend()) {
            entry.info.label = omemo2->label;
            entry.omemo2Key = omemo2KeyOf(jid, id, *omemo2);
        }
        if (legacy != legacyDevices.cend())
            entry.legacyKey = legacy->keyId;
        const QByteArray converted = Fingerprint::curveFromEd25519(entry.omemo2Key);
        entry.info.identityKey = converted.isEmpty() ? entry.legacyKey : converted;
        if (!converted.isEmpty() && !entry.legacyKey.isEmpty() && converted != entry.legacyKey)
            qCWarning(lcCrypto) << deviceName(jid, id) << "has different OMEMO 2 and legacy identity keys";

        std::optional<TrustState> state;
        if (!entry.omemo2Key.isEmpty())
            state = stateOf(omemo2Levels.value(id, TrustLevel::Undecided), manualOnly);
        if (!entry.legacyKey.isEmpty() && entry.legacyKey == entry.info.identityKey) {
            const TrustState legacyState = stateOf(legacyLevels.value(id, TrustLevel::Undecided), manualOnly);
            // One device, one state: the more cautious of the two versions' records.
            if (!state || rank(legacyState.trust) < rank(state->trust))
                state = legacyState;
        }
        if (state) {
            entry.info.trust = state->trust;
            entry.info.automatic = state->automatic;
        }
        entries.append(entry);
    }
    return entries;
}

QFuture<QList<DeviceTrustService::Private::Entry>> DeviceTrustService::Private::collect(const QString &jid)
{
    auto promise = std::make_shared<QPromise<QList<Entry>>>();
    promise->start();
    auto future = promise->future();
    if (!isReady()) {
        finish(promise, QList<Entry>());
        return future;
    }
    encryption.trustStorage()
        .securityPolicy(KeyTrustPolicy::omemo2Namespace())
        .then(&q, [this, jid, promise](QXmpp::TrustSecurityPolicy policy) {
            const bool manualOnly = policy == QXmpp::NoSecurityPolicy;
            encryption.omemo2Storage().allData().then(&q, [this, jid, promise,
                                                           manualOnly](QXmppOmemoStorage::OmemoData &&data) {
                const auto *engine = isReady() ? encryption.legacy().engine() : nullptr;
                if (!engine) {
                    finish(promise, QList<Entry>());
                    return;
                }
                // Keys nobody decided on get their level (and a record) now, as QXmpp would give them.
                QHash<uint32_t, QByteArray> omemo2KeysById;
                const auto omemo2Devices = data.devices.value(jid);
                for (auto it = omemo2Devices.cbegin(); it != omemo2Devices.cend(); ++it) {
                    if (const QByteArray key = omemo2KeyOf(jid, it.key(), *it); !key.isEmpty())
                        omemo2KeysById.insert(it.key(), key);
                }
                QHash<uint32_t, QByteArray> legacyKeys;
                const auto legacyDevices = engine->devices().value(jid);
                for (auto it = legacyDevices.cbegin(); it != legacyDevices.cend(); ++it) {
                    if (!it->keyId.isEmpty() && it.key() != engine->deviceId())
                        legacyKeys.insert(it.key(), it->keyId);
                }
                auto &policyOfKeys = encryption.keyTrustPolicy();
                policyOfKeys.omemo2Levels(jid, omemo2KeysById)
                    .then(&q,
                          [this, jid, legacyKeys,
                           &policyOfKeys](const QHash<uint32_t, TrustLevel> &omemo2Levels) {
                              return policyOfKeys.legacyLevels(jid, legacyKeys)
                                  .then(&q, [omemo2Levels](const QHash<uint32_t, TrustLevel> &legacyLevels) {
                                      return std::make_pair(omemo2Levels, legacyLevels);
                                  });
                          })
                    .unwrap()
                    .then(&q, [this, jid, promise, manualOnly,
                               data](const std::pair<QHash<uint32_t, TrustLevel>, QHash<uint32_t, TrustLevel>>
                                         &levels) {
                        if (!isReady()) {
                            finish(promise, QList<Entry>());
                            return;
                        }
                        finish(promise, entriesOf(jid, data, levels.first, levels.second, manualOnly));
                    });
            });
        });
    return future;
}

QFuture<QList<DeviceTrustService::Private::Entry>>
DeviceTrustService::Private::fetchedEntries(const QString &jid)
{
    return ensureLists(jid)
        .then(&q, [this, jid] { return learnKeys(jid); })
        .unwrap()
        .then(&q, [this, jid] { return collect(jid); })
        .unwrap();
}

QFuture<Result<Success>> DeviceTrustService::Private::write(const Entry &entry, DeviceTrust trust)
{
    auto promise = std::make_shared<QPromise<Result<Success>>>();
    promise->start();
    auto future = promise->future();
    if (!isReady()) {
        finish(promise,
               Result<Success>(Error(Error::Code::NotConnected, QStringLiteral("OMEMO is not set up"))));
        return future;
    }
    const TrustLevel level = levelOf(trust);
    const QString jid = entry.info.jid;
    // The legacy record is kept under the key shown: the same identity as the OMEMO 2 key.
    const QByteArray legacyKey = entry.info.identityKey;
    auto oneDone = afterAll(int(!entry.omemo2Key.isEmpty()) + int(!legacyKey.isEmpty()),
                            [promise] { finish(promise, Result<Success>(Success{})); });
    if (!entry.omemo2Key.isEmpty())
        encryption.omemo2().setTrustLevel({{jid, entry.omemo2Key}}, level).then(&q, oneDone);
    if (!legacyKey.isEmpty())
        encryption.trustManager()
            .setTrustLevel(KeyTrustPolicy::legacyNamespace(), {{jid, legacyKey}}, level)
            .then(&q, oneDone);
    return future;
}

QFuture<Result<bool>> DeviceTrustService::Private::removeFromOmemo2List(uint32_t deviceId)
{
    auto *pubsub = pubSub();
    if (!pubsub || !isConnected())
        return readyResult<bool>(Error(Error::Code::NotConnected, encryption.accountJid()));
    auto promise = std::make_shared<QPromise<Result<bool>>>();
    promise->start();
    pubsub->requestOwnPepItem<PepXmlItem>(Omemo2DeviceListNode, QXmppPubSubManager::Current)
        .then(&q, [this, pubsub, deviceId, promise](QXmppPubSubManager::ItemResult<PepXmlItem> &&result) {
            const auto *item = std::get_if<PepXmlItem>(&result);
            auto devices = item ? devicesOfList(*item) : QList<QPair<uint32_t, QString>>();
            const auto removed =
                std::remove_if(devices.begin(), devices.end(),
                               [deviceId](const auto &device) { return device.first == deviceId; });
            if (removed == devices.end()) {
                finish(promise, Result<bool>(false));
                return;
            }
            devices.erase(removed, devices.end());
            // The publish options QXmpp's manager publishes its device list with.
            QXmppPubSubPublishOptions options;
            options.setAccessModel(QXmppPubSubPublishOptions::Open);
            pubsub
                ->publishOwnPepItem(Omemo2DeviceListNode, PepXmlItem(CurrentItem, deviceListXml(devices)),
                                    options)
                .then(&q, [pubsub, deviceId, promise](QXmppPubSubManager::PublishItemResult &&published) {
                    if (const auto *error = std::get_if<QXmppError>(&published)) {
                        finish(promise, Result<bool>(Error(Error::Code::RequestRefused, error->description)));
                        return;
                    }
                    // Nobody should start a new session with it; a failure only leaves an unused item.
                    pubsub->retractOwnPepItem(Omemo2BundlesNode, QString::number(deviceId));
                    finish(promise, Result<bool>(true));
                });
        });
    return promise->future();
}

void DeviceTrustService::Private::emitChangedForEveryOwner()
{
    // Keys distrusted by the policy show as undecided under "manual only", and back.
    encryption.omemo2Storage().allData().then(&q, [this](QXmppOmemoStorage::OmemoData &&data) {
        QSet<QString> owners(data.devices.keyBegin(), data.devices.keyEnd());
        if (const auto *engine = isReady() ? encryption.legacy().engine() : nullptr)
            owners.unite(QSet<QString>(engine->devices().keyBegin(), engine->devices().keyEnd()));
        for (const QString &owner : std::as_const(owners))
            Q_EMIT q.devicesChanged(owner);
    });
}

void DeviceTrustService::Private::announceUndecided(const QString &jid)
{
    if (!isReady())
        return;
    encryption.trustStorage()
        .securityPolicy(KeyTrustPolicy::omemo2Namespace())
        .then(&q, [this, jid](QXmpp::TrustSecurityPolicy policy) {
            if (policy != QXmpp::NoSecurityPolicy || !isReady())
                return;
            learnKeys(jid)
                .then(&q, [this, jid] { return collect(jid); })
                .unwrap()
                .then(&q, [this, jid](const QList<Entry> &entries) {
                    for (const Entry &entry : entries) {
                        const auto &info = entry.info;
                        if (info.thisDevice || !info.active || info.identityKey.isEmpty() ||
                            info.trust != DeviceTrust::Undecided)
                            continue;
                        const QString key = QStringLiteral("%1/%2/%3")
                                                .arg(jid)
                                                .arg(info.id)
                                                .arg(QString::fromLatin1(info.identityKey.toHex()));
                        if (announced.contains(key))
                            continue;
                        announced.insert(key);
                        Q_EMIT q.undecidedDeviceAdded(jid, info.id);
                    }
                });
        });
}

void DeviceTrustService::Private::onTrustChanged(const QList<QString> &owners)
{
    QSet<QString> seen;
    for (const QString &owner : owners) {
        if (seen.contains(owner))
            continue;
        seen.insert(owner);
        Q_EMIT q.devicesChanged(owner);
        announceUndecided(owner);
    }
}

DeviceTrustService::DeviceTrustService(EncryptionService &encryption, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(*this, encryption))
{
    d->applyDefaultPolicy();
    connect(&encryption, &EncryptionService::devicesChanged, this, [this](const QString &jid) {
        Q_EMIT devicesChanged(jid);
        d->announceUndecided(jid);
    });
    auto *omemo2 = &encryption.omemo2();
    connect(omemo2, &QXmppOmemoManager::deviceChanged, this,
            [this](const QString &jid, uint32_t) { Q_EMIT devicesChanged(jid); });
    connect(omemo2, &QXmppOmemoManager::devicesRemoved, this, &DeviceTrustService::devicesChanged);
    connect(omemo2, &QXmppOmemoManager::trustLevelsChanged, this,
            [this](const QMultiHash<QString, QByteArray> &keys) { d->onTrustChanged(keys.keys()); });
    // Our own writes of legacy trust go through the trust manager (QXmpp's manager relays only OMEMO 2's).
    connect(&encryption.trustManager(), &QXmppTrustManager::trustLevelsChanged, this,
            [this](const QHash<QString, QMultiHash<QString, QByteArray>> &keys) {
                d->onTrustChanged(keys.value(KeyTrustPolicy::legacyNamespace()).keys());
            });
    connect(&encryption.keyTrustPolicy(), &KeyTrustPolicy::keyRecorded, this,
            [this](const QString &jid) { d->onTrustChanged({jid}); });
}

DeviceTrustService::~DeviceTrustService() = default;

QFuture<Result<QList<OmemoDeviceInfo>>> DeviceTrustService::devices(const QString &bareJid)
{
    const QString jid = JidValidator::normalizedBareJid(bareJid);
    if (jid.isEmpty())
        return readyResult<QList<OmemoDeviceInfo>>(Error(Error::Code::InvalidJid, bareJid));
    if (!d->isReady())
        return readyResult<QList<OmemoDeviceInfo>>(
            Error(Error::Code::NotConnected, QStringLiteral("OMEMO is not set up yet")));
    return d->fetchedEntries(jid).then(this, [](const QList<Private::Entry> &entries) {
        QList<OmemoDeviceInfo> infos;
        for (const auto &entry : entries)
            infos.append(entry.info);
        return Result<QList<OmemoDeviceInfo>>(infos);
    });
}

QFuture<Result<Success>> DeviceTrustService::setTrust(const QString &bareJid, uint32_t deviceId,
                                                      DeviceTrust trust)
{
    if (trust == DeviceTrust::Undecided)
        return readyResult<Success>(
            Error(Error::Code::RequestRefused, QStringLiteral("undecided is not a decision")));
    const QString jid = JidValidator::normalizedBareJid(bareJid);
    if (jid.isEmpty())
        return readyResult<Success>(Error(Error::Code::InvalidJid, bareJid));
    if (!d->isReady())
        return readyResult<Success>(
            Error(Error::Code::NotConnected, QStringLiteral("OMEMO is not set up yet")));
    return d->collect(jid)
        .then(this,
              [this, jid, deviceId, trust](const QList<Private::Entry> &entries) {
                  for (const auto &entry : entries) {
                      if (entry.info.id == deviceId && !entry.info.thisDevice &&
                          !entry.info.identityKey.isEmpty())
                          return d->write(entry, trust);
                  }
                  return readyResult<Success>(Error(Error::Code::DeviceUnknown, deviceName(jid, deviceId)));
              })
        .unwrap();
}

QFuture<Result<OmemoDeviceInfo>> DeviceTrustService::verifyFingerprint(const QString &bareJid,
                                                                       const QString &fingerprint)
{
    const QString jid = JidValidator::normalizedBareJid(bareJid);
    if (jid.isEmpty())
        return readyResult<OmemoDeviceInfo>(Error(Error::Code::InvalidJid, bareJid));
    const QByteArray key = Fingerprint::parse(fingerprint);
    if (key.isEmpty())
        return readyResult<OmemoDeviceInfo>(Error(Error::Code::FingerprintMismatch,
                                                  QStringLiteral("not a fingerprint: %1").arg(fingerprint)));
    if (!d->isReady())
        return readyResult<OmemoDeviceInfo>(
            Error(Error::Code::NotConnected, QStringLiteral("OMEMO is not set up yet")));
    return d->fetchedEntries(jid)
        .then(this,
              [this, jid, key](const QList<Private::Entry> &entries) -> QFuture<Result<OmemoDeviceInfo>> {
                  const auto match =
                      std::find_if(entries.cbegin(), entries.cend(),
                                   [&key](const auto &entry) { return entry.info.identityKey == key; });
                  if (match == entries.cend())
                      return readyResult<OmemoDeviceInfo>(
                          Error(Error::Code::FingerprintMismatch,
                                QStringLiteral("%1 has no device with the fingerprint %2")
                                    .arg(jid, Fingerprint::grouped(key))));
                  OmemoDeviceInfo verified = match->info;
                  if (verified.thisDevice)
                      return readyResult<OmemoDeviceInfo>(verified);
                  verified.trust = DeviceTrust::Verified;
                  verified.automatic = false;
                  return d->write(*match, DeviceTrust::Verified)
                      .then(this, [verified](const Result<Success> &written) {
                          return isOk(written) ? Result<OmemoDeviceInfo>(verified)
                                               : Result<OmemoDeviceInfo>(errorOf(written));
                      });
              })
        .unwrap();
}

QFuture<Result<int>> DeviceTrustService::verify(const VerificationUri &uri)
{
    const QString jid = JidValidator::normalizedBareJid(uri.jid);
    if (jid.isEmpty())
        return readyResult<int>(Error(Error::Code::InvalidJid, uri.jid));
    if (!d->isReady())
        return readyResult<int>(Error(Error::Code::NotConnected, QStringLiteral("OMEMO is not set up yet")));
    return d->fetchedEntries(jid)
        .then(this,
              [this, jid, uri](const QList<Private::Entry> &entries) -> QFuture<Result<int>> {
                  QList<Private::Entry> matching;
                  for (const auto &named : uri.devices) {
                      const auto known =
                          std::find_if(entries.cbegin(), entries.cend(),
                                       [&named](const auto &entry) { return entry.info.id == named.id; });
                      if (known == entries.cend() || known->info.identityKey.isEmpty())
                          continue; // not seen yet: left alone
                      if (known->info.identityKey != named.identityKey)
                          return readyResult<int>(
                              Error(Error::Code::FingerprintMismatch,
                                    QStringLiteral("%1 has another key").arg(deviceName(jid, named.id))));
                      if (!known->info.thisDevice)
                          matching.append(*known);
                  }
                  auto promise = std::make_shared<QPromise<Result<int>>>();
                  promise->start();
                  auto failure = std::make_shared<std::optional<Error>>();
                  auto oneDone = afterAll(matching.size(), [promise, failure, count = int(matching.size())] {
                      finish(promise, *failure ? Result<int>(**failure) : Result<int>(count));
                  });
                  for (const auto &entry : std::as_const(matching)) {
                      d->write(entry, DeviceTrust::Verified)
                          .then(this, [failure, oneDone](const Result<Success> &written) {
                              if (!isOk(written))
                                  *failure = errorOf(written);
                              oneDone();
                          });
                  }
                  return promise->future();
              })
        .unwrap();
}

QFuture<Result<Success>> DeviceTrustService::removeOwnDevice(uint32_t deviceId)
{
    if (!d->isReady())
        return readyResult<Success>(
            Error(Error::Code::NotConnected, QStringLiteral("OMEMO is not set up yet")));
    if (deviceId == d->encryption.legacy().engine()->deviceId())
        return readyResult<Success>(Error(Error::Code::RequestRefused, QStringLiteral("this device")));
    if (!d->isConnected())
        return readyResult<Success>(Error(Error::Code::NotConnected, d->encryption.accountJid()));
    auto promise = std::make_shared<QPromise<Result<Success>>>();
    promise->start();
    auto results = std::make_shared<QList<Result<bool>>>();
    auto oneDone = afterAll(2, [this, promise, results, deviceId] {
        bool listed = false;
        for (const auto &result : std::as_const(*results)) {
            if (!isOk(result)) {
                finish(promise, Result<Success>(errorOf(result)));
                return;
            }
            listed = listed || std::get<bool>(result);
        }
        if (!listed) {
            finish(promise, Result<Success>(Error(Error::Code::DeviceUnknown,
                                                  deviceName(d->encryption.accountJid(), deviceId))));
            return;
        }
        Q_EMIT devicesChanged(d->encryption.accountJid());
        finish(promise, Result<Success>(Success{}));
    });
    auto collectResult = [results, oneDone](const Result<bool> &result) {
        results->append(result);
        oneDone();
    };
    d->removeFromOmemo2List(deviceId).then(this, collectResult);
    d->encryption.legacy().removeOwnDevice(deviceId).then(this, collectResult);
    return promise->future();
}

QFuture<Result<bool>> DeviceTrustService::manualOnly()
{
    auto promise = std::make_shared<QPromise<Result<bool>>>();
    promise->start();
    d->whenPolicyApplied([this, promise] {
        d->encryption.trustStorage()
            .securityPolicy(KeyTrustPolicy::omemo2Namespace())
            .then(this, [promise](QXmpp::TrustSecurityPolicy policy) {
                finish(promise, Result<bool>(policy == QXmpp::NoSecurityPolicy));
            });
    });
    return promise->future();
}

QFuture<Result<Success>> DeviceTrustService::setManualOnly(bool manual)
{
    const auto policy = manual ? QXmpp::NoSecurityPolicy : QXmpp::Toakafa;
    auto promise = std::make_shared<QPromise<Result<Success>>>();
    promise->start();
    d->whenPolicyApplied([this, policy, promise] {
        auto &trust = d->encryption.trustStorage();
        trust.setSecurityPolicy(KeyTrustPolicy::omemo2Namespace(), policy);
        trust.setSecurityPolicy(KeyTrustPolicy::legacyNamespace(), policy).then(this, [this, promise] {
            finish(promise, Result<Success>(Success{}));
            d->emitChangedForEveryOwner();
        });
    });
    return promise->future();
}

QFuture<Result<VerificationUri>> DeviceTrustService::ownVerificationUri()
{
    if (!d->isReady())
        return readyResult<VerificationUri>(
            Error(Error::Code::NotConnected, QStringLiteral("OMEMO is not set up yet")));
    const auto *engine = d->encryption.legacy().engine();
    VerificationUri uri;
    uri.jid = d->encryption.accountJid();
    uri.devices.append({engine->deviceId(), engine->identityKey()});
    return readyResult<VerificationUri>(uri);
}

} // namespace Natter::Core
