// SPDX-License-Identifier: GPL-3.0-or-later
// Entity Capabilities (XEP-0115) of the entities whose presence we receive: disco#info is asked once per
// caps hash (concurrent asks for the same hash share one request), the answer is checked against the
// verification string (XEP-0115 section 5) and only then kept, in memory and in the store. An answer that
// does not verify is used for the JID that gave it and never cached. Ordinary presences are not consumed.
#pragma once

#include <QHash>
#include <QSet>
#include <QStringList>
#include <QXmppClientExtension.h>

class QXmppPresence;

namespace Natter::Core {

class CapsRepository;

class CapsService : public QXmppClientExtension
{
    Q_OBJECT
public:
    CapsService();
    ~CapsService() override;

    void setStore(CapsRepository *store);

    // The features of a full JID, empty when not (yet) known.
    QStringList features(const QString &fullJid) const;
    bool hasFeature(const QString &fullJid, const QString &feature) const;
    // Whether the features of fullJid are known.
    bool isKnown(const QString &fullJid) const;

    bool handleStanza(const QDomElement &stanza) override;

Q_SIGNALS:
    // The features of fullJid became known (or changed).
    void featuresChanged(const QString &fullJid);

protected:
    void onRegistered(QXmppClient *client) override;
    void onUnregistered(QXmppClient *client) override;

private:
    void handlePresence(const QXmppPresence &presence);
    void lookUp(const QString &fullJid, const QString &key, const QString &algorithm, const QString &node,
                const QString &verification);
    void ask(const QString &fullJid, const QString &key, const QString &algorithm, const QString &node,
             const QString &verification);
    void assign(const QString &fullJid, const QStringList &features);

    CapsRepository *m_store = nullptr;
    QHash<QString, QStringList> m_cache;       // "algorithm verification" → features (verified only)
    QHash<QString, QStringList> m_jidFeatures; // full JID → features
    QHash<QString, QString> m_jidKey;          // full JID → key it announced last
    QHash<QString, QStringList> m_pending;     // key → full JIDs waiting for its answer
};

} // namespace Natter::Core
