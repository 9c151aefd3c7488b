// SPDX-License-Identifier: GPL-3.0-or-later
// natter-omemo-bench: OMEMO against docs/PERFORMANCE.md. Legacy OMEMO encryption for a contact's devices and
// one decryption (in-process engines on profile databases); OMEMO 2 (QXmpp's manager) and the whole send
// preparation (EncryptionService::prepare) between Natter profiles on the test server; the catch-up of
// encrypted messages received while offline against the same catch-up of plain ones.
#include "ArchiveCeiling.h"
#include "Await.h"
#include "BenchOutput.h"
#include "BenchProfile.h"
#include "EventLoopProbe.h"
#include "OnlineAccount.h"
#include "TestProfile.h"
#include "TestServer.h"
#include "TestStore.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "crypto/EncryptionService.h"
#include "crypto/LegacyOmemoEngine.h"
#include "crypto/LegacyOmemoService.h"
#include "crypto/OmemoStorage.h"
#include "crypto/SignalContext.h"
#include "crypto/SignalPointers.h"
#include "domain/ConnectionState.h"
#include "im/OutgoingStanza.h"
#include "messaging/MessageService.h"
#include "storage/Database.h"
#include "storage/MessageRepository.h"
#include "sync/HistorySync.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDomDocument>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSet>
#include <QThread>
#include <QXmlStreamWriter>
#include <QXmppClient.h>
#include <QXmppOmemoManager.h>
#include <QXmppSendStanzaParams.h>
#include <algorithm>
#include <memory>
#include <numeric>
#include <optional>
#include <unistd.h>
#include <vector>

extern "C" {
#include <omemo/curve.h>
#include <omemo/key_helper.h>
#include <omemo/ratchet.h>
}

namespace Natter::Bench {

namespace {

using namespace Core;
using Test::TestServer;

constexpr int Failed = 1;
constexpr const char *BenchName = "natter-omemo-bench";
// QXmpp 1.10 stops encrypting for a device after 106 stanzas it did not answer with a message (its empty
// heartbeat messages do not count): a sender that wrote more than that to us while we were away would fall
// back to legacy OMEMO. Each sender writes at most this many; the contact's devices answer as often.
constexpr int MaxMessagesPerSender = 100;
constexpr int AnswerEvery = 50;
constexpr int InFlightSends = 50;
constexpr auto Omemo2Namespace = "urn:xmpp:omemo:2";

void note(const QString &line)
{
    printNote(BenchName, line);
}

// Durations of one kind of operation.
class Samples
{
public:
    void add(qint64 ns) { m_ns.append(ns); }
    int count() const { return int(m_ns.size()); }
    double medianMs() const
    {
        QList<qint64> sorted = m_ns;
        std::sort(sorted.begin(), sorted.end());
        return sorted.isEmpty() ? 0 : double(sorted.at(sorted.size() / 2)) / 1e6;
    }
    double maxMs() const
    {
        return m_ns.isEmpty() ? 0 : double(*std::max_element(m_ns.cbegin(), m_ns.cend())) / 1e6;
    }

private:
    QList<qint64> m_ns;
};

QString ms(double value)
{
    return QString::number(value, 'f', 3);
}

// Prints name (median) and name_max; what says what was timed.
void printSamples(const QString &name, const Samples &samples, const QString &what)
{
    printLine(QStringLiteral("%1 %2 ms (%3)").arg(name, ms(samples.medianMs()), what));
    printLine(QStringLiteral("%1_max_ms %2 ms (slowest of %3)")
                  .arg(name.chopped(3), ms(samples.maxMs()))
                  .arg(samples.count()));
}

// Waits for a QXmpp task with a real event loop (QTest::qWaitFor sleeps 10 ms between turns); nullopt on
// timeout.
template <typename T> std::optional<T> awaitTask(QXmppTask<T> task, int timeoutMs = 60000)
{
    if (task.isFinished())
        return task.takeResult();
    std::optional<T> result;
    QEventLoop loop;
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    task.then(&loop, [&](T &&value) {
        result = std::move(value);
        loop.quit();
    });
    loop.exec();
    return result;
}

QString benchBody(const QString &kind, int index)
{
    return QStringLiteral("%1 message %2: a line of ordinary length, with some words to carry")
        .arg(kind)
        .arg(index);
}

// ---------------------------------------------------------------------------------------------------------
// Legacy OMEMO in-process.

// Our device as QXmpp's OMEMO 2 set-up creates it (the legacy engine uses the same identity): a Curve25519
// private key and the Ed25519 form of its public key.
std::optional<QXmppOmemoStorage::OwnDevice> newOwnDevice(uint32_t id)
{
    SignalContext context;
    Signal::Ref<ratchet_identity_key_pair> pair;
    if (signal_protocol_key_helper_generate_identity_key_pair(pair.out(), context.get()) < 0)
        return std::nullopt;
    signal_buffer *privateKey = nullptr;
    if (ec_private_key_serialize(&privateKey, ratchet_identity_key_pair_get_private(pair.get())) < 0)
        return std::nullopt;
    QXmppOmemoStorage::OwnDevice own;
    own.id = id;
    own.privateIdentityKey = Signal::toByteArray(Signal::Buffer(privateKey));
    own.publicIdentityKey = Signal::toByteArray(
        Signal::Buffer(ec_public_key_get_ed(ratchet_identity_key_pair_get_public(pair.get()))));
    return own;
}

// One device speaking legacy OMEMO as LegacyOmemoService holds it: the engine on OmemoStorage (version 0)
// on a profile database of its own.
class LegacyDevice
{
public:
    explicit LegacyDevice(const QString &bareJid)
        : m_jid(bareJid)
        , m_store(bareJid)
        , m_storage(m_store.database(), bareJid, OmemoStorage::LegacyOmemo)
        , m_engine(bareJid, m_storage)
    {}

    // Creates the keys (stored like the app's) for device id.
    bool load(uint32_t id)
    {
        const auto own = newOwnDevice(id);
        if (!m_store.isOpen() || !own)
            return false;
        const auto data = awaitTask(m_storage.allData());
        return data && isOk(m_engine.load(*own, *data));
    }
    // Until the database thread has written everything the engine handed it.
    void settle()
    {
        m_store.database().waitForIdle();
        QCoreApplication::processEvents();
    }

    const QString &jid() const { return m_jid; }
    LegacyOmemoEngine &engine() { return m_engine; }
    LegacyOmemoEngine::Device device() const { return {m_jid, m_engine.deviceId()}; }

private:
    QString m_jid;
    Test::TestStore m_store;
    OmemoStorage m_storage;
    LegacyOmemoEngine m_engine;
};

// The element as the receiving side parses it from the stanza.
std::optional<LegacyOmemo::EncryptedElement> throughXml(const LegacyOmemo::EncryptedElement &element)
{
    QString xml;
    QXmlStreamWriter writer(&xml);
    element.toXml(&writer);
    QDomDocument document;
    document.setContent(xml, QDomDocument::ParseOption::UseNamespaceProcessing);
    return LegacyOmemo::EncryptedElement::parse(document.documentElement());
}

// The sender starts a session with every device; each answers with a key transport element, which
// completes it: from then on messages carry no key exchange.
bool establishLegacySessions(LegacyDevice &sender, std::vector<std::unique_ptr<LegacyDevice>> &contact,
                             const QList<LegacyOmemoEngine::Device> &recipients)
{
    for (auto &device : contact) {
        if (!isOk(sender.engine().buildSession(device->device(), device->engine().bundle())))
            return false;
    }
    const auto first = sender.engine().encrypt(recipients, "hello");
    if (!isOk(first))
        return false;
    const auto arrived = throughXml(std::get<LegacyOmemoEngine::Encrypted>(first).element);
    for (auto &device : contact) {
        if (!arrived || !isOk(device->engine().decrypt(sender.jid(), *arrived)))
            return false;
        const auto answer = device->engine().encrypt({sender.device()}, {});
        if (!isOk(answer))
            return false;
        const auto answered = throughXml(std::get<LegacyOmemoEngine::Encrypted>(answer).element);
        if (!answered || !isOk(sender.engine().decrypt(device->jid(), *answered)))
            return false;
    }
    sender.settle();
    for (auto &device : contact)
        device->settle();
    return true;
}

struct LegacyFigures
{
    Samples encrypt;
    Samples encryptStored;
    Samples decrypt;
    Samples decryptStored;
};

bool reachesEveryDevice(const Result<LegacyOmemoEngine::Encrypted> &encrypted, int devices)
{
    if (!isOk(encrypted))
        return false;
    const auto &result = std::get<LegacyOmemoEngine::Encrypted>(encrypted);
    return result.failed.isEmpty() && result.element.keys.size() == devices &&
           std::none_of(result.element.keys.cbegin(), result.element.keys.cend(),
                        [](const LegacyOmemo::KeyElement &key) { return key.preKey; });
}

// One sender, one contact with `devices` devices (each its own profile database), sessions established;
// the sender encrypts `rounds` messages for all of them and the contact's first device decrypts each.
std::optional<LegacyFigures> measureLegacy(int devices, int rounds)
{
    const QString contactJid = QStringLiteral("contact@bench.example");
    LegacyDevice sender(QStringLiteral("sender@bench.example"));
    if (!sender.load(1))
        return std::nullopt;
    std::vector<std::unique_ptr<LegacyDevice>> contact;
    QList<LegacyOmemoEngine::Device> recipients;
    for (int k = 0; k < devices; ++k) {
        contact.push_back(std::make_unique<LegacyDevice>(contactJid));
        if (!contact.back()->load(uint32_t(1001 + k)))
            return std::nullopt;
        recipients.append(contact.back()->device());
    }
    if (!establishLegacySessions(sender, contact, recipients)) {
        note(QStringLiteral("legacy sessions could not be established"));
        return std::nullopt;
    }
    LegacyDevice &reader = *contact.front();
    LegacyFigures figures;
    QElapsedTimer clock;
    for (int round = 0; round < rounds; ++round) {
        const QByteArray body = benchBody(QStringLiteral("legacy"), round).toUtf8();
        clock.start();
        const auto encrypted = sender.engine().encrypt(recipients, body);
        figures.encrypt.add(clock.nsecsElapsed());
        sender.settle();
        figures.encryptStored.add(clock.nsecsElapsed());
        if (!reachesEveryDevice(encrypted, devices)) {
            note(QStringLiteral("legacy round %1: not encrypted for every device without key exchange")
                     .arg(round));
            return std::nullopt;
        }
        const auto arrived = throughXml(std::get<LegacyOmemoEngine::Encrypted>(encrypted).element);
        if (!arrived)
            return std::nullopt;
        clock.start();
        const auto decrypted = reader.engine().decrypt(sender.jid(), *arrived);
        figures.decrypt.add(clock.nsecsElapsed());
        reader.settle();
        figures.decryptStored.add(clock.nsecsElapsed());
        if (!isOk(decrypted) || std::get<LegacyOmemoEngine::Decrypted>(decrypted).plaintext != body) {
            note(QStringLiteral("legacy round %1: decryption failed: %2")
                     .arg(round)
                     .arg(errorOf(decrypted).detail));
            return std::nullopt;
        }
    }
    return figures;
}

// ---------------------------------------------------------------------------------------------------------
// Natter profiles on the test server.

HistorySync::Settings wholeArchive()
{
    HistorySync::Settings settings;
    settings.firstLoginWindow = 100000000;
    return settings;
}

// One account of the test server in a profile of its own, opened as the app opens it (OMEMO keys, sessions
// and trust in the profile database).
class Profile
{
public:
    ~Profile()
    {
        if (m_account)
            m_account->disconnectFromServer();
        if (m_manager)
            m_manager->database().waitForIdle();
    }

    bool open(const TestServer &server, const QString &user)
    {
        if (!createProfile(server, user, server.account(user).password, m_directory.path()))
            return false;
        m_manager = std::make_unique<AccountManager>(m_directory.path());
        m_manager->setAdditionalCaCertificates(server.caCertificates());
        m_manager->setHistorySettings(wholeArchive());
        if (!isOk(await(m_manager->open())) || m_manager->accounts().isEmpty())
            return false;
        m_account = m_manager->accounts().first();
        return m_account->encryption() != nullptr;
    }
    // Online with both OMEMO versions ready (keys created and published the first time).
    bool goOnline()
    {
        return Test::goOnline(m_account, 30000) &&
               runLoopUntil([this] { return m_account->encryption()->isReady(); }, 60000);
    }
    bool goOffline()
    {
        m_account->disconnectFromServer();
        return runLoopUntil([this] { return m_account->state() == ConnectionState::Offline; }, 20000);
    }
    // Until the database thread has written what OMEMO handed it.
    void settle()
    {
        m_manager->database().waitForIdle();
        QCoreApplication::processEvents();
    }

    QString jid() const { return m_account->jid(); }
    Account &account() { return *m_account; }
    AccountManager &manager() { return *m_manager; }
    EncryptionService &encryption() { return *m_account->encryption(); }
    MessageService &messages() { return m_account->messages(); }

private:
    Test::TestProfile m_directory;
    std::unique_ptr<AccountManager> m_manager;
    Account *m_account = nullptr;
};

std::unique_ptr<Profile> onlineProfile(const TestServer &server, const QString &user)
{
    auto profile = std::make_unique<Profile>();
    if (!profile->open(server, user) || !profile->goOnline()) {
        note(QStringLiteral("%1 did not come online with OMEMO ready").arg(user));
        return nullptr;
    }
    return profile;
}

std::optional<QString> newUser(TestServer &server, const QString &prefix)
{
    auto user = server.registerAccount(prefix);
    if (!user)
        note(QStringLiteral("the test server did not register %1…").arg(prefix));
    return user;
}

// What MessageService hands EncryptionService for a new chat message.
QXmppMessage chatStanza(const QString &to, const QString &body)
{
    ChatMessage message;
    message.conversation = {QString(), to};
    message.direction = ChatMessage::Direction::Outgoing;
    message.id = OutgoingStanza::newId();
    message.originId = message.id;
    message.body = body;
    return OutgoingStanza::addressed(OutgoingStanza::message(message), message.conversation);
}

QString xmlOf(const QXmppMessage &message, QXmpp::SceMode mode = QXmpp::SceAll)
{
    QString xml;
    QXmlStreamWriter writer(&xml);
    message.toXml(&writer, mode);
    return xml;
}

// The stanza as the contact's device parses it when the server delivers it.
QXmppMessage arriving(const QString &wire, const QString &from, const QString &to)
{
    QDomDocument document;
    document.setContent(wire, QDomDocument::ParseOption::UseNamespaceProcessing);
    QDomElement element = document.documentElement();
    element.setAttribute(QStringLiteral("from"), from);
    element.setAttribute(QStringLiteral("to"), to);
    QXmppMessage message;
    message.parse(element);
    return message;
}

struct Omemo2Keys
{
    int keys = 0;
    int keyExchanges = 0;
};

// The OMEMO 2 keys a stanza carries for jid's devices.
Omemo2Keys omemo2KeysFor(const QString &wire, const QString &jid)
{
    QDomDocument document;
    document.setContent(wire, QDomDocument::ParseOption::UseNamespaceProcessing);
    Omemo2Keys found;
    for (auto encrypted = document.documentElement().firstChildElement(QStringLiteral("encrypted"));
         !encrypted.isNull(); encrypted = encrypted.nextSiblingElement(QStringLiteral("encrypted"))) {
        if (encrypted.namespaceURI() != QLatin1String(Omemo2Namespace))
            continue;
        const QDomElement header = encrypted.firstChildElement(QStringLiteral("header"));
        for (auto keys = header.firstChildElement(QStringLiteral("keys")); !keys.isNull();
             keys = keys.nextSiblingElement(QStringLiteral("keys"))) {
            if (keys.attribute(QStringLiteral("jid")) != jid)
                continue;
            for (auto key = keys.firstChildElement(QStringLiteral("key")); !key.isNull();
                 key = key.nextSiblingElement(QStringLiteral("key"))) {
                ++found.keys;
                const QString kex = key.attribute(QStringLiteral("kex"));
                if (kex == u"true" || kex == u"1")
                    ++found.keyExchanges;
            }
        }
    }
    return found;
}

// Sends body through MessageService and waits until the receiver stored it, readable. Whether it went with
// the expected encryption and arrived.
bool sendAndArrive(Profile &from, Profile &to, const QString &body, ChatMessage::Encryption expected)
{
    bool arrived = false;
    const auto connection = QObject::connect(&to.messages(), &MessageService::messageReceived, &to.manager(),
                                             [&](const ChatMessage &message) {
                                                 if (message.body == body && message.cryptoError.isEmpty())
                                                     arrived = true;
                                             });
    const auto composed = from.messages().compose(to.jid(), body);
    const auto sent = isOk(composed) ? await(from.messages().send(std::get<ChatMessage>(composed)))
                                     : Result<ChatMessage>(errorOf(composed));
    bool ok = isOk(sent) && std::get<ChatMessage>(sent).encryption == expected;
    if (!ok)
        note(QStringLiteral("%1 → %2: not sent with encryption %3 (%4)")
                 .arg(from.jid(), to.jid())
                 .arg(int(expected))
                 .arg(isOk(sent)
                          ? QStringLiteral("sent with %1").arg(int(std::get<ChatMessage>(sent).encryption))
                          : errorOf(sent).detail));
    ok = ok && runLoopUntil([&] { return arrived; }, 30000);
    QObject::disconnect(connection);
    return ok;
}

// ---------------------------------------------------------------------------------------------------------
// OMEMO 2 and the whole preparation, between Natter profiles on the server.

struct Omemo2Figures
{
    Samples encrypt;
    Samples decrypt;
    Samples prepare;
};

// Until the sender sees every device of the contact in both versions' device lists.
bool seesDevices(Profile &sender, const QString &contactJid, int devices)
{
    auto &omemo2 = sender.encryption().omemo2();
    for (int attempt = 0; attempt < 60; ++attempt) {
        awaitTask(omemo2.requestDeviceLists({contactJid}));
        const auto known = awaitTask(omemo2.devices({contactJid}));
        const auto legacy = await(sender.encryption().legacy().refreshDeviceList(contactJid));
        if (known && known->size() == devices && isOk(legacy) &&
            std::get<QList<uint32_t>>(legacy).size() == devices)
            return true;
        runLoopUntil([] { return false; }, 500);
    }
    note(QStringLiteral("%1 never saw all %2 devices of %3").arg(sender.jid()).arg(devices).arg(contactJid));
    return false;
}

class Omemo2Bench
{
public:
    Omemo2Bench(TestServer &server, int devices)
        : m_server(server)
        , m_devices(devices)
    {}

    bool setUp()
    {
        const auto contactUser = newUser(m_server, QStringLiteral("omemo-bench-contact"));
        const auto senderUser = newUser(m_server, QStringLiteral("omemo-bench-sender"));
        if (!contactUser || !senderUser)
            return false;
        // One after the other: each new device adds itself to the device lists the earlier ones published.
        for (int k = 0; k < m_devices; ++k) {
            auto device = onlineProfile(m_server, *contactUser);
            if (!device)
                return false;
            m_contact.push_back(std::move(device));
        }
        m_sender = onlineProfile(m_server, *senderUser);
        if (!m_sender || !seesDevices(*m_sender, contactJid(), m_devices))
            return false;
        return warmUp();
    }

    // `rounds` messages encrypted by QXmpp's manager alone, then `rounds` through
    // EncryptionService::prepare(); every contact device decrypts each one, the first device's decryption is
    // timed.
    std::optional<Omemo2Figures> measure(int rounds)
    {
        Omemo2Figures figures;
        for (int round = 0; round < rounds; ++round) {
            if (!encryptWithManager(round, figures) || !answerNowAndThen(round))
                return std::nullopt;
        }
        for (int round = 0; round < rounds; ++round) {
            if (!encryptWithPrepare(round, figures) || !answerNowAndThen(round))
                return std::nullopt;
        }
        return figures;
    }

private:
    QString contactJid() const { return m_contact.front()->jid(); }
    QString senderFullJid() const { return m_sender->jid() + QStringLiteral("/bench"); }

    // A real first message starts the sessions; QXmpp's empty answers from each device complete them.
    bool warmUp()
    {
        int stored = 0;
        const QString body = QStringLiteral("warm-up");
        for (auto &device : m_contact) {
            QObject::connect(
                &device->messages(), &MessageService::messageReceived, &device->manager(),
                [&stored, body](const ChatMessage &message) { stored += message.body == body ? 1 : 0; });
        }
        const auto composed = m_sender->messages().compose(contactJid(), body);
        const auto sent = isOk(composed) ? await(m_sender->messages().send(std::get<ChatMessage>(composed)))
                                         : Result<ChatMessage>(errorOf(composed));
        if (!isOk(sent) || std::get<ChatMessage>(sent).encryption != ChatMessage::Encryption::Omemo2 ||
            !runLoopUntil([&] { return stored == m_devices; }, 30000)) {
            note(QStringLiteral("the warm-up message did not reach every device in OMEMO 2"));
            return false;
        }
        for (auto &device : m_contact)
            QObject::disconnect(&device->messages(), nullptr, &device->manager(), nullptr);
        // Until a message carries no key exchange any more (the devices' answers have arrived).
        Samples ignored;
        for (int probe = 0; probe < 40; ++probe) {
            const QString probeBody = benchBody(QStringLiteral("probe"), probe);
            const auto prepared = await(m_sender->encryption().prepare(chatStanza(contactJid(), probeBody),
                                                                       {m_sender->jid(), contactJid()}));
            if (!isOk(prepared))
                return false;
            const QString wire = xmlOf(std::get<EncryptionService::Prepared>(prepared).stanza);
            if (!deliver(wire, probeBody, ignored))
                return false;
            const auto keys = omemo2KeysFor(wire, contactJid());
            if (keys.keys == m_devices && keys.keyExchanges == 0)
                return true;
            runLoopUntil([] { return false; }, 250);
        }
        note(QStringLiteral("the OMEMO 2 sessions were never completed"));
        return false;
    }

    // Every device answers with a message now and then (untimed), as a contact does: see AnswerEvery.
    bool answerNowAndThen(int round)
    {
        if (round % AnswerEvery != AnswerEvery - 1)
            return true;
        for (std::size_t k = 0; k < m_contact.size(); ++k) {
            Profile &device = *m_contact.at(k);
            const QString body = benchBody(QStringLiteral("answer from device %1").arg(k), round);
            QXmppSendStanzaParams params;
            params.setEncryptionJids({m_sender->jid()});
            auto result = awaitTask(
                device.encryption().omemo2().encryptMessage(chatStanza(m_sender->jid(), body), params));
            auto *encrypted = result ? std::get_if<std::unique_ptr<QXmppMessage>>(&*result) : nullptr;
            if (!encrypted || !*encrypted) {
                note(QStringLiteral("contact device %1 could not answer").arg(k));
                return false;
            }
            QXmppMessage incoming =
                arriving(xmlOf(**encrypted, QXmpp::ScePublic),
                         device.jid() + QStringLiteral("/device%1").arg(k), m_sender->jid());
            const auto read = awaitTask(m_sender->encryption().omemo2().decryptMessage(std::move(incoming)));
            const auto *message = read ? std::get_if<QXmppMessage>(&*read) : nullptr;
            if (!message || message->body() != body) {
                note(QStringLiteral("the sender could not read the answer of device %1").arg(k));
                return false;
            }
        }
        return true;
    }

    void settleAll()
    {
        m_sender->settle();
        for (auto &device : m_contact)
            device->settle();
    }

    // Every contact device reads the stanza as the server would deliver it; the first one is timed.
    bool deliver(const QString &wire, const QString &body, Samples &decrypt)
    {
        for (std::size_t k = 0; k < m_contact.size(); ++k) {
            Profile &device = *m_contact.at(k);
            QXmppMessage incoming = arriving(wire, senderFullJid(), device.jid());
            settleAll();
            QElapsedTimer clock;
            clock.start();
            const auto result = awaitTask(device.encryption().omemo2().decryptMessage(std::move(incoming)));
            if (k == 0)
                decrypt.add(clock.nsecsElapsed());
            const auto *read = result ? std::get_if<QXmppMessage>(&*result) : nullptr;
            if (!read || read->body() != body) {
                note(QStringLiteral("contact device %1 could not read \"%2\"").arg(k).arg(body));
                return false;
            }
        }
        return true;
    }

    bool reachesEveryDevice(const QString &wire, int round)
    {
        const auto keys = omemo2KeysFor(wire, contactJid());
        if (keys.keys == m_devices && keys.keyExchanges == 0)
            return true;
        note(QStringLiteral("round %1: OMEMO 2 keys for %2 of %3 devices, %4 with key exchange")
                 .arg(round)
                 .arg(keys.keys)
                 .arg(m_devices)
                 .arg(keys.keyExchanges));
        return false;
    }

    bool encryptWithManager(int round, Omemo2Figures &figures)
    {
        const QString body = benchBody(QStringLiteral("omemo2"), round);
        QXmppSendStanzaParams params;
        params.setEncryptionJids({contactJid()});
        QXmppMessage stanza = chatStanza(contactJid(), body);
        settleAll();
        QElapsedTimer clock;
        clock.start();
        auto result = awaitTask(m_sender->encryption().omemo2().encryptMessage(std::move(stanza), params));
        figures.encrypt.add(clock.nsecsElapsed());
        auto *encrypted = result ? std::get_if<std::unique_ptr<QXmppMessage>>(&*result) : nullptr;
        if (!encrypted || !*encrypted) {
            note(QStringLiteral("round %1: QXmpp did not encrypt").arg(round));
            return false;
        }
        // What goes on the wire: the ciphertext without the plain body QXmpp keeps in the message.
        const QString wire = xmlOf(**encrypted, QXmpp::ScePublic);
        return reachesEveryDevice(wire, round) && deliver(wire, body, figures.decrypt);
    }

    bool encryptWithPrepare(int round, Omemo2Figures &figures)
    {
        const QString body = benchBody(QStringLiteral("prepared"), round);
        const QXmppMessage stanza = chatStanza(contactJid(), body);
        settleAll();
        QElapsedTimer clock;
        clock.start();
        const auto prepared = await(m_sender->encryption().prepare(stanza, {m_sender->jid(), contactJid()}));
        figures.prepare.add(clock.nsecsElapsed());
        if (!isOk(prepared) ||
            std::get<EncryptionService::Prepared>(prepared).encryption != ChatMessage::Encryption::Omemo2) {
            note(QStringLiteral("round %1: not prepared in OMEMO 2: %2")
                     .arg(round)
                     .arg(errorOf(prepared).detail));
            return false;
        }
        const QString wire = xmlOf(std::get<EncryptionService::Prepared>(prepared).stanza);
        return reachesEveryDevice(wire, round) && deliver(wire, body, figures.decrypt);
    }

    TestServer &m_server;
    int m_devices;
    std::vector<std::unique_ptr<Profile>> m_contact;
    std::unique_ptr<Profile> m_sender;
};

// ---------------------------------------------------------------------------------------------------------
// Catch-up of messages received while offline.

struct SenderPlan
{
    ChatMessage::Encryption encryption = ChatMessage::Encryption::None;
    int messages = 0;
};

// Half the messages in OMEMO 2, half in legacy OMEMO, each half spread over as few senders as
// MaxMessagesPerSender allows.
QList<SenderPlan> planSenders(int messages)
{
    QList<SenderPlan> plan;
    const std::pair<ChatMessage::Encryption, int> halves[] = {
        {ChatMessage::Encryption::Omemo2, messages / 2},
        {ChatMessage::Encryption::LegacyOmemo, messages - messages / 2}};
    for (const auto &[encryption, count] : halves) {
        const int senders = std::max(1, (count + MaxMessagesPerSender - 1) / MaxMessagesPerSender);
        for (int s = 0; s < senders; ++s)
            plan.append({encryption, count / senders + (s < count % senders ? 1 : 0)});
    }
    return plan;
}

QString catchUpBody(int sender, int index)
{
    return benchBody(QStringLiteral("catch-up %1").arg(sender), index);
}

// Until the next device-list fetch, profile sees peer as a contact whose client speaks legacy OMEMO only:
// the lists are fetched once (as a first message would), then QXmpp forgets peer's OMEMO 2 devices.
bool seeAsLegacyOnly(Profile &profile, const QString &peer)
{
    auto &omemo2 = profile.encryption().omemo2();
    await(profile.encryption().prepare(chatStanza(peer, QStringLiteral("not sent")), {profile.jid(), peer}));
    // QXmpp forgets a contact's devices only when it can end a subscription to their list; the server sends
    // the list's last item on subscribing, which must have arrived before they are forgotten.
    awaitTask(omemo2.subscribeToDeviceLists({peer}));
    runLoopUntil([] { return false; }, 500);
    const auto removed = awaitTask(omemo2.removeContactDevices(peer));
    if (!removed || std::holds_alternative<QXmppError>(*removed)) {
        note(QStringLiteral("%1 could not forget the OMEMO 2 devices of %2").arg(profile.jid(), peer));
        return false;
    }
    return true;
}

// A conversation under way: the sender's first message starts the session, our answer completes it.
bool startConversation(Profile &target, Profile &sender, ChatMessage::Encryption encryption)
{
    // Both have published their devices before either looks (otherwise the first message goes in plain text).
    if (!seesDevices(sender, target.jid(), 1) || !seesDevices(target, sender.jid(), 1))
        return false;
    if (encryption == ChatMessage::Encryption::LegacyOmemo &&
        (!seeAsLegacyOnly(sender, target.jid()) || !seeAsLegacyOnly(target, sender.jid())))
        return false;
    return sendAndArrive(sender, target, QStringLiteral("hello"), encryption) &&
           sendAndArrive(target, sender, QStringLiteral("hello back"), encryption);
}

struct Sent
{
    QFuture<Result<ChatMessage>> future;
    ChatMessage::Encryption expected;
};

bool drain(QList<Sent> &inFlight)
{
    bool ok = true;
    for (auto &sent : inFlight) {
        const auto result = await(sent.future);
        if (!isOk(result) || std::get<ChatMessage>(result).encryption != sent.expected) {
            note(
                QStringLiteral("a catch-up message was not sent as planned: %1").arg(errorOf(result).detail));
            ok = false;
        }
    }
    inFlight.clear();
    return ok;
}

// Every sender writes its share, round robin, a bounded number in flight.
bool sendWhileAway(const QList<MessageService *> &senders, const QList<SenderPlan> &plan,
                   const QString &target)
{
    QList<Sent> inFlight;
    const int most = std::max_element(plan.cbegin(), plan.cend(), [](const auto &a, const auto &b) {
                         return a.messages < b.messages;
                     })->messages;
    for (int index = 0; index < most; ++index) {
        for (int s = 0; s < senders.size(); ++s) {
            if (index >= plan.at(s).messages)
                continue;
            const auto composed = senders.at(s)->compose(target, catchUpBody(s, index));
            if (!isOk(composed))
                return false;
            inFlight.append({senders.at(s)->send(std::get<ChatMessage>(composed)), plan.at(s).encryption});
            if (inFlight.size() >= InFlightSends && !drain(inFlight))
                return false;
        }
    }
    return drain(inFlight);
}

qint64 processCpuNs()
{
    timespec now{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return qint64(now.tv_sec) * 1000000000 + now.tv_nsec;
}

// CPU time (user and system) of the test server's process, from /proc; -1 when unknown.
qint64 serverCpuNs(const TestServer &server)
{
    QFile json(server.stateDirectory() + QStringLiteral("/server.json"));
    if (!json.open(QIODevice::ReadOnly))
        return -1;
    const qint64 pid =
        QJsonDocument::fromJson(json.readAll()).object().value(QStringLiteral("pid")).toInteger();
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (pid <= 0 || !stat.open(QIODevice::ReadOnly))
        return -1;
    // The fields after the command name, which is in parentheses and may hold spaces.
    const QByteArray line = stat.readAll();
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return -1;
    return (fields.at(11).toLongLong() + fields.at(12).toLongLong()) * 1000000000 / sysconf(_SC_CLK_TCK);
}

// CPU time spent from the connection to the end of a catch-up.
struct CpuSplit
{
    qint64 mainThreadNs = 0; // the thread of the connection, HistorySync and decryption
    qint64 processNs = 0;    // all of Natter's threads (the database thread too)
    qint64 serverNs = -1;    // Prosody

    static CpuSplit now(const TestServer &server)
    {
        return {threadCpuNs(), processCpuNs(), serverCpuNs(server)};
    }
    CpuSplit since(const CpuSplit &start) const
    {
        return {mainThreadNs - start.mainThreadNs, processNs - start.processNs,
                serverNs >= 0 && start.serverNs >= 0 ? serverNs - start.serverNs : -1};
    }
};

struct CatchUp
{
    qint64 ns = 0;
    CpuSplit cpu;
    int readable = 0;
    int unreadable = 0;
    // The server's ceiling for the same archive: (messages, ns) for a bare client paging through it.
    std::optional<std::pair<qint64, qint64>> ceiling;
    // EncryptionService::decryptArchived, OMEMO 2 and legacy messages apart: wall clock to the result, and
    // the CPU time of the connection's thread within the call (all of it when the result is ready at return).
    struct Decryption
    {
        qint64 ns = 0;
        qint64 cpuNs = 0;
        int count = 0;
        int readyAtReturn = 0;
    };
    Decryption omemo2;
    Decryption legacy;
    // One pair of "is it OMEMO 2, is it legacy OMEMO" checks, as the decryption path makes several times.
    qint64 checksCpuNs = 0;
    int checks = 0;
};

// Archived messages go through the same decryption as the account sets up (EncryptionService::
// decryptArchived), timed.
void timeDecryption(Profile &target, CatchUp &result)
{
    EncryptionService *encryption = &target.encryption();
    QObject *context = &target.manager();
    target.account().history().setDecryptor([encryption, context, &result](const QXmppMessage &message) {
        const qint64 checksStart = threadCpuNs();
        const bool isOmemo2 = encryption->omemo2().isEncrypted(message);
        const bool isLegacy = LegacyOmemoService::isEncrypted(message);
        result.checksCpuNs += threadCpuNs() - checksStart;
        ++result.checks;
        CatchUp::Decryption *kind = isOmemo2 ? &result.omemo2 : isLegacy ? &result.legacy : nullptr;
        QElapsedTimer clock;
        clock.start();
        const qint64 cpuStart = threadCpuNs();
        auto future = encryption->decryptArchived(message);
        if (kind) {
            kind->cpuNs += threadCpuNs() - cpuStart;
            ++kind->count;
        }
        if (future.isFinished()) {
            if (kind) {
                kind->ns += clock.nsecsElapsed();
                ++kind->readyAtReturn;
            }
            return future;
        }
        return future.then(context, [clock, kind](QXmppMessage read) {
            if (kind)
                kind->ns += clock.nsecsElapsed();
            return read;
        });
    });
}

// target connects and catches up; times from the connection until `expected` incoming messages from
// senders are stored (readable or not).
std::optional<CatchUp> measureCatchUp(const TestServer &server, Profile &target, const QSet<QString> &senders,
                                      int expected, bool encrypted)
{
    CatchUp result;
    QElapsedTimer clock;
    CpuSplit start;
    std::optional<Error> failure;
    QObject *context = &target.manager();
    if (encrypted)
        timeDecryption(target, result);
    QObject::connect(&target.account().history(), &HistorySync::messagesStored, context,
                     [&](const QList<ChatMessage> &messages) {
                         for (const ChatMessage &message : messages) {
                             if (message.direction != ChatMessage::Direction::Incoming ||
                                 !senders.contains(message.conversation.peer))
                                 continue;
                             if (message.body.isEmpty() || !message.cryptoError.isEmpty())
                                 ++result.unreadable;
                             else
                                 ++result.readable;
                         }
                         if (result.readable + result.unreadable >= expected && result.ns == 0) {
                             result.ns = clock.nsecsElapsed();
                             result.cpu = CpuSplit::now(server).since(start);
                         }
                     });
    bool finished = false;
    QObject::connect(&target.account().history(), &HistorySync::catchUpFinished, context,
                     [&](int, const std::optional<Error> &error) {
                         finished = true;
                         failure = error;
                     });
    QObject::connect(&target.account(), &Account::connected, context, [&] {
        clock.start();
        start = CpuSplit::now(server);
    });
    target.account().connectToServer();
    // The end of the whole catch-up is awaited too (untimed), so nothing is cut off when the profile closes.
    const bool done = runLoopUntil([&] { return (result.ns != 0 && finished) || failure; }, 600000);
    QObject::disconnect(&target.account().history(), nullptr, context, nullptr);
    QObject::disconnect(&target.account(), &Account::connected, context, nullptr);
    if (encrypted) {
        EncryptionService *encryption = &target.encryption();
        target.account().history().setDecryptor(
            [encryption](const QXmppMessage &message) { return encryption->decryptArchived(message); });
    }
    if (!done || failure) {
        note(QStringLiteral("catch-up: %1 of %2 messages stored%3")
                 .arg(result.readable + result.unreadable)
                 .arg(expected)
                 .arg(failure ? QStringLiteral(", stopped: ") + failure->detail : QString()));
        return std::nullopt;
    }
    return result;
}

// Every message each sender wrote is stored once, readable, with the encryption it travelled with.
bool verifyStored(Profile &target, const QStringList &senders, const QList<SenderPlan> &plan)
{
    for (int s = 0; s < senders.size(); ++s) {
        const auto page = await(target.manager().messageStore().before(
            {target.jid(), senders.at(s)}, std::nullopt, plan.at(s).messages + 50));
        if (!isOk(page))
            return false;
        QSet<QString> bodies;
        for (const ChatMessage &message : std::get<QList<ChatMessage>>(page)) {
            if (message.direction != ChatMessage::Direction::Incoming || message.body == u"hello")
                continue;
            if (!message.cryptoError.isEmpty() || message.encryption != plan.at(s).encryption) {
                note(QStringLiteral("stored from %1: \"%2\" encryption %3, crypto error \"%4\"")
                         .arg(senders.at(s), message.body)
                         .arg(int(message.encryption))
                         .arg(message.cryptoError));
                return false;
            }
            bodies.insert(message.body);
        }
        for (int index = 0; index < plan.at(s).messages; ++index) {
            if (!bodies.contains(catchUpBody(s, index))) {
                note(QStringLiteral("not stored: \"%1\"").arg(catchUpBody(s, index)));
                return false;
            }
        }
        if (bodies.size() != plan.at(s).messages)
            return false;
    }
    return true;
}

// The target profile has been online once (keys published, nothing left of a first login); its phone stays
// online meanwhile, so the server keeps the messages in the archive only, as for a user whose other device
// is on.
struct Target
{
    std::unique_ptr<Profile> profile;
    std::unique_ptr<Account> phone;
};

std::optional<Target> newTarget(TestServer &server, const QString &prefix)
{
    const auto user = newUser(server, prefix);
    if (!user)
        return std::nullopt;
    Target target{onlineProfile(server, *user), Test::onlineAccount(server, *user, QStringLiteral("phone"))};
    if (!target.profile || !target.phone)
        return std::nullopt;
    return target;
}

int messageCount(const QList<SenderPlan> &plan)
{
    return std::accumulate(plan.cbegin(), plan.cend(), 0,
                           [](int sum, const SenderPlan &planned) { return sum + planned.messages; });
}

std::optional<CatchUp> encryptedCatchUp(TestServer &server, const QList<SenderPlan> &plan)
{
    auto target = newTarget(server, QStringLiteral("omemo-bench-away"));
    if (!target)
        return std::nullopt;
    std::vector<std::unique_ptr<Profile>> senders;
    QList<MessageService *> services;
    QStringList jids;
    for (const SenderPlan &planned : plan) {
        const auto user = newUser(server, QStringLiteral("omemo-bench-writer"));
        if (!user)
            return std::nullopt;
        senders.push_back(onlineProfile(server, *user));
        if (!senders.back() || !startConversation(*target->profile, *senders.back(), planned.encryption))
            return std::nullopt;
        services.append(&senders.back()->messages());
        jids.append(senders.back()->jid());
    }
    if (!target->profile->goOffline() || !sendWhileAway(services, plan, target->profile->jid()))
        return std::nullopt;
    const int expected = messageCount(plan);
    auto result =
        measureCatchUp(server, *target->profile, QSet<QString>(jids.cbegin(), jids.cend()), expected, true);
    if (!result)
        return std::nullopt;
    if (result->unreadable > 0 || !verifyStored(*target->profile, jids, plan)) {
        note(QStringLiteral("catch-up: %1 messages stored unreadable").arg(result->unreadable));
        return std::nullopt;
    }
    result->ceiling = pageThroughArchive(*target->phone->client().findExtension<ArchiveQuery>(),
                                         HistorySync::Settings{}.pageSize);
    return result;
}

// The ceiling: the same messages, from as many contacts, in plain text.
std::optional<CatchUp> plainCatchUp(TestServer &server, QList<SenderPlan> plan)
{
    for (SenderPlan &planned : plan)
        planned.encryption = ChatMessage::Encryption::None;
    auto target = newTarget(server, QStringLiteral("omemo-bench-plain"));
    if (!target)
        return std::nullopt;
    std::vector<std::unique_ptr<Account>> senders;
    QList<MessageService *> services;
    QStringList jids;
    for (int s = 0; s < plan.size(); ++s) {
        const auto user = newUser(server, QStringLiteral("omemo-bench-plain-writer"));
        if (!user)
            return std::nullopt;
        senders.push_back(Test::onlineAccount(server, *user));
        if (!senders.back())
            return std::nullopt;
        services.append(&senders.back()->messages());
        jids.append(senders.back()->jid());
    }
    if (!target->profile->goOffline() || !sendWhileAway(services, plan, target->profile->jid()))
        return std::nullopt;
    const int expected = messageCount(plan);
    auto result =
        measureCatchUp(server, *target->profile, QSet<QString>(jids.cbegin(), jids.cend()), expected, false);
    if (!result || result->unreadable > 0 || !verifyStored(*target->profile, jids, plan))
        return std::nullopt;
    return result;
}

qint64 perSecond(qint64 count, qint64 ns)
{
    return ns > 0 ? qRound64(double(count) * 1e9 / double(ns)) : 0;
}

QString describePlan(const QList<SenderPlan> &plan)
{
    int omemo2 = 0, legacy = 0, omemo2Senders = 0, legacySenders = 0;
    for (const SenderPlan &planned : plan) {
        const bool isOmemo2 = planned.encryption == ChatMessage::Encryption::Omemo2;
        (isOmemo2 ? omemo2 : legacy) += planned.messages;
        ++(isOmemo2 ? omemo2Senders : legacySenders);
    }
    return QStringLiteral("%1 in OMEMO 2 from %2 contacts, %3 in legacy OMEMO from %4 contacts")
        .arg(omemo2)
        .arg(omemo2Senders)
        .arg(legacy)
        .arg(legacySenders);
}

// ---------------------------------------------------------------------------------------------------------

bool runLegacy(int devices, int rounds)
{
    const auto legacy = measureLegacy(devices, rounds);
    if (!legacy)
        return false;
    const QString count = QString::number(devices);
    printSamples(QStringLiteral("legacy_encrypt_%1_devices_ms").arg(count), legacy->encrypt,
                 QStringLiteral("target <= 5; LegacyOmemoEngine::encrypt, established sessions, median of %1")
                     .arg(rounds));
    printLine(
        QStringLiteral("legacy_encrypt_%1_devices_stored_ms %2 ms (no target; until the sender's database "
                       "has written the %1 sessions too)")
            .arg(count, ms(legacy->encryptStored.medianMs())));
    printSamples(
        QStringLiteral("legacy_decrypt_ms"), legacy->decrypt,
        QStringLiteral("target <= 2; LegacyOmemoEngine::decrypt on one receiving device, median of %1")
            .arg(rounds));
    printLine(QStringLiteral("legacy_decrypt_stored_ms %1 ms (no target; until its database has written the "
                             "session too)")
                  .arg(ms(legacy->decryptStored.medianMs())));
    return true;
}

bool runOmemo2(TestServer &server, int devices, int rounds)
{
    Omemo2Bench bench(server, devices);
    if (!bench.setUp())
        return false;
    const auto omemo2 = bench.measure(rounds);
    if (!omemo2)
        return false;
    const QString count = QString::number(devices);
    printSamples(QStringLiteral("omemo2_encrypt_%1_devices_ms").arg(count), omemo2->encrypt,
                 QStringLiteral("target <= 5; QXmppOmemoManager::encryptMessage to the result, established "
                                "sessions, median of %1")
                     .arg(rounds));
    printSamples(QStringLiteral("omemo2_decrypt_ms"), omemo2->decrypt,
                 QStringLiteral("target <= 2; QXmppOmemoManager::decryptMessage on one receiving device, "
                                "median of %1")
                     .arg(omemo2->decrypt.count()));
    printSamples(
        QStringLiteral("prepare_%1_devices_ms").arg(count), omemo2->prepare,
        QStringLiteral("target <= 5; EncryptionService::prepare to the result: choice, device lists, "
                       "OMEMO 2 and legacy, median of %1")
            .arg(rounds));
    return true;
}

bool runCatchUp(TestServer &server, int messages)
{
    const QList<SenderPlan> plan = planSenders(messages);
    const auto encrypted = encryptedCatchUp(server, plan);
    if (!encrypted)
        return false;
    const auto plain = plainCatchUp(server, plan);
    if (!plain)
        return false;
    const qint64 encryptedRate = perSecond(encrypted->readable, encrypted->ns);
    const qint64 plainRate = perSecond(plain->readable, plain->ns);
    printLine(QStringLiteral("encrypted_catch_up_messages %1 (%2)")
                  .arg(encrypted->readable)
                  .arg(describePlan(plan)));
    printLine(
        QStringLiteral("plain_catch_up_rate %1 messages/s (ceiling: the same messages in plain text, %2 ms)")
            .arg(plainRate)
            .arg(ms(double(plain->ns) / 1e6)));
    printLine(QStringLiteral("encrypted_catch_up_rate %1 messages/s (target >= 1000; connect to the last one "
                             "stored and readable, %2 ms)")
                  .arg(encryptedRate)
                  .arg(ms(double(encrypted->ns) / 1e6)));
    if (encrypted->ceiling) {
        const qint64 ceilingRate = perSecond(encrypted->ceiling->first, encrypted->ceiling->second);
        printLine(QStringLiteral("encrypted_archive_ceiling_rate %1 messages/s (the server's ceiling: a bare "
                                 "client pages through the same archive, %2 messages, newest first, keeping "
                                 "nothing)")
                      .arg(ceilingRate)
                      .arg(encrypted->ceiling->first));
        printLine(
            QStringLiteral("encrypted_catch_up_of_ceiling %1 % (decrypted and stored, against that ceiling)")
                .arg(ceilingRate ? 100.0 * double(encryptedRate) / double(ceilingRate) : 0, 0, 'f', 1));
    }
    const auto printCpu = [](const QString &name, const CatchUp &run) {
        printLine(
            QStringLiteral(
                "%1 %2 ms (CPU time over the catch-up: Natter's connection thread; Natter's process "
                "%3 ms; Prosody %4 ms)")
                .arg(name, ms(double(run.cpu.mainThreadNs) / 1e6), ms(double(run.cpu.processNs) / 1e6),
                     run.cpu.serverNs >= 0 ? ms(double(run.cpu.serverNs) / 1e6) : QStringLiteral("unknown")));
    };
    printCpu(QStringLiteral("plain_catch_up_cpu_ms"), *plain);
    printCpu(QStringLiteral("encrypted_catch_up_cpu_ms"), *encrypted);
    printLine(QStringLiteral("encrypted_catch_up_ratio %1 %")
                  .arg(plainRate ? 100.0 * double(encryptedRate) / double(plainRate) : 0, 0, 'f', 1));
    const auto perMessage = [](qint64 ns, int count) { return ms(count ? double(ns) / 1e6 / count : 0); };
    const CatchUp::Decryption &omemo2 = encrypted->omemo2;
    const CatchUp::Decryption &legacy = encrypted->legacy;
    const qint64 decryptNs = omemo2.ns + legacy.ns;
    printLine(QStringLiteral("encrypted_catch_up_decrypt_ms %1 ms (per encrypted message, EncryptionService::"
                             "decryptArchived to its result, one after the other; %2 % of the catch-up)")
                  .arg(perMessage(decryptNs, omemo2.count + legacy.count))
                  .arg(encrypted->ns ? 100.0 * double(decryptNs) / double(encrypted->ns) : 0, 0, 'f', 1));
    const auto split = [&perMessage](const CatchUp::Decryption &kind) {
        return QStringLiteral("%1 ms (CPU %2 ms) x %3, %4 ready at return")
            .arg(perMessage(kind.ns, kind.count), perMessage(kind.cpuNs, kind.count))
            .arg(kind.count)
            .arg(kind.readyAtReturn);
    };
    printLine(QStringLiteral("encrypted_catch_up_decrypt_split OMEMO 2 %1; legacy %2; one pair of "
                             "isEncrypted checks %3 ms CPU")
                  .arg(split(omemo2), split(legacy), perMessage(encrypted->checksCpuNs, encrypted->checks)));
    return true;
}

} // namespace

int run(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    // Every profile reports its migrations; the figures are what matters here.
    QLoggingCategory::setFilterRules(QStringLiteral("natter.core.storage.info=false"));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("OMEMO figures. OMEMO 2 and the catch-up need a running test server "
                       "(tests/support/prosody_fixture.py; NATTER_TEST_SERVER_JSON names its server.json); "
                       "bench/omemo-bench.sh starts one."));
    parser.addHelpOption();
    const QCommandLineOption devicesOption(
        QStringLiteral("devices"), QStringLiteral("Devices of the contact encrypted for (default 10)."),
        QStringLiteral("N"), QStringLiteral("10"));
    const QCommandLineOption roundsOption(
        QStringLiteral("rounds"),
        QStringLiteral("Messages encrypted and decrypted per figure (default 200)."), QStringLiteral("N"),
        QStringLiteral("200"));
    const QCommandLineOption messagesOption(QStringLiteral("messages"),
                                            QStringLiteral("Messages received while offline (default 1000)."),
                                            QStringLiteral("N"), QStringLiteral("1000"));
    const QCommandLineOption partsOption(
        QStringLiteral("parts"), QStringLiteral("Which parts to run (default legacy,omemo2,catch-up)."),
        QStringLiteral("LIST"), QStringLiteral("legacy,omemo2,catch-up"));
    parser.addOptions({devicesOption, roundsOption, messagesOption, partsOption});
    parser.process(app);
    const int devices = std::max(1, parser.value(devicesOption).toInt());
    const int rounds = std::max(1, parser.value(roundsOption).toInt());
    const int messages = std::max(2, parser.value(messagesOption).toInt());
    const QStringList parts = parser.value(partsOption).split(u',');

    printLine(QStringLiteral("cores %1").arg(QThread::idealThreadCount()));
    if (parts.contains(u"legacy") && !runLegacy(devices, rounds)) {
        note(QStringLiteral("legacy OMEMO failed"));
        return Failed;
    }
    if (!parts.contains(u"omemo2") && !parts.contains(u"catch-up"))
        return 0;
    TestServer server = TestServer::load();
    if (!server.isValid()) {
        note(server.errorString());
        return Failed;
    }
    if (parts.contains(u"omemo2") && !runOmemo2(server, devices, rounds)) {
        note(QStringLiteral("OMEMO 2 failed"));
        return Failed;
    }
    if (parts.contains(u"catch-up") && !runCatchUp(server, messages)) {
        note(QStringLiteral("the catch-up failed"));
        return Failed;
    }
    return 0;
}

} // namespace Natter::Bench

int main(int argc, char **argv)
{
    return Natter::Bench::run(argc, argv);
}
