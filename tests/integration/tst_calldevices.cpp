// SPDX-License-Identifier: GPL-3.0-or-later
// Calls with real sound devices instead of test sources: a private PulseAudio server with two silent
// microphones (null sources: PulseAudio's sine source delivers two seconds of sound and then stalls) and a
// null speaker stands in for the sound card. The device monitor lists them, a call records
// from the default microphone and plays what it receives, and switching the microphone during the call
// keeps the audio going. Test sources (tst_calls) never reach this path: autoaudiosrc, device elements and
// clock handling of live sources joining a running pipeline.
#include "Contacts.h"
#include "OnlineAccount.h"
#include "TestServer.h"
#include "account/Account.h"
#include "calls/CallService.h"
#include "calls/DeviceMonitor.h"
#include "calls/MediaSession.h"

#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Natter::Core;
using namespace Natter::Core::Calls;
using namespace Natter::Test;

namespace {

constexpr int ConnectTimeoutMs = 20000;
const QString FirstMicrophone = QStringLiteral("NatterTestMicrophone");
const QString SecondMicrophone = QStringLiteral("NatterTestMicrophoneTwo");
const QString Speaker = QStringLiteral("NatterTestSpeaker");

} // namespace

class tst_CallDevices : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();
    void theDeviceMonitorListsTheSoundServersDevices();
    void aCallRecordsFromTheMicrophoneAndPlaysWhatItHears();
    void switchingTheMicrophoneKeepsTheAudioGoing();
    void mutingStopsOnlyWhatWeSend();

private:
    std::unique_ptr<Account> online(const QString &prefix);
    std::pair<QPointer<Call>, QPointer<Call>> connectCall();
    // What pactl printed, or nothing when it failed.
    std::optional<QString> pactl(const QStringList &arguments);
    // The streams of a kind (source-outputs, sink-inputs) the sound server has.
    QStringList streams(const QString &kind);

    QTemporaryDir m_runtime;
    QProcess m_soundServer;
    TestServer m_server;
    std::unique_ptr<Account> m_alice;
    std::unique_ptr<Account> m_bob;
};

std::optional<QString> tst_CallDevices::pactl(const QStringList &arguments)
{
    QProcess process;
    process.start(QStringLiteral("pactl"), arguments);
    if (!process.waitForFinished(10000) || process.exitStatus() != QProcess::NormalExit ||
        process.exitCode() != 0)
        return std::nullopt;
    return QString::fromUtf8(process.readAllStandardOutput());
}

QStringList tst_CallDevices::streams(const QString &kind)
{
    return pactl({QStringLiteral("list"), QStringLiteral("short"), kind})
        .value_or(QString())
        .split(u'\n', Qt::SkipEmptyParts);
}

void tst_CallDevices::initTestCase()
{
    QVERIFY(m_runtime.isValid());
    const QString pulseaudio = QStandardPaths::findExecutable(QStringLiteral("pulseaudio"));
    QVERIFY2(!pulseaudio.isEmpty(), "pulseaudio is not installed (tools/packages.txt lists it)");
    const QString socket = m_runtime.filePath(QStringLiteral("native"));
    // Off D-Bus and X11, with its own runtime folder: nothing of the machine's own sound setup is touched.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("XDG_RUNTIME_DIR"), m_runtime.path());
    environment.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
    environment.remove(QStringLiteral("DISPLAY"));
    environment.insert(QStringLiteral("HOME"), m_runtime.path());
    m_soundServer.setProcessEnvironment(environment);
    m_soundServer.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_soundServer.start(
        pulseaudio,
        {QStringLiteral("--daemonize=no"), QStringLiteral("--exit-idle-time=-1"), QStringLiteral("-n"),
         QStringLiteral("--log-level=error"), QStringLiteral("-L"),
         QStringLiteral("module-native-protocol-unix auth-anonymous=1 socket=") + socket,
         QStringLiteral("-L"),
         QStringLiteral("module-null-sink sink_name=speaker sink_properties=device.description=") + Speaker,
         QStringLiteral("-L"),
         QStringLiteral("module-null-source source_name=microphone description=") + FirstMicrophone,
         QStringLiteral("-L"),
         QStringLiteral("module-null-source source_name=microphone2 description=") + SecondMicrophone});
    QVERIFY(m_soundServer.waitForStarted());
    // GStreamer's PulseAudio elements and pactl find the server here.
    qputenv("PULSE_SERVER", "unix:" + socket.toUtf8());
    QTRY_VERIFY_WITH_TIMEOUT(pactl({QStringLiteral("info")}).has_value(), 10000);
    QVERIFY(pactl({QStringLiteral("set-default-source"), QStringLiteral("microphone")}));
    QVERIFY(pactl({QStringLiteral("set-default-sink"), QStringLiteral("speaker")}));

    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
    m_alice = online(QStringLiteral("devices-alice"));
    m_bob = online(QStringLiteral("devices-bob"));
    QVERIFY(m_alice && m_bob);
    QVERIFY(makeMutualContacts(m_alice.get(), m_bob.get()));
    QTRY_VERIFY_WITH_TIMEOUT(m_alice->calls().canCall(m_bob->jid(), false), 20000);
}

void tst_CallDevices::cleanupTestCase()
{
    m_alice.reset();
    m_bob.reset();
    m_soundServer.terminate();
    m_soundServer.waitForFinished(5000);
}

void tst_CallDevices::cleanup()
{
    for (Account *account : {m_alice.get(), m_bob.get()})
        if (Call *call = account ? account->calls().currentCall() : nullptr)
            call->hangUp();
    for (Account *account : {m_alice.get(), m_bob.get()})
        QTRY_VERIFY_WITH_TIMEOUT(!account || !account->calls().currentCall(), 10000);
}

std::unique_ptr<Account> tst_CallDevices::online(const QString &prefix)
{
    const auto name = m_server.registerAccount(prefix);
    if (!name)
        return nullptr;
    auto account = onlineAccount(m_server, *name);
    if (account)
        account->calls().setMediaSettings(MediaSession::Settings{}); // the devices, as users have it
    return account;
}

std::pair<QPointer<Call>, QPointer<Call>> tst_CallDevices::connectCall()
{
    QSignalSpy incoming(&m_bob->calls(), &CallService::incoming);
    QPointer<Call> outgoing = m_alice->calls().call(m_bob->jid(), false);
    if (!outgoing || !incoming.wait(10000))
        return {};
    QPointer<Call> ringing = incoming.first().first().value<Call *>();
    ringing->accept();
    if (!QTest::qWaitFor(
            [&] {
                return outgoing && ringing && outgoing->state() == Call::State::Connected &&
                       ringing->state() == Call::State::Connected;
            },
            ConnectTimeoutMs))
        return {};
    return {outgoing, ringing};
}

void tst_CallDevices::theDeviceMonitorListsTheSoundServersDevices()
{
    DeviceMonitor monitor;
    QTRY_VERIFY_WITH_TIMEOUT(monitor.devices(DeviceMonitor::Kind::Microphone).contains(SecondMicrophone),
                             10000);
    QVERIFY(monitor.devices(DeviceMonitor::Kind::Microphone).contains(FirstMicrophone));
    QVERIFY(monitor.devices(DeviceMonitor::Kind::Speaker).contains(Speaker));
    // A speaker's monitor records what it plays: it is no microphone.
    for (const QString &name : monitor.devices(DeviceMonitor::Kind::Microphone))
        QVERIFY2(!name.contains(u"Monitor"), qPrintable(name));
}

void tst_CallDevices::aCallRecordsFromTheMicrophoneAndPlaysWhatItHears()
{
    auto [outgoing, ringing] = connectCall();
    QVERIFY(outgoing && ringing);
    // Opus from the sound server's microphone, decoded at the other end, both ways, and it keeps coming.
    QTRY_VERIFY2_WITH_TIMEOUT(outgoing->counters().audioBuffersSent > 100 &&
                                  ringing->counters().audioBuffersReceived > 100,
                              qPrintable(QStringLiteral("Alice sent %1, Bob decoded %2")
                                             .arg(outgoing->counters().audioBuffersSent)
                                             .arg(ringing->counters().audioBuffersReceived)),
                              15000);
    QTRY_VERIFY_WITH_TIMEOUT(
        ringing->counters().audioBuffersSent > 100 && outgoing->counters().audioBuffersReceived > 100, 15000);
    const auto bobHeard = ringing->counters().audioBuffersReceived;
    const auto aliceHeard = outgoing->counters().audioBuffersReceived;
    QTest::qWait(2000);
    QVERIFY(ringing->counters().audioBuffersReceived > bobHeard + 50);
    QVERIFY(outgoing->counters().audioBuffersReceived > aliceHeard + 50);
    // Both ends record from the microphone and play into the speaker.
    QTRY_COMPARE_WITH_TIMEOUT(streams(QStringLiteral("source-outputs")).size(), 2, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(streams(QStringLiteral("sink-inputs")).size(), 2, 5000);
}

void tst_CallDevices::switchingTheMicrophoneKeepsTheAudioGoing()
{
    auto [outgoing, ringing] = connectCall();
    QVERIFY(outgoing && ringing);
    QTRY_VERIFY_WITH_TIMEOUT(ringing->counters().audioBuffersReceived > 50, 15000);
    QVERIFY(outgoing->media());
    outgoing->media()->setMicrophone(SecondMicrophone);
    const auto bobHeard = ringing->counters().audioBuffersReceived;
    QTRY_VERIFY_WITH_TIMEOUT(ringing->counters().audioBuffersReceived > bobHeard + 100, 10000);
    // Alice now records from the second microphone (PulseAudio source 2).
    const QStringList outputs = streams(QStringLiteral("source-outputs"));
    QCOMPARE(outputs.size(), 2);
    const auto onSecond = std::count_if(outputs.cbegin(), outputs.cend(), [](const QString &line) {
        return line.section(u'\t', 1, 1) == u"2";
    });
    QCOMPARE(onSecond, 1);
}

void tst_CallDevices::mutingStopsOnlyWhatWeSend()
{
    auto [outgoing, ringing] = connectCall();
    QVERIFY(outgoing && ringing);
    QTRY_VERIFY_WITH_TIMEOUT(outgoing->counters().audioBuffersReceived > 50 &&
                                 ringing->counters().audioBuffersReceived > 50,
                             15000);
    outgoing->setMicrophoneMuted(true);
    QTest::qWait(500);
    const auto bobHeard = ringing->counters().audioBuffersReceived;
    const auto aliceHeard = outgoing->counters().audioBuffersReceived;
    QTest::qWait(1500);
    // Nothing more from Alice, while she still hears Bob.
    QVERIFY(ringing->counters().audioBuffersReceived < bobHeard + 5);
    QVERIFY2(outgoing->counters().audioBuffersReceived > aliceHeard + 50,
             qPrintable(QString::number(outgoing->counters().audioBuffersReceived - aliceHeard)));
    outgoing->setMicrophoneMuted(false);
    const auto aliceHeardAfter = outgoing->counters().audioBuffersReceived;
    const auto bobHeardAfter = ringing->counters().audioBuffersReceived;
    QTRY_VERIFY_WITH_TIMEOUT(ringing->counters().audioBuffersReceived > bobHeardAfter + 50, 10000);
    QVERIFY(outgoing->counters().audioBuffersReceived > aliceHeardAfter + 50);
}

QTEST_GUILESS_MAIN(tst_CallDevices)
#include "tst_calldevices.moc"
