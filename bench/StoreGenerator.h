// SPDX-License-Identifier: GPL-3.0-or-later
// A synthetic chat history for the store benchmarks: message i is always the same message.
#pragma once

#include "common/Result.h"
#include "domain/ChatMessage.h"

#include <QList>
#include <QString>
#include <functional>

namespace Natter::Core {
class MessageRepository;
}

namespace Natter::Bench {

// What filling a store took.
struct FillReport
{
    qint64 stored = 0;
    qint64 elapsedNs = 0;    // first ingest call to the last result
    qint64 generatingNs = 0; // of that, time spent making messages on this thread
    qint64 longestGapNs =
        0; // longest wait between two batch results: a query queued behind ingest waits this
};

class StoreGenerator
{
public:
    static constexpr int BatchSize = 1000;
    // One message in this many carries the rare word, so a search for it finds a handful.
    static constexpr int RareWordEvery = 20000;

    StoreGenerator(qint64 messageCount, int conversationCount);

    static QString account();
    static QString rareWord();
    // A word no generated message contains.
    static QString absentWord();

    qint64 messageCount() const { return m_messageCount; }
    int conversationCount() const { return m_conversationCount; }

    // Conversation 0 gets every tenth message (all of them when there is only one conversation); the
    // others share the rest at random, so with the default 1,000 conversations it is by far the largest.
    Core::ConversationKey bigConversation() const;
    qint64 bigConversationSize() const;
    // How many of the messages are outgoing and still pending (the newest few outgoing ones).
    qint64 pendingCount() const;

    // Messages first … first + count - 1, oldest first; fewer at the end of the history.
    QList<Core::ChatMessage> messages(qint64 first, qint64 count) const;

    // Ingests every message in batches of BatchSize, one batch queued behind the one being stored.
    // Fails when a batch does not come back whole: every generated message is new. progress hears the
    // number stored so far after each batch.
    Core::Result<FillReport> fill(Core::MessageRepository &repository,
                                  const std::function<void(qint64)> &progress = {}) const;

private:
    Core::ChatMessage message(qint64 index) const;
    int conversationOf(qint64 index) const;
    Core::ConversationKey conversation(int number) const;

    qint64 m_messageCount;
    int m_conversationCount;
};

} // namespace Natter::Bench
