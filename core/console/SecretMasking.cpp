// SPDX-License-Identifier: GPL-3.0-or-later
#include "SecretMasking.h"

#include <QRegularExpression>

namespace Natter::Core::Console {

namespace {

// The content of these elements is a secret or derived from one; SASL payloads are base64 and the others
// plain text, so none holds markup of its own.
const QRegularExpression &secretElements()
{
    static const QRegularExpression pattern(
        QStringLiteral("(<(?:[\\w-]+:)?(auth|response|challenge|success|initial-response|additional-data|"
                       "password|digest|token)\\b[^>]*(?<!/)>)([^<]*)(</(?:[\\w-]+:)?\\2\\s*>)"));
    return pattern;
}

// Data forms carry passwords as field values (XEP-0077 with XEP-0004: password, old_password).
const QRegularExpression &passwordFields()
{
    static const QRegularExpression pattern(
        QStringLiteral(
            "(<field\\b[^>]*\\bvar\\s*=\\s*['\"][^'\"]*password[^'\"]*['\"][^>]*>.*?<value\\b[^>]*>)"
            "([^<]*)(</value\\s*>)"),
        QRegularExpression::DotMatchesEverythingOption | QRegularExpression::CaseInsensitiveOption);
    return pattern;
}

// XEP-0484 hands out tokens as an attribute of <token/>.
const QRegularExpression &tokenAttributes()
{
    static const QRegularExpression pattern(
        QStringLiteral("(<(?:[\\w-]+:)?token\\b[^>]*\\btoken\\s*=\\s*)(['\"])[^'\"]*\\2"));
    return pattern;
}

} // namespace

QString withSecretsHidden(const QString &xml)
{
    QString masked = xml;
    masked.replace(secretElements(), QStringLiteral("\\1") + HiddenSecret + QStringLiteral("\\4"));
    masked.replace(passwordFields(), QStringLiteral("\\1") + HiddenSecret + QStringLiteral("\\3"));
    masked.replace(tokenAttributes(), QStringLiteral("\\1\\2") + HiddenSecret + QStringLiteral("\\2"));
    return masked;
}

} // namespace Natter::Core::Console
