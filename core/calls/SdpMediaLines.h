// SPDX-License-Identifier: GPL-3.0-or-later
// The few facts MediaSession reads from an SDP it passes through: each m-line's kind, mid, DTLS fingerprint
// and the payload type of the codec we send; and the SHA-256 fingerprint of a DTLS certificate.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace Natter::Core::Calls {

struct SdpMediaLine
{
    QString kind; // "audio", "video", …
    QString mid;
    int payloadType = -1; // of Opus for audio, VP8 for video; -1 when the line offers neither
    QString fingerprint;  // the SHA-256 one of the m-line or else of the session, "AB:CD:…"
};

// Empty when the text is no SDP.
QList<SdpMediaLine> sdpMediaLines(const QString &sdp);

// "AB:CD:…" (upper case) of the DER inside a PEM certificate; empty when there is none.
QString sha256FingerprintOfPem(const QByteArray &pem);

} // namespace Natter::Core::Calls
