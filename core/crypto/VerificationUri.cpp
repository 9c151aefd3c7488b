// SPDX-License-Identifier: GPL-3.0-or-later
#include "VerificationUri.h"

#include "common/JidValidator.h"
#include "common/XmppUri.h"

#include <QRegularExpression>
#include <QUrl>

namespace Natter::Core {

namespace {

const QString Scheme = QStringLiteral("xmpp:");
const QString DeviceParameter = QStringLiteral("omemo-sid-");

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
    const auto parsed = XmppUri::parse(text);
    if (!parsed || parsed->jid.contains(u'/'))
        return std::nullopt;
    VerificationUri uri;
    uri.jid = JidValidator::normalizedBareJid(parsed->jid);
    if (uri.jid.isEmpty())
        return std::nullopt;
    for (const auto &[key, value] : parsed->parameters) {
        if (!key.startsWith(DeviceParameter))
            continue;
        const auto device = deviceOf(key, value);
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
