// SPDX-License-Identifier: GPL-3.0-or-later
// OMEMO identity keys as people compare them. Both versions are shown in one form, the 32-byte Curve25519
// key in eight groups of eight hex digits, as Conversations, Dino and Gajim show legacy OMEMO fingerprints;
// an OMEMO 2 (Ed25519) key is converted to it, so a device speaking both versions has one fingerprint.
#pragma once

#include <QByteArray>
#include <QString>

namespace Natter::Core::Fingerprint {

// The Curve25519 (Montgomery u) form of an Ed25519 public key; empty when key is not 32 bytes or not a
// valid point encoding.
QByteArray curveFromEd25519(const QByteArray &ed25519Key);
// "1a2b3c4d 5e6f…": lowercase hex of a 32-byte key in eight groups of eight.
QString grouped(const QByteArray &curveKey);
// A fingerprint typed, pasted or scanned: hex with any spaces, colons or dashes, any case, with or without
// the leading 05 type byte; the 32-byte key, or empty when text is not one.
QByteArray parse(const QString &text);

} // namespace Natter::Core::Fingerprint
