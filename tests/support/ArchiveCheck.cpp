// SPDX-License-Identifier: GPL-3.0-or-later
#include "ArchiveCheck.h"

#include "OnlineAccount.h"
#include "TestProfile.h"
#include "account/Account.h"
#include "domain/ConnectionState.h"
#include "storage/Database.h"
#include "sync/ArchiveQuery.h"

#include <QSqlQuery>
#include <QXmppClient.h>

namespace Natter::Test {

QStringList archiveIds(const TestServer &server, const QString &user, const QString &with)
{
    const auto reader = onlineAccount(server, user);
    if (!reader)
        return {};
    auto *archive = reader->client().findExtension<Core::ArchiveQuery>();
    QStringList ids;
    QString after;
    for (;;) {
        Core::ArchiveQuery::Filter filter;
        filter.with = with;
        filter.before.reset();
        if (!after.isEmpty())
            filter.after = after;
        filter.max = 250;
        const auto page = waitFor(archive->query(filter));
        if (!Core::isOk(page))
            return {};
        const auto &result = std::get<Core::ArchivePage>(page);
        for (const Core::ArchivedMessage &archived : result.messages)
            if (!archived.message.body().isEmpty())
                ids.append(archived.archiveId);
        if (result.complete || result.messages.isEmpty())
            break;
        after = result.lastId;
    }
    reader->disconnectFromServer();
    return ids;
}

QStringList storedIds(Core::Database &db, const QString &account, const QString &peer)
{
    return waitFor(db.run([account, peer](QSqlDatabase &connection) {
        QSqlQuery query(connection);
        query.prepare(QStringLiteral("SELECT COALESCE(m.stanza_id, '(none)') FROM messages m "
                                     "JOIN accounts a ON a.id = m.account_id "
                                     "JOIN conversations c ON c.id = m.conversation_id "
                                     "JOIN jids p ON p.id = c.peer_id WHERE a.jid = ?") +
                      (peer.isEmpty() ? QString() : QStringLiteral(" AND p.jid = ?")) +
                      QStringLiteral(" ORDER BY m.time, m.id"));
        query.addBindValue(account);
        if (!peer.isEmpty())
            query.addBindValue(peer);
        QStringList ids;
        if (query.exec())
            while (query.next())
                ids.append(query.value(0).toString());
        return ids;
    }));
}

} // namespace Natter::Test
