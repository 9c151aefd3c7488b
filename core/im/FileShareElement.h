// SPDX-License-Identifier: GPL-3.0-or-later
// Stateless file sharing (XEP-0447) with file metadata (XEP-0446) for a plain https link: what we send
// beside the link, and what we take from a sender's element, bounded and cleaned (names from the network
// are made safe, a hash must have SHA-256's length, sizes and dimensions must be plausible).
#pragma once

#include "domain/SharedFile.h"

#include <QXmppElement.h>
#include <QXmppFileShare.h>
#include <optional>

namespace Natter::Core::FileShareElement {

// The <file-sharing/> element to add to a message's extensions.
QXmppElement toElement(const FileMetadata &file, const QString &httpsLink);
// The metadata of the share among shares whose https source is link (or the first with an https source
// when link is empty), and that source.
struct Found
{
    FileMetadata file;
    QString link;
};
std::optional<Found> find(const QVector<QXmppFileShare> &shares, const QString &link);

} // namespace Natter::Core::FileShareElement
