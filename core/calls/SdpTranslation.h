// SPDX-License-Identifier: GPL-3.0-or-later
// Jingle RTP contents to SDP and back, for GStreamer's webrtcbin (as Conversations does with libwebrtc):
// a full WebRTC session description (UDP/TLS/RTP/SAVPF, mid, rtcp-mux, rtcp-fb, extmap, direction,
// fingerprint and setup, ICE credentials and candidates) and single "candidate:" lines for trickle ICE.
#pragma once

#include "RtpDescription.h"

#include <optional>

namespace Natter::Core::Calls {

// Who wrote a description: SDP directions are the writer's, Jingle senders are the session's.
enum class Party
{
    Initiator,
    Responder,
};

// The SDP of a Jingle description written by `writer`. The session id goes into the o= line.
QString toSdp(const RtpSession &session, Party writer, quint64 sessionId = 1);
// The Jingle contents of an SDP written by `writer` (the content names are the mids; every content gets
// creator "initiator"). nullopt with why in whyNot when the SDP lacks what a call needs (m= lines with
// mids, ICE credentials, a DTLS fingerprint) or is malformed.
std::optional<RtpSession> fromSdp(const QString &sdp, Party writer, QString *whyNot = nullptr);

// One trickled candidate as webrtcbin gives and takes it: "candidate:…" without "a=".
QString candidateToSdp(const IceCandidate &candidate);
std::optional<IceCandidate> candidateFromSdp(const QString &line);

} // namespace Natter::Core::Calls
