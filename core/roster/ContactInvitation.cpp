// SPDX-License-Identifier: GPL-3.0-or-later
#include "ContactInvitation.h"

#include "common/JidValidator.h"
#include "common/XmppUri.h"

namespace Natter::Core {

std::optional<ContactInvitation> ContactInvitation::parse(const QString &text)
{
    const auto uri = XmppUri::parse(text);
    if (!uri || !uri->jid.contains(u'@'))
        return std::nullopt;
    if (!uri->action.isEmpty() && uri->action != u"roster" && uri->action != u"subscribe")
        return std::nullopt;
    ContactInvitation invitation;
    invitation.jid = JidValidator::normalizedBareJid(uri->jid);
    invitation.token = uri->value(QStringLiteral("preauth"));
    invitation.name = uri->value(QStringLiteral("name"));
    if (invitation.jid.isEmpty())
        return std::nullopt;
    return invitation;
}

} // namespace Natter::Core
