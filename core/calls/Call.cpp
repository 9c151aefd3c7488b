// SPDX-License-Identifier: GPL-3.0-or-later
#include "Call.h"

#include "JingleMessage.h"
#include "SdpTranslation.h"
#include "common/Logging.h"
#include "filetransfer/JingleElements.h"

#include <QDomElement>
#include <QXmppClient.h>
#include <QXmppConfiguration.h>
#include <QXmppError.h>
#include <QXmppTask.h>
#include <QXmppUtils.h>

namespace Natter::Core::Calls {

namespace {

// How long a call rings before it counts as unanswered (Conversations and Dino ring for about a minute).
constexpr int RingingTimeoutMs = 60'000;
// From answering to media flowing: ICE checks and the DTLS handshake take a second or two on a working
// network; past this, the call failed and the user hears so in well under 20 seconds.
constexpr int ConnectTimeoutMs = 15'000;
// An established call that lost its path may come back (ICE consent, a network change) for this long.
constexpr int RecoveryTimeoutMs = 20'000;

QString jingleReasonFor(const Error &error)
{
    switch (error.code) {
    case Error::Code::CallSecurityFailed:
        return QStringLiteral("security-error");
    case Error::Code::CallConnectionFailed:
        return QStringLiteral("connectivity-error");
    case Error::Code::MediaPipelineFailed:
        return QStringLiteral("media-error");
    default:
        return QStringLiteral("failed-application");
    }
}

} // namespace

bool Call::isSecured(const RtpSession &session)
{
    for (const RtpContent &content : session.contents)
        if (content.hasDescription() && (!content.transport || !content.transport->fingerprint))
            return false;
    return !session.contents.isEmpty();
}

Call::Call(Direction direction, const Context &context, QString peerBareJid, QString id, bool video,
           QObject *parent)
    : QObject(parent)
    , m_direction(direction)
    , m_context(context)
    , m_peer(std::move(peerBareJid))
    , m_id(std::move(id))
    , m_video(video)
    , m_startedAt(QDateTime::currentDateTimeUtc())
{
    m_context.media.video = video;
    m_answerTimer.setSingleShot(true);
    m_answerTimer.setInterval(RingingTimeoutMs);
    connect(&m_answerTimer, &QTimer::timeout, this, [this] {
        if (m_direction == Direction::Outgoing) {
            sendJingleMessage(m_peer, {JingleMessage::Type::Retract, m_id, {}, QStringLiteral("cancel")});
            end(EndReason::NoAnswer, {});
        } else {
            end(EndReason::Missed, {});
        }
    });
    m_connectTimer.setSingleShot(true);
    m_connectTimer.setInterval(ConnectTimeoutMs);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        end(EndReason::Failed, QStringLiteral("connectivity-error"),
            Error(Error::Code::CallConnectionFailed,
                  QStringLiteral("no connection after %1 s").arg(ConnectTimeoutMs / 1000)));
    });
    m_recoveryTimer.setSingleShot(true);
    m_recoveryTimer.setInterval(RecoveryTimeoutMs);
    connect(&m_recoveryTimer, &QTimer::timeout, this, [this] {
        end(EndReason::Failed, QStringLiteral("connectivity-error"),
            Error(Error::Code::CallConnectionFailed, QStringLiteral("the connection was lost")));
    });
}

Call::~Call() = default;

qint64 Call::durationMs() const
{
    if (!m_connectedAt.isValid())
        return 0;
    return m_connectedAt.msecsTo(
        m_state == State::Ended && m_endedAt.isValid() ? m_endedAt : QDateTime::currentDateTimeUtc());
}

MediaSession::Counters Call::counters() const
{
    return m_media ? m_media->counters() : MediaSession::Counters{};
}

void Call::begin(const QString &callerDevice)
{
    if (m_direction == Direction::Outgoing) {
        QStringList media{QStringLiteral("audio")};
        if (m_video)
            media.append(QStringLiteral("video"));
        sendJingleMessage(m_peer, {JingleMessage::Type::Propose, m_id, media, {}});
        setState(State::Proposing);
    } else {
        m_peerDevice = callerDevice;
        m_initiator = callerDevice;
        if (m_viaJmi)
            sendJingleMessage(m_peerDevice, {JingleMessage::Type::Ringing, m_id, {}, {}});
        setState(State::Ringing);
    }
    m_answerTimer.start();
}

void Call::accept()
{
    if (m_direction != Direction::Incoming || m_state != State::Ringing)
        return;
    m_answerTimer.stop();
    setState(State::Connecting);
    m_connectTimer.start();
    if (m_viaJmi)
        sendJingleMessage(m_peerDevice, {JingleMessage::Type::Proceed, m_id, {}, {}});
    if (m_pendingOffer) {
        createMedia();
        applyRemoteDescription(m_pendingOffer->session, true);
        m_pendingOffer.reset();
    }
}

void Call::decline()
{
    if (m_direction != Direction::Incoming || m_state != State::Ringing)
        return;
    if (m_viaJmi)
        sendJingleMessage(m_peerDevice, {JingleMessage::Type::Reject, m_id, {}, QStringLiteral("decline")});
    end(EndReason::Declined, m_viaJmi ? QString() : QStringLiteral("decline"));
}

void Call::hangUp()
{
    switch (m_state) {
    case State::Proposing:
    case State::Ringing:
        if (m_direction == Direction::Incoming)
            return decline();
        sendJingleMessage(m_peer, {JingleMessage::Type::Retract, m_id, {}, QStringLiteral("cancel")});
        return end(EndReason::Cancelled, {});
    case State::Connecting:
    case State::Connected:
        return end(EndReason::HungUp, QStringLiteral("success"));
    case State::Ended:
        return;
    }
}

void Call::setMicrophoneMuted(bool muted)
{
    if (m_microphoneMuted == muted)
        return;
    m_microphoneMuted = muted;
    if (m_media)
        m_media->setMicrophoneMuted(muted);
    if (m_sessionSent)
        sendSessionInfo(muted ? QStringLiteral("mute") : QStringLiteral("unmute"),
                        m_localSession.contents.value(0).name);
    Q_EMIT microphoneMutedChanged(muted);
}

void Call::setCameraEnabled(bool enabled)
{
    if (m_cameraEnabled == enabled)
        return;
    m_cameraEnabled = enabled;
    if (m_media)
        m_media->setCameraEnabled(enabled);
    Q_EMIT cameraEnabledChanged(enabled);
}

void Call::handleJingleMessage(const JingleMessage &message, const QString &from, bool ownDevice)
{
    using Type = JingleMessage::Type;
    if (m_state == State::Ended)
        return;
    if (ownDevice) {
        // What another device of ours said about a call ringing here.
        if (m_direction == Direction::Incoming && m_state == State::Ringing && message.type == Type::Proceed)
            end(EndReason::AnsweredElsewhere, {});
        else if (m_direction == Direction::Incoming && m_state == State::Ringing &&
                 message.type == Type::Reject)
            end(EndReason::DeclinedElsewhere, {});
        return;
    }
    const bool sessionStarted = m_state == State::Connecting || m_state == State::Connected;
    switch (message.type) {
    case Type::Ringing:
        if (m_direction == Direction::Outgoing && m_state == State::Proposing)
            setState(State::Ringing);
        return;
    case Type::Proceed:
        if (m_direction == Direction::Outgoing && !sessionStarted)
            startSession(from);
        return;
    case Type::Reject:
        if (m_direction == Direction::Outgoing && !sessionStarted)
            end(message.reason == u"busy" ? EndReason::Busy : EndReason::RemoteDeclined, {});
        return;
    case Type::Retract:
        if (m_direction == Direction::Incoming && from == m_peerDevice)
            end(m_state == State::Connected ? EndReason::RemoteHungUp : EndReason::Missed, {});
        return;
    case Type::Finish:
        if (from == m_peerDevice && sessionStarted)
            endAsTheyEndedIt(message.reason);
        return;
    case Type::Propose:
        return;
    }
}

void Call::handleMessageError(const QString &condition)
{
    if (m_state == State::Proposing || m_state == State::Ringing)
        end(EndReason::Failed, {}, Error(Error::Code::CallRefused, condition));
}

QString Call::handleJingle(const RtpAction &action, const QString &from)
{
    Q_UNUSED(from)
    if (m_state == State::Ended)
        return QStringLiteral("unknown-session");
    if (action.action == u"session-initiate") {
        if (m_direction != Direction::Incoming || m_media || m_state != State::Connecting)
            return QStringLiteral("out-of-order");
        if (!isSecured(action.session)) {
            QTimer::singleShot(0, this, [this] {
                end(EndReason::Failed, QStringLiteral("security-error"),
                    Error(Error::Code::CallSecurityFailed,
                          QStringLiteral("the offer has no DTLS fingerprint")));
            });
            return {};
        }
        m_initiator = action.initiator.isEmpty() ? m_peerDevice : action.initiator;
        createMedia();
        applyRemoteDescription(action.session, true);
        return {};
    }
    if (action.action == u"session-accept") {
        if (m_direction != Direction::Outgoing || m_state != State::Connecting || !m_sessionSent ||
            m_answered)
            return QStringLiteral("out-of-order");
        m_answered = true;
        if (!isSecured(action.session)) {
            QTimer::singleShot(0, this, [this] {
                end(EndReason::Failed, QStringLiteral("security-error"),
                    Error(Error::Code::CallSecurityFailed,
                          QStringLiteral("the answer has no DTLS fingerprint")));
            });
            return {};
        }
        applyRemoteDescription(action.session, false);
        return {};
    }
    if (action.action == u"transport-info") {
        if (!m_media)
            return QStringLiteral("out-of-order");
        addRemoteCandidates(action.session);
        return {};
    }
    if (action.action == u"session-terminate") {
        const QString &reason = action.reason;
        QTimer::singleShot(0, this, [this, reason] { endAsTheyEndedIt(reason); });
        return {};
    }
    if (action.action == u"session-info") {
        if (action.info == u"mute" || action.info == u"unmute")
            Q_EMIT remoteMuteChanged(action.info == u"mute");
        return {};
    }
    return QStringLiteral("feature-not-implemented");
}

void Call::startSession(const QString &device)
{
    m_answerTimer.stop();
    m_peerDevice = device;
    m_initiator = ownJid();
    setState(State::Connecting);
    m_connectTimer.start();
    createMedia();
    m_media->createOffer();
}

void Call::ringWithOffer(const QString &device, const RtpAction &initiate)
{
    m_viaJmi = false;
    m_pendingOffer = initiate;
    begin(device);
    m_initiator = initiate.initiator.isEmpty() ? device : initiate.initiator;
}

// Their session-terminate and their <finish/> carry the same reason; whichever comes first ends the call.
void Call::endAsTheyEndedIt(const QString &reason)
{
    if (reason == u"decline")
        end(EndReason::RemoteDeclined, {});
    else if (reason == u"busy")
        end(EndReason::Busy, {});
    else if (reason == u"success" || reason == u"gone" || reason == u"cancel" || reason.isEmpty())
        end(EndReason::RemoteHungUp, {});
    else if (reason == u"security-error")
        end(EndReason::Failed, {}, Error(Error::Code::CallSecurityFailed, reason));
    else
        end(EndReason::Failed, {}, Error(Error::Code::CallConnectionFailed, reason));
}

void Call::endAsTieBroken()
{
    end(EndReason::Crossed, {});
}

void Call::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void Call::end(EndReason reason, const QString &jingleReason, const Error &error)
{
    if (m_state == State::Ended)
        return;
    const bool hadSession = m_state == State::Connecting || m_state == State::Connected;
    if (!jingleReason.isEmpty() && (hadSession || !m_viaJmi) && !m_peerDevice.isEmpty()) {
        RtpAction terminate = action(QStringLiteral("session-terminate"));
        terminate.reason = jingleReason;
        sendJingle(terminate);
    }
    // Both sides send <finish/> so every device and archive knows the call is over (XEP-0353).
    if (hadSession && m_viaJmi && !m_peerDevice.isEmpty()) {
        const bool success = reason != EndReason::Failed;
        sendJingleMessage(m_peerDevice, {JingleMessage::Type::Finish,
                                         m_id,
                                         {},
                                         success ? QStringLiteral("success") : jingleReasonFor(error)});
    }
    m_answerTimer.stop();
    m_connectTimer.stop();
    m_recoveryTimer.stop();
    m_endReason = reason;
    m_error = error;
    m_endedAt = QDateTime::currentDateTimeUtc();
    if (error.isError())
        qCInfo(lcCalls) << "call" << m_id << "with" << m_peer << "failed:" << error.codeName()
                        << error.detail;
    if (m_media) {
        const MediaSession::Counters media = m_media->counters();
        qCInfo(lcCalls).nospace() << "call " << m_id << " with " << m_peer << " ended: audio buffers "
                                  << media.audioBuffersSent << " sent, " << media.audioBuffersReceived
                                  << " decoded; video frames " << media.videoFramesSent << " sent, "
                                  << media.videoFramesReceived << " decoded; SRTP " << media.srtp << ", via "
                                  << media.candidateType;
    }
    // Every GStreamer element, libnice agent and socket goes now, not when the call object does.
    m_media.reset();
    setState(State::Ended);
    Q_EMIT ended(reason);
}

void Call::sendJingleMessage(const QString &to, const JingleMessage &message)
{
    if (m_context.client->state() == QXmppClient::ConnectedState)
        m_context.client->sendPacket(jingleMessageStanza(to, message));
}

void Call::sendJingle(RtpAction action, std::function<void(const QString &)> onError)
{
    const QString what = action.action;
    m_context.client->sendIq(Jingle::PayloadIq(m_peerDevice, toElement(action)))
        .then(this, [this, what, onError](QXmppClient::IqResult &&result) {
            const auto *error = std::get_if<QXmppError>(&result);
            if (!error || m_state == State::Ended)
                return;
            qCInfo(lcCalls) << m_peerDevice << "refused" << what << "of call" << m_id << error->description;
            if (onError)
                onError(error->description);
        });
}

void Call::createMedia()
{
    m_media = std::make_unique<MediaSession>(m_context.media);
    m_media->setMicrophoneMuted(m_microphoneMuted);
    m_media->setCameraEnabled(m_cameraEnabled);
    connect(m_media.get(), &MediaSession::localDescription, this, &Call::onLocalDescription);
    connect(m_media.get(), &MediaSession::localCandidate, this, &Call::onLocalCandidate);
    connect(m_media.get(), &MediaSession::stateChanged, this, &Call::onMediaState);
    connect(m_media.get(), &MediaSession::remoteFrame, this, &Call::remoteFrame);
    connect(m_media.get(), &MediaSession::localFrame, this, &Call::localFrame);
    connect(m_media.get(), &MediaSession::failed, this,
            [this](const Error &error) { end(EndReason::Failed, jingleReasonFor(error), error); });
}

void Call::onLocalDescription(const QString &sdp)
{
    const Party writer = m_direction == Direction::Outgoing ? Party::Initiator : Party::Responder;
    QString whyNot;
    const auto session = fromSdp(sdp, writer, &whyNot);
    if (!session) {
        return end(EndReason::Failed, QStringLiteral("media-error"),
                   Error(Error::Code::MediaPipelineFailed, QStringLiteral("unusable local SDP: ") + whyNot));
    }
    m_localSession = *session;
    RtpAction description = action(m_direction == Direction::Outgoing ? QStringLiteral("session-initiate")
                                                                      : QStringLiteral("session-accept"));
    description.session = *session;
    sendJingle(description, [this](const QString &condition) {
        end(EndReason::Failed, {}, Error(Error::Code::CallRefused, condition));
    });
    m_sessionSent = true;
    if (m_microphoneMuted)
        sendSessionInfo(QStringLiteral("mute"), m_localSession.contents.value(0).name);
    flushLocalCandidates();
}

void Call::onLocalCandidate(const QString &mid, const QString &candidate)
{
    m_localCandidates.append({mid, candidate});
    if (m_sessionSent)
        flushLocalCandidates();
}

void Call::flushLocalCandidates()
{
    const auto candidates = std::exchange(m_localCandidates, {});
    for (const auto &[mid, line] : candidates) {
        const auto candidate = candidateFromSdp(line);
        if (!candidate) {
            qCDebug(lcCalls) << "skipping a local candidate we cannot describe:" << line;
            continue;
        }
        RtpContent content;
        content.name = mid;
        IceTransport transport;
        for (const RtpContent &local : std::as_const(m_localSession.contents)) {
            if (local.name == mid && local.transport) {
                transport.ufrag = local.transport->ufrag;
                transport.pwd = local.transport->pwd;
            }
        }
        transport.candidates.append(*candidate);
        content.transport = transport;
        RtpAction info = action(QStringLiteral("transport-info"));
        info.session.contents.append(content);
        sendJingle(info);
    }
}

void Call::onMediaState(MediaSession::State state)
{
    switch (state) {
    case MediaSession::State::Connected:
        m_connectTimer.stop();
        m_recoveryTimer.stop();
        if (m_reconnecting) {
            m_reconnecting = false;
            Q_EMIT reconnectingChanged(false);
        }
        if (m_state == State::Connecting) {
            m_connectedAt = QDateTime::currentDateTimeUtc();
            setState(State::Connected);
        }
        return;
    case MediaSession::State::Reconnecting:
        if (m_state == State::Connected && !m_reconnecting) {
            m_reconnecting = true;
            m_recoveryTimer.start();
            Q_EMIT reconnectingChanged(true);
        }
        return;
    case MediaSession::State::Failed:
        // failed() says why; without it, ICE gave up.
        QTimer::singleShot(0, this, [this] {
            end(EndReason::Failed, QStringLiteral("connectivity-error"),
                Error(Error::Code::CallConnectionFailed, QStringLiteral("ICE failed")));
        });
        return;
    default:
        return;
    }
}

void Call::applyRemoteDescription(const RtpSession &session, bool isOffer)
{
    const Party writer = m_direction == Direction::Outgoing ? Party::Responder : Party::Initiator;
    for (const RtpContent &content : session.contents)
        if (content.transport && content.transport->fingerprint)
            m_media->expectRemoteFingerprint(content.name, content.transport->fingerprint->value);
    m_media->setRemoteDescription(toSdp(session, writer), isOffer);
}

void Call::addRemoteCandidates(const RtpSession &session)
{
    for (const RtpContent &content : session.contents) {
        if (!content.transport)
            continue;
        for (const IceCandidate &candidate : content.transport->candidates)
            m_media->addRemoteCandidate(content.name, candidateToSdp(candidate));
    }
}

void Call::sendSessionInfo(const QString &info, const QString &name)
{
    RtpAction sessionInfo = action(QStringLiteral("session-info"));
    sessionInfo.info = info;
    sessionInfo.infoName = name;
    sendJingle(sessionInfo);
}

QString Call::ownJid() const
{
    return m_context.client->configuration().jid();
}

RtpAction Call::action(const QString &name) const
{
    RtpAction action;
    action.action = name;
    action.sid = m_id;
    action.initiator = m_initiator;
    if (name == u"session-accept")
        action.responder = ownJid();
    return action;
}

} // namespace Natter::Core::Calls
