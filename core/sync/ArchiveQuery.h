// SPDX-License-Identifier: GPL-3.0-or-later
// Pages through a server archive (XEP-0313 MAM, urn:xmpp:mam:2, with XEP-0059 result set paging).
// QXmppMamManager drops each result's archive id, which deduplication and gap tracking need: this
// extension keeps it.
#pragma once

#include "common/Result.h"

#include <QDateTime>
#include <QFuture>
#include <QHash>
#include <QList>
#include <QXmppClientExtension.h>
#include <QXmppMessage.h>
#include <functional>
#include <memory>
#include <optional>

namespace Natter::Core {

struct ArchivedMessage
{
    QString archiveId; // the archive's id of it: the XEP-0359 stanza-id its archive assigned
    QDateTime archivedAt;
    QXmppMessage message;
};

// One page of results in archive order (oldest first).
struct ArchivePage
{
    QList<ArchivedMessage> messages;
    QString firstId;       // RSM first/last: archive ids bounding this page, also when messages is empty of
    QString lastId;        // things we keep (the archive counts every archived stanza)
    bool complete = false; // no more results in the direction of the query
};

class ArchiveQuery : public QXmppClientExtension
{
    Q_OBJECT
public:
    struct Filter
    {
        QString archive; // empty: our own archive; else a room's JID
        QString with;    // only the conversation with this bare JID
        QDateTime start;
        QDateTime end;
        // Paging: the page just before this archive id (empty: the newest page), or just after.
        std::optional<QString> before = QString(QLatin1String(""));
        std::optional<QString> after;
        int max = 100;
        // Called with the archive id of the page's first (oldest) result as soon as it arrives: the
        // `before` of the next older page, so that page can be asked for while this one still arrives.
        std::function<void(const QString &archiveId)> firstResult;
    };

    ArchiveQuery() = default;
    ~ArchiveQuery() override;

    QFuture<Result<ArchivePage>> query(const Filter &filter);

    QStringList discoveryFeatures() const override;
    bool handleStanza(const QDomElement &element) override;

protected:
    void setClient(QXmppClient *client) override;

private:
    struct Pending;
    void abandonAll();

    QHash<QString, std::shared_ptr<Pending>> m_pending; // by query id
};

} // namespace Natter::Core
