// SPDX-License-Identifier: GPL-3.0-or-later
// What a value read from a peer's Jingle or from SDP may look like before it goes into the other: bounds and
// syntax checks shared by RtpDescription and SdpTranslation.
#pragma once

#include <QHostAddress>
#include <QString>
#include <QStringList>
#include <algorithm>
#include <optional>

namespace Natter::Core::Calls::RtpSyntax {

constexpr int MaxContents = 8;
constexpr int MaxPayloadTypes = 32;
constexpr int MaxParameters = 32;
constexpr int MaxFeedback = 16;
constexpr int MaxHeaderExtensions = 32;
constexpr int MaxSources = 32;
constexpr int MaxSourceGroups = 16;
constexpr int MaxSsrcsPerGroup = 8;
constexpr int MaxCandidates = 32;
constexpr qsizetype MaxTokenLength = 256;
constexpr qsizetype MaxValueLength = 1024;

inline bool isAsciiDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

inline bool isAsciiAlphanumeric(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || isAsciiDigit(c);
}

// Control characters would split or forge SDP lines.
inline bool isText(const QString &value, qsizetype maxLength)
{
    return value.size() <= maxLength && std::none_of(value.cbegin(), value.cend(), [](QChar c) {
               return c.unicode() < 0x20 || c.unicode() == 0x7f;
           });
}

// Printable ASCII without spaces: what SDP tokens (mids, codec names, fmtp keys) may hold.
inline bool isToken(const QString &value, qsizetype maxLength = MaxTokenLength)
{
    return !value.isEmpty() && value.size() <= maxLength &&
           std::all_of(value.cbegin(), value.cend(),
                       [](QChar c) { return c.unicode() > 0x20 && c.unicode() < 0x7f; });
}

// A key or value of an a=fmtp line ("key=value;key=value"); values may hold '=' (base64 in H.264's
// sprop-parameter-sets), keys may not.
inline bool isFmtpValue(const QString &value)
{
    return isToken(value, MaxValueLength) && !value.contains(u';');
}

inline bool isFmtpKey(const QString &key)
{
    return isFmtpValue(key) && key.size() <= MaxTokenLength && !key.contains(u'=');
}

// RFC 8445 ice-char: ALPHA / DIGIT / "+" / "/".
inline bool isIceChars(const QString &value, qsizetype maxLength)
{
    return !value.isEmpty() && value.size() <= maxLength &&
           std::all_of(value.cbegin(), value.cend(),
                       [](QChar c) { return isAsciiAlphanumeric(c) || c == u'+' || c == u'/'; });
}

// Upper-case hex pairs joined by ':', 16 to 64 bytes (SHA-1 … SHA-512 give 20 … 64).
inline bool isFingerprintValue(const QString &value)
{
    const QStringList pairs = value.split(u':');
    return pairs.size() >= 16 && pairs.size() <= 64 &&
           std::all_of(pairs.cbegin(), pairs.cend(), [](const QString &pair) {
               return pair.size() == 2 && std::all_of(pair.cbegin(), pair.cend(), [](QChar c) {
                          return isAsciiDigit(c) || (c >= u'A' && c <= u'F');
                      });
           });
}

// sha-256, sha-1, …
inline bool isHashName(const QString &value)
{
    return !value.isEmpty() && value.size() <= 16 && std::all_of(value.cbegin(), value.cend(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || isAsciiDigit(c) || c == u'-';
    });
}

inline bool isSetupRole(const QString &value)
{
    return value == u"actpass" || value == u"active" || value == u"passive" || value == u"holdconn";
}

inline bool isCandidateType(const QString &value)
{
    return value == u"host" || value == u"srflx" || value == u"prflx" || value == u"relay";
}

// A literal IPv4 (dotted quad: QHostAddress would take "1.2.3" too) or IPv6 address; no host names, so no
// mDNS candidates.
inline bool isIpAddress(const QString &value)
{
    if (value.size() > 64)
        return false;
    if (!value.contains(u':')) {
        const QStringList parts = value.split(u'.');
        const bool dottedQuad =
            parts.size() == 4 && std::all_of(parts.cbegin(), parts.cend(), [](const QString &part) {
                return !part.isEmpty() && part.size() <= 3 &&
                       std::all_of(part.cbegin(), part.cend(), isAsciiDigit);
            });
        if (!dottedQuad)
            return false;
    }
    QHostAddress address;
    return address.setAddress(value) && (address.protocol() == QAbstractSocket::IPv4Protocol ||
                                         address.protocol() == QAbstractSocket::IPv6Protocol);
}

// Decimal digits only (no sign, no spaces), within [min, max].
inline std::optional<quint32> number(const QString &value, quint32 min, quint32 max)
{
    if (value.isEmpty() || value.size() > 10 || !std::all_of(value.cbegin(), value.cend(), isAsciiDigit))
        return std::nullopt;
    const qulonglong parsed = value.toULongLong();
    if (parsed < min || parsed > max)
        return std::nullopt;
    return quint32(parsed);
}

} // namespace Natter::Core::Calls::RtpSyntax
