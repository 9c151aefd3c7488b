// SPDX-License-Identifier: GPL-3.0-or-later
// The XML of legacy OMEMO 0.3 (eu.siacs.conversations.axolotl): device list, bundle and encrypted element.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <optional>

class QDomElement;
class QXmlStreamWriter;

namespace Natter::Core::LegacyOmemo {

inline constexpr QStringView Namespace = u"eu.siacs.conversations.axolotl";
inline constexpr QStringView DeviceListNode = u"eu.siacs.conversations.axolotl.devicelist";
inline constexpr QStringView BundleNodePrefix = u"eu.siacs.conversations.axolotl.bundles:";

QString bundleNode(uint32_t deviceId);

// <list xmlns='eu.siacs.conversations.axolotl'><device id='…'/>…</list>
struct DeviceList
{
    QList<uint32_t> deviceIds;

    // nullopt unless element is a <list/> in our namespace; ids that are not 1…2³¹-1 are left out.
    static std::optional<DeviceList> parse(const QDomElement &element);
    void toXml(QXmlStreamWriter *writer) const;
};

// Public keys are serialised as libomemo-c does for this version: a 0x05 type byte and the 32-byte
// Curve25519 key.
struct Bundle
{
    uint32_t signedPreKeyId = 0;
    QByteArray signedPreKeyPublic;
    QByteArray signedPreKeySignature;
    QByteArray identityKey;
    QHash<uint32_t, QByteArray> preKeys;

    // nullopt when a part is missing or not valid base64, or there are no pre-keys.
    static std::optional<Bundle> parse(const QDomElement &element);
    void toXml(QXmlStreamWriter *writer) const;
};

struct KeyElement
{
    uint32_t recipientDeviceId = 0;
    bool preKey = false;
    // A serialised Signal message (a PreKeySignalMessage when preKey) carrying the payload key and its tag.
    QByteArray data;
};

// <encrypted><header sid=''><key rid='' prekey='true'/>…<iv/></header><payload/></encrypted>; without a
// payload it is a key transport element (it only builds or moves a session forward).
struct EncryptedElement
{
    uint32_t senderDeviceId = 0;
    QList<KeyElement> keys;
    QByteArray iv;
    std::optional<QByteArray> payload;

    const KeyElement *keyFor(uint32_t deviceId) const;
    static std::optional<EncryptedElement> parse(const QDomElement &element);
    void toXml(QXmlStreamWriter *writer) const;
};

} // namespace Natter::Core::LegacyOmemo
