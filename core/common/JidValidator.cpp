// SPDX-License-Identifier: GPL-3.0-or-later
#include "JidValidator.h"

#include <QHostAddress>
#include <QUrl>

namespace Natter::Core {

namespace {
constexpr qsizetype MaxPartBytes = 1023;

bool hasControlCharacter(const QString &text)
{
    for (const QChar c : text) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format)
            return true;
    }
    return false;
}

bool hasForbiddenLocalpartCharacter(const QString &localpart)
{
    // RFC 7622 section 3.3.1: these are disallowed in the UsernameCaseMapped profile plus the JID rules.
    static const QString forbidden = QStringLiteral("\"&'/:<>@");
    for (const QChar c : localpart) {
        if (forbidden.contains(c) || c.isSpace())
            return true;
    }
    return false;
}
} // namespace

JidValidator::Parts JidValidator::split(const QString &jid)
{
    Parts parts;
    QString rest = jid;
    const auto slash = rest.indexOf(u'/');
    if (slash >= 0) {
        parts.hasSlash = true;
        parts.resource = rest.mid(slash + 1);
        rest.truncate(slash);
    }
    const auto at = rest.indexOf(u'@');
    if (at >= 0) {
        parts.hasAt = true;
        parts.localpart = rest.left(at);
        parts.domain = rest.mid(at + 1);
    } else {
        parts.domain = rest;
    }
    return parts;
}

JidValidator::Problem JidValidator::checkDomain(const QString &domain)
{
    if (domain.isEmpty())
        return Problem::MissingDomain;
    QString host = domain.endsWith(u'.') ? domain.chopped(1) : domain;
    if (host.startsWith(u'[') && host.endsWith(u']')) {
        const QHostAddress address(host.mid(1, host.size() - 2));
        return address.protocol() == QAbstractSocket::IPv6Protocol ? Problem::None : Problem::InvalidDomain;
    }
    if (host.contains(u'@') || host.contains(u'/') || host.contains(u'[') || host.contains(u']'))
        return Problem::InvalidDomain;
    for (const QChar c : host) {
        if (c.isSpace() || c == u':' || c == u'\\' || c == u'"' || c == u'<' || c == u'>' || c == u'\'' ||
            c == u'&')
            return Problem::InvalidDomain;
    }
    const QByteArray ace = QUrl::toAce(host, QUrl::AceTransitionalProcessing);
    if (ace.isEmpty())
        return Problem::InvalidDomain;
    if (ace.size() > 253 || domain.toUtf8().size() > MaxPartBytes)
        return Problem::DomainTooLong;
    for (const QByteArray &label : ace.split('.')) {
        if (label.isEmpty() || label.size() > 63 || label.startsWith('-') || label.endsWith('-'))
            return Problem::InvalidDomain;
    }
    return Problem::None;
}

JidValidator::Problem JidValidator::checkParts(const Parts &parts)
{
    if (hasControlCharacter(parts.localpart) || hasControlCharacter(parts.domain) ||
        hasControlCharacter(parts.resource))
        return Problem::ControlCharacter;
    if (parts.hasAt && parts.localpart.isEmpty())
        return Problem::MissingLocalpart;
    if (parts.localpart.toUtf8().size() > MaxPartBytes)
        return Problem::LocalpartTooLong;
    if (hasForbiddenLocalpartCharacter(parts.localpart))
        return Problem::ForbiddenCharacterInLocalpart;
    if (const auto domainProblem = checkDomain(parts.domain); domainProblem != Problem::None)
        return domainProblem;
    if (parts.hasSlash && parts.resource.isEmpty())
        return Problem::InvalidDomain;
    if (parts.resource.toUtf8().size() > MaxPartBytes)
        return Problem::ResourceTooLong;
    return Problem::None;
}

JidValidator::Problem JidValidator::checkJid(const QString &jid)
{
    if (jid.trimmed().isEmpty())
        return Problem::Empty;
    return checkParts(split(jid));
}

JidValidator::Problem JidValidator::checkAccountJid(const QString &jid)
{
    if (jid.trimmed().isEmpty())
        return Problem::Empty;
    const Parts parts = split(jid);
    if (!parts.hasAt)
        return Problem::MissingLocalpart;
    if (parts.hasSlash)
        return Problem::UnexpectedResource;
    return checkParts(parts);
}

QString JidValidator::normalizedBareJid(const QString &jid)
{
    const QString trimmed = jid.trimmed();
    if (checkJid(trimmed) != Problem::None)
        return {};
    const Parts parts = split(trimmed);
    QString domain = parts.domain.normalized(QString::NormalizationForm_KC).toLower();
    if (domain.endsWith(u'.'))
        domain.chop(1);
    if (!parts.hasAt)
        return domain;
    return parts.localpart.normalized(QString::NormalizationForm_KC).toLower() + u'@' + domain;
}

} // namespace Natter::Core
