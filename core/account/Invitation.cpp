// SPDX-License-Identifier: GPL-3.0-or-later
#include "Invitation.h"

#include "common/JidValidator.h"

#include <QHash>
#include <QStringList>
#include <QUrl>

namespace Natter::Core {

std::optional<Invitation> Invitation::parse(const QString &text)
{
    const QString uri = text.trimmed();
    if (!uri.startsWith(u"xmpp:", Qt::CaseInsensitive))
        return std::nullopt;
    const qsizetype query = uri.indexOf(u'?');
    if (query < 0)
        return std::nullopt;
    const QString jid = QUrl::fromPercentEncoding(uri.mid(5, query - 5).toUtf8());
    const QStringList parts = uri.mid(query + 1).split(u';');
    const QString action = parts.first();
    QHash<QString, QString> parameters;
    for (const QString &part : parts.mid(1)) {
        const qsizetype equals = part.indexOf(u'=');
        if (equals > 0)
            parameters.insert(part.left(equals), QUrl::fromPercentEncoding(part.mid(equals + 1).toUtf8()));
    }
    if (JidValidator::checkJid(jid) != JidValidator::Problem::None ||
        parameters.value(QStringLiteral("preauth")).isEmpty())
        return std::nullopt;

    Invitation invitation;
    invitation.token = parameters.value(QStringLiteral("preauth"));
    invitation.domain = jid.section(u'@', -1).toLower();
    if (action == u"register") {
        if (jid.contains(u'@'))
            invitation.username = jid.section(u'@', 0, 0);
        return invitation;
    }
    if (action == u"roster" && parameters.value(QStringLiteral("ibr")) == u"y" && jid.contains(u'@')) {
        invitation.inviter = JidValidator::normalizedBareJid(jid);
        return invitation;
    }
    return std::nullopt;
}

} // namespace Natter::Core
