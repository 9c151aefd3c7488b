// SPDX-License-Identifier: GPL-3.0-or-later
#include "Invitation.h"

#include "common/JidValidator.h"
#include "common/XmppUri.h"

namespace Natter::Core {

std::optional<Invitation> Invitation::parse(const QString &text)
{
    const auto uri = XmppUri::parse(text);
    if (!uri || uri->value(QStringLiteral("preauth")).isEmpty())
        return std::nullopt;
    Invitation invitation;
    invitation.token = uri->value(QStringLiteral("preauth"));
    invitation.domain = uri->jid.section(u'@', -1).toLower();
    if (uri->action == u"register") {
        if (uri->jid.contains(u'@'))
            invitation.username = uri->jid.section(u'@', 0, 0);
        return invitation;
    }
    if (uri->action == u"roster" && uri->value(QStringLiteral("ibr")) == u"y" && uri->jid.contains(u'@')) {
        invitation.inviter = JidValidator::normalizedBareJid(uri->jid);
        return invitation;
    }
    return std::nullopt;
}

QXmppElement preauthElement(const QString &token)
{
    QXmppElement preauth;
    preauth.setTagName(QStringLiteral("preauth"));
    preauth.setAttribute(QStringLiteral("xmlns"), QStringLiteral("urn:xmpp:pars:0"));
    preauth.setAttribute(QStringLiteral("token"), token);
    return preauth;
}

} // namespace Natter::Core
