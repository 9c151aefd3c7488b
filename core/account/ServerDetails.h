// SPDX-License-Identifier: GPL-3.0-or-later
// What an account's server says about itself, for Account → Server details: its identities and features
// (XEP-0030), the addresses to reach its admins and abuse desk (XEP-0157), whether it keeps our archive and
// by which rule (XEP-0313), whether it offers push (XEP-0357), its upload limit (XEP-0363), and the TLS
// version and cipher of our connection to it.
#pragma once

#include "common/Result.h"
#include "disco/DiscoInfo.h"

#include <QMap>
#include <QStringList>
#include <QXmppTask.h>
#include <optional>

namespace Natter::Core {

class Account;

struct ServerDetails
{
    DiscoInfo service;
    // XEP-0157 field → addresses (e.g. "admin-addresses" → "xmpp:admin@example.org", "mailto:…").
    QMap<QString, QStringList> contactAddresses;
    bool archive = false;              // urn:xmpp:mam:2 on our account
    QString archiveDefault;            // its preference: "always", "roster" or "never"; empty when unknown
    bool push = false;                 // urn:xmpp:push:0 on our account
    std::optional<qint64> uploadLimit; // bytes (0: no limit); nullopt: no upload service
    QString uploadService;
    QString tlsProtocol; // "TLS 1.3"
    QString tlsCipher;   // "TLS_AES_256_GCM_SHA384"

    // Takes what a disco#info answer of the server holds: identities, features and the XEP-0157 form.
    static ServerDetails fromDiscoInfo(const DiscoInfo &info);
};

// Asks the server and our account on it; NotConnected when the account is offline.
QXmppTask<Result<ServerDetails>> askServerDetails(Account &account);

} // namespace Natter::Core
