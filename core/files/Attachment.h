// SPDX-License-Identifier: GPL-3.0-or-later
// The file a message shares, as far as the message itself tells: its link (https, or aesgcm:// for an
// encrypted one, XEP-0454; file:// in a direct transfer's record) and a name, kind and media type guessed
// from the link.
#pragma once

#include "domain/ChatMessage.h"
#include "domain/SharedFile.h"

#include <optional>

namespace Natter::Core {

enum class FileKind
{
    Image, // one Natter shows inline (PNG, JPEG, GIF, WebP, BMP)
    Audio,
    Video,
    Other,
};

struct Attachment
{
    QString link;
    bool encrypted = false;
    bool direct = false;    // a direct transfer's record: the file is on this machine or nowhere
    FileMetadata described; // at least a name and a media type guessed from the link
};

// The message's file, or nothing when it shares none (or was retracted).
std::optional<Attachment> attachmentOf(const ChatMessage &message);
// The media type of a file name, from its extension ("application/octet-stream" when unknown).
QString mediaTypeOfName(const QString &fileName);
FileKind kindOf(const FileMetadata &file);

} // namespace Natter::Core
