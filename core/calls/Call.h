// SPDX-License-Identifier: GPL-3.0-or-later
// One audio or video call with one contact: the Jingle Message Initiation exchange that rings their
// devices, then the Jingle RTP session (XEP-0166/0167, ICE-UDP with DTLS-SRTP) with the device that
// answered, and its media. CallService routes stanzas to it and creates it; the UI drives it.
#pragma once

#include "MediaSession.h"
#include "RtpDescription.h"
#include "common/Error.h"

#include <QDateTime>
#include <QObject>
#include <QTimer>
#include <functional>
#include <memory>

class QXmppClient;

namespace Natter::Core::Calls {

struct JingleMessage;

class Call : public QObject
{
    Q_OBJECT
public:
    enum class Direction
    {
        Outgoing,
        Incoming,
    };
    Q_ENUM(Direction)

    enum class State
    {
        Proposing,  // outgoing: their devices were asked; none rings yet
        Ringing,    // outgoing: a device of theirs rings; incoming: ours rings, waiting for accept()
        Connecting, // answered: negotiating and connecting the media
        Connected,  // media flows
        Ended,
    };
    Q_ENUM(State)

    enum class EndReason
    {
        None,
        HungUp,            // we ended it
        RemoteHungUp,      // they ended it
        Declined,          // we declined
        RemoteDeclined,    // they declined
        Busy,              // they were in another call
        Cancelled,         // we took back our proposal before anyone answered
        Crossed,           // we called each other at once and their call went on (XEP-0353 tie-breaking)
        Missed,            // they took back their proposal, or nobody answered in time
        NoAnswer,          // our proposal was not answered in time
        AnsweredElsewhere, // another device of ours answered
        DeclinedElsewhere, // another device of ours declined
        Failed,            // see error()
    };
    Q_ENUM(EndReason)

    // What the call needs from its account.
    struct Context
    {
        QXmppClient *client = nullptr;
        MediaSession::Settings media;
    };

    // Whether every medium of a description carries a DTLS fingerprint: calls without DTLS-SRTP are refused.
    static bool isSecured(const RtpSession &session);

    Call(Direction direction, const Context &context, QString peerBareJid, QString id, bool video,
         QObject *parent = nullptr);
    ~Call() override;

    Direction direction() const { return m_direction; }
    State state() const { return m_state; }
    EndReason endReason() const { return m_endReason; }
    Error error() const { return m_error; }
    QString id() const { return m_id; }
    QString peer() const { return m_peer; }
    // The device the call runs with, once one answered (or the caller's device for incoming calls).
    QString peerDevice() const { return m_peerDevice; }
    bool hasVideo() const { return m_video; }
    QDateTime startedAt() const { return m_startedAt; }
    QDateTime connectedAt() const { return m_connectedAt; }
    // Zero until connected.
    qint64 durationMs() const;
    // True while the media lost its connection and tries to recover.
    bool isReconnecting() const { return m_reconnecting; }
    // Counters of the media, once it exists.
    MediaSession::Counters counters() const;
    MediaSession *media() const { return m_media.get(); }

    // Incoming, ringing: answer on this device (the others stop ringing) or decline on all of them.
    void accept();
    void decline();
    // Ends the call in whatever state (cancels a proposal, declines a ringing call, hangs up).
    void hangUp();
    void setMicrophoneMuted(bool muted);
    bool isMicrophoneMuted() const { return m_microphoneMuted; }
    void setCameraEnabled(bool enabled);
    bool isCameraEnabled() const { return m_cameraEnabled; }

    // From CallService: a JMI message about this call from `from`, already checked to be the peer or one of
    // our own devices (carbon copies of what they sent are marked ownDevice).
    void handleJingleMessage(const JingleMessage &message, const QString &from, bool ownDevice);
    // A JMI message of ours came back as an error (the peer's server refused it).
    void handleMessageError(const QString &condition);
    // A Jingle action of this session from peerDevice(). Returns the IQ error condition to answer with, or
    // an empty string for a result.
    QString handleJingle(const RtpAction &action, const QString &from);
    // Outgoing, proposing: start a Jingle session with the device that answered (also used internally).
    void startSession(const QString &device);
    // Incoming without JMI (a bare session-initiate): ring with that offer.
    void ringWithOffer(const QString &device, const RtpAction &initiate);
    // Their proposal crossed ours and won the tie-break: ours ends, theirs goes on in its place.
    void endAsTieBroken();

    // Sends our proposal (outgoing) or "ringing" (incoming) once the call is set up.
    void begin(const QString &callerDevice = {});

Q_SIGNALS:
    void stateChanged(Natter::Core::Calls::Call::State state);
    void reconnectingChanged(bool reconnecting);
    void microphoneMutedChanged(bool muted);
    void cameraEnabledChanged(bool enabled);
    // The other side muted or unmuted (XEP-0167 session-info).
    void remoteMuteChanged(bool muted);
    void remoteFrame(const Natter::Core::PreviewFrame &frame);
    void localFrame(const Natter::Core::PreviewFrame &frame);
    void ended(Natter::Core::Calls::Call::EndReason reason);

private:
    // The other side ended the session with that Jingle reason.
    void endAsTheyEndedIt(const QString &reason);
    void setState(State state);
    void end(EndReason reason, const QString &jingleReason, const Error &error = {});
    void sendJingleMessage(const QString &to, const JingleMessage &message);
    void sendJingle(RtpAction action, std::function<void(const QString &)> onError = {});
    void createMedia();
    void onLocalDescription(const QString &sdp);
    void onLocalCandidate(const QString &mid, const QString &candidate);
    void flushLocalCandidates();
    void onMediaState(MediaSession::State state);
    void applyRemoteDescription(const RtpSession &session, bool isOffer);
    void addRemoteCandidates(const RtpSession &session);
    void sendSessionInfo(const QString &info, const QString &name = {});
    QString ownJid() const;
    RtpAction action(const QString &name) const;

    const Direction m_direction;
    Context m_context;
    const QString m_peer;
    const QString m_id;
    const bool m_video;
    QString m_peerDevice;
    QString m_initiator; // full JID
    State m_state = State::Proposing;
    EndReason m_endReason = EndReason::None;
    Error m_error;
    QDateTime m_startedAt;
    QDateTime m_connectedAt;
    QDateTime m_endedAt;
    bool m_reconnecting = false;
    bool m_microphoneMuted = false;
    bool m_cameraEnabled = true;
    bool m_viaJmi = true;

    std::unique_ptr<MediaSession> m_media;
    std::optional<RtpAction> m_pendingOffer; // a session-initiate that arrived before accept()
    RtpSession m_localSession;               // what we described (credentials for transport-info)
    bool m_sessionSent = false;              // session-initiate or session-accept went out
    bool m_answered = false;                 // outgoing: the session-accept came
    QList<std::pair<QString, QString>> m_localCandidates; // mid, candidate: waiting for that
    QTimer m_answerTimer;                                 // ringing too long
    QTimer m_connectTimer;                                // ICE and DTLS too long
    QTimer m_recoveryTimer;                               // reconnecting too long
};

} // namespace Natter::Core::Calls
