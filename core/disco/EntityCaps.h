// SPDX-License-Identifier: GPL-3.0-or-later
// Entity Capabilities (XEP-0115) verification, computed over the disco#info <query/> element as received, so
// that every extended form counts (QXmppDiscoveryIq keeps one, and an entity announcing two never verified),
// and the answer's XML as it is kept in the caps store.
#pragma once

#include <QByteArray>
#include <QDomElement>
#include <QString>
#include <optional>

namespace Natter::Core::EntityCaps {

// The string S of XEP-0115 section 5.1 in UTF-8; nullopt for an answer with two forms of one FORM_TYPE or a
// FORM_TYPE with differing values (ill-formed, section 5.4). A repeated identity or feature counts once, as
// QXmpp-based clients hash them. Forms without a hidden FORM_TYPE are left out.
std::optional<QByteArray> verificationInput(const QDomElement &query);

// Whether query hashes to verification (base64) with algorithm, one of sha-1, sha-224, sha-256, sha-384,
// sha-512 (the IANA names XEP-0115 uses); false for any other algorithm.
bool verifies(const QDomElement &query, const QString &algorithm, const QString &verification);

// The query element as XML, namespaces included, and back; nullopt when xml is not a disco#info query or
// an IQ holding one.
QString toXml(const QDomElement &query);
std::optional<QDomElement> fromXml(const QString &xml);

} // namespace Natter::Core::EntityCaps
