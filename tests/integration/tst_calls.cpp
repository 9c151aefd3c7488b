// SPDX-License-Identifier: GPL-3.0-or-later
// Calls between Natter accounts through the test server, with test sources instead of devices: audio and
// video flow both ways over DTLS-SRTP, muting stops our audio, hanging up on either side frees every thread
// and socket; proposals taken back, declined, refused as busy, answered on another device; a path that
// cannot connect fails clearly; and hostile Jingle IQs get the right error without touching the call.
#include "Calls.h"
#include "Contacts.h"
#include "OnlineAccount.h"
#include "RawStanza.h"
#include "TestServer.h"
#include "account/Account.h"
#include "calls/CallRecord.h"
#include "calls/CallService.h"
#include "messaging/MessageService.h"
#include "roster/PresenceService.h"

#include <QDir>
#include <QDomElement>
#include <QFile>
#include <QSignalSpy>
#include <QTest>
#include <QXmppClient.h>
#include <QXmppClientExtension.h>
#include <QXmppUtils.h>

using namespace Natter::Core;
using namespace Natter::Core::Calls;
using namespace Natter::Test;

namespace {

// The IQ answers a client receives, by id, as they came over the wire.
class IqAnswers : public QXmppClientExtension
{
public:
    bool handleStanza(const QDomElement &stanza) override
    {
        if (stanza.tagName() == u"iq" && (stanza.attribute(QStringLiteral("type")) == u"error" ||
                                          stanza.attribute(QStringLiteral("type")) == u"result"))
            m_answers.insert(stanza.attribute(QStringLiteral("id")), stanza.cloneNode().toElement());
        const QDomElement jingle = stanza.firstChildElement(QStringLiteral("jingle"));
        if (stanza.tagName() == u"iq" && !jingle.isNull())
            m_jingle.append(jingle.cloneNode().toElement());
        return false;
    }
    QDomElement answer(const QString &id) const { return m_answers.value(id); }
    // The Jingle actions received, as "action reason".
    QStringList jingleActions() const
    {
        QStringList actions;
        for (const QDomElement &jingle : m_jingle)
            actions.append(jingle.attribute(QStringLiteral("action")) + u' ' +
                           jingle.firstChildElement(QStringLiteral("reason")).firstChildElement().tagName());
        return actions;
    }

private:
    QHash<QString, QDomElement> m_answers;
    QList<QDomElement> m_jingle;
};

int countEntries(const QString &folder)
{
    return int(QDir(folder).entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot).size());
}

int socketCount()
{
    int sockets = 0;
    const QDir fds(QStringLiteral("/proc/self/fd"));
    for (const QString &fd : fds.entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot))
        sockets += QFile::symLinkTarget(fds.filePath(fd)).contains(u"socket:") ? 1 : 0;
    return sockets;
}

// How a call ended, kept after the call is deleted.
struct Ending
{
    std::optional<Call::EndReason> reason;
    Error error;

    explicit Ending(Call *call)
    {
        QObject::connect(call, &Call::ended, call, [this, call](Call::EndReason endReason) {
            reason = endReason;
            error = call->error();
        });
    }
    bool wait(int timeoutMs = 10000) const
    {
        return QTest::qWaitFor([this] { return reason.has_value(); }, timeoutMs);
    }
};

// The call records an account kept (its history), newest last.
class Records
{
public:
    explicit Records(Account &account)
        : m_spy(&account.messages(), &MessageService::messageReceived)
    {}
    std::optional<CallRecord> last(const QString &peer) const
    {
        std::optional<CallRecord> found;
        for (const QList<QVariant> &arguments : m_spy) {
            const auto message = arguments.first().value<ChatMessage>();
            if (message.kind == ChatMessage::Kind::Call && message.conversation.peer == peer)
                found = CallRecord::fromBody(message.body);
        }
        return found;
    }
    qsizetype count() const
    {
        return std::count_if(m_spy.cbegin(), m_spy.cend(), [](const QList<QVariant> &arguments) {
            return arguments.first().value<ChatMessage>().kind == ChatMessage::Kind::Call;
        });
    }

private:
    QSignalSpy m_spy;
};

} // namespace

class tst_Calls : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void anAudioCallFlowsBothWaysOverSrtp();
    void mutingStopsOurAudio();
    void aVideoCallShowsFramesBothWays();
    void hangingUpOnEitherSideFreesEverything_data();
    void hangingUpOnEitherSideFreesEverything();
    void aProposalTakenBackStopsTheRinging();
    void aDeclinedCallEndsOnBothSides();
    void aSecondCallerHearsBusy();
    void callingEachOtherAtOnceLeavesOneCall_data();
    void callingEachOtherAtOnceLeavesOneCall();
    void answeringOnOneDeviceStopsTheOthers();
    void decliningOnOneDeviceStopsTheOthers();
    void aRelayOnlyCallGoesThroughTheServersTurn();
    void aCallThatCannotConnectFailsClearly();
    void hostileJingleIsRefusedAndTheCallGoesOn();
    void anOfferWithoutDtlsIsRefused();
    void strangersCannotCall();

private:
    std::unique_ptr<Account> online(const QString &prefix, QString *user = nullptr);

    TestServer m_server;
    std::unique_ptr<Account> m_alice;
    std::unique_ptr<Account> m_bob;
    std::unique_ptr<Account> m_carol;
    QString m_bobUser;
};

std::unique_ptr<Account> tst_Calls::online(const QString &prefix, QString *user)
{
    const auto name = m_server.registerAccount(prefix);
    if (!name)
        return nullptr;
    if (user)
        *user = *name;
    auto account = onlineAccount(m_server, *name);
    if (account) {
        MediaSession::Settings settings;
        settings.testSources = true;
        account->calls().setMediaSettings(settings);
    }
    return account;
}

void tst_Calls::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
    m_alice = online(QStringLiteral("call-alice"));
    m_bob = online(QStringLiteral("call-bob"), &m_bobUser);
    m_carol = online(QStringLiteral("call-carol"));
    QVERIFY(m_alice && m_bob && m_carol);
    QVERIFY(makeMutualContacts(m_alice.get(), m_bob.get()));
    QVERIFY(makeMutualContacts(m_carol.get(), m_bob.get()));
    // Bob's caps say his device takes audio and video calls with DTLS-SRTP: that is what the call buttons
    // ask.
    QTRY_VERIFY_WITH_TIMEOUT(m_alice->calls().canCall(m_bob->jid(), true), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(m_carol->calls().canCall(m_bob->jid(), false), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(m_bob->calls().canCall(m_alice->jid(), true), 20000);
}

void tst_Calls::cleanup()
{
    for (Account *account : {m_alice.get(), m_bob.get(), m_carol.get()})
        if (Call *call = account->calls().currentCall())
            call->hangUp();
    for (Account *account : {m_alice.get(), m_bob.get(), m_carol.get()})
        QTRY_VERIFY_WITH_TIMEOUT(!account->calls().currentCall(), 10000);
    // Let the deleted calls go.
    QTest::qWait(50);
}

void tst_Calls::anAudioCallFlowsBothWaysOverSrtp()
{
    Records aliceRecords(*m_alice);
    Records bobRecords(*m_bob);
    auto [outgoing, ringing] = ring(*m_alice, *m_bob);
    QVERIFY(outgoing && ringing);
    QCOMPARE(ringing->direction(), Call::Direction::Incoming);
    QCOMPARE(ringing->peer(), m_alice->jid());
    QVERIFY(!ringing->hasVideo());
    // Bob's device said it rings.
    QTRY_COMPARE(outgoing->state(), Call::State::Ringing);
    QCOMPARE(ringing->state(), Call::State::Ringing);

    ringing->accept();
    QTRY_VERIFY2_WITH_TIMEOUT(outgoing->state() == Call::State::Connected, qPrintable(describe(outgoing)),
                              CallConnectTimeoutMs);
    QTRY_VERIFY2_WITH_TIMEOUT(ringing->state() == Call::State::Connected, qPrintable(describe(ringing)),
                              CallConnectTimeoutMs);
    QVERIFY(outgoing->peerDevice().startsWith(m_bob->jid() + u'/'));
    QVERIFY(ringing->peerDevice().startsWith(m_alice->jid() + u'/'));

    // Decoded Opus at both ends, keyed by DTLS: SRTP, not plain RTP.
    QTRY_VERIFY_WITH_TIMEOUT(outgoing->counters().audioBuffersReceived > 50, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(ringing->counters().audioBuffersReceived > 50, 15000);
    QVERIFY(outgoing->counters().srtp);
    QVERIFY(ringing->counters().srtp);
    QCOMPARE(outgoing->counters().videoFramesReceived, 0u);
    QVERIFY(outgoing->connectedAt().isValid());

    Ending bobEnded(ringing);
    outgoing->hangUp();
    QCOMPARE(outgoing->endReason(), Call::EndReason::HungUp);
    QVERIFY(bobEnded.wait());
    QCOMPARE(*bobEnded.reason, Call::EndReason::RemoteHungUp);
    // Both histories keep the call with how long it lasted.
    QTRY_VERIFY(aliceRecords.last(m_bob->jid()));
    QTRY_VERIFY(bobRecords.last(m_alice->jid()));
    QCOMPARE(aliceRecords.last(m_bob->jid())->outcome, CallRecord::Outcome::Answered);
    QVERIFY(!aliceRecords.last(m_bob->jid())->video);
    QVERIFY(aliceRecords.last(m_bob->jid())->durationMs > 0);
    QCOMPARE(bobRecords.last(m_alice->jid())->outcome, CallRecord::Outcome::Answered);
}

void tst_Calls::mutingStopsOurAudio()
{
    auto [outgoing, ringing] = connectCall(*m_alice, *m_bob);
    QVERIFY(outgoing && ringing);
    QTRY_VERIFY_WITH_TIMEOUT(ringing->counters().audioBuffersReceived > 20, 15000);
    QSignalSpy remoteMute(ringing.data(), &Call::remoteMuteChanged);
    outgoing->setMicrophoneMuted(true);
    QVERIFY(outgoing->isMicrophoneMuted());
    // Bob's client hears of it (XEP-0167 session-info) and can show it.
    QVERIFY(remoteMute.wait(5000));
    QCOMPARE(remoteMute.first().first().toBool(), true);
    // What was under way has arrived after a moment; from then on nothing more leaves Alice.
    QTest::qWait(500);
    const auto sentWhileMuted = outgoing->counters().audioBuffersSent;
    const auto bobHeard = ringing->counters().audioBuffersReceived;
    const auto aliceHeard = outgoing->counters().audioBuffersReceived;
    QTest::qWait(1000);
    QCOMPARE(outgoing->counters().audioBuffersSent, sentWhileMuted);
    QCOMPARE(ringing->counters().audioBuffersReceived, bobHeard);
    // Bob still talks.
    QVERIFY(outgoing->counters().audioBuffersReceived > aliceHeard + 10);

    outgoing->setMicrophoneMuted(false);
    QTRY_VERIFY_WITH_TIMEOUT(ringing->counters().audioBuffersReceived > bobHeard + 20, 10000);
}

void tst_Calls::aVideoCallShowsFramesBothWays()
{
    auto [outgoing, ringing] = ring(*m_alice, *m_bob, true);
    QVERIFY(outgoing && ringing);
    QVERIFY(ringing->hasVideo());
    QSignalSpy bobSees(ringing.data(), &Call::remoteFrame);
    QSignalSpy aliceSeesHerself(outgoing.data(), &Call::localFrame);
    ringing->accept();
    QTRY_VERIFY2_WITH_TIMEOUT(outgoing->state() == Call::State::Connected, qPrintable(describe(outgoing)),
                              CallConnectTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(outgoing->counters().videoFramesReceived > 30, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(ringing->counters().videoFramesReceived > 30, 20000);
    QTRY_VERIFY(!bobSees.isEmpty());
    QTRY_VERIFY(!aliceSeesHerself.isEmpty());
    const auto frame = bobSees.last().first().value<PreviewFrame>();
    QVERIFY(frame.isValid());
    QVERIFY(ringing->counters().srtp);

    // Camera off: no more video leaves Alice, her audio goes on.
    outgoing->setCameraEnabled(false);
    QTest::qWait(500);
    const auto bobSaw = ringing->counters().videoFramesReceived;
    const auto bobHeard = ringing->counters().audioBuffersReceived;
    QTest::qWait(1000);
    QCOMPARE(ringing->counters().videoFramesReceived, bobSaw);
    QVERIFY(ringing->counters().audioBuffersReceived > bobHeard + 10);
}

void tst_Calls::hangingUpOnEitherSideFreesEverything_data()
{
    QTest::addColumn<bool>("callerHangsUp");
    QTest::newRow("the caller hangs up") << true;
    QTest::newRow("the callee hangs up") << false;
}

void tst_Calls::hangingUpOnEitherSideFreesEverything()
{
    QFETCH(bool, callerHangsUp);
    // GStreamer's own threads and plugins stay loaded after the first call of the process; counting starts
    // after one.
    {
        auto [outgoing, ringing] = connectCall(*m_alice, *m_bob, true);
        QVERIFY(outgoing && ringing);
        outgoing->hangUp();
        cleanup();
    }
    QTest::qWait(500);
    const int threads = countEntries(QStringLiteral("/proc/self/task"));
    const int sockets = socketCount();

    auto [outgoing, ringing] = connectCall(*m_alice, *m_bob, true);
    QVERIFY(outgoing && ringing);
    QTRY_VERIFY_WITH_TIMEOUT(ringing->counters().videoFramesReceived > 10, 15000);
    QVERIFY(countEntries(QStringLiteral("/proc/self/task")) > threads);
    QVERIFY(socketCount() > sockets);
    Ending otherEnded(callerHangsUp ? ringing.data() : outgoing.data());
    (callerHangsUp ? outgoing : ringing)->hangUp();
    QVERIFY(otherEnded.wait());
    QCOMPARE(*otherEnded.reason, Call::EndReason::RemoteHungUp);
    QTRY_COMPARE_WITH_TIMEOUT(countEntries(QStringLiteral("/proc/self/task")), threads, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(socketCount(), sockets, 10000);
}

void tst_Calls::aProposalTakenBackStopsTheRinging()
{
    Records bobRecords(*m_bob);
    auto [outgoing, ringing] = ring(*m_alice, *m_bob);
    QVERIFY(outgoing && ringing);
    Ending bobEnded(ringing);
    outgoing->hangUp();
    QCOMPARE(outgoing->endReason(), Call::EndReason::Cancelled);
    QVERIFY(bobEnded.wait());
    QCOMPARE(*bobEnded.reason, Call::EndReason::Missed);
    QTRY_VERIFY(bobRecords.last(m_alice->jid()));
    QCOMPARE(bobRecords.last(m_alice->jid())->outcome, CallRecord::Outcome::Missed);
}

void tst_Calls::aDeclinedCallEndsOnBothSides()
{
    Records aliceRecords(*m_alice);
    auto [outgoing, ringing] = ring(*m_alice, *m_bob);
    QVERIFY(outgoing && ringing);
    Ending aliceEnded(outgoing);
    ringing->decline();
    QCOMPARE(ringing->endReason(), Call::EndReason::Declined);
    QVERIFY(aliceEnded.wait());
    QCOMPARE(*aliceEnded.reason, Call::EndReason::RemoteDeclined);
    QTRY_VERIFY(aliceRecords.last(m_bob->jid()));
    QCOMPARE(aliceRecords.last(m_bob->jid())->outcome, CallRecord::Outcome::Declined);
}

void tst_Calls::aSecondCallerHearsBusy()
{
    auto [outgoing, ringing] = connectCall(*m_alice, *m_bob);
    QVERIFY(outgoing && ringing);
    Records carolRecords(*m_carol);
    QSignalSpy busy(&m_bob->calls(), &CallService::missedWhileBusy);
    QSignalSpy incoming(&m_bob->calls(), &CallService::incoming);
    QPointer<Call> second = m_carol->calls().call(m_bob->jid(), false);
    QVERIFY(second);
    Ending carolEnded(second);
    QVERIFY(carolEnded.wait());
    QCOMPARE(*carolEnded.reason, Call::EndReason::Busy);
    QTRY_VERIFY(carolRecords.last(m_bob->jid()));
    QCOMPARE(carolRecords.last(m_bob->jid())->outcome, CallRecord::Outcome::Busy);
    QCOMPARE(busy.size(), 1);
    QCOMPARE(busy.first().first().toString(), m_carol->jid());
    QVERIFY(incoming.isEmpty());
    // The first call goes on.
    QCOMPARE(ringing->state(), Call::State::Connected);
    QCOMPARE(m_bob->calls().currentCall(), ringing.data());
}

void tst_Calls::callingEachOtherAtOnceLeavesOneCall_data()
{
    QTest::addColumn<bool>("aliceVideo");
    QTest::addColumn<bool>("bobVideo");
    QTest::newRow("both audio") << false << false;
    // Whoever loses the tie-break with a video proposal takes the audio call at once; the one who loses
    // with an audio proposal is not put on camera: that call rings.
    QTest::newRow("video and audio") << true << false;
}

void tst_Calls::callingEachOtherAtOnceLeavesOneCall()
{
    QFETCH(bool, aliceVideo);
    QFETCH(bool, bobVideo);
    Records aliceRecords(*m_alice);
    Records bobRecords(*m_bob);
    QSignalSpy aliceIncoming(&m_alice->calls(), &CallService::incoming);
    QSignalSpy bobIncoming(&m_bob->calls(), &CallService::incoming);
    // Both proposals leave before either arrives.
    QPointer<Call> fromAlice = m_alice->calls().call(m_bob->jid(), aliceVideo);
    QPointer<Call> fromBob = m_bob->calls().call(m_alice->jid(), bobVideo);
    QVERIFY(fromAlice && fromBob);
    Ending aliceProposal(fromAlice);
    Ending bobProposal(fromBob);
    const bool aliceWins = fromAlice->id() < fromBob->id();
    QPointer<Call> winner = aliceWins ? fromAlice : fromBob;
    Account &winnerAccount = aliceWins ? *m_alice : *m_bob;
    Account &loserAccount = aliceWins ? *m_bob : *m_alice;
    const Ending &loserProposal = aliceWins ? bobProposal : aliceProposal;
    QSignalSpy &loserIncoming = aliceWins ? bobIncoming : aliceIncoming;
    const bool loserProposedVideo = aliceWins ? bobVideo : aliceVideo;
    const bool winnerProposedVideo = aliceWins ? aliceVideo : bobVideo;

    // The higher id gives way to the lower one (XEP-0353): one call is left, the winner's.
    QVERIFY(loserProposal.wait());
    QCOMPARE(*loserProposal.reason, Call::EndReason::Crossed);
    QTRY_COMPARE(loserIncoming.size(), 1);
    QPointer<Call> taken = loserIncoming.first().first().value<Call *>();
    QVERIFY(taken);
    QCOMPARE(taken->id(), winner->id());
    QCOMPARE(loserAccount.calls().currentCall(), taken.data());
    QCOMPARE(winnerAccount.calls().currentCall(), winner.data());
    if (!winnerProposedVideo || loserProposedVideo) {
        // Taken without a second click: the loser had asked for this call.
        QTRY_VERIFY2_WITH_TIMEOUT(winner && taken && winner->state() == Call::State::Connected &&
                                      taken->state() == Call::State::Connected,
                                  qPrintable(describe(winner) + QStringLiteral(" / ") + describe(taken)),
                                  CallConnectTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(taken->counters().audioBuffersReceived > 10, CallConnectTimeoutMs);
    } else {
        QTest::qWait(1000);
        QCOMPARE(taken->state(), Call::State::Ringing);
        QCOMPARE(winner->state(), Call::State::Ringing);
    }
    // The winner's own device never rang for the proposal that gave way.
    QCOMPARE((aliceWins ? aliceIncoming : bobIncoming).size(), 0);
    QVERIFY(!(aliceWins ? aliceProposal : bobProposal).reason.has_value());
    winner->hangUp();
    QTRY_VERIFY(!loserAccount.calls().currentCall() && !winnerAccount.calls().currentCall());
    // One line in each history, for the call that went on; none for the proposal that gave way.
    QTRY_VERIFY(aliceRecords.last(m_bob->jid()) && bobRecords.last(m_alice->jid()));
    QTest::qWait(200);
    for (const Records *records : {&aliceRecords, &bobRecords})
        QCOMPARE(records->count(), 1);
}

void tst_Calls::answeringOnOneDeviceStopsTheOthers()
{
    auto otherDevice = onlineAccount(m_server, m_bobUser, QStringLiteral("second-device"));
    QVERIFY(otherDevice);
    MediaSession::Settings settings;
    settings.testSources = true;
    otherDevice->calls().setMediaSettings(settings);
    // The server rings the devices that are available when the proposal comes.
    QTRY_COMPARE_WITH_TIMEOUT(m_alice->presence().presence(m_bob->jid()).resources.size(), 2, 10000);

    QSignalSpy firstRings(&m_bob->calls(), &CallService::incoming);
    QSignalSpy secondRings(&otherDevice->calls(), &CallService::incoming);
    QPointer<Call> outgoing = m_alice->calls().call(m_bob->jid(), false);
    QVERIFY(outgoing);
    QVERIFY(firstRings.wait(10000));
    QTRY_COMPARE_WITH_TIMEOUT(secondRings.size(), 1, 10000);
    QPointer<Call> first = firstRings.first().first().value<Call *>();
    QPointer<Call> second = secondRings.first().first().value<Call *>();
    QCOMPARE(first->id(), second->id());

    Ending firstEnded(first);
    second->accept();
    QVERIFY(firstEnded.wait());
    QCOMPARE(*firstEnded.reason, Call::EndReason::AnsweredElsewhere);
    QTRY_VERIFY2_WITH_TIMEOUT(outgoing->state() == Call::State::Connected, qPrintable(describe(outgoing)),
                              CallConnectTimeoutMs);
    QCOMPARE(outgoing->peerDevice(), otherDevice->client().configuration().jid());
    QTRY_VERIFY_WITH_TIMEOUT(second->counters().audioBuffersReceived > 20, 15000);
    outgoing->hangUp();
    QTRY_COMPARE_WITH_TIMEOUT(second ? second->state() : Call::State::Ended, Call::State::Ended, 10000);
}

void tst_Calls::decliningOnOneDeviceStopsTheOthers()
{
    auto otherDevice = onlineAccount(m_server, m_bobUser, QStringLiteral("third-device"));
    QVERIFY(otherDevice);
    const auto available = [this] {
        const auto resources = m_alice->presence().presence(m_bob->jid()).resources;
        return std::any_of(resources.begin(), resources.end(),
                           [](const auto &resource) { return resource.resource == u"third-device"; });
    };
    QTRY_VERIFY_WITH_TIMEOUT(available(), 10000);
    QSignalSpy firstRings(&m_bob->calls(), &CallService::incoming);
    QSignalSpy secondRings(&otherDevice->calls(), &CallService::incoming);
    QPointer<Call> outgoing = m_alice->calls().call(m_bob->jid(), true);
    QVERIFY(outgoing);
    QVERIFY(firstRings.wait(10000));
    QTRY_COMPARE_WITH_TIMEOUT(secondRings.size(), 1, 10000);
    Ending firstEnded(firstRings.first().first().value<Call *>());
    Ending aliceEnded(outgoing);
    secondRings.first().first().value<Call *>()->decline();
    QVERIFY(firstEnded.wait());
    QCOMPARE(*firstEnded.reason, Call::EndReason::DeclinedElsewhere);
    QVERIFY(aliceEnded.wait());
    QCOMPARE(*aliceEnded.reason, Call::EndReason::RemoteDeclined);
}

void tst_Calls::aRelayOnlyCallGoesThroughTheServersTurn()
{
    // The server announces its coturn (XEP-0215) with credentials made from the shared secret.
    const QString turnPort = u':' + QString::number(m_server.turnPort);
    QTRY_VERIFY_WITH_TIMEOUT(!m_alice->calls().turnServers().isEmpty(), 10000);
    QVERIFY2(m_alice->calls().turnServers().first().startsWith(u"turn://"),
             qPrintable(m_alice->calls().turnServers().join(u' ')));
    QVERIFY(m_alice->calls().turnServers().first().contains(turnPort));
    QVERIFY(m_alice->calls().stunServers().join(u' ').contains(turnPort));
    QTRY_VERIFY_WITH_TIMEOUT(!m_bob->calls().turnServers().isEmpty(), 10000);

    // Neither side offers host or server-reflexive candidates: only the relay can carry the call.
    for (Account *account : {m_alice.get(), m_bob.get()}) {
        MediaSession::Settings settings = account->calls().mediaSettings();
        settings.relayOnly = true;
        account->calls().setMediaSettings(settings);
    }
    auto restore = qScopeGuard([&] {
        for (Account *account : {m_alice.get(), m_bob.get()}) {
            MediaSession::Settings settings = account->calls().mediaSettings();
            settings.relayOnly = false;
            account->calls().setMediaSettings(settings);
        }
    });
    auto [outgoing, ringing] = connectCall(*m_alice, *m_bob);
    QVERIFY(outgoing && ringing);
    QTRY_VERIFY_WITH_TIMEOUT(ringing->counters().audioBuffersReceived > 50, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(outgoing->counters().audioBuffersReceived > 50, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(outgoing->counters().candidateType, u"relay", 10000);
    QCOMPARE(ringing->counters().candidateType, u"relay");
    QVERIFY(outgoing->counters().srtp);
}

void tst_Calls::aCallThatCannotConnectFailsClearly()
{
    // Relayed candidates only, through a relay that is not there: ICE has nothing to try.
    MediaSession::Settings settings = m_alice->calls().mediaSettings();
    settings.relayOnly = true;
    settings.turnServers = {
        QStringLiteral("turn://nobody:nothing@127.0.0.1:%1").arg(TestServer::closedPort())};
    m_alice->calls().setMediaSettings(settings);
    m_alice->calls().setServerIceServersEnabled(false);
    auto restore = qScopeGuard([&] {
        settings.relayOnly = false;
        settings.turnServers.clear();
        m_alice->calls().setMediaSettings(settings);
        m_alice->calls().setServerIceServersEnabled(true);
    });
    auto [outgoing, ringing] = ring(*m_alice, *m_bob);
    QVERIFY(outgoing && ringing);
    Ending aliceEnded(outgoing);
    Ending bobEnded(ringing);
    ringing->accept();
    // The acceptance bound of the issue (20 s), not a benchmark: Call gives ICE 15 s.
    QVERIFY(aliceEnded.wait(20000));
    QCOMPARE(*aliceEnded.reason, Call::EndReason::Failed);
    QCOMPARE(aliceEnded.error.code, Error::Code::CallConnectionFailed);
    // Bob's side ends too: by Alice's session-terminate or its own timeout.
    QVERIFY(bobEnded.wait(20000));
    QVERIFY(*bobEnded.reason == Call::EndReason::Failed);
}

void tst_Calls::hostileJingleIsRefusedAndTheCallGoesOn()
{
    auto [outgoing, ringing] = connectCall(*m_alice, *m_bob);
    QVERIFY(outgoing && ringing);
    auto *aliceAnswers = new IqAnswers;
    m_alice->client().insertExtension(0, aliceAnswers);
    auto *carolAnswers = new IqAnswers;
    m_carol->client().insertExtension(0, carolAnswers);
    auto remove = qScopeGuard([&] {
        m_alice->client().removeExtension(aliceAnswers);
        m_carol->client().removeExtension(carolAnswers);
    });
    const QString bobDevice = outgoing->peerDevice();
    const QString terminate = QStringLiteral("<iq type='set' id='%1' to='%2'><jingle "
                                             "xmlns='urn:xmpp:jingle:1' action='session-terminate' sid='%3'>"
                                             "<reason><success/></reason></jingle></iq>");

    // Carol, a contact of Bob's too, tries to end Alice's call with Bob: it is not her session.
    QVERIFY(sendRaw(m_carol->client(), terminate.arg(u"hijack", bobDevice, ringing->id())));
    QTRY_VERIFY(!carolAnswers->answer(QStringLiteral("hijack")).isNull());
    QDomElement error =
        carolAnswers->answer(QStringLiteral("hijack")).firstChildElement(QStringLiteral("error"));
    QVERIFY(!error.firstChildElement(QStringLiteral("item-not-found")).isNull());
    QVERIFY(!error.firstChildElement(QStringLiteral("unknown-session")).isNull());

    // A session nobody has.
    QVERIFY(sendRaw(m_alice->client(), terminate.arg(u"unknown", bobDevice, QStringLiteral("no-such-call"))));
    QTRY_VERIFY(!aliceAnswers->answer(QStringLiteral("unknown")).isNull());
    error = aliceAnswers->answer(QStringLiteral("unknown")).firstChildElement(QStringLiteral("error"));
    QVERIFY(!error.firstChildElement(QStringLiteral("item-not-found")).isNull());

    // A second session-initiate in a running session is out of order; a malformed one is a bad request.
    QVERIFY(sendRaw(
        m_alice->client(),
        QStringLiteral("<iq type='set' id='again' to='%1'><jingle xmlns='urn:xmpp:jingle:1' "
                       "action='session-initiate' initiator='%2' sid='%3'><content creator='initiator' "
                       "name='0'><description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'>"
                       "<payload-type id='111' name='opus' clockrate='48000' channels='2'/>"
                       "</description><transport xmlns='urn:xmpp:jingle:transports:ice-udp:1' "
                       "ufrag='abcd' pwd='abcdefghijklmnopqrstuv'><fingerprint "
                       "xmlns='urn:xmpp:jingle:apps:dtls:0' hash='sha-256' setup='actpass'>"
                       "AA:BB</fingerprint></transport></content></jingle></iq>")
            .arg(bobDevice, m_alice->client().configuration().jid(), ringing->id())));
    QTRY_VERIFY(!aliceAnswers->answer(QStringLiteral("again")).isNull());
    QCOMPARE(aliceAnswers->answer(QStringLiteral("again")).attribute(QStringLiteral("type")), u"error");
    QVERIFY(
        sendRaw(m_alice->client(),
                QStringLiteral("<iq type='set' id='garbage' to='%1'><jingle xmlns='urn:xmpp:jingle:1' "
                               "action='transport-info' sid='%2'><content creator='initiator' name='0'>"
                               "<transport xmlns='urn:xmpp:jingle:transports:ice-udp:1'><candidate "
                               "component='1' foundation='1' generation='0' id='x' ip='not an address' "
                               "port='99999' priority='1' protocol='udp' type='host'/></transport></content>"
                               "</jingle></iq>")
                    .arg(bobDevice, ringing->id())));
    QTRY_VERIFY(!aliceAnswers->answer(QStringLiteral("garbage")).isNull());
    error = aliceAnswers->answer(QStringLiteral("garbage")).firstChildElement(QStringLiteral("error"));
    QVERIFY(!error.firstChildElement(QStringLiteral("bad-request")).isNull());

    // Through all of it the call went on.
    const auto heard = ringing->counters().audioBuffersReceived;
    QTRY_VERIFY_WITH_TIMEOUT(ringing->counters().audioBuffersReceived > heard + 20, 10000);
    QCOMPARE(ringing->state(), Call::State::Connected);
    QCOMPARE(outgoing->state(), Call::State::Connected);
}

void tst_Calls::anOfferWithoutDtlsIsRefused()
{
    // Carol starts a Jingle session straight away (no JMI), without a DTLS fingerprint: plain RTP.
    auto *carolAnswers = new IqAnswers;
    m_carol->client().insertExtension(0, carolAnswers);
    auto remove = qScopeGuard([&] { m_carol->client().removeExtension(carolAnswers); });
    QSignalSpy incoming(&m_bob->calls(), &CallService::incoming);
    QString bobDevice;
    for (const auto &resource : m_carol->presence().presence(m_bob->jid()).resources)
        bobDevice = m_bob->jid() + u'/' + resource.resource;
    QVERIFY(!bobDevice.isEmpty());
    const QString offer = QStringLiteral(
        "<iq type='set' id='plain' to='%1'><jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' "
        "initiator='%2' sid='plain-rtp'><content creator='initiator' name='audio'><description "
        "xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'><payload-type id='111' name='opus' "
        "clockrate='48000' "
        "channels='2'/></description><transport xmlns='urn:xmpp:jingle:transports:ice-udp:1' ufrag='abcd' "
        "pwd='abcdefghijklmnopqrstuv'><candidate component='1' foundation='1' generation='0' id='c1' "
        "ip='127.0.0.1' port='40000' priority='2130706431' protocol='udp' type='host'/></transport></content>"
        "</jingle></iq>");
    QVERIFY(sendRaw(m_carol->client(), offer.arg(bobDevice, m_carol->client().configuration().jid())));
    QTRY_VERIFY(!carolAnswers->answer(QStringLiteral("plain")).isNull());
    QCOMPARE(carolAnswers->answer(QStringLiteral("plain")).attribute(QStringLiteral("type")), u"result");
    // Bob's client ends the session at once with a security error, and nothing rings.
    QTRY_VERIFY2(carolAnswers->jingleActions().contains(u"session-terminate security-error"),
                 qPrintable(carolAnswers->jingleActions().join(u", ")));
    QTest::qWait(500);
    QVERIFY(incoming.isEmpty());
    QCOMPARE(m_bob->calls().currentCall(), nullptr);
}

void tst_Calls::strangersCannotCall()
{
    QString user;
    auto stranger = online(QStringLiteral("call-stranger"), &user);
    QVERIFY(stranger);
    QSignalSpy incoming(&m_bob->calls(), &CallService::incoming);
    // Without caps from Bob (no shared presence) the stranger's client would not offer a call; it tries
    // anyway.
    QPointer<Call> outgoing = stranger->calls().call(m_bob->jid(), false);
    QVERIFY(outgoing);
    QTest::qWait(2000);
    QVERIFY(incoming.isEmpty());
    QCOMPARE(m_bob->calls().currentCall(), nullptr);
    outgoing->hangUp();
}

QTEST_GUILESS_MAIN(tst_Calls)
#include "tst_calls.moc"
