// SPDX-License-Identifier: GPL-3.0-or-later
// What an entity says about itself in a disco#info answer (XEP-0030), read from the answer itself so that
// every extended form (XEP-0128) is kept: QXmppDiscoveryIq keeps only one, and servers send several (upload
// limits, contact addresses, software version).
#pragma once

#include "common/Result.h"

#include <QDomElement>
#include <QList>
#include <QMap>
#include <QStringList>
#include <QXmppTask.h>

class QDomElement;
class QObject;
class QXmppClient;

namespace Natter::Core {

struct DiscoIdentity
{
    QString category;
    QString type;
    QString name;
};

struct DiscoInfo
{
    using FormFields = QMap<QString, QStringList>; // field var → its non-empty values

    QList<DiscoIdentity> identities;
    QStringList features;            // sorted
    QMap<QString, FormFields> forms; // FORM_TYPE → the form's other fields
    QDomElement query;               // the answer as received (caps verification hashes it)

    bool hasFeature(const QString &feature) const;
    bool hasIdentity(const QString &category, const QString &type) const;
    // The value of one field of one form; empty when either is missing.
    QString formValue(const QString &formType, const QString &field) const;

    // Reads a disco#info <query/> element.
    static DiscoInfo fromQuery(const QDomElement &query);
};

// Asks jid (and node, when given) for its disco#info.
QXmppTask<Result<DiscoInfo>> askDiscoInfo(QXmppClient &client, QObject *context, const QString &jid,
                                          const QString &node = {});

} // namespace Natter::Core
