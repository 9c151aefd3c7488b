// SPDX-License-Identifier: GPL-3.0-or-later
#include "HistorySync.h"

#include "ArchiveQuery.h"
#include "common/Logging.h"
#include "im/IncomingMessage.h"
#include "storage/MessageRepository.h"
#include "storage/SyncStateRepository.h"

#include <QHash>
#include <QPromise>
#include <QXmppClient.h>

namespace Natter::Core {

namespace {

// Whether page reaches back to range: it holds range's newest message, or, for a range without ids (it
// records an archive that was empty), it reaches the archive's start.
bool meets(const ArchivePage &page, const ArchiveRange &range);

qsizetype indexOfArchiveId(const ArchivePage &page, const QString &archiveId)
{
    for (qsizetype i = 0; i < page.messages.size(); ++i)
        if (page.messages.at(i).archiveId == archiveId)
            return i;
    return -1;
}

// The index of range's newest message in page (what follows it is new), -1 when it is not there.
qsizetype meetingPoint(const ArchivePage &page, const ArchiveRange &range)
{
    return range.newestId.isEmpty() ? -1 : indexOfArchiveId(page, range.newestId);
}

bool meets(const ArchivePage &page, const ArchiveRange &range)
{
    return range.newestId.isEmpty() ? page.complete : meetingPoint(page, range) >= 0;
}

QDateTime newestTimeOf(const ArchivePage &page)
{
    return page.messages.isEmpty() ? QDateTime() : page.messages.last().archivedAt;
}

QDateTime oldestTimeOf(const ArchivePage &page)
{
    return page.messages.isEmpty() ? QDateTime() : page.messages.first().archivedAt;
}

} // namespace

struct HistorySync::Run
{
    int generation = 0;
    int stored = 0;
    int fetched = 0; // archived stanzas seen in this run, kept or not
    bool firstLogin = false;
    std::optional<ArchiveRange> known; // the newest range stored before this run
    ArchiveRange fresh;                // what this run holds from the newest archived message back
    QSet<qint64> gapsTried;            // older ranges whose gap was attempted in this run
    // Older pages asked for before it is known whether they are needed, by their `before`.
    QHash<QString, QFuture<Result<ArchivePage>>> prefetched;
};

HistorySync::HistorySync(QXmppClient &client, ArchiveQuery &archive, QString accountJid, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_archive(archive)
    , m_accountJid(std::move(accountJid))
    , m_archiveJid(m_accountJid)
    , m_reader([this](const QXmppMessage &stanza) { return readIncomingMessage(stanza, m_accountJid); })
{
    connect(&m_client, &QXmppClient::disconnected, this, [this] {
        ++m_generation;
        m_catchingUp = false;
    });
}

void HistorySync::setStore(MessageRepository *messages, SyncStateRepository *state)
{
    m_messages = messages;
    m_state = state;
}

bool HistorySync::isCurrent(const std::shared_ptr<Run> &run) const
{
    return run->generation == m_generation;
}

template <typename T> bool HistorySync::proceeds(const std::shared_ptr<Run> &run, const Result<T> &result)
{
    if (!isCurrent(run))
        return false; // a disconnect abandoned it
    if (!isOk(result)) {
        finish(run, errorOf(result));
        return false;
    }
    return true;
}

void HistorySync::setRoomArchive(const QString &roomJid, Reader reader)
{
    m_archiveJid = roomJid;
    m_reader = std::move(reader);
}

void HistorySync::setDecryptor(Decryptor decrypt)
{
    m_decrypt = std::move(decrypt);
}

void HistorySync::catchUp()
{
    if (!m_messages || !m_state || m_catchingUp || m_client.state() != QXmppClient::ConnectedState)
        return;
    m_catchingUp = true;
    auto run = std::make_shared<Run>();
    run->generation = m_generation;
    m_state->ranges(m_accountJid, m_archiveJid)
        .then(this, [this, run](const Result<QList<ArchiveRange>> &ranges) {
            if (!proceeds(run, ranges))
                return;
            const auto &list = std::get<QList<ArchiveRange>>(ranges);
            run->firstLogin = list.isEmpty();
            if (!list.isEmpty())
                run->known = list.first();
            fetchNewest(run, QString());
        });
}

QFuture<Result<ArchivePage>> HistorySync::fetchPage(const std::shared_ptr<Run> &run, const QString &before)
{
    if (!before.isEmpty()) {
        if (const auto it = run->prefetched.constFind(before); it != run->prefetched.cend()) {
            auto page = *it;
            run->prefetched.erase(it);
            return page;
        }
    }
    return requestPage(run, before);
}

QFuture<Result<ArchivePage>> HistorySync::requestPage(const std::shared_ptr<Run> &run, const QString &before)
{
    // At most this many pages wait ahead of the one being stored.
    constexpr qsizetype PrefetchDepth = 2;
    ArchiveQuery::Filter filter;
    filter.before = before.isNull() ? QString(QLatin1String("")) : before;
    filter.max = m_settings.pageSize;
    if (isRoomArchive())
        filter.archive = m_archiveJid;
    std::weak_ptr<Run> weakRun = run;
    filter.firstResult = [this, weakRun](const QString &oldestId) {
        const auto current = weakRun.lock();
        if (!current || !isCurrent(current) || current->prefetched.contains(oldestId) ||
            current->prefetched.size() >= PrefetchDepth)
            return;
        current->prefetched.insert(oldestId, requestPage(current, oldestId));
    };
    return m_archive.query(filter);
}

void HistorySync::fetchNewest(std::shared_ptr<Run> run, const QString &before)
{
    fetchPage(run, before).then(this, [this, run](const Result<ArchivePage> &result) {
        if (!proceeds(run, result))
            return;
        newestPageStored(run, std::get<ArchivePage>(result));
    });
}

void HistorySync::newestPageStored(std::shared_ptr<Run> run, const ArchivePage &page)
{
    // Where this page meets what the store already holds: only what is newer than that is new.
    const qsizetype knownAt = run->known ? meetingPoint(page, *run->known) : -1;
    const bool reachedKnown = run->known && meets(page, *run->known);
    run->fetched += int(page.messages.size());

    store(page, reachedKnown ? knownAt + 1 : 0)
        .then(this, [this, run, page, reachedKnown](const Result<int> &stored) {
            if (!proceeds(run, stored))
                return;
            run->stored += std::get<int>(stored);

            if (page.messages.isEmpty() && run->fresh.rowId == 0) {
                if (!run->firstLogin)
                    return fillNextGap(run); // nothing new
                // An empty archive: remembered, so everything that arrives later counts as new history
                // (no first-login window) and an interrupted catch-up of it leaves a marked gap.
                ArchiveRange empty;
                empty.newestTime = empty.oldestTime = QDateTime::currentDateTimeUtc();
                empty.reachesArchiveStart = true;
                m_state->save(m_accountJid, m_archiveJid, empty)
                    .then(this, [this, run](const Result<ArchiveRange> &saved) {
                        if (!proceeds(run, saved))
                            return;
                        fillNextGap(run);
                    });
                return;
            }

            ArchiveRange &fresh = run->fresh;
            if (fresh.rowId == 0 && fresh.newestId.isEmpty()) {
                fresh.newestId = page.lastId;
                fresh.newestTime = newestTimeOf(page);
            }
            if (!page.messages.isEmpty()) {
                fresh.oldestId = page.firstId;
                fresh.oldestTime = oldestTimeOf(page);
            }
            fresh.reachesArchiveStart = page.complete;

            if (reachedKnown) {
                ArchiveRange known = *run->known;
                if (fresh.newestId == known.newestId) // nothing arrived since the last sync
                    return fillNextGap(run);
                auto merged = fresh.rowId == 0 ? [&] {
                    known.newestId = fresh.newestId;
                    known.newestTime = fresh.newestTime;
                    if (known.oldestId.isEmpty()) { // it recorded an empty archive
                        known.oldestId = fresh.oldestId;
                        known.oldestTime = fresh.oldestTime;
                    }
                    return m_state->save(m_accountJid, m_archiveJid, known);
                }()
                                               : m_state->merge(m_accountJid, m_archiveJid, fresh, known);
                merged.then(this, [this, run](const Result<ArchiveRange> &saved) {
                    if (!proceeds(run, saved))
                        return;
                    fillNextGap(run);
                });
                return;
            }

            m_state->save(m_accountJid, m_archiveJid, fresh)
                .then(this, [this, run, page](const Result<ArchiveRange> &saved) {
                    if (!proceeds(run, saved))
                        return;
                    run->fresh = std::get<ArchiveRange>(saved);
                    if (page.complete) {
                        // The archive has nothing older; a known range it never reached was purged by the
                        // server and stays apart, a gap the view marks.
                        Q_EMIT gapsChanged();
                        return fillNextGap(run);
                    }
                    if (run->firstLogin && run->fetched >= m_settings.firstLoginWindow) {
                        // A new account: the rest loads when the user scrolls back.
                        return fillNextGap(run);
                    }
                    if (!run->firstLogin)
                        Q_EMIT gapsChanged(); // until the pages meet, what lies between is a gap
                    fetchNewest(run, page.firstId);
                });
        });
}

void HistorySync::fillNextGap(std::shared_ptr<Run> run)
{
    m_state->ranges(m_accountJid, m_archiveJid)
        .then(this, [this, run](const Result<QList<ArchiveRange>> &ranges) {
            if (!proceeds(run, ranges))
                return;
            const auto &list = std::get<QList<ArchiveRange>>(ranges);
            qsizetype gap = -1;
            for (qsizetype i = 0; i + 1 < list.size(); ++i) {
                if (!run->gapsTried.contains(list.at(i + 1).rowId)) {
                    gap = i;
                    break;
                }
            }
            if (gap < 0) {
                if (list.isEmpty() || list.last().reachesArchiveStart ||
                    run->gapsTried.contains(list.last().rowId))
                    return finish(run, std::nullopt);
                return extendRecentWindow(run, list.last());
            }

            extendBack(run, list.at(gap), list.at(gap + 1));
        });
}

void HistorySync::extendRecentWindow(std::shared_ptr<Run> run, const ArchiveRange &oldest)
{
    // A first login that was cut short goes on until the store holds the recent window.
    m_state->archivedCount(m_accountJid, m_archiveJid, m_settings.firstLoginWindow)
        .then(this, [this, run, oldest](const Result<int> &held) {
            if (!proceeds(run, held))
                return;
            if (std::get<int>(held) >= m_settings.firstLoginWindow)
                return finish(run, std::nullopt);
            extendBack(run, oldest, std::nullopt);
        });
}

void HistorySync::extendBack(std::shared_ptr<Run> run, const ArchiveRange &range,
                             const std::optional<ArchiveRange> &older)
{
    fetchPage(run, range.oldestId).then(this, [this, run, range, older](const Result<ArchivePage> &result) {
        if (!isCurrent(run))
            return;
        if (!isOk(result)) {
            if (errorOf(result).code != Error::Code::ArchiveItemNotFound)
                return finish(run, errorOf(result));
            // The archive no longer has where the range starts (purged): a gap below it stays marked,
            // and older history loads by date when scrolling back.
            run->gapsTried.insert(older ? older->rowId : range.rowId);
            return fillNextGap(run);
        }
        const ArchivePage page = std::get<ArchivePage>(result);
        const bool met = older && meets(page, *older);
        store(page, older ? meetingPoint(page, *older) + 1 : 0)
            .then(this, [this, run, range, older, page, met](const Result<int> &stored) {
                if (!proceeds(run, stored))
                    return;
                run->stored += std::get<int>(stored);
                QFuture<Result<ArchiveRange>> saved;
                if (met) {
                    saved = m_state->merge(m_accountJid, m_archiveJid, range, *older);
                } else {
                    ArchiveRange extended = range;
                    if (!page.messages.isEmpty()) {
                        extended.oldestId = page.firstId;
                        extended.oldestTime = oldestTimeOf(page);
                    }
                    extended.reachesArchiveStart = page.complete || page.messages.isEmpty();
                    if (extended.reachesArchiveStart && older)
                        run->gapsTried.insert(older->rowId); // purged from the archive: stays marked
                    saved = m_state->save(m_accountJid, m_archiveJid, extended);
                }
                saved.then(this, [this, run, older](const Result<ArchiveRange> &updated) {
                    if (!proceeds(run, updated))
                        return;
                    if (older)
                        Q_EMIT gapsChanged();
                    fillNextGap(run);
                });
            });
    });
}

void HistorySync::finish(std::shared_ptr<Run> run, std::optional<Error> error)
{
    if (!isCurrent(run))
        return;
    if (error)
        qCWarning(lcMessaging) << "history catch-up stopped:" << error->codeName() << error->detail;
    // A room's conversation is its whole archive: nothing to fill per conversation.
    if (!run->firstLogin || error || isRoomArchive())
        return complete(run, error);
    m_state->thinConversations(m_accountJid, m_settings.conversationWindow)
        .then(this, [this, run](const Result<QStringList> &peers) {
            if (!proceeds(run, peers))
                return;
            fillThinConversations(run, std::make_shared<QStringList>(std::get<QStringList>(peers)));
        });
}

void HistorySync::fillThinConversations(std::shared_ptr<Run> run, std::shared_ptr<QStringList> peers)
{
    if (peers->isEmpty()) {
        // Old history of a new account is not news: nothing of it counts as unread.
        m_state->markAllRead(m_accountJid).then(this, [this, run](const Result<Success> &) {
            complete(run, std::nullopt);
        });
        return;
    }
    const ConversationKey conversation{m_accountJid, peers->takeFirst()};
    fetchOlderPage(conversation, m_settings.conversationWindow)
        .then(this, [this, run, peers](const Result<OlderHistory> &older) {
            if (!proceeds(run, older))
                return;
            run->stored += std::get<OlderHistory>(older).stored;
            fillThinConversations(run, peers);
        });
}

void HistorySync::complete(std::shared_ptr<Run> run, std::optional<Error> error)
{
    if (!isCurrent(run))
        return;
    m_catchingUp = false;
    Q_EMIT catchUpFinished(run->stored, error);
}

QFuture<Result<int>> HistorySync::store(const ArchivePage &page, qsizetype from)
{
    if (!m_decrypt)
        return storeRead(page, from);
    auto promise = std::make_shared<QPromise<Result<int>>>();
    promise->start();
    decrypted(page, from).then(this, [this, promise, from](const ArchivePage &read) {
        storeRead(read, from).then(this, [promise](const Result<int> &stored) {
            promise->addResult(stored);
            promise->finish();
        });
    });
    return promise->future();
}

// Sessions move on with every message, so the page is decrypted in order, one message at a time.
QFuture<ArchivePage> HistorySync::decrypted(const ArchivePage &page, qsizetype from)
{
    struct Progress
    {
        ArchivePage page;
        qsizetype next = 0;
        QPromise<ArchivePage> promise;
        std::function<void()> resume;
    };
    auto progress = std::make_shared<Progress>();
    progress->page = page;
    progress->next = std::max<qsizetype>(from, 0);
    progress->promise.start();
    auto future = progress->promise.future();
    std::weak_ptr<Progress> weak = progress;
    progress->resume = [this, weak] {
        const auto current = weak.lock();
        if (!current)
            return;
        auto &messages = current->page.messages;
        while (current->next < messages.size()) {
            auto read = m_decrypt(messages[current->next].message);
            if (!read.isFinished()) {
                read.then(this, [current](const QXmppMessage &message) {
                    current->page.messages[current->next++].message = message;
                    current->resume();
                });
                return;
            }
            messages[current->next++].message = read.result();
        }
        current->promise.addResult(current->page);
        current->promise.finish();
    };
    progress->resume();
    return future;
}

QFuture<Result<int>> HistorySync::storeRead(const ArchivePage &page, qsizetype from)
{
    QList<ChatMessage> messages;
    QList<MessageAction> actions;
    QList<IncomingMessage> confirmations;
    for (qsizetype i = std::max<qsizetype>(from, 0); i < page.messages.size(); ++i) {
        const ArchivedMessage &archived = page.messages.at(i);
        auto incoming = m_reader(archived.message);
        if (!incoming)
            continue;
        if (auto &message = incoming->message; message && !message->transient) {
            message->stanzaId = archived.archiveId;
            message->stanzaIdBy = m_archiveJid;
            if (archived.archivedAt.isValid()) {
                message->serverTime = archived.archivedAt;
                if (!archived.message.stamp().isValid())
                    message->timestamp = archived.archivedAt;
            }
            messages.append(*message);
        }
        if (auto &action = incoming->action) {
            if (archived.archivedAt.isValid() && !archived.message.stamp().isValid())
                action->time = archived.archivedAt;
            actions.append(*action);
        }
        if (!incoming->confirmedId.isEmpty())
            confirmations.append(*incoming);
    }
    if (messages.isEmpty() && actions.isEmpty() && confirmations.isEmpty())
        return readyResult<int>(0);
    // The page's messages first, so that its actions and markers find them. The page counts as stored (and
    // its range is saved) only once its actions are too: a process ending in between must not lose them.
    auto promise = std::make_shared<QPromise<Result<int>>>();
    promise->start();
    m_messages->ingest(std::move(messages))
        .then(this, [this, promise, actions, confirmations](const Result<QList<ChatMessage>> &stored) {
            if (!isOk(stored)) {
                promise->addResult(errorOf(stored));
                promise->finish();
                return;
            }
            const auto &added = std::get<QList<ChatMessage>>(stored);
            if (!added.isEmpty())
                Q_EMIT messagesStored(added);
            QList<QFuture<Result<QList<ChatMessage>>>> changes;
            if (!actions.isEmpty())
                changes.append(m_messages->applyActions(actions));
            for (const IncomingMessage &confirmation : confirmations)
                changes.append(m_messages->confirmDelivery(
                    confirmation.conversation, confirmation.confirmedId, confirmation.confirmation));
            auto failure = std::make_shared<std::optional<Error>>();
            for (qsizetype i = 0; i < changes.size(); ++i) {
                // The database runs its jobs in order: when the last is done, every one is.
                const bool last = i == changes.size() - 1;
                QFuture<Result<QList<ChatMessage>>> change = changes.at(i);
                change.then(this, [this, promise, failure, last,
                                   count = int(added.size())](const Result<QList<ChatMessage>> &result) {
                    if (const auto *changed = std::get_if<QList<ChatMessage>>(&result)) {
                        if (!changed->isEmpty())
                            Q_EMIT messagesChanged(*changed);
                    } else if (!*failure) {
                        *failure = errorOf(result);
                    }
                    if (!last)
                        return;
                    promise->addResult(*failure ? Result<int>(**failure) : Result<int>(count));
                    promise->finish();
                });
            }
            if (changes.isEmpty()) {
                promise->addResult(int(added.size()));
                promise->finish();
            }
        });
    return promise->future();
}

QFuture<Result<HistorySync::OlderHistory>> HistorySync::fetchOlder(const ConversationKey &conversation)
{
    return fetchOlderPage(conversation, m_settings.pageSize);
}

QFuture<Result<HistorySync::OlderHistory>> HistorySync::fetchOlderPage(const ConversationKey &conversation,
                                                                       int max)
{
    if (!m_messages)
        return readyResult<OlderHistory>(
            Error(Error::Code::DatabaseFailed, QStringLiteral("no message store")));
    auto promise = std::make_shared<QPromise<Result<OlderHistory>>>();
    promise->start();
    auto fail = [promise](const Error &error) {
        promise->addResult(error);
        promise->finish();
    };
    m_messages->after(conversation, std::nullopt, 1)
        .then(this, [this, conversation, max, promise, fail](const Result<QList<ChatMessage>> &oldest) {
            if (!isOk(oldest))
                return fail(errorOf(oldest));
            ArchiveQuery::Filter filter;
            if (isRoomArchive())
                filter.archive = m_archiveJid;
            else
                filter.with = conversation.peer;
            filter.max = max;
            const auto &list = std::get<QList<ChatMessage>>(oldest);
            if (!list.isEmpty()) {
                const ChatMessage &first = list.first();
                // Paging from the archive id is exact; a message without one bounds the query by time.
                if (first.stanzaIdBy == m_archiveJid && !first.stanzaId.isEmpty())
                    filter.before = first.stanzaId;
                else
                    filter.end = first.serverTime.isValid() ? first.serverTime : first.timestamp;
            }
            m_archive.query(filter).then(this, [this, promise, fail](const Result<ArchivePage> &result) {
                if (!isOk(result))
                    return fail(errorOf(result));
                const ArchivePage page = std::get<ArchivePage>(result);
                store(page).then(this, [promise, fail, page](const Result<int> &stored) {
                    if (!isOk(stored))
                        return fail(errorOf(stored));
                    promise->addResult(OlderHistory{std::get<int>(stored), page.complete});
                    promise->finish();
                });
            });
        });
    return promise->future();
}

} // namespace Natter::Core
