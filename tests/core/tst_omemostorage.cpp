// SPDX-License-Identifier: GPL-3.0-or-later
// OmemoStorage: QXmpp's OMEMO storage on the profile database, per account and per OMEMO version.
#include "TestProfile.h"
#include "TestStore.h"
#include "crypto/OmemoStorage.h"
#include "storage/AccountRepository.h"
#include "storage/Database.h"

#include <QRegularExpression>
#include <QThread>
#include <QTimeZone>
#include <QXmppTask.h>
#include <memory>

using namespace Natter::Core;
using Natter::Test::TestProfile;
using Natter::Test::TestStore;
using Natter::Test::waitFor;

using OwnDevice = QXmppOmemoStorage::OwnDevice;
using Device = QXmppOmemoStorage::Device;
using SignedPreKeyPair = QXmppOmemoStorage::SignedPreKeyPair;

// QHash comparisons need them; QXmpp's structs have none.
bool operator==(const Device &a, const Device &b)
{
    return a.label == b.label && a.keyId == b.keyId && a.session == b.session &&
           a.unrespondedSentStanzasCount == b.unrespondedSentStanzasCount &&
           a.unrespondedReceivedStanzasCount == b.unrespondedReceivedStanzasCount &&
           a.removalFromDeviceListDate == b.removalFromDeviceListDate;
}

bool operator==(const SignedPreKeyPair &a, const SignedPreKeyPair &b)
{
    return a.creationDate == b.creationDate && a.data == b.data;
}

namespace {

const QString Account = QStringLiteral("me@example.org");
const QString Other = QStringLiteral("other@example.org");
const QString Alice = QStringLiteral("alice@example.org");
const QString Bob = QStringLiteral("bob@example.com");

// Runs the event loop until task finishes and returns its result.
template <typename T> T await(QXmppTask<T> task, int timeoutMs = 20000)
{
    if (!QTest::qWaitFor([&] { return task.isFinished(); }, timeoutMs))
        qFatal("task did not finish within %d ms", timeoutMs);
    if constexpr (!std::is_void_v<T>)
        return task.takeResult();
}

OwnDevice notebook()
{
    OwnDevice device;
    device.id = 1;
    device.label = QStringLiteral("Notebook");
    device.privateIdentityKey = QByteArrayLiteral("private identity key of the notebook");
    device.publicIdentityKey = QByteArrayLiteral("public identity key of the notebook");
    device.latestSignedPreKeyId = 2;
    device.latestPreKeyId = 100;
    return device;
}

SignedPreKeyPair signedPair(int day, const QByteArray &data)
{
    return {QDateTime(QDate(2022, 1, day), QTime(12, 0), QTimeZone::UTC), data};
}

Device deviceNamed(const QString &label, int counts, int removalDay)
{
    Device device;
    device.label = label;
    device.keyId = QByteArrayLiteral("identity key of ") + label.toUtf8();
    device.session = QByteArrayLiteral("session with ") + label.toUtf8() + QByteArray(1, '\0') +
                     QByteArrayLiteral("binary tail");
    device.unrespondedSentStanzasCount = counts;
    device.unrespondedReceivedStanzasCount = counts + 1;
    device.removalFromDeviceListDate = QDateTime(QDate(2022, 1, removalDay), QTime(8, 30), QTimeZone::UTC);
    return device;
}

std::unique_ptr<Database> openDatabase(const QString &file)
{
    auto db = std::make_unique<Database>(file);
    if (!isOk(waitFor(db->open())))
        return nullptr;
    return db;
}

bool addAccount(Database &db, const QString &jid)
{
    AccountConfig config;
    config.jid = jid;
    config.resource = QStringLiteral("r");
    return isOk(waitFor(AccountRepository(db).save(config)));
}

// Fills storage with one of everything: own device, a signed pre-key, two pre-keys and a device.
void fill(OmemoStorage &storage, const QByteArray &tag)
{
    await(storage.setOwnDevice(notebook()));
    await(storage.addSignedPreKeyPair(1, signedPair(1, "signed " + tag)));
    await(storage.addPreKeyPairs({{1, "pre-key 1 " + tag}, {2, "pre-key 2 " + tag}}));
    await(
        storage.addDevice(Alice, 7, deviceNamed(QStringLiteral("Desktop ") + QString::fromUtf8(tag), 1, 1)));
}

} // namespace

class tst_OmemoStorage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void emptyStorageHasNoData();
    void ownDeviceKeepsDefaultValues();
    void ownDeviceIsReplacedBySettingItAgain();
    void ownDeviceIsRemovedBySettingNone();
    void signedPreKeyPairsAreAddedAndRemoved();
    void preKeyPairsAreAddedInBatchesAndRemovedOneByOne();
    void devicesAreKeptPerOwnerAndDeviceId();
    void removingADeviceKeepsTheOthers();
    void removingTheLastDeviceOfAnOwnerForgetsTheOwner();
    void removingDevicesOfAnOwnerKeepsOtherOwners();
    void addingADeviceAgainReplacesIt();
    void deviceWritesOfOneTurnAreGatheredInCallOrder();
    void deviceWithoutKeySessionOrRemovalDateRoundTrips();
    void resetAllForgetsEverythingIncludingTheOwnDevice();
    void dataSurvivesReopeningTheDatabase();
    void accountsDoNotSeeEachOthersData();
    void versionsDoNotSeeEachOthersRows();
    void bothVersionsShareTheOwnDevice();
    void legacyResetKeepsOmemo2DataAndTheOwnDevice();
    void tasksFinishOnTheCallingThread();
    void failedQueriesStillFinishTheirTasks();
};

void tst_OmemoStorage::emptyStorageHasNoData()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    OmemoStorage storage(store.database(), Account);

    const auto data = await(storage.allData());
    QVERIFY(!data.ownDevice);
    QVERIFY(data.signedPreKeyPairs.isEmpty());
    QVERIFY(data.preKeyPairs.isEmpty());
    QVERIFY(data.devices.isEmpty());
}

void tst_OmemoStorage::ownDeviceKeepsDefaultValues()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    OmemoStorage storage(store.database(), Account);

    await(storage.setOwnDevice(OwnDevice()));

    const auto device = await(storage.allData()).ownDevice;
    QVERIFY(device);
    QCOMPARE(device->id, 0u);
    QVERIFY(device->label.isEmpty());
    QVERIFY(device->privateIdentityKey.isEmpty());
    QVERIFY(device->publicIdentityKey.isEmpty());
    QCOMPARE(device->latestSignedPreKeyId, 1u);
    QCOMPARE(device->latestPreKeyId, 1u);
}

void tst_OmemoStorage::ownDeviceIsReplacedBySettingItAgain()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    OmemoStorage storage(store.database(), Account);

    await(storage.setOwnDevice(OwnDevice()));
    await(storage.setOwnDevice(notebook()));

    const auto device = await(storage.allData()).ownDevice;
    QVERIFY(device);
    QCOMPARE(device->id, 1u);
    QCOMPARE(device->label, QStringLiteral("Notebook"));
    QCOMPARE(device->privateIdentityKey, notebook().privateIdentityKey);
    QCOMPARE(device->publicIdentityKey, notebook().publicIdentityKey);
    QCOMPARE(device->latestSignedPreKeyId, 2u);
    QCOMPARE(device->latestPreKeyId, 100u);
}

void tst_OmemoStorage::ownDeviceIsRemovedBySettingNone()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    OmemoStorage storage(store.database(), Account);
    await(storage.setOwnDevice(notebook()));
    QVERIFY(await(storage.allData()).ownDevice);

    await(storage.setOwnDevice(std::nullopt));

    QVERIFY(!await(storage.allData()).ownDevice);
}

void tst_OmemoStorage::signedPreKeyPairsAreAddedAndRemoved()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    OmemoStorage storage(store.database(), Account);
    const auto first = signedPair(1, "first signed pre-key pair");
    const auto second = signedPair(2, "second signed pre-key pair");

    await(storage.addSignedPreKeyPair(1, first));
    await(storage.addSignedPreKeyPair(2, second));
    const auto both = await(storage.allData()).signedPreKeyPairs;
    QCOMPARE(both.size(), 2);
    QCOMPARE(both.value(1).creationDate, first.creationDate);
    QCOMPARE(both.value(1).data, first.data);
    QCOMPARE(both.value(2).creationDate, second.creationDate);
    QCOMPARE(both.value(2).data, second.data);

    await(storage.removeSignedPreKeyPair(1));
    const auto remaining = await(storage.allData()).signedPreKeyPairs;
    QCOMPARE(remaining, (QHash<uint32_t, SignedPreKeyPair>{{2, second}}));
}

void tst_OmemoStorage::preKeyPairsAreAddedInBatchesAndRemovedOneByOne()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    OmemoStorage storage(store.database(), Account);
    const QHash<uint32_t, QByteArray> firstBatch = {{1, "pre-key pair 1"}, {2, "pre-key pair 2"}};
    const QHash<uint32_t, QByteArray> secondBatch = {{3, "pre-key pair 3"}};

    // Not awaited one by one: QXmpp's manager does not wait either, and the order must hold.
    auto first = storage.addPreKeyPairs(firstBatch);
    auto second = storage.addPreKeyPairs(secondBatch);
    await(std::move(first));
    await(std::move(second));
    QCOMPARE(
        await(storage.allData()).preKeyPairs,
        (QHash<uint32_t, QByteArray>{{1, "pre-key pair 1"}, {2, "pre-key pair 2"}, {3, "pre-key pair 3"}}));

    await(storage.removePreKeyPair(1));
    QCOMPARE(await(storage.allData()).preKeyPairs,
             (QHash<uint32_t, QByteArray>{{2, "pre-key pair 2"}, {3, "pre-key pair 3"}}));
}

void tst_OmemoStorage::devicesAreKeptPerOwnerAndDeviceId()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    OmemoStorage storage(store.database(), Account);
    const Device desktop = deviceNamed(QStringLiteral("Desktop"), 10, 1);
    const Device phone = deviceNamed(QStringLiteral("Phone"), 20, 2);
    const Device tablet = deviceNamed(QStringLiteral("Tablet"), 30, 3);

    await(storage.addDevice(Alice, 1, desktop));
    await(storage.addDevice(Bob, 1, phone));
    await(storage.addDevice(Bob, 2, tablet));

    const auto devices = await(storage.allData()).devices;
    QCOMPARE(devices.size(), 2);
    const auto alices = devices.value(Alice);
    QCOMPARE(alices.size(), 1);
    QCOMPARE(alices.value(1).label, desktop.label);
    QCOMPARE(alices.value(1).keyId, desktop.keyId);
    QCOMPARE(alices.value(1).session, desktop.session);
    QCOMPARE(alices.value(1).unrespondedSentStanzasCount, 10);
    QCOMPARE(alices.value(1).unrespondedReceivedStanzasCount, 11);
    QCOMPARE(alices.value(1).removalFromDeviceListDate, desktop.removalFromDeviceListDate);
    QCOMPARE(devices.value(Bob), (QHash<uint32_t, Device>{{1, phone}, {2, tablet}}));
}

void tst_OmemoStorage::removingADeviceKeepsTheOthers()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    OmemoStorage storage(store.database(), Account);
    const Device desktop = deviceNamed(QStringLiteral("Desktop"), 10, 1);
    const Device phone = deviceNamed(QStringLiteral("Phone"), 20, 2);
    await(storage.addDevice(Alice, 1, desktop));
    await(storage.addDevice(Bob, 1, phone));
    await(storage.addDevice(Bob, 2, deviceNamed(QStringLiteral("Tablet"), 30, 3)));

    await(storage.removeDevice(Bob, 2));

    const auto devices = await(storage.allData()).devices;
    QCOMPARE(devices,
             (QHash<QString, QHash<uint32_t, Device>>{{Alice, {{1, desktop}}}, {Bob, {{1, phone}}}}));
}

void tst_OmemoStorage::removingTheLastDeviceOfAnOwnerForgetsTheOwner()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    OmemoStorage storage(store.database(), Account);
    const Device phone = deviceNamed(QStringLiteral("Phone"), 20, 2);
    await(storage.addDevice(Alice, 1, deviceNamed(QStringLiteral("Desktop"), 10, 1)));
    await(storage.addDevice(Bob, 1, phone));

    await(storage.removeDevice(Alice, 1));

    const auto devices = await(storage.allData()).devices;
    QVERIFY(!devices.contains(Alice));
    QCOMPARE(devices, (QHash<QString, QHash<uint32_t, Device>>{{Bob, {{1, phone}}}}));
}

void tst_OmemoStorage::removingDevicesOfAnOwnerKeepsOtherOwners()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    OmemoStorage storage(store.database(), Account);
    const Device desktop = deviceNamed(QStringLiteral("Desktop"), 10, 1);
    await(storage.addDevice(Alice, 1, desktop));
    await(storage.addDevice(Bob, 1, deviceNamed(QStringLiteral("Phone"), 20, 2)));
    await(storage.addDevice(Bob, 2, deviceNamed(QStringLiteral("Tablet"), 30, 3)));

    await(storage.removeDevices(Bob));

    const auto devices = await(storage.allData()).devices;
    QCOMPARE(devices, (QHash<QString, QHash<uint32_t, Device>>{{Alice, {{1, desktop}}}}));
}

void tst_OmemoStorage::addingADeviceAgainReplacesIt()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    OmemoStorage storage(store.database(), Account);
    const Device updated = deviceNamed(QStringLiteral("Laptop"), 40, 4);
    await(storage.addDevice(Alice, 1, deviceNamed(QStringLiteral("Desktop"), 10, 1)));

    await(storage.addDevice(Alice, 1, updated));

    const auto devices = await(storage.allData()).devices;
    QCOMPARE(devices, (QHash<QString, QHash<uint32_t, Device>>{{Alice, {{1, updated}}}}));
}

void tst_OmemoStorage::deviceWritesOfOneTurnAreGatheredInCallOrder()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    const Device first = deviceNamed(QStringLiteral("Desktop"), 1, 1);
    const Device last = deviceNamed(QStringLiteral("Desktop again"), 2, 2);
    const Device phone = deviceNamed(QStringLiteral("Phone"), 3, 3);
    {
        OmemoStorage storage(store.database(), Account);
        // One turn of the event loop, as a catch-up decrypting a page: the session of one device changes
        // several times, a device is added and removed again, another is added after that.
        auto a = storage.addDevice(Alice, 1, first);
        auto b = storage.addDevice(Bob, 2, phone);
        auto removed = storage.removeDevice(Bob, 2);
        auto c = storage.addDevice(Alice, 1, last);
        auto d = storage.addDevice(Alice, 3, phone);
        await(std::move(d));
        QVERIFY(a.isFinished() && b.isFinished() && c.isFinished() && removed.isFinished());
    }
    {
        // Written when the object goes, even without a turn of the event loop.
        OmemoStorage storage(store.database(), Account);
        (void)storage.addDevice(Alice, 4, first);
    }
    OmemoStorage reader(store.database(), Account);
    const auto devices = await(reader.allData()).devices;
    QCOMPARE(devices,
             (QHash<QString, QHash<uint32_t, Device>>{{Alice, {{1, last}, {3, phone}, {4, first}}}}));
}

void tst_OmemoStorage::deviceWithoutKeySessionOrRemovalDateRoundTrips()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    OmemoStorage storage(store.database(), Account);

    // A device from a device list before any session: QXmpp stores it like this.
    await(storage.addDevice(Alice, 123, Device()));

    const auto stored = await(storage.allData()).devices.value(Alice);
    QCOMPARE(stored.size(), 1);
    QVERIFY(stored.contains(123));
    QVERIFY(stored.value(123).keyId.isEmpty());
    QVERIFY(stored.value(123).session.isEmpty());
    QVERIFY(!stored.value(123).removalFromDeviceListDate.isValid());
    QCOMPARE(stored.value(123).unrespondedSentStanzasCount, 0);
}

void tst_OmemoStorage::resetAllForgetsEverythingIncludingTheOwnDevice()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    OmemoStorage storage(store.database(), Account);
    fill(storage, "v2");
    const auto before = await(storage.allData());
    QVERIFY(before.ownDevice);
    QVERIFY(!before.signedPreKeyPairs.isEmpty());
    QVERIFY(!before.preKeyPairs.isEmpty());
    QVERIFY(!before.devices.isEmpty());

    await(storage.resetAll());

    const auto after = await(storage.allData());
    QVERIFY(!after.ownDevice);
    QVERIFY(after.signedPreKeyPairs.isEmpty());
    QVERIFY(after.preKeyPairs.isEmpty());
    QVERIFY(after.devices.isEmpty());
}

void tst_OmemoStorage::dataSurvivesReopeningTheDatabase()
{
    TestProfile profile;
    const QString file = profile.path() + QStringLiteral("/natter.sqlite");
    const Device desktop = deviceNamed(QStringLiteral("Desktop"), 10, 1);
    {
        auto db = openDatabase(file);
        QVERIFY(db);
        QVERIFY(addAccount(*db, Account));
        OmemoStorage storage(*db, Account);
        await(storage.setOwnDevice(notebook()));
        await(storage.addSignedPreKeyPair(5, signedPair(5, "kept signed pre-key")));
        await(storage.addPreKeyPairs({{9, "kept pre-key"}}));
        await(storage.addDevice(Alice, 1, desktop));
    }

    auto db = openDatabase(file);
    QVERIFY(db);
    OmemoStorage storage(*db, Account);
    const auto data = await(storage.allData());
    QVERIFY(data.ownDevice);
    QCOMPARE(data.ownDevice->id, notebook().id);
    QCOMPARE(data.ownDevice->label, notebook().label);
    QCOMPARE(data.ownDevice->privateIdentityKey, notebook().privateIdentityKey);
    QCOMPARE(data.ownDevice->publicIdentityKey, notebook().publicIdentityKey);
    QCOMPARE(data.ownDevice->latestSignedPreKeyId, notebook().latestSignedPreKeyId);
    QCOMPARE(data.ownDevice->latestPreKeyId, notebook().latestPreKeyId);
    QCOMPARE(data.signedPreKeyPairs,
             (QHash<uint32_t, SignedPreKeyPair>{{5, signedPair(5, "kept signed pre-key")}}));
    QCOMPARE(data.preKeyPairs, (QHash<uint32_t, QByteArray>{{9, "kept pre-key"}}));
    QCOMPARE(data.devices, (QHash<QString, QHash<uint32_t, Device>>{{Alice, {{1, desktop}}}}));
}

void tst_OmemoStorage::accountsDoNotSeeEachOthersData()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    QVERIFY(addAccount(store.database(), Other));
    OmemoStorage mine(store.database(), Account);
    OmemoStorage theirs(store.database(), Other);
    fill(mine, "mine");
    await(theirs.addPreKeyPairs({{1, "their pre-key"}}));

    const auto theirData = await(theirs.allData());
    QVERIFY(!theirData.ownDevice);
    QVERIFY(theirData.signedPreKeyPairs.isEmpty());
    QCOMPARE(theirData.preKeyPairs, (QHash<uint32_t, QByteArray>{{1, "their pre-key"}}));
    QVERIFY(theirData.devices.isEmpty());

    // Resetting one account leaves the other's data alone.
    await(theirs.resetAll());
    const auto myData = await(mine.allData());
    QVERIFY(myData.ownDevice);
    QCOMPARE(myData.signedPreKeyPairs.size(), 1);
    QCOMPARE(myData.preKeyPairs, (QHash<uint32_t, QByteArray>{{1, "pre-key 1 mine"}, {2, "pre-key 2 mine"}}));
    QCOMPARE(myData.devices.value(Alice).size(), 1);
}

void tst_OmemoStorage::versionsDoNotSeeEachOthersRows()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    OmemoStorage omemo2(store.database(), Account, OmemoStorage::Omemo2);
    OmemoStorage legacy(store.database(), Account, OmemoStorage::LegacyOmemo);
    const Device legacyDesktop = deviceNamed(QStringLiteral("Legacy desktop"), 1, 1);
    const Device desktop = deviceNamed(QStringLiteral("Desktop"), 2, 2);

    // The same ids in both versions.
    await(legacy.addSignedPreKeyPair(1, signedPair(1, "legacy signed")));
    await(omemo2.addSignedPreKeyPair(1, signedPair(2, "omemo 2 signed")));
    await(legacy.addPreKeyPairs({{1, "legacy pre-key"}}));
    await(omemo2.addPreKeyPairs({{1, "omemo 2 pre-key"}, {2, "omemo 2 second pre-key"}}));
    await(legacy.addDevice(Alice, 7, legacyDesktop));
    await(omemo2.addDevice(Alice, 7, desktop));
    await(legacy.removePreKeyPair(2)); // exists only in OMEMO 2

    const auto legacyData = await(legacy.allData());
    QCOMPARE(legacyData.signedPreKeyPairs,
             (QHash<uint32_t, SignedPreKeyPair>{{1, signedPair(1, "legacy signed")}}));
    QCOMPARE(legacyData.preKeyPairs, (QHash<uint32_t, QByteArray>{{1, "legacy pre-key"}}));
    QCOMPARE(legacyData.devices, (QHash<QString, QHash<uint32_t, Device>>{{Alice, {{7, legacyDesktop}}}}));

    const auto omemo2Data = await(omemo2.allData());
    QCOMPARE(omemo2Data.signedPreKeyPairs,
             (QHash<uint32_t, SignedPreKeyPair>{{1, signedPair(2, "omemo 2 signed")}}));
    QCOMPARE(omemo2Data.preKeyPairs,
             (QHash<uint32_t, QByteArray>{{1, "omemo 2 pre-key"}, {2, "omemo 2 second pre-key"}}));
    QCOMPARE(omemo2Data.devices, (QHash<QString, QHash<uint32_t, Device>>{{Alice, {{7, desktop}}}}));
}

void tst_OmemoStorage::bothVersionsShareTheOwnDevice()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    OmemoStorage omemo2(store.database(), Account, OmemoStorage::Omemo2);
    OmemoStorage legacy(store.database(), Account, OmemoStorage::LegacyOmemo);

    await(omemo2.setOwnDevice(notebook()));

    const auto device = await(legacy.allData()).ownDevice;
    QVERIFY(device);
    QCOMPARE(device->id, notebook().id);
    QCOMPARE(device->publicIdentityKey, notebook().publicIdentityKey);
}

void tst_OmemoStorage::legacyResetKeepsOmemo2DataAndTheOwnDevice()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    OmemoStorage omemo2(store.database(), Account, OmemoStorage::Omemo2);
    OmemoStorage legacy(store.database(), Account, OmemoStorage::LegacyOmemo);
    fill(omemo2, "omemo 2");
    fill(legacy, "legacy");
    const auto before = await(omemo2.allData());

    await(legacy.resetAll());

    const auto legacyData = await(legacy.allData());
    QVERIFY(legacyData.signedPreKeyPairs.isEmpty());
    QVERIFY(legacyData.preKeyPairs.isEmpty());
    QVERIFY(legacyData.devices.isEmpty());
    QVERIFY(legacyData.ownDevice);
    const auto after = await(omemo2.allData());
    QVERIFY(after.ownDevice);
    QCOMPARE(after.ownDevice->id, notebook().id);
    QCOMPARE(after.signedPreKeyPairs, before.signedPreKeyPairs);
    QCOMPARE(after.preKeyPairs, before.preKeyPairs);
    QCOMPARE(after.devices, before.devices);
    QCOMPARE(after.preKeyPairs.size(), 2);
}

void tst_OmemoStorage::tasksFinishOnTheCallingThread()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    OmemoStorage storage(store.database(), Account);
    QObject receiver;
    QThread *writeFinishedOn = nullptr;
    QThread *readFinishedOn = nullptr;

    // QXmppTask::then() runs the continuation where the promise is finished.
    auto write = storage.addPreKeyPairs({{1, "pre-key"}});
    write.then(&receiver, [&] { writeFinishedOn = QThread::currentThread(); });
    auto read = storage.allData();
    read.then(&receiver, [&](QXmppOmemoStorage::OmemoData &&) { readFinishedOn = QThread::currentThread(); });

    QTRY_VERIFY(readFinishedOn);
    QCOMPARE(writeFinishedOn, QThread::currentThread());
    QCOMPARE(readFinishedOn, QThread::currentThread());
}

void tst_OmemoStorage::failedQueriesStillFinishTheirTasks()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    // No such account in the database: every query fails.
    OmemoStorage storage(store.database(), QStringLiteral("nobody@example.org"));

    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("OMEMO storage: adding pre-keys failed")));
    await(storage.addPreKeyPairs({{1, "pre-key"}}));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("OMEMO storage: reading failed")));
    const auto data = await(storage.allData());
    QVERIFY(!data.ownDevice);
    QVERIFY(data.preKeyPairs.isEmpty());
}

QTEST_GUILESS_MAIN(tst_OmemoStorage)
#include "tst_omemostorage.moc"
