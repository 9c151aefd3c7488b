// SPDX-License-Identifier: GPL-3.0-or-later
// The xmpp: URI a verification QR code carries, as Conversations writes it:
//   xmpp:alice@example.org?omemo-sid-1234=<64 hex digits>;omemo-sid-5678=<64 hex digits>
// one omemo-sid-N parameter per device id N, with the device's Curve25519 identity key in hex.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <optional>

namespace Natter::Core {

struct VerificationUri
{
    struct Device
    {
        uint32_t id = 0;
        QByteArray identityKey; // 32-byte Curve25519 form
        friend bool operator==(const Device &, const Device &) = default;
    };

    QString jid; // bare
    QList<Device> devices;

    // nullopt when text is not an xmpp: URI with a valid bare JID and at least one well-formed
    // omemo-sid-N parameter; other query parameters (an action such as "message", "roster") are ignored.
    static std::optional<VerificationUri> parse(const QString &text);
    QString toString() const;

    friend bool operator==(const VerificationUri &, const VerificationUri &) = default;
};

} // namespace Natter::Core
