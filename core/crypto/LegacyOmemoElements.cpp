// SPDX-License-Identifier: GPL-3.0-or-later
#include "LegacyOmemoElements.h"

#include <QDomElement>
#include <QXmlStreamWriter>

namespace Natter::Core::LegacyOmemo {

namespace {

std::optional<uint32_t> deviceId(const QString &text)
{
    bool ok = false;
    const uint32_t id = text.toUInt(&ok);
    // Signal registration ids, and so device ids, are 31-bit and never 0.
    if (!ok || id == 0 || id > 0x7fffffffu)
        return std::nullopt;
    return id;
}

std::optional<QByteArray> base64(const QString &text)
{
    auto decoded =
        QByteArray::fromBase64Encoding(text.trimmed().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.isEmpty())
        return std::nullopt;
    return *decoded;
}

QString toBase64(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes.toBase64());
}

bool isOurs(const QDomElement &element, QStringView name)
{
    return element.tagName() == name && element.namespaceURI() == Namespace;
}

QDomElement child(const QDomElement &parent, const QString &name)
{
    return parent.firstChildElement(name);
}

} // namespace

QString bundleNode(uint32_t deviceId)
{
    return BundleNodePrefix.toString() + QString::number(deviceId);
}

std::optional<DeviceList> DeviceList::parse(const QDomElement &element)
{
    if (!isOurs(element, u"list"))
        return std::nullopt;
    DeviceList list;
    for (auto device = element.firstChildElement(QStringLiteral("device")); !device.isNull();
         device = device.nextSiblingElement(QStringLiteral("device"))) {
        if (const auto id = deviceId(device.attribute(QStringLiteral("id")));
            id && !list.deviceIds.contains(*id))
            list.deviceIds.append(*id);
    }
    return list;
}

void DeviceList::toXml(QXmlStreamWriter *writer) const
{
    writer->writeStartElement(QStringLiteral("list"));
    writer->writeDefaultNamespace(Namespace.toString());
    for (const uint32_t id : deviceIds) {
        writer->writeStartElement(QStringLiteral("device"));
        writer->writeAttribute(QStringLiteral("id"), QString::number(id));
        writer->writeEndElement();
    }
    writer->writeEndElement();
}

std::optional<Bundle> Bundle::parse(const QDomElement &element)
{
    if (!isOurs(element, u"bundle"))
        return std::nullopt;
    Bundle bundle;
    const auto signedPreKey = child(element, QStringLiteral("signedPreKeyPublic"));
    const auto signedPublic = base64(signedPreKey.text());
    const auto signature = base64(child(element, QStringLiteral("signedPreKeySignature")).text());
    const auto identity = base64(child(element, QStringLiteral("identityKey")).text());
    // Signed pre-key id 0 is legal (Conversations starts there), unlike device id 0.
    bool idOk = false;
    bundle.signedPreKeyId = signedPreKey.attribute(QStringLiteral("signedPreKeyId")).toUInt(&idOk);
    if (!idOk || !signedPublic || !signature || !identity)
        return std::nullopt;
    bundle.signedPreKeyPublic = *signedPublic;
    bundle.signedPreKeySignature = *signature;
    bundle.identityKey = *identity;
    const auto preKeys = child(element, QStringLiteral("prekeys"));
    for (auto preKey = preKeys.firstChildElement(QStringLiteral("preKeyPublic")); !preKey.isNull();
         preKey = preKey.nextSiblingElement(QStringLiteral("preKeyPublic"))) {
        bool ok = false;
        const uint32_t preKeyId = preKey.attribute(QStringLiteral("preKeyId")).toUInt(&ok);
        if (const auto key = base64(preKey.text()); ok && key)
            bundle.preKeys.insert(preKeyId, *key);
    }
    if (bundle.preKeys.isEmpty())
        return std::nullopt;
    return bundle;
}

void Bundle::toXml(QXmlStreamWriter *writer) const
{
    writer->writeStartElement(QStringLiteral("bundle"));
    writer->writeDefaultNamespace(Namespace.toString());
    writer->writeStartElement(QStringLiteral("signedPreKeyPublic"));
    writer->writeAttribute(QStringLiteral("signedPreKeyId"), QString::number(signedPreKeyId));
    writer->writeCharacters(toBase64(signedPreKeyPublic));
    writer->writeEndElement();
    writer->writeTextElement(QStringLiteral("signedPreKeySignature"), toBase64(signedPreKeySignature));
    writer->writeTextElement(QStringLiteral("identityKey"), toBase64(identityKey));
    writer->writeStartElement(QStringLiteral("prekeys"));
    for (auto it = preKeys.cbegin(); it != preKeys.cend(); ++it) {
        writer->writeStartElement(QStringLiteral("preKeyPublic"));
        writer->writeAttribute(QStringLiteral("preKeyId"), QString::number(it.key()));
        writer->writeCharacters(toBase64(it.value()));
        writer->writeEndElement();
    }
    writer->writeEndElement();
    writer->writeEndElement();
}

const KeyElement *EncryptedElement::keyFor(uint32_t deviceId) const
{
    for (const KeyElement &key : keys) {
        if (key.recipientDeviceId == deviceId)
            return &key;
    }
    return nullptr;
}

std::optional<EncryptedElement> EncryptedElement::parse(const QDomElement &element)
{
    if (!isOurs(element, u"encrypted"))
        return std::nullopt;
    const auto header = child(element, QStringLiteral("header"));
    const auto sender = deviceId(header.attribute(QStringLiteral("sid")));
    const auto iv = base64(child(header, QStringLiteral("iv")).text());
    if (!sender || !iv)
        return std::nullopt;
    EncryptedElement encrypted;
    encrypted.senderDeviceId = *sender;
    encrypted.iv = *iv;
    for (auto key = header.firstChildElement(QStringLiteral("key")); !key.isNull();
         key = key.nextSiblingElement(QStringLiteral("key"))) {
        const auto recipient = deviceId(key.attribute(QStringLiteral("rid")));
        const auto data = base64(key.text());
        if (!recipient || !data)
            continue;
        const QString preKey = key.attribute(QStringLiteral("prekey"));
        encrypted.keys.append({*recipient, preKey == u"true" || preKey == u"1", *data});
    }
    if (const auto payload = child(element, QStringLiteral("payload")); !payload.isNull()) {
        const auto bytes = base64(payload.text());
        if (!bytes)
            return std::nullopt;
        encrypted.payload = *bytes;
    }
    return encrypted;
}

void EncryptedElement::toXml(QXmlStreamWriter *writer) const
{
    writer->writeStartElement(QStringLiteral("encrypted"));
    writer->writeDefaultNamespace(Namespace.toString());
    writer->writeStartElement(QStringLiteral("header"));
    writer->writeAttribute(QStringLiteral("sid"), QString::number(senderDeviceId));
    for (const KeyElement &key : keys) {
        writer->writeStartElement(QStringLiteral("key"));
        if (key.preKey)
            writer->writeAttribute(QStringLiteral("prekey"), QStringLiteral("true"));
        writer->writeAttribute(QStringLiteral("rid"), QString::number(key.recipientDeviceId));
        writer->writeCharacters(toBase64(key.data));
        writer->writeEndElement();
    }
    writer->writeTextElement(QStringLiteral("iv"), toBase64(iv));
    writer->writeEndElement();
    if (payload)
        writer->writeTextElement(QStringLiteral("payload"), toBase64(*payload));
    writer->writeEndElement();
}

} // namespace Natter::Core::LegacyOmemo
