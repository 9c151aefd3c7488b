// SPDX-License-Identifier: GPL-3.0-or-later
#include "SdpMediaLines.h"

#include <QCryptographicHash>
#include <gst/sdp/sdp.h>

namespace Natter::Core::Calls {

namespace {

// "a=<key>:<payloadType> <value>" of that payload type; empty when there is none.
QString formatAttribute(const GstSDPMedia *media, const char *key, int payloadType)
{
    const QString prefix = QString::number(payloadType) + u' ';
    for (guint i = 0; i < gst_sdp_media_attributes_len(media); ++i) {
        const GstSDPAttribute *attribute = gst_sdp_media_get_attribute(media, i);
        if (qstrcmp(attribute->key, key) != 0 || !attribute->value)
            continue;
        const QString value = QString::fromUtf8(attribute->value);
        if (value.startsWith(prefix))
            return value.mid(prefix.size()).trimmed();
    }
    return {};
}

QList<SdpFormat> formatsOf(const GstSDPMedia *media)
{
    QList<SdpFormat> formats;
    for (guint i = 0; i < gst_sdp_media_formats_len(media); ++i) {
        bool ok = false;
        const int payloadType = QString::fromUtf8(gst_sdp_media_get_format(media, i)).toInt(&ok);
        if (!ok)
            continue;
        const QString rtpmap = formatAttribute(media, "rtpmap", payloadType);
        formats.append(
            {payloadType, rtpmap.section(u'/', 0, 0), formatAttribute(media, "fmtp", payloadType)});
    }
    return formats;
}

QString sha256Fingerprint(const gchar *attribute)
{
    const QString value = QString::fromUtf8(attribute).trimmed();
    if (!value.startsWith(u"sha-256 ", Qt::CaseInsensitive))
        return {};
    return value.mid(8).trimmed();
}

} // namespace

QList<SdpMediaLine> sdpMediaLines(const QString &sdp)
{
    GstSDPMessage *message = nullptr;
    const QByteArray text = sdp.toUtf8();
    if (gst_sdp_message_new_from_text(text.constData(), &message) != GST_SDP_OK)
        return {};
    const QString sessionFingerprint =
        sha256Fingerprint(gst_sdp_message_get_attribute_val(message, "fingerprint"));
    QList<SdpMediaLine> lines;
    for (guint i = 0; i < gst_sdp_message_medias_len(message); ++i) {
        const GstSDPMedia *media = gst_sdp_message_get_media(message, i);
        SdpMediaLine line;
        line.kind = QString::fromUtf8(gst_sdp_media_get_media(media));
        line.mid = QString::fromUtf8(gst_sdp_media_get_attribute_val(media, "mid"));
        line.formats = formatsOf(media);
        line.fingerprint = sha256Fingerprint(gst_sdp_media_get_attribute_val(media, "fingerprint"));
        if (line.fingerprint.isEmpty())
            line.fingerprint = sessionFingerprint;
        lines.append(line);
    }
    gst_sdp_message_free(message);
    return lines;
}

int payloadTypeOf(const SdpMediaLine &line, const QString &encoding)
{
    for (const SdpFormat &format : line.formats) {
        if (format.encoding.compare(encoding, Qt::CaseInsensitive) == 0)
            return format.payloadType;
    }
    return -1;
}

QString sha256FingerprintOfPem(const QByteArray &pem)
{
    static constexpr QByteArrayView Begin = "-----BEGIN CERTIFICATE-----";
    static constexpr QByteArrayView End = "-----END CERTIFICATE-----";
    const qsizetype begin = pem.indexOf(Begin);
    const qsizetype end = pem.indexOf(End, begin + 1);
    if (begin < 0 || end < 0)
        return {};
    const QByteArray base64 = pem.mid(begin + Begin.size(), end - begin - Begin.size());
    const QByteArray der = QByteArray::fromBase64(base64.simplified().replace(' ', QByteArray()));
    if (der.isEmpty())
        return {};
    const QByteArray digest = QCryptographicHash::hash(der, QCryptographicHash::Sha256);
    return QString::fromLatin1(digest.toHex(':').toUpper());
}

} // namespace Natter::Core::Calls
