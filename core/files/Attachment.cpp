// SPDX-License-Identifier: GPL-3.0-or-later
#include "Attachment.h"

#include "common/FilePlacement.h"

#include <QMimeDatabase>
#include <QUrl>

namespace Natter::Core {

namespace {
const QStringList InlineImageTypes = {QStringLiteral("image/png"), QStringLiteral("image/jpeg"),
                                      QStringLiteral("image/gif"), QStringLiteral("image/webp"),
                                      QStringLiteral("image/bmp")};
} // namespace

std::optional<Attachment> attachmentOf(const ChatMessage &message)
{
    if (message.oobUrl.isEmpty() || message.removal != ChatMessage::Removal::None)
        return std::nullopt;
    const QUrl url(message.oobUrl, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    const bool encrypted = scheme == QLatin1String("aesgcm");
    // A local file only in a record this device made: never from a link someone sent.
    const bool direct = message.kind == ChatMessage::Kind::DirectTransfer;
    const QString name = url.fileName(QUrl::FullyDecoded);
    const bool usable =
        direct ? url.isLocalFile() && !name.isEmpty()
               : url.isValid() && !url.host().isEmpty() &&
                     (encrypted || scheme == QLatin1String("https") || scheme == QLatin1String("http"));
    if (!usable)
        return std::nullopt;
    Attachment attachment;
    attachment.link = message.oobUrl;
    attachment.encrypted = encrypted && !direct;
    attachment.direct = direct;
    // Our own record names the file as it is on this machine; a name from the network is made safe.
    attachment.described.name =
        direct ? name : FilePlacement::safeFileName(name.isEmpty() ? url.host() : name);
    attachment.described.mediaType = mediaTypeOfName(attachment.described.name);
    return attachment;
}

QString mediaTypeOfName(const QString &fileName)
{
    static const QMimeDatabase types;
    return types.mimeTypeForFile(fileName, QMimeDatabase::MatchExtension).name();
}

FileKind kindOf(const FileMetadata &file)
{
    const QString type = file.mediaType.isEmpty() ? mediaTypeOfName(file.name) : file.mediaType.toLower();
    if (InlineImageTypes.contains(type))
        return FileKind::Image;
    if (type.startsWith(QLatin1String("audio/")))
        return FileKind::Audio;
    if (type.startsWith(QLatin1String("video/")))
        return FileKind::Video;
    return FileKind::Other;
}

} // namespace Natter::Core
