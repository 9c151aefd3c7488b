// SPDX-License-Identifier: GPL-3.0-or-later
// Keeps the message store equal to the account's server archive (XEP-0313 MAM with XEP-0059 paging):
// newest first on every connect, older gaps filled in the background, older history on demand.
#pragma once

#include "common/Result.h"
#include "domain/ChatMessage.h"
#include "im/IncomingMessage.h"

#include <QFuture>
#include <QObject>
#include <functional>
#include <memory>
#include <optional>

class QXmppClient;
class QXmppMessage;

namespace Natter::Core {

class ArchiveQuery;
struct ArchiveRange;
struct ArchivePage;
class MessageRepository;
class SyncStateRepository;

class HistorySync : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        int pageSize = 100;
        // A new account (nothing synced yet) fetches this many of the newest archived messages; the
        // rest loads on demand when the user scrolls back.
        int firstLoginWindow = 1000;
        // Then every conversation found in it that holds fewer messages gets one request for up to this
        // many of its own (a quiet chat is not left with one line because a busy one filled the window).
        int conversationWindow = 50;
    };

    // What fetchOlder() brought.
    struct OlderHistory
    {
        int stored = 0;            // messages new to the store
        bool reachedStart = false; // the archive holds nothing older for this conversation
    };

    HistorySync(QXmppClient &client, ArchiveQuery &archive, QString accountJid, QObject *parent = nullptr);

    void setStore(MessageRepository *messages, SyncStateRepository *state);
    // Reads a room's archive (XEP-0313 on the room) instead of the account's; reader turns each archived
    // stanza into what it means for the room's conversation.
    using Reader = std::function<std::optional<IncomingMessage>(const QXmppMessage &)>;
    void setRoomArchive(const QString &roomJid, Reader reader);
    // Archived end-to-end encrypted messages go through decrypt first, one after the other in archive order
    // (it returns the message as it was when it cannot decrypt it; the store then keeps a notice). A
    // finished future is taken at once.
    using Decryptor = std::function<QFuture<QXmppMessage>(const QXmppMessage &)>;
    void setDecryptor(Decryptor decrypt);
    bool isRoomArchive() const { return m_archiveJid != m_accountJid; }
    void setSettings(const Settings &settings) { m_settings = settings; }

    // Runs on every connect: from the newest archived message back to the newest one already stored,
    // then fills older gaps. Does nothing without a store or while a catch-up runs.
    void catchUp();
    bool isCatchingUp() const { return m_catchingUp; }

    // One page of the conversation's history older than the oldest stored message, into the store.
    QFuture<Result<OlderHistory>> fetchOlder(const ConversationKey &conversation);

Q_SIGNALS:
    // Messages from the archive that were not in the store (oldest first within one call).
    void messagesStored(const QList<Natter::Core::ChatMessage> &messages);
    // Stored messages that archived corrections, retractions, reactions or markers changed.
    void messagesChanged(const QList<Natter::Core::ChatMessage> &messages);
    // A catch-up ended: stored = messages new to the store; an error when it stopped early (the
    // remaining gap stays recorded and is retried at the next connect).
    void catchUpFinished(int stored, const std::optional<Natter::Core::Error> &error);
    // The recorded gaps of the archive changed (see SyncStateRepository::gaps).
    void gapsChanged();

private:
    struct Run;
    void fetchNewest(std::shared_ptr<Run> run, const QString &before);
    void newestPageStored(std::shared_ptr<Run> run, const ArchivePage &page);
    void fillNextGap(std::shared_ptr<Run> run);
    void extendRecentWindow(std::shared_ptr<Run> run, const ArchiveRange &oldest);
    // Stores the page just older than range and extends range by it, or merges it with older (the next
    // range down, when there is one) once the page reaches it.
    void extendBack(std::shared_ptr<Run> run, const ArchiveRange &range,
                    const std::optional<ArchiveRange> &older);
    void finish(std::shared_ptr<Run> run, std::optional<Error> error);
    void fillThinConversations(std::shared_ptr<Run> run, std::shared_ptr<QStringList> peers);
    void complete(std::shared_ptr<Run> run, std::optional<Error> error);
    QFuture<Result<OlderHistory>> fetchOlderPage(const ConversationKey &conversation, int max);
    // The page of the archive just before `before` (empty: the newest page). Asks for the page after it as
    // soon as this one's first result arrives, so catch-up pays the server's latency about once, not per
    // page.
    QFuture<Result<ArchivePage>> fetchPage(const std::shared_ptr<Run> &run, const QString &before);
    QFuture<Result<ArchivePage>> requestPage(const std::shared_ptr<Run> &run, const QString &before);
    // Ingests the chat messages of page[from…] and emits the new ones; resolves with their number.
    QFuture<Result<int>> store(const ArchivePage &page, qsizetype from = 0);
    QFuture<ArchivePage> decrypted(const ArchivePage &page, qsizetype from);
    QFuture<Result<int>> storeRead(const ArchivePage &page, qsizetype from);
    bool isCurrent(const std::shared_ptr<Run> &run) const;
    // Whether run goes on with result: false when a disconnect abandoned it or result is an error (which
    // ends it).
    template <typename T> bool proceeds(const std::shared_ptr<Run> &run, const Result<T> &result);

    QXmppClient &m_client;
    ArchiveQuery &m_archive;
    QString m_accountJid;
    QString m_archiveJid; // whose archive: the account's own, or a room's
    Reader m_reader;
    Decryptor m_decrypt;
    MessageRepository *m_messages = nullptr;
    SyncStateRepository *m_state = nullptr;
    Settings m_settings;
    bool m_catchingUp = false;
    int m_generation = 0; // a disconnect abandons the running catch-up
};

} // namespace Natter::Core
