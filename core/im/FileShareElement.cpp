// SPDX-License-Identifier: GPL-3.0-or-later
#include "FileShareElement.h"

#include "common/FilePlacement.h"
#include "common/XmlElements.h"
#include "files/Thumbnailer.h"

#include <QBuffer>
#include <QImageReader>
#include <QMimeType>
#include <QUrl>
#include <QXmppFileMetadata.h>
#include <QXmppHash.h>
#include <QXmppHttpFileSource.h>
#include <QXmppThumbnail.h>

namespace Natter::Core::FileShareElement {

namespace {
constexpr int MaxDimension = 100000;
constexpr qsizetype MaxLinkLength = 4096;
constexpr qsizetype MaxMediaTypeLength = 255;
// Base64 of the largest preview we take, and a little for the "data:image/…;base64," before it.
constexpr qsizetype MaxThumbnailUriLength = (Thumbnailer::MaxPreviewBytes + 2) / 3 * 4 + 64;
const QStringList ThumbnailTypes = {QStringLiteral("image/png"), QStringLiteral("image/jpeg"),
                                    QStringLiteral("image/webp")};

// A thumbnail carried in the message itself, as a data: URI (RFC 2397) of an image, as Dino sends it. Others
// (cid: of Bits of Binary that would need a request, http links that would tell the sender we looked) are
// not used.
QByteArray thumbnailIn(const QXmppFileMetadata &metadata)
{
    for (const QXmppThumbnail &thumbnail : metadata.thumbnails()) {
        const QString &uri = thumbnail.uri();
        if (uri.size() > MaxThumbnailUriLength || !uri.startsWith(QLatin1String("data:")))
            continue;
        const qsizetype comma = uri.indexOf(u',');
        const QString header = uri.mid(5, comma - 5).toLower();
        if (comma < 0 || !header.endsWith(QLatin1String(";base64")) ||
            !ThumbnailTypes.contains(header.chopped(7)))
            continue;
        const auto decoded = QByteArray::fromBase64Encoding(uri.mid(comma + 1).toLatin1(),
                                                            QByteArray::AbortOnBase64DecodingErrors);
        if (decoded && !decoded.decoded.isEmpty() && decoded.decoded.size() <= Thumbnailer::MaxPreviewBytes)
            return decoded.decoded;
    }
    return {};
}
} // namespace

using XmlElements::element;

QXmppElement toElement(const FileMetadata &file, const QString &httpsLink)
{
    // Built here rather than with QXmppFileShare: QXmpp 1.10 writes its <file/> with two xmlns attributes
    // when it has a hash, which the server rejects as not well-formed (and closes the stream).
    QXmppElement metadata = element(QStringLiteral("file"));
    metadata.setAttribute(QStringLiteral("xmlns"), QStringLiteral("urn:xmpp:file:metadata:0"));
    if (!file.name.isEmpty())
        metadata.appendChild(element(QStringLiteral("name"), file.name));
    if (file.size)
        metadata.appendChild(element(QStringLiteral("size"), QString::number(*file.size)));
    if (!file.mediaType.isEmpty())
        metadata.appendChild(element(QStringLiteral("media-type"), file.mediaType));
    if (file.width > 0 && file.height > 0) {
        metadata.appendChild(element(QStringLiteral("width"), QString::number(file.width)));
        metadata.appendChild(element(QStringLiteral("height"), QString::number(file.height)));
    }
    if (!file.sha256.isEmpty()) {
        QXmppElement hash = element(QStringLiteral("hash"), QString::fromLatin1(file.sha256.toBase64()));
        hash.setAttribute(QStringLiteral("xmlns"), QStringLiteral("urn:xmpp:hashes:2"));
        hash.setAttribute(QStringLiteral("algo"), QStringLiteral("sha-256"));
        metadata.appendChild(hash);
    }
    if (!file.thumbnail.isEmpty()) {
        QXmppElement thumbnail = element(QStringLiteral("thumbnail"));
        thumbnail.setAttribute(QStringLiteral("xmlns"), QStringLiteral("urn:xmpp:thumbs:1"));
        thumbnail.setAttribute(QStringLiteral("uri"), QStringLiteral("data:image/png;base64,") +
                                                          QString::fromLatin1(file.thumbnail.toBase64()));
        thumbnail.setAttribute(QStringLiteral("media-type"), QStringLiteral("image/png"));
        QBuffer bytes;
        bytes.setData(file.thumbnail);
        bytes.open(QIODevice::ReadOnly);
        if (const QSize size = QImageReader(&bytes).size(); size.isValid()) {
            thumbnail.setAttribute(QStringLiteral("width"), QString::number(size.width()));
            thumbnail.setAttribute(QStringLiteral("height"), QString::number(size.height()));
        }
        metadata.appendChild(thumbnail);
    }
    QXmppElement source = element(QStringLiteral("url-data"));
    source.setAttribute(QStringLiteral("xmlns"), QStringLiteral("http://jabber.org/protocol/url-data"));
    source.setAttribute(QStringLiteral("target"), httpsLink);
    QXmppElement sources = element(QStringLiteral("sources"));
    sources.appendChild(source);
    QXmppElement share = element(QStringLiteral("file-sharing"));
    share.setAttribute(QStringLiteral("xmlns"), QStringLiteral("urn:xmpp:sfs:0"));
    share.setAttribute(QStringLiteral("disposition"), QStringLiteral("attachment"));
    share.appendChild(metadata);
    share.appendChild(sources);
    return share;
}

std::optional<Found> find(const QVector<QXmppFileShare> &shares, const QString &link)
{
    for (const QXmppFileShare &share : shares) {
        for (const QXmppHttpFileSource &source : share.httpSources()) {
            const QUrl url = source.url();
            const QString text = url.toString(QUrl::FullyEncoded);
            if (url.scheme() != QLatin1String("https") || text.size() > MaxLinkLength ||
                (!link.isEmpty() && text != link && url != QUrl(link)))
                continue;
            const QXmppFileMetadata &metadata = share.metadata();
            Found found;
            found.link = text;
            if (const auto name = metadata.filename(); name && !name->trimmed().isEmpty())
                found.file.name = FilePlacement::safeFileName(*name);
            if (const auto size = metadata.size();
                size && *size <= quint64(std::numeric_limits<qint64>::max()))
                found.file.size = qint64(*size);
            if (const auto &type = metadata.mediaType();
                type && type->isValid() && type->name().size() <= MaxMediaTypeLength)
                found.file.mediaType = type->name();
            for (const QXmppHash &hash : metadata.hashes()) {
                if (hash.algorithm() == QXmpp::HashAlgorithm::Sha256 && hash.hash().size() == 32)
                    found.file.sha256 = hash.hash();
            }
            const auto width = metadata.width();
            const auto height = metadata.height();
            if (width && height && *width > 0 && *height > 0 && *width <= MaxDimension &&
                *height <= MaxDimension) {
                found.file.width = int(*width);
                found.file.height = int(*height);
            }
            found.file.thumbnail = thumbnailIn(metadata);
            return found;
        }
    }
    return std::nullopt;
}

} // namespace Natter::Core::FileShareElement
