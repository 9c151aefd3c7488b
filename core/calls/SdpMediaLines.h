// SPDX-License-Identifier: GPL-3.0-or-later
// The few facts MediaSession reads from an SDP it passes through: each m-line's kind, mid, DTLS fingerprint
// and codecs; and the SHA-256 fingerprint of a DTLS certificate.
#pragma once

#include "VideoFormat.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace Natter::Core::Calls {

struct SdpMediaLine
{
    QString kind; // "audio", "video", …
    QString mid;
    QList<SdpFormat> formats; // in the order the writer prefers
    QString fingerprint;      // the SHA-256 one of the m-line or else of the session, "AB:CD:…"
};

// The payload type of the first format with that encoding name (any case), or -1.
int payloadTypeOf(const SdpMediaLine &line, const QString &encoding);

// Empty when the text is no SDP.
QList<SdpMediaLine> sdpMediaLines(const QString &sdp);

// "AB:CD:…" (upper case) of the DER inside a PEM certificate; empty when there is none.
QString sha256FingerprintOfPem(const QByteArray &pem);

} // namespace Natter::Core::Calls
