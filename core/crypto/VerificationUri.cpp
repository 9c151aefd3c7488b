// SPDX-License-Identifier: GPL-3.0-or-later
#include "VerificationUri.h"

#include "common/JidValidator.h"

#include <QRegularExpression>
#include <QUrl>

namespace Natter::Core {

namespace {

const QString Scheme = QStringLiteral("xmpp:");
const QString DeviceParameter = QStringLiteral("omemo-sid-");

QString percentDecoded(QStringView text)
{
    return QUrl::fromPercentEncoding(text.toUtf8());
}

// "omemo-sid-N" and 64 hex digits; nullopt for anything else.
std::optional<VerificationUri::Device> deviceOf(const QString &key, const QString &value)
{
    static const QRegularExpression idPattern(QStringLiteral("^[0-9]{1,10}$"));
    static const QRegularExpression keyPattern(QStringLiteral("^[0-9A-Fa-f]{64}$"));
    const QString idText = key.mid(DeviceParameter.size());
    if (!idPattern.match(idText).hasMatch() || !keyPattern.match(value).hasMatch())
        return std::nullopt;
    bool ok = false;
    const uint id = idText.toUInt(&ok);
    if (!ok || id == 0)
        return std::nullopt;
    return VerificationUri::Device{id, QByteArray::fromHex(value.toLatin1())};
}

} // namespace

std::optional<VerificationUri> VerificationUri::parse(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (!trimmed.startsWith(Scheme, Qt::CaseInsensitive))
        return std::nullopt;
    QStringView rest = QStringView(trimmed).mid(Scheme.size());
    // The authority form (xmpp://account/…) names who acts, not whose keys these are.
    if (rest.startsWith(u"//"))
        return std::nullopt;
    if (const auto fragment = rest.indexOf(u'#'); fragment >= 0)
        rest = rest.left(fragment);
    const auto queryStart = rest.indexOf(u'?');
    const QString jid = percentDecoded(queryStart >= 0 ? rest.left(queryStart) : rest);
    if (jid.contains(u'/') || JidValidator::checkJid(jid) != JidValidator::Problem::None)
        return std::nullopt;

    VerificationUri uri;
    uri.jid = JidValidator::normalizedBareJid(jid);
    if (uri.jid.isEmpty() || queryStart < 0)
        return std::nullopt;
    // key=value pairs separated by ';' (RFC 5122); a pair without '=' is the action ("message", "roster").
    for (const QStringView pair : rest.mid(queryStart + 1).split(u';', Qt::SkipEmptyParts)) {
        const auto equals = pair.indexOf(u'=');
        if (equals < 0)
            continue;
        const QString key = percentDecoded(pair.left(equals));
        if (!key.startsWith(DeviceParameter))
            continue;
        const auto device = deviceOf(key, percentDecoded(pair.mid(equals + 1)));
        if (!device)
            continue;
        const auto known = std::find_if(uri.devices.cbegin(), uri.devices.cend(),
                                        [&device](const Device &other) { return other.id == device->id; });
        if (known == uri.devices.cend())
            uri.devices.append(*device);
        else if (known->identityKey != device->identityKey)
            return std::nullopt; // two keys for one device: nothing here can be relied on
    }
    if (uri.devices.isEmpty())
        return std::nullopt;
    return uri;
}

QString VerificationUri::toString() const
{
    QStringList parameters;
    for (const Device &device : devices)
        parameters.append(DeviceParameter + QString::number(device.id) + u'=' +
                          QString::fromLatin1(device.identityKey.toHex()));
    QString text = Scheme + QString::fromLatin1(QUrl::toPercentEncoding(jid, "@"));
    if (!parameters.isEmpty())
        text += u'?' + parameters.join(u';');
    return text;
}

} // namespace Natter::Core
