// SPDX-License-Identifier: GPL-3.0-or-later
// OMEMO against the independent peer (support/omemo_peer.py) beyond the happy path: a contact with several
// devices of different versions, a contact that changes its device, messages that must not be read (tampered,
// replayed, addressed elsewhere, devices without keys) and sessions that outlive a restart of the profile.
#include "Contacts.h"
#include "OmemoPeer.h"
#include "OnlineAccount.h"
#include "StoredAccount.h"
#include "TestServer.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "crypto/EncryptionService.h"
#include "crypto/LegacyOmemoService.h"
#include "messaging/MessageService.h"
#include "profile/ProfileTransfer.h"
#include "roster/RosterService.h"
#include "roster/SubscriptionService.h"
#include "storage/Database.h"
#include "storage/MessageRepository.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QSqlQuery>
#include <QTemporaryDir>

using namespace Natter::Core;
using namespace Natter::Test;

namespace {

const QString Legacy = QStringLiteral("legacy");
const QString Omemo2 = QStringLiteral("v2");

ChatMessage::Encryption encryptionOf(const QString &version)
{
    return version == Legacy ? ChatMessage::Encryption::LegacyOmemo : ChatMessage::Encryption::Omemo2;
}

QList<uint32_t> idsOf(const QJsonValue &array)
{
    QList<uint32_t> ids;
    for (const QJsonValue &id : array.toArray())
        ids.append(uint32_t(id.toInteger()));
    return ids;
}

uint32_t ourDevice(Account *account)
{
    return account->encryption()->legacy().engine()->deviceId();
}

// The peer's answer to a send command; a refused command is logged with the peer's reason.
std::optional<QJsonObject> sentEvent(OmemoPeer &peer)
{
    auto sent = peer.waitForEvent(QStringLiteral("sent"));
    if (!sent) {
        for (const QJsonObject &error : peer.events(QStringLiteral("error")))
            qWarning().noquote() << "the peer refused" << error.value(QStringLiteral("cmd")).toString()
                                 << error.value(QStringLiteral("reason")).toString();
    }
    return sent;
}

// What peer could not decrypt and why, for failure messages.
QString decryptErrors(const OmemoPeer &peer)
{
    QStringList reasons;
    for (const QJsonObject &error : peer.events(QStringLiteral("decrypt_error")))
        reasons.append(QStringLiteral("%1: %2").arg(error.value(QStringLiteral("id")).toString(),
                                                    error.value(QStringLiteral("reason")).toString()));
    return reasons.join(u'\n');
}

QList<ChatMessage> storedMessages(AccountManager &manager, const QString &accountJid, const QString &peer)
{
    const auto page = waitFor(manager.messageStore().before({accountJid, peer}, std::nullopt, 200));
    return isOk(page) ? std::get<QList<ChatMessage>>(page) : QList<ChatMessage>();
}

int noticesWith(AccountManager &manager, const QString &accountJid, const QString &peer)
{
    int notices = 0;
    for (const ChatMessage &message : storedMessages(manager, accountJid, peer))
        notices += message.cryptoError.isEmpty() ? 0 : 1;
    return notices;
}

// The devices of peer that account's store has as listed (not removed from the device list) in version
// (0: legacy, 2: OMEMO 2).
QList<uint32_t> listedDevices(Database &db, const QString &accountJid, const QString &peer, int version)
{
    return waitFor(db.run([accountJid, peer, version](QSqlDatabase &connection) {
        QList<uint32_t> devices;
        QSqlQuery query(connection);
        query.prepare(
            QStringLiteral("SELECT d.device_id FROM omemo_devices d JOIN accounts a ON a.id = d.account_id "
                           "WHERE a.jid = ? AND d.jid = ? AND d.version = ? AND d.removed_at IS NULL "
                           "ORDER BY d.device_id"));
        query.addBindValue(accountJid);
        query.addBindValue(peer);
        query.addBindValue(version);
        if (query.exec()) {
            while (query.next())
                devices.append(query.value(0).toUInt());
        }
        return devices;
    }));
}

// What must stay the same when the profile is opened again: our device and identity, the pre-keys (a key
// exchange would use one up) and, of each of peer's devices, its identity key and that there is a session.
// Ratchet state and counters change with every message and are left out.
QStringList omemoState(Database &db, const QString &accountJid, const QString &peer)
{
    return waitFor(db.run([accountJid, peer](QSqlDatabase &connection) {
        QStringList state;
        QSqlQuery query(connection);
        query.prepare(QStringLiteral("SELECT o.device_id, hex(o.public_identity_key) FROM omemo_own_device o "
                                     "JOIN accounts a ON a.id = o.account_id WHERE a.jid = ?"));
        query.addBindValue(accountJid);
        if (query.exec() && query.next())
            state.append(
                QStringLiteral("own %1 %2").arg(query.value(0).toString(), query.value(1).toString()));
        query.prepare(
            QStringLiteral("SELECT p.version, group_concat(p.id, ',') FROM "
                           "(SELECT version, id, account_id FROM omemo_pre_keys ORDER BY version, id) p "
                           "JOIN accounts a ON a.id = p.account_id WHERE a.jid = ? GROUP BY p.version"));
        query.addBindValue(accountJid);
        if (query.exec()) {
            while (query.next())
                state.append(QStringLiteral("pre-keys v%1 %2")
                                 .arg(query.value(0).toString(), query.value(1).toString()));
        }
        query.prepare(QStringLiteral(
            "SELECT d.version, d.device_id, hex(d.key_id), length(d.session) > 0, d.removed_at IS NULL "
            "FROM omemo_devices d JOIN accounts a ON a.id = d.account_id WHERE a.jid = ? AND d.jid = ? "
            "ORDER BY d.version, d.device_id"));
        query.addBindValue(accountJid);
        query.addBindValue(peer);
        if (query.exec()) {
            while (query.next())
                state.append(QStringLiteral("device v%1 %2 key %3 session %4 listed %5")
                                 .arg(query.value(0).toString(), query.value(1).toString(),
                                      query.value(2).toString(), query.value(3).toString(),
                                      query.value(4).toString()));
        }
        return state;
    }));
}

} // namespace

class tst_OmemoInterop : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void oneMessageReachesThreeDevicesOfDifferentVersions();
    void eachOfThreeDevicesIsReadWithItsVersion();
    void aReplacedDeviceGetsOurNextMessageAndTheOldOneDoesNot();
    void ourMessagesBeforeAnyAnswerAreRead_data();
    void ourMessagesBeforeAnyAnswerAreRead();
    void aDeviceWithoutBundleIsLeftOut_data();
    void aDeviceWithoutBundleIsLeftOut();
    void nothingGoesOutWhenNoDeviceHasABundle_data();
    void nothingGoesOutWhenNoDeviceHasABundle();
    void tamperedCiphertextLeavesANotice_data();
    void tamperedCiphertextLeavesANotice();
    void aLegacyTagAtTheEndOfThePayloadIsRead();
    void aMessageOnlyForAnUnknownDeviceLeavesANotice_data();
    void aMessageOnlyForAnUnknownDeviceLeavesANotice();
    void aReplayedMessageIsNotShownTwice_data();
    void aReplayedMessageIsNotShownTwice();
    void sessionsSurviveARestartOfTheProfile_data();
    void sessionsSurviveARestartOfTheProfile();

private:
    // A Natter account and a peer (another account) speaking versions that can reach each other.
    struct EncryptedChat
    {
        std::unique_ptr<StoredAccount> natter;
        std::unique_ptr<OmemoPeer> peer;
        QString peerJid;
        explicit operator bool() const { return natter && peer; }
    };

    // Starts a peer for user (already registered), keeping its keys in dataDirectory (empty: a temporary
    // directory); nullptr when it did not get ready.
    std::unique_ptr<OmemoPeer> startPeer(const QString &user, const QString &versions,
                                         const QString &dataDirectory = {});
    // A fresh account and a fresh peer speaking only version, each seeing the other's device.
    EncryptedChat encryptedChat(const QString &version);
    // Waits until peer lists device (of jid) in version's device list.
    // peer sends body encrypted in version; the "sent" event, or nullopt.
    static std::optional<QJsonObject> peerSends(OmemoPeer &peer, const QString &to, const QString &body,
                                                const QString &version);
    static std::optional<QJsonObject> peerSendsTampered(OmemoPeer &peer, const QString &to,
                                                        const QString &body, const QString &version,
                                                        const QString &mode);
    // peer sends body and Natter stores it decrypted as version.
    static bool peerSendsAndNatterReads(EncryptedChat &chat, const QString &body, const QString &version);
    static Result<ChatMessage> natterSends(Account *account, const QString &peer, const QString &body);
    static std::optional<ChatMessage> waitForStored(AccountManager &manager, const QString &accountJid,
                                                    const QString &peer,
                                                    const std::function<bool(const ChatMessage &)> &matches);
    static std::optional<ChatMessage> waitForStored(StoredAccount &account, const QString &peer,
                                                    const std::function<bool(const ChatMessage &)> &matches);
    // The stored message with id: it must be a notice, not text and not an empty bubble.
    static void verifyNotice(StoredAccount &account, const QString &peer, const QString &id,
                             const QString &version);
    // Opens the profile at path with its account online and OMEMO ready; nullptr when that failed. Imported
    // passwords are kept first.
    std::unique_ptr<AccountManager> openProfile(const QString &path, const QString &jid,
                                                const ProfileTransfer::Secrets &passwords = {});
    // Exports the profile of manager (which is then closed: the old computer is off), checks that a wrong
    // passphrase and a damaged archive import nothing, and imports it into directory; its passwords.
    std::optional<ProfileTransfer::Secrets> moveProfile(std::unique_ptr<AccountManager> &manager,
                                                        const QString &directory);

    TestServer m_server;
};

namespace {

// Every scenario runs once per OMEMO version of the peer.
void addVersionRows()
{
    QTest::addColumn<QString>("version");
    QTest::newRow("legacy") << Legacy;
    QTest::newRow("OMEMO 2") << Omemo2;
}

// Has peer announce a second device that never publishes a bundle: its id, or 0 when the peer failed.
uint32_t announcePhantomDevice(OmemoPeer &peer)
{
    const uint32_t phantom = peer.deviceId() == 4242 ? 4243 : 4242;
    peer.command({{QStringLiteral("cmd"), QStringLiteral("publish_device_list")},
                  {QStringLiteral("devices"), QJsonArray{qint64(peer.deviceId()), qint64(phantom)}}});
    return peer.waitForEvent(QStringLiteral("published")) ? phantom : 0;
}

} // namespace

void tst_OmemoInterop::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
}

std::unique_ptr<OmemoPeer> tst_OmemoInterop::startPeer(const QString &user, const QString &versions,
                                                       const QString &dataDirectory)
{
    auto peer = std::make_unique<OmemoPeer>(
        m_server, user, OmemoPeer::Options{versions, QStringLiteral("blind")}, dataDirectory);
    return peer->waitReady() ? std::move(peer) : nullptr;
}

tst_OmemoInterop::EncryptedChat tst_OmemoInterop::encryptedChat(const QString &version)
{
    EncryptedChat chat;
    const auto peerUser = m_server.registerAccount(QStringLiteral("omemo-peer"));
    auto natter = newEncryptedUser(m_server, QStringLiteral("omemo-natter"));
    if (!peerUser || !natter)
        return chat;
    auto peer = startPeer(*peerUser, version);
    if (!peer || !peer->seesDevice(natter->jid(), ourDevice(natter->account()), version))
        return chat;
    chat.natter = std::move(natter);
    chat.peer = std::move(peer);
    chat.peerJid = m_server.jid(*peerUser);
    return chat;
}

std::optional<QJsonObject> tst_OmemoInterop::peerSends(OmemoPeer &peer, const QString &to,
                                                       const QString &body, const QString &version)
{
    peer.command({{QStringLiteral("cmd"), QStringLiteral("send")},
                  {QStringLiteral("to"), to},
                  {QStringLiteral("body"), body},
                  {QStringLiteral("version"), version}});
    return sentEvent(peer);
}

std::optional<QJsonObject> tst_OmemoInterop::peerSendsTampered(OmemoPeer &peer, const QString &to,
                                                               const QString &body, const QString &version,
                                                               const QString &mode)
{
    peer.command({{QStringLiteral("cmd"), QStringLiteral("send_tampered")},
                  {QStringLiteral("to"), to},
                  {QStringLiteral("body"), body},
                  {QStringLiteral("version"), version},
                  {QStringLiteral("mode"), mode}});
    return sentEvent(peer);
}

bool tst_OmemoInterop::peerSendsAndNatterReads(EncryptedChat &chat, const QString &body,
                                               const QString &version)
{
    if (!peerSends(*chat.peer, chat.natter->jid(), body, version))
        return false;
    const auto stored =
        waitForStored(*chat.natter, chat.peerJid, [&body](const ChatMessage &m) { return m.body == body; });
    return stored && stored->encryption == encryptionOf(version) && stored->cryptoError.isEmpty();
}

Result<ChatMessage> tst_OmemoInterop::natterSends(Account *account, const QString &peer, const QString &body)
{
    auto composed = account->messages().compose(peer, body);
    if (!isOk(composed))
        return composed;
    return waitFor(account->messages().send(std::get<ChatMessage>(composed)));
}

std::optional<ChatMessage>
tst_OmemoInterop::waitForStored(AccountManager &manager, const QString &accountJid, const QString &peer,
                                const std::function<bool(const ChatMessage &)> &matches)
{
    std::optional<ChatMessage> found;
    [[maybe_unused]] const bool seen = QTest::qWaitFor(
        [&] {
            for (const ChatMessage &message : storedMessages(manager, accountJid, peer)) {
                if (matches(message))
                    found = message;
            }
            return found.has_value();
        },
        20000);
    return found;
}

std::optional<ChatMessage>
tst_OmemoInterop::waitForStored(StoredAccount &account, const QString &peer,
                                const std::function<bool(const ChatMessage &)> &matches)
{
    return waitForStored(account.manager(), account.jid(), peer, matches);
}

void tst_OmemoInterop::verifyNotice(StoredAccount &account, const QString &peer, const QString &id,
                                    const QString &version)
{
    const auto stored = waitForStored(account, peer, [&id](const ChatMessage &m) { return m.id == id; });
    QVERIFY2(stored, qPrintable(QStringLiteral("nothing stored for %1").arg(id)));
    QVERIFY2(stored->body.isEmpty(), qPrintable(stored->body));
    QCOMPARE(stored->encryption, encryptionOf(version));
    QCOMPARE(stored->cryptoError, QStringLiteral("undecryptable"));
}

std::unique_ptr<AccountManager> tst_OmemoInterop::openProfile(const QString &path, const QString &jid,
                                                              const ProfileTransfer::Secrets &passwords)
{
    auto manager = std::make_unique<AccountManager>(path);
    manager->setAdditionalCaCertificates(m_server.caCertificates());
    if (!isOk(waitFor(manager->open())))
        return nullptr;
    if (!passwords.isEmpty() && !isOk(waitFor(ProfileTransfer::restorePasswords(*manager, passwords))))
        return nullptr;
    Account *account = manager->account(jid);
    if (!account || !account->encryption() || !goOnline(account))
        return nullptr;
    auto *encryption = account->encryption();
    if (!QTest::qWaitFor([encryption] { return encryption->isReady(); }, 20000))
        return nullptr;
    return manager;
}

void tst_OmemoInterop::oneMessageReachesThreeDevicesOfDifferentVersions()
{
    auto alice = newEncryptedUser(m_server, QStringLiteral("omemo-alice"));
    const auto trioUser = m_server.registerAccount(QStringLiteral("omemo-trio"));
    QVERIFY(alice && trioUser);
    // One after the other: each device adds itself to the device list(s) it finds.
    auto both = startPeer(*trioUser, QStringLiteral("legacy,v2"));
    QVERIFY(both);
    auto legacyOnly = startPeer(*trioUser, Legacy);
    QVERIFY(legacyOnly);
    auto omemo2Only = startPeer(*trioUser, Omemo2);
    QVERIFY(omemo2Only);
    const QList<uint32_t> trio{both->deviceId(), legacyOnly->deviceId(), omemo2Only->deviceId()};
    QCOMPARE(QSet<uint32_t>(trio.cbegin(), trio.cend()).size(), 3);

    const auto sent =
        natterSends(alice->account(), m_server.jid(*trioUser), QStringLiteral("one message for all of you"));
    QVERIFY2(isOk(sent), qPrintable(errorOf(sent).detail));
    // OMEMO 2 for the devices that have it, legacy OMEMO for the one that has not, in one stanza.
    QCOMPARE(std::get<ChatMessage>(sent).encryption, ChatMessage::Encryption::Omemo2);

    const QList<std::pair<OmemoPeer *, QString>> expected{
        {both.get(), Omemo2}, {legacyOnly.get(), Legacy}, {omemo2Only.get(), Omemo2}};
    for (const auto &[peer, version] : expected) {
        const auto received = peer->waitForEvent(QStringLiteral("message"));
        QVERIFY2(received, qPrintable(decryptErrors(*peer)));
        QCOMPARE(received->value(QStringLiteral("body")).toString(),
                 QStringLiteral("one message for all of you"));
        QCOMPARE(received->value(QStringLiteral("version")).toString(), version);
        QCOMPARE(uint32_t(received->value(QStringLiteral("sender_device")).toInteger()),
                 ourDevice(alice->account()));
        const QList<uint32_t> keys = idsOf(received->value(QStringLiteral("recipient_devices")));
        for (const uint32_t device : trio)
            QVERIFY2(keys.contains(device), qPrintable(QString::number(device)));
        QVERIFY(peer->events(QStringLiteral("decrypt_error")).isEmpty());
    }
}

void tst_OmemoInterop::eachOfThreeDevicesIsReadWithItsVersion()
{
    auto alice = newEncryptedUser(m_server, QStringLiteral("omemo-alice"));
    const auto trioUser = m_server.registerAccount(QStringLiteral("omemo-trio"));
    QVERIFY(alice && trioUser);
    auto both = startPeer(*trioUser, QStringLiteral("legacy,v2"));
    QVERIFY(both);
    auto legacyOnly = startPeer(*trioUser, Legacy);
    QVERIFY(legacyOnly);
    auto omemo2Only = startPeer(*trioUser, Omemo2);
    QVERIFY(omemo2Only);
    const uint32_t ours = ourDevice(alice->account());
    QVERIFY(both->seesDevice(alice->jid(), ours, Legacy));
    QVERIFY(both->seesDevice(alice->jid(), ours, Omemo2));
    QVERIFY(legacyOnly->seesDevice(alice->jid(), ours, Legacy));
    QVERIFY(omemo2Only->seesDevice(alice->jid(), ours, Omemo2));

    struct Case
    {
        OmemoPeer *peer;
        QString version;
        QString body;
    };
    const QList<Case> cases{
        {both.get(), Omemo2, QStringLiteral("from the device with both, in OMEMO 2")},
        {both.get(), Legacy, QStringLiteral("from the device with both, in legacy OMEMO")},
        {legacyOnly.get(), Legacy, QStringLiteral("from the legacy device")},
        {omemo2Only.get(), Omemo2, QStringLiteral("from the OMEMO 2 device")}};
    const QString trioJid = m_server.jid(*trioUser);
    for (const Case &sent : cases) {
        QVERIFY2(peerSends(*sent.peer, alice->jid(), sent.body, sent.version),
                 qPrintable(sent.peer->errorOutput()));
        const auto stored =
            waitForStored(*alice, trioJid, [&sent](const ChatMessage &m) { return m.body == sent.body; });
        QVERIFY2(stored, qPrintable(sent.body));
        QCOMPARE(stored->encryption, encryptionOf(sent.version));
        QVERIFY(stored->cryptoError.isEmpty());
    }
    QCOMPARE(noticesWith(alice->manager(), alice->jid(), trioJid), 0);
    QCOMPARE(storedMessages(alice->manager(), alice->jid(), trioJid).size(), cases.size());
}

void tst_OmemoInterop::aReplacedDeviceGetsOurNextMessageAndTheOldOneDoesNot()
{
    auto alice = newEncryptedUser(m_server, QStringLiteral("omemo-alice"));
    const auto peerUser = m_server.registerAccount(QStringLiteral("omemo-rotor"));
    QVERIFY(alice && peerUser);
    const QString peerJid = m_server.jid(*peerUser);
    auto oldDevice = startPeer(*peerUser, QStringLiteral("legacy,v2"));
    QVERIFY(oldDevice);
    const uint32_t oldId = oldDevice->deviceId();
    // Contacts: device list changes reach Alice by PEP notification, as they do in real life.
    QVERIFY(QTest::qWaitFor([&] { return alice->account()->roster().isLoaded(); }, 10000));
    alice->account()->subscriptions().requestSubscription(peerJid);
    alice->account()->subscriptions().preApprove(peerJid);
    QTRY_COMPARE_WITH_TIMEOUT(subscriptionOf(alice->account(), peerJid), RosterItem::Subscription::Both,
                              10000);

    QVERIFY(isOk(natterSends(alice->account(), peerJid, QStringLiteral("to the old device"))));
    QVERIFY2(oldDevice->waitForEvent(QStringLiteral("message")), qPrintable(decryptErrors(*oldDevice)));
    QVERIFY(oldDevice->seesDevice(alice->jid(), ourDevice(alice->account()), Omemo2));
    QVERIFY(peerSends(*oldDevice, alice->jid(), QStringLiteral("from the old device"), Omemo2));
    QVERIFY(waitForStored(*alice, peerJid,
                          [](const ChatMessage &m) { return m.body == u"from the old device"; }));

    // The contact replaces its device: new keys and storage, and the old device leaves the lists.
    oldDevice.reset();
    auto newDevice = startPeer(*peerUser, QStringLiteral("legacy,v2"));
    QVERIFY(newDevice);
    const uint32_t newId = newDevice->deviceId();
    QVERIFY(newId != oldId);
    newDevice->command({{QStringLiteral("cmd"), QStringLiteral("publish_device_list")},
                        {QStringLiteral("devices"), QJsonArray{qint64(newId)}}});
    QVERIFY2(newDevice->waitForEvent(QStringLiteral("published")), qPrintable(newDevice->errorOutput()));
    QTRY_VERIFY_WITH_TIMEOUT(alice->account()->encryption()->legacy().deviceIds(peerJid).value_or(
                                 QList<uint32_t>()) == QList<uint32_t>{newId},
                             10000);
    // Both lists reached the store by notification: the old device is marked removed, the new one listed.
    Database &db = alice->manager().database();
    for (const int version : {0, 2})
        QTRY_COMPARE_WITH_TIMEOUT(listedDevices(db, alice->jid(), peerJid, version), QList<uint32_t>{newId},
                                  10000);

    // The new device writes first: it answers the session Alice's client opened when the device appeared
    // (see ourMessagesBeforeAnyAnswerAreRead for what goes wrong before that answer).
    QVERIFY(newDevice->seesDevice(alice->jid(), ourDevice(alice->account()), Omemo2));
    QVERIFY(peerSends(*newDevice, alice->jid(), QStringLiteral("from the new device"), Omemo2));
    const auto fromNew =
        waitForStored(*alice, peerJid, [](const ChatMessage &m) { return m.body == u"from the new device"; });
    QVERIFY(fromNew);
    QCOMPARE(fromNew->encryption, ChatMessage::Encryption::Omemo2);
    QVERIFY(fromNew->cryptoError.isEmpty());

    const auto sent = natterSends(alice->account(), peerJid, QStringLiteral("to the new device"));
    QVERIFY2(isOk(sent), qPrintable(errorOf(sent).detail));
    QCOMPARE(std::get<ChatMessage>(sent).encryption, ChatMessage::Encryption::Omemo2);
    const auto received = newDevice->waitForEvent(QStringLiteral("message"), [](const QJsonObject &event) {
        return event.value(QStringLiteral("body")).toString() == u"to the new device";
    });
    QVERIFY2(received, qPrintable(decryptErrors(*newDevice)));
    QVERIFY(received->value(QStringLiteral("encrypted")).toBool());
    QCOMPARE(received->value(QStringLiteral("version")).toString(), Omemo2);
    QCOMPARE(uint32_t(received->value(QStringLiteral("sender_device")).toInteger()),
             ourDevice(alice->account()));
    QVERIFY(newDevice->events(QStringLiteral("decrypt_error")).isEmpty());
    QCOMPARE(noticesWith(alice->manager(), alice->jid(), peerJid), 0);
    const QList<uint32_t> keys = idsOf(received->value(QStringLiteral("recipient_devices")));
    QVERIFY(keys.contains(newId));
    // QXmpp 1.10 would still encrypt for it (for weeks); EncryptionService drops that key.
    QVERIFY2(!keys.contains(oldId), "a device that left the contact's device lists must get no key");
}

void tst_OmemoInterop::ourMessagesBeforeAnyAnswerAreRead_data()
{
    addVersionRows();
}

void tst_OmemoInterop::ourMessagesBeforeAnyAnswerAreRead()
{
    QFETCH(QString, version);
    auto alice = newEncryptedUser(m_server, QStringLiteral("omemo-alice"));
    const auto peerUser = m_server.registerAccount(QStringLiteral("omemo-away"));
    QVERIFY(alice && peerUser);
    QTemporaryDir peerData;
    // The device publishes its keys and goes offline: nothing can answer Alice's key exchange for now.
    auto peer = startPeer(*peerUser, version, peerData.path());
    QVERIFY(peer);
    peer.reset();

    const QString peerJid = m_server.jid(*peerUser);
    const QStringList bodies{QStringLiteral("first, with the key exchange"),
                             QStringLiteral("second, before any answer")};
    for (const QString &body : bodies) {
        const auto sent = natterSends(alice->account(), peerJid, body);
        QVERIFY2(isOk(sent), qPrintable(errorOf(sent).detail));
        QCOMPARE(std::get<ChatMessage>(sent).encryption, encryptionOf(version));
    }

    // Back online, the same device reads both from its offline storage.
    peer = startPeer(*peerUser, version, peerData.path());
    QVERIFY(peer);
    const auto first = peer->waitForEvent(QStringLiteral("message"));
    QVERIFY2(first, qPrintable(decryptErrors(*peer)));
    QCOMPARE(first->value(QStringLiteral("body")).toString(), bodies.at(0));
    QVERIFY(first->value(QStringLiteral("key_exchange")).toBool());
    // QXmpp 1.10 flags only the first of these key exchanges (kex); EncryptionService flags them all.
    const auto second = peer->waitForEvent(QStringLiteral("message"), {}, 15000);
    QVERIFY2(second, qPrintable(decryptErrors(*peer)));
    QCOMPARE(second->value(QStringLiteral("body")).toString(), bodies.at(1));
    QVERIFY(peer->events(QStringLiteral("decrypt_error")).isEmpty());
}

void tst_OmemoInterop::aDeviceWithoutBundleIsLeftOut_data()
{
    addVersionRows();
}

void tst_OmemoInterop::aDeviceWithoutBundleIsLeftOut()
{
    QFETCH(QString, version);
    auto alice = newEncryptedUser(m_server, QStringLiteral("omemo-alice"));
    const auto peerUser = m_server.registerAccount(QStringLiteral("omemo-phantom"));
    QVERIFY(alice && peerUser);
    auto peer = startPeer(*peerUser, version);
    QVERIFY(peer);
    // A second device is announced that never published a bundle.
    const uint32_t phantom = announcePhantomDevice(*peer);
    QVERIFY2(phantom, qPrintable(peer->errorOutput()));

    const auto sent =
        natterSends(alice->account(), m_server.jid(*peerUser), QStringLiteral("for the real one"));
    QVERIFY2(isOk(sent), qPrintable(errorOf(sent).detail));
    QCOMPARE(std::get<ChatMessage>(sent).encryption, encryptionOf(version));
    const auto received = peer->waitForEvent(QStringLiteral("message"));
    QVERIFY2(received, qPrintable(decryptErrors(*peer)));
    QCOMPARE(received->value(QStringLiteral("body")).toString(), QStringLiteral("for the real one"));
    QCOMPARE(received->value(QStringLiteral("version")).toString(), version);
    const QList<uint32_t> keys = idsOf(received->value(QStringLiteral("recipient_devices")));
    QVERIFY(keys.contains(peer->deviceId()));
    QVERIFY(!keys.contains(phantom));
}

void tst_OmemoInterop::nothingGoesOutWhenNoDeviceHasABundle_data()
{
    addVersionRows();
}

void tst_OmemoInterop::nothingGoesOutWhenNoDeviceHasABundle()
{
    QFETCH(QString, version);
    auto alice = newEncryptedUser(m_server, QStringLiteral("omemo-alice"));
    const auto peerUser = m_server.registerAccount(QStringLiteral("omemo-keyless"));
    QVERIFY(alice && peerUser);
    auto peer = startPeer(*peerUser, version);
    QVERIFY(peer);
    // Its device stays announced, with another that never had keys; neither has a bundle.
    const uint32_t phantom = announcePhantomDevice(*peer);
    QVERIFY2(phantom, qPrintable(peer->errorOutput()));
    peer->command({{QStringLiteral("cmd"), QStringLiteral("delete_bundle")}});
    QVERIFY2(peer->waitForEvent(QStringLiteral("bundle_deleted")), qPrintable(peer->errorOutput()));
    const QString peerJid = m_server.jid(*peerUser);

    // The conversation is on its default choice: the announced devices make encryption required.
    const auto refused = natterSends(alice->account(), peerJid, QStringLiteral("must not leak"));
    QVERIFY(!isOk(refused));
    QCOMPARE(errorOf(refused).code, Error::Code::EncryptionUnavailable);
    QCOMPARE(errorOf(refused).detail, peerJid);
    for (const ChatMessage &message : storedMessages(alice->manager(), alice->jid(), peerJid))
        QVERIFY2(message.body != u"must not leak", "a refused message must not stay to be resent");

    // A plain message sent on purpose afterwards arrives; nothing arrived before it.
    const ConversationKey conversation{alice->jid(), peerJid};
    QVERIFY(isOk(waitFor(alice->account()->encryption()->setChoice(conversation, EncryptionChoice::Off))));
    QVERIFY(isOk(natterSends(alice->account(), peerJid, QStringLiteral("plain on purpose"))));
    const auto plain = peer->waitForEvent(QStringLiteral("message"));
    QVERIFY2(plain, qPrintable(decryptErrors(*peer)));
    QCOMPARE(plain->value(QStringLiteral("body")).toString(), QStringLiteral("plain on purpose"));
    QCOMPARE(int(peer->events(QStringLiteral("message")).size()), 1);
    QVERIFY(peer->events(QStringLiteral("decrypt_error")).isEmpty());
    const auto stored = storedMessages(alice->manager(), alice->jid(), peerJid);
    QCOMPARE(int(stored.size()), 1);
    QCOMPARE(stored.first().body, QStringLiteral("plain on purpose"));
}

void tst_OmemoInterop::tamperedCiphertextLeavesANotice_data()
{
    QTest::addColumn<QString>("version");
    QTest::addColumn<QString>("mode");
    QTest::newRow("legacy, a payload bit") << Legacy << QStringLiteral("payload");
    QTest::newRow("OMEMO 2, a payload bit") << Omemo2 << QStringLiteral("payload");
    QTest::newRow("legacy, the tag in the key material") << Legacy << QStringLiteral("tag");
    QTest::newRow("legacy, the tag at the end of the payload") << Legacy << QStringLiteral("payload_tag");
    QTest::newRow("OMEMO 2, the HMAC in the key material") << Omemo2 << QStringLiteral("tag");
}

void tst_OmemoInterop::tamperedCiphertextLeavesANotice()
{
    QFETCH(QString, version);
    QFETCH(QString, mode);
    auto chat = encryptedChat(version);
    QVERIFY(chat);
    QVERIFY(peerSendsAndNatterReads(chat, QStringLiteral("intact before"), version));

    const auto sent =
        peerSendsTampered(*chat.peer, chat.natter->jid(), QStringLiteral("tampered with"), version, mode);
    QVERIFY2(sent, qPrintable(chat.peer->errorOutput()));
    verifyNotice(*chat.natter, chat.peerJid, sent->value(QStringLiteral("id")).toString(), version);
    if (QTest::currentTestFailed())
        return;
    // Neither the text nor the fallback body shows, and the session goes on.
    QVERIFY(peerSendsAndNatterReads(chat, QStringLiteral("intact after"), version));
    for (const ChatMessage &message :
         storedMessages(chat.natter->manager(), chat.natter->jid(), chat.peerJid))
        QVERIFY(message.body.isEmpty() || message.body.startsWith(u"intact"));
}

void tst_OmemoInterop::aLegacyTagAtTheEndOfThePayloadIsRead()
{
    // The layout of old legacy clients; it makes sure a broken tag there is refused for the tag, not the
    // layout.
    auto chat = encryptedChat(Legacy);
    QVERIFY(chat);
    QVERIFY(peerSendsTampered(*chat.peer, chat.natter->jid(), QStringLiteral("tag in the payload"), Legacy,
                              QStringLiteral("tag_in_payload")));
    const auto stored = waitForStored(*chat.natter, chat.peerJid,
                                      [](const ChatMessage &m) { return m.body == u"tag in the payload"; });
    QVERIFY(stored);
    QCOMPARE(stored->encryption, ChatMessage::Encryption::LegacyOmemo);
    QVERIFY(stored->cryptoError.isEmpty());
}

void tst_OmemoInterop::aMessageOnlyForAnUnknownDeviceLeavesANotice_data()
{
    addVersionRows();
}

void tst_OmemoInterop::aMessageOnlyForAnUnknownDeviceLeavesANotice()
{
    QFETCH(QString, version);
    auto chat = encryptedChat(version);
    QVERIFY(chat);
    QVERIFY(peerSendsAndNatterReads(chat, QStringLiteral("intact before"), version));

    const auto sent = peerSendsTampered(*chat.peer, chat.natter->jid(), QStringLiteral("for someone else"),
                                        version, QStringLiteral("unknown_device"));
    QVERIFY2(sent, qPrintable(chat.peer->errorOutput()));
    QVERIFY(uint32_t(sent->value(QStringLiteral("fake_device")).toInteger()) !=
            ourDevice(chat.natter->account()));
    verifyNotice(*chat.natter, chat.peerJid, sent->value(QStringLiteral("id")).toString(), version);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(peerSendsAndNatterReads(chat, QStringLiteral("intact after"), version));
}

void tst_OmemoInterop::aReplayedMessageIsNotShownTwice_data()
{
    addVersionRows();
}

void tst_OmemoInterop::aReplayedMessageIsNotShownTwice()
{
    QFETCH(QString, version);
    auto chat = encryptedChat(version);
    QVERIFY(chat);
    QVERIFY(peerSendsAndNatterReads(chat, QStringLiteral("intact before"), version));

    const auto sent = peerSendsTampered(*chat.peer, chat.natter->jid(), QStringLiteral("said once"), version,
                                        QStringLiteral("replay"));
    QVERIFY2(sent, qPrintable(chat.peer->errorOutput()));
    const QString id = sent->value(QStringLiteral("id")).toString();
    const QString replayId = sent->value(QStringLiteral("replay_id")).toString();
    QVERIFY(!replayId.isEmpty() && replayId != id);
    const auto original =
        waitForStored(*chat.natter, chat.peerJid, [&id](const ChatMessage &m) { return m.id == id; });
    QVERIFY(original);
    QCOMPARE(original->body, QStringLiteral("said once"));
    QCOMPARE(original->encryption, encryptionOf(version));
    verifyNotice(*chat.natter, chat.peerJid, replayId, version);
    if (QTest::currentTestFailed())
        return;

    QVERIFY(peerSendsAndNatterReads(chat, QStringLiteral("intact after"), version));
    int shown = 0;
    for (const ChatMessage &message :
         storedMessages(chat.natter->manager(), chat.natter->jid(), chat.peerJid))
        shown += message.body == u"said once" ? 1 : 0;
    QCOMPARE(shown, 1);
}

std::optional<ProfileTransfer::Secrets>
tst_OmemoInterop::moveProfile(std::unique_ptr<AccountManager> &manager, const QString &directory)
{
    QTemporaryDir carrier;
    const QString archive = carrier.filePath(QStringLiteral("profile.natter"));
    const QString passphrase = QStringLiteral("correct horse battery staple");
    const auto exported = waitFor(ProfileTransfer::exportProfile(*manager, archive, passphrase, true));
    if (!isOk(exported)) {
        qWarning() << "export failed:" << errorOf(exported).codeName() << errorOf(exported).detail;
        return std::nullopt;
    }
    manager.reset();
    const auto importsNothing = [&directory](const QString &file, const QString &phrase,
                                             Error::Code expected) {
        const auto imported = waitFor(ProfileTransfer::importProfile(file, phrase, directory));
        if (isOk(imported) || errorOf(imported).code != expected) {
            qWarning() << file << "imported, or not with" << Error(expected).codeName();
            return false;
        }
        return QDir(directory).isEmpty();
    };
    if (!importsNothing(archive, QStringLiteral("a wrong passphrase"), Error::Code::DecryptionFailed))
        return std::nullopt;
    QFile original(archive);
    const QString damaged = carrier.filePath(QStringLiteral("damaged.natter"));
    if (!original.copy(damaged))
        return std::nullopt;
    QFile flipped(damaged);
    if (!flipped.open(QIODevice::ReadWrite) || !flipped.seek(flipped.size() / 2))
        return std::nullopt;
    const char byte = flipped.peek(1).at(0);
    flipped.write(QByteArray(1, char(byte ^ 0x20)));
    flipped.close();
    if (!importsNothing(damaged, passphrase, Error::Code::DecryptionFailed))
        return std::nullopt;
    const auto imported = waitFor(ProfileTransfer::importProfile(archive, passphrase, directory));
    if (!isOk(imported)) {
        qWarning() << "import failed:" << errorOf(imported).codeName() << errorOf(imported).detail;
        return std::nullopt;
    }
    // Only into a profile that holds none yet.
    if (errorOf(waitFor(ProfileTransfer::importProfile(archive, passphrase, directory))).code !=
        Error::Code::FileExists)
        return std::nullopt;
    return std::get<ProfileTransfer::Secrets>(imported);
}

void tst_OmemoInterop::sessionsSurviveARestartOfTheProfile_data()
{
    QTest::addColumn<bool>("moved");
    QTest::newRow("restarted") << false;
    // Exported with its passwords and imported on "another computer": history, device and sessions go along.
    QTest::newRow("moved to another computer") << true;
}

void tst_OmemoInterop::sessionsSurviveARestartOfTheProfile()
{
    QFETCH(bool, moved);
    const auto user = m_server.registerAccount(QStringLiteral("omemo-restarted"));
    const auto legacyUser = m_server.registerAccount(QStringLiteral("omemo-legacy"));
    const auto omemo2User = m_server.registerAccount(QStringLiteral("omemo-two"));
    QVERIFY(user && legacyUser && omemo2User);
    TestProfile profile;
    QVERIFY(addAccountToProfile(m_server, *user, profile.path()));
    const QString jid = m_server.jid(*user);
    auto manager = openProfile(profile.path(), jid);
    QVERIFY(manager);
    const uint32_t device = ourDevice(manager->account(jid));

    auto legacyPeer = startPeer(*legacyUser, Legacy);
    auto omemo2Peer = startPeer(*omemo2User, Omemo2);
    QVERIFY(legacyPeer && omemo2Peer);
    const QList<std::tuple<OmemoPeer *, QString, QString>> peers{
        {legacyPeer.get(), m_server.jid(*legacyUser), Legacy},
        {omemo2Peer.get(), m_server.jid(*omemo2User), Omemo2}};

    // Before: the peer starts the session, we answer in it.
    for (const auto &[peer, peerJid, version] : peers) {
        QVERIFY(peer->seesDevice(jid, device, version));
        const QString body = version + QStringLiteral(" before the restart");
        QVERIFY(peerSends(*peer, jid, body, version));
        const auto stored =
            waitForStored(*manager, jid, peerJid, [&body](const ChatMessage &m) { return m.body == body; });
        QVERIFY2(stored, qPrintable(body));
        QCOMPARE(stored->encryption, encryptionOf(version));
        const auto answer = natterSends(manager->account(jid), peerJid, version + QStringLiteral(" answer"));
        QVERIFY2(isOk(answer), qPrintable(errorOf(answer).detail));
        QVERIFY2(peer->waitForEvent(QStringLiteral("message")), qPrintable(decryptErrors(*peer)));
    }
    manager->database().waitForIdle();
    QHash<QString, QStringList> before;
    for (const auto &[peer, peerJid, version] : peers) {
        before.insert(peerJid, omemoState(manager->database(), jid, peerJid));
        QVERIFY2(before.value(peerJid).size() >= 4, qPrintable(before.value(peerJid).join(u'\n')));
    }

    TestProfile elsewhere;
    if (moved) {
        const auto passwords = moveProfile(manager, elsewhere.path());
        QVERIFY(passwords);
        QCOMPARE(passwords->value(jid), m_server.account(*user).password);
        manager = openProfile(elsewhere.path(), jid, *passwords);
        QVERIFY(manager);
        // The history came along.
        for (const auto &[peer, peerJid, version] : peers) {
            const QString body = version + QStringLiteral(" before the restart");
            QVERIFY2(waitForStored(*manager, jid, peerJid,
                                   [&body](const ChatMessage &m) { return m.body == body; }),
                     qPrintable(body));
        }
    } else {
        manager.reset();
        manager = openProfile(profile.path(), jid);
    }
    QVERIFY(manager);
    QCOMPARE(ourDevice(manager->account(jid)), device);

    // After: both ways in the sessions from before, with no key exchange on either side.
    for (const auto &[peer, peerJid, version] : peers) {
        const QString ours = version + QStringLiteral(" after the restart");
        const auto sent = natterSends(manager->account(jid), peerJid, ours);
        QVERIFY2(isOk(sent), qPrintable(errorOf(sent).detail));
        QCOMPARE(std::get<ChatMessage>(sent).encryption, encryptionOf(version));
        const auto received =
            peer->waitForEvent(QStringLiteral("message"), [&ours](const QJsonObject &event) {
                return event.value(QStringLiteral("body")).toString() == ours;
            });
        QVERIFY2(received, qPrintable(decryptErrors(*peer)));
        QCOMPARE(uint32_t(received->value(QStringLiteral("sender_device")).toInteger()), device);
        QCOMPARE(received->value(QStringLiteral("key_exchange")).toBool(), false);

        const QString theirs = version + QStringLiteral(" back after the restart");
        const auto answered = peerSends(*peer, jid, theirs, version);
        QVERIFY(answered);
        QVERIFY(!idsOf(answered->value(QStringLiteral("key_exchange_devices"))).contains(device));
        const auto stored = waitForStored(*manager, jid, peerJid,
                                          [&theirs](const ChatMessage &m) { return m.body == theirs; });
        QVERIFY2(stored, qPrintable(theirs));
        QCOMPARE(stored->encryption, encryptionOf(version));
        QVERIFY(stored->cryptoError.isEmpty());
    }
    manager->database().waitForIdle();
    for (const auto &[peer, peerJid, version] : peers) {
        QCOMPARE(omemoState(manager->database(), jid, peerJid), before.value(peerJid));
        QCOMPARE(noticesWith(*manager, jid, peerJid), 0);
        QVERIFY(peer->events(QStringLiteral("decrypt_error")).isEmpty());
    }
}

QTEST_GUILESS_MAIN(tst_OmemoInterop)
#include "tst_omemo_interop.moc"
