// SPDX-License-Identifier: GPL-3.0-or-later
// Checks JIDs against RFC 7622 before they reach the network or the database.
#pragma once

#include <QString>

namespace Natter::Core {

class JidValidator
{
public:
    enum class Problem
    {
        None,
        Empty,
        MissingLocalpart,
        MissingDomain,
        LocalpartTooLong,
        DomainTooLong,
        ResourceTooLong,
        ForbiddenCharacterInLocalpart,
        InvalidDomain,
        ControlCharacter,
        UnexpectedResource,
    };

    // An account JID: localpart@domain, no resource.
    static Problem checkAccountJid(const QString &jid);
    // A contact's JID: [localpart@]domain[/resource].
    static Problem checkJid(const QString &jid);
    // The bare, case-normalized form (localpart and domain lower-cased), or an empty string when invalid.
    static QString normalizedBareJid(const QString &jid);

private:
    struct Parts
    {
        QString localpart;
        QString domain;
        QString resource;
        bool hasAt = false;
        bool hasSlash = false;
    };
    static Parts split(const QString &jid);
    static Problem checkParts(const Parts &parts);
    static Problem checkDomain(const QString &domain);
};

} // namespace Natter::Core
