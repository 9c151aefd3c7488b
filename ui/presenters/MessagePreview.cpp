// SPDX-License-Identifier: GPL-3.0-or-later
#include "MessagePreview.h"

#include "CallPresenter.h"
#include "files/Attachment.h"

namespace Natter::Ui::MessagePreview {

QString textOf(const QString &body, const QString &oobUrl, Core::ChatMessage::Kind kind)
{
    if (kind == Core::ChatMessage::Kind::Call) {
        if (const auto record = Core::Calls::CallRecord::fromBody(body))
            return CallPresenter::previewOf(*record);
    }
    Core::ChatMessage shared;
    shared.kind = kind;
    shared.body = body;
    shared.oobUrl = oobUrl;
    if (const auto file = body.trimmed() == oobUrl ? Core::attachmentOf(shared) : std::nullopt)
        return QStringLiteral("📎 ") + file->described.name;
    return body.simplified();
}

} // namespace Natter::Ui::MessagePreview
