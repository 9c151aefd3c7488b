// SPDX-License-Identifier: GPL-3.0-or-later
#include "XmppError.h"

#include <QMetaEnum>
#include <QXmppError.h>
#include <QXmppGlobal.h>
#include <QXmppStanza.h>

namespace Natter::Core {

namespace {
// RFC 6120 §8.3.3's names, which is how servers' admins and the XML console know them.
QString conditionName(QXmppStanza::Error::Condition condition)
{
    using Condition = QXmppStanza::Error::Condition;
    switch (condition) {
    case Condition::BadRequest:
        return QStringLiteral("bad-request");
    case Condition::Conflict:
        return QStringLiteral("conflict");
    case Condition::FeatureNotImplemented:
        return QStringLiteral("feature-not-implemented");
    case Condition::Forbidden:
        return QStringLiteral("forbidden");
    case Condition::Gone:
        return QStringLiteral("gone");
    case Condition::InternalServerError:
        return QStringLiteral("internal-server-error");
    case Condition::ItemNotFound:
        return QStringLiteral("item-not-found");
    case Condition::JidMalformed:
        return QStringLiteral("jid-malformed");
    case Condition::NotAcceptable:
        return QStringLiteral("not-acceptable");
    case Condition::NotAllowed:
        return QStringLiteral("not-allowed");
    case Condition::NotAuthorized:
        return QStringLiteral("not-authorized");
    case Condition::RecipientUnavailable:
        return QStringLiteral("recipient-unavailable");
    case Condition::Redirect:
        return QStringLiteral("redirect");
    case Condition::RegistrationRequired:
        return QStringLiteral("registration-required");
    case Condition::RemoteServerNotFound:
        return QStringLiteral("remote-server-not-found");
    case Condition::RemoteServerTimeout:
        return QStringLiteral("remote-server-timeout");
    case Condition::ResourceConstraint:
        return QStringLiteral("resource-constraint");
    case Condition::ServiceUnavailable:
        return QStringLiteral("service-unavailable");
    case Condition::SubscriptionRequired:
        return QStringLiteral("subscription-required");
    case Condition::UnexpectedRequest:
        return QStringLiteral("unexpected-request");
    case Condition::PolicyViolation:
        return QStringLiteral("policy-violation");
    default:
        return QStringLiteral("undefined-condition");
    }
}
} // namespace

Error requestError(const QXmppError &error)
{
    if (const auto stanzaError = error.value<QXmppStanza::Error>()) {
        const QString condition = conditionName(stanzaError->condition());
        const QString text = stanzaError->text().isEmpty() ? error.description : stanzaError->text();
        return Error(Error::Code::RequestRefused, QStringLiteral("%1: %2").arg(condition, text));
    }
    if (error.holdsType<QXmpp::TimeoutError>())
        return Error(Error::Code::Timeout, error.description);
    return Error(Error::Code::NotConnected, error.description);
}

} // namespace Natter::Core
