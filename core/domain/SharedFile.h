// SPDX-License-Identifier: GPL-3.0-or-later
// A file shared in a message: what its sender said about it (XEP-0446 file metadata) and, once it is on this
// machine, where it is and where its thumbnail is.
#pragma once

#include <QByteArray>
#include <QString>
#include <optional>

namespace Natter::Core {

struct FileMetadata
{
    QString name;
    std::optional<qint64> size;
    QString mediaType;
    QByteArray sha256;
    int width = 0; // pixels, for images and videos; 0 when not told
    int height = 0;
    // A small encoded image of it from its sender (XEP-0264 in XEP-0446), shown before the file is here.
    QByteArray thumbnail;

    bool isEmpty() const { return name.isEmpty() && !size && mediaType.isEmpty() && sha256.isEmpty(); }
    friend bool operator==(const FileMetadata &, const FileMetadata &) = default;
};

// A message's file as the store knows it.
struct StoredFile
{
    FileMetadata described;
    QString path;            // the downloaded file, or the one we sent; empty when not on this machine
    bool downloaded = false; // path is a download of ours (else the user's own file, which we never delete)
    QString thumbnailPath;   // a small image made from it; empty when there is none yet
};

} // namespace Natter::Core
