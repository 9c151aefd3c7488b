// SPDX-License-Identifier: GPL-3.0-or-later
// natter-store-bench: the message store against docs/PERFORMANCE.md (ingest, paging, search, duplicates).
#include "Await.h"
#include "StoreGenerator.h"
#include "common/Paths.h"
#include "storage/AccountRepository.h"
#include "storage/Database.h"
#include "storage/MessageRepository.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QThread>
#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>

namespace Natter::Bench {

namespace {

using Core::ChatMessage;
using Core::MessageRepository;
using Messages = QList<ChatMessage>;

constexpr int PageSize = 100;
constexpr int OlderPages = 20;
constexpr int SearchHits = 50;
constexpr qint64 Duplicates = 10000;

struct Options
{
    qint64 messages = 1000000;
    int conversations = 1000;
    QString profile;
    bool verbose = false;
};

// Exit codes: a failed step prints why and ends the run with Failed.
constexpr int Failed = 1;
constexpr int UsageError = 2;

void printLine(const QString &line)
{
    std::fputs(qPrintable(line + u'\n'), stdout);
    std::fflush(stdout);
}

void printNote(const QString &line)
{
    std::fputs(qPrintable(line + u'\n'), stderr);
}

int fail(const QString &what)
{
    printNote(QStringLiteral("natter-store-bench: error: ") + what);
    return Failed;
}

int fail(const QString &what, const Core::Error &error)
{
    return fail(what + QStringLiteral(": ") + error.codeName() + QStringLiteral(" ") + error.detail);
}

QString ms(qint64 ns)
{
    return QString::number(double(ns) / 1e6, 'f', 2);
}

QString perSecond(qint64 count, qint64 ns)
{
    return QString::number(ns > 0 ? qRound64(double(count) * 1e9 / double(ns)) : 0);
}

qint64 median(QList<qint64> values)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const qsizetype middle = values.size() / 2;
    return values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

bool isOlder(const MessageRepository::Cursor &a, const MessageRepository::Cursor &b)
{
    return a.timeMs < b.timeMs || (a.timeMs == b.timeMs && a.storageId < b.storageId);
}

// A page must be newest first and, after a cursor, strictly older than it.
bool isOrderedPage(const Messages &page, std::optional<MessageRepository::Cursor> after)
{
    for (const ChatMessage &message : page) {
        const auto cursor = MessageRepository::cursorOf(message);
        if (after && !isOlder(cursor, *after))
            return false;
        after = cursor;
    }
    return true;
}

std::optional<Options> parseOptions(const QCoreApplication &app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Fills a fresh message store through MessageRepository::ingest and measures ingest, opening the "
        "largest conversation, paging, search and re-ingesting duplicates. One figure per line on stdout."));
    parser.addHelpOption();
    const QCommandLineOption messages(QStringLiteral("messages"),
                                      QStringLiteral("Messages to generate (default 1000000)."),
                                      QStringLiteral("N"), QStringLiteral("1000000"));
    const QCommandLineOption conversations(
        QStringLiteral("conversations"),
        QStringLiteral("Conversations to spread them over (default 1000); the first gets every tenth."),
        QStringLiteral("M"), QStringLiteral("1000"));
    const QCommandLineOption profile(QStringLiteral("profile"),
                                     QStringLiteral("Keep the store in DIR (which must hold none yet) "
                                                    "instead of a temporary directory."),
                                     QStringLiteral("DIR"));
    const QCommandLineOption verbose(QStringLiteral("verbose"),
                                     QStringLiteral("Print every query's time to stderr."));
    parser.addOptions({messages, conversations, profile, verbose});
    parser.process(app);

    Options options;
    bool messagesOk = false;
    bool conversationsOk = false;
    options.messages = parser.value(messages).toLongLong(&messagesOk);
    options.conversations = parser.value(conversations).toInt(&conversationsOk);
    options.profile = parser.value(profile);
    options.verbose = parser.isSet(verbose);
    if (!messagesOk || !conversationsOk || options.messages < 1 || options.conversations < 1 ||
        options.conversations > options.messages) {
        printNote(QStringLiteral("natter-store-bench: --messages and --conversations take positive numbers, "
                                 "and there cannot be more conversations than messages"));
        return std::nullopt;
    }
    return options;
}

// Runs every step in order on one store; a failed step prints why and ends the run.
class StoreBench
{
public:
    explicit StoreBench(Options options)
        : m_options(std::move(options))
        , m_generator(m_options.messages, m_options.conversations)
    {}

    int run()
    {
        if (const int code = prepareProfile(); code != 0)
            return code;
        printLine(QStringLiteral("cores %1").arg(QThread::idealThreadCount()));
        printLine(QStringLiteral("messages %1 messages (%2 conversations, the largest %3)")
                      .arg(m_generator.messageCount())
                      .arg(m_generator.conversationCount())
                      .arg(m_generator.bigConversationSize()));
        for (const auto step :
             {&StoreBench::ingest, &StoreBench::openConversation, &StoreBench::olderPages,
              &StoreBench::searchEverywhere, &StoreBench::searchInConversation, &StoreBench::pending,
              &StoreBench::reIngestDuplicates, &StoreBench::storeSize}) {
            if (const int code = (this->*step)(); code != 0)
                return code;
        }
        return 0;
    }

private:
    int prepareProfile()
    {
        QString directory = m_options.profile;
        if (directory.isEmpty()) {
            m_temporary.emplace(QDir::tempPath() + QStringLiteral("/natter-store-bench-XXXXXX"));
            if (!m_temporary->isValid())
                return fail(QStringLiteral("cannot create a temporary directory: ") +
                            m_temporary->errorString());
            directory = m_temporary->path();
        } else if (!QDir().mkpath(directory)) {
            return fail(QStringLiteral("cannot create ") + directory);
        }
        m_file = Core::Paths::databaseFile(directory);
        if (QFileInfo::exists(m_file))
            return fail(m_file + QStringLiteral(" exists; give --profile an empty directory"));
        return 0;
    }

    Core::Result<Core::Success> openStore()
    {
        closeStore();
        m_database = std::make_unique<Core::Database>(m_file);
        m_repository = std::make_unique<MessageRepository>(*m_database);
        return await(m_database->open());
    }

    void closeStore()
    {
        m_repository.reset();
        m_database.reset();
    }

    qint64 bytesOnDisk() const
    {
        qint64 bytes = 0;
        for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
            bytes += QFileInfo(m_file + suffix).size();
        return bytes;
    }

    int ingest()
    {
        if (const auto opened = openStore(); !Core::isOk(opened))
            return fail(QStringLiteral("cannot open the store"), Core::errorOf(opened));
        Core::AccountConfig account;
        account.jid = StoreGenerator::account();
        account.resource = QStringLiteral("Natter.bench");
        Core::AccountRepository accounts(*m_database);
        if (const auto saved = await(accounts.save(account)); !Core::isOk(saved))
            return fail(QStringLiteral("cannot save the account"), Core::errorOf(saved));

        const qint64 tenth = qMax<qint64>(StoreGenerator::BatchSize, m_generator.messageCount() / 10);
        qint64 reported = 0;
        const auto filled = m_generator.fill(*m_repository, [&](qint64 stored) {
            if (stored - reported < tenth)
                return;
            reported = stored;
            printNote(QStringLiteral("  ingested %1 of %2").arg(stored).arg(m_generator.messageCount()));
        });
        if (!Core::isOk(filled))
            return fail(QStringLiteral("ingest failed"), Core::errorOf(filled));
        const FillReport report = std::get<FillReport>(filled);
        printLine(QStringLiteral("ingest_rate %1 messages/s (target >= 100000)")
                      .arg(perSecond(report.stored, report.elapsedNs)));
        printLine(QStringLiteral("ingest_batch_max_ms %1 ms (longest wait between two results of %2-message "
                                 "batches; a query queued behind ingest can wait this long)")
                      .arg(ms(report.longestGapNs))
                      .arg(StoreGenerator::BatchSize));
        printLine(QStringLiteral("generator_rate %1 messages/s (ceiling: making the messages alone, on the "
                                 "calling thread, overlapped with ingest)")
                      .arg(perSecond(report.stored, report.generatingNs)));
        return 0;
    }

    int openConversation()
    {
        // Cold-ish: a new connection with empty caches (the operating system's file cache stays warm).
        closeStore();
        if (const auto opened = openStore(); !Core::isOk(opened))
            return fail(QStringLiteral("cannot reopen the store"), Core::errorOf(opened));
        QElapsedTimer timer;
        timer.start();
        const auto result =
            await(m_repository->before(m_generator.bigConversation(), std::nullopt, PageSize));
        const qint64 elapsed = timer.nsecsElapsed();
        if (!Core::isOk(result))
            return fail(QStringLiteral("newest page"), Core::errorOf(result));
        m_page = std::get<Messages>(result);
        if (m_page.size() != qMin<qint64>(PageSize, m_generator.bigConversationSize()) ||
            !isOrderedPage(m_page, std::nullopt))
            return fail(
                QStringLiteral("the newest page of the largest conversation is incomplete or out of order"));
        printLine(QStringLiteral("open_conversation_newest_page_ms %1 ms (target <= 30, %2-message "
                                 "conversation, freshly reopened database)")
                      .arg(ms(elapsed))
                      .arg(m_generator.bigConversationSize()));
        return 0;
    }

    int olderPages()
    {
        QList<qint64> times;
        qint64 loaded = m_page.size();
        while (times.size() < OlderPages && !m_page.isEmpty()) {
            const auto cursor = MessageRepository::cursorOf(m_page.constLast());
            QElapsedTimer timer;
            timer.start();
            const auto result = await(m_repository->before(m_generator.bigConversation(), cursor, PageSize));
            const qint64 elapsed = timer.nsecsElapsed();
            if (!Core::isOk(result))
                return fail(QStringLiteral("older page"), Core::errorOf(result));
            m_page = std::get<Messages>(result);
            if (m_page.isEmpty())
                break;
            times.append(elapsed);
            loaded += m_page.size();
            const qint64 expected =
                qMin<qint64>(PageSize, m_generator.bigConversationSize() - loaded + m_page.size());
            if (m_page.size() != expected || !isOrderedPage(m_page, cursor))
                return fail(
                    QStringLiteral("an older page is incomplete or not strictly older than its cursor"));
        }
        printLine(QStringLiteral("older_page_ms %1 ms (target <= 10, median of %2 successive pages of %3)")
                      .arg(ms(median(times)))
                      .arg(times.size())
                      .arg(PageSize));
        printLine(QStringLiteral("older_page_max_ms %1 ms (slowest of those pages)")
                      .arg(ms(times.isEmpty() ? 0 : *std::max_element(times.cbegin(), times.cend()))));
        return 0;
    }

    static QStringList queries()
    {
        return {
            QStringLiteral("the"),      QStringLiteral("you"),
            QStringLiteral("coffee"),   QStringLiteral("meeting tomorrow"),
            QStringLiteral("mor"),      QStringLiteral("Zürich"),
            QStringLiteral("привет"),   QStringLiteral("gooseberry"),
            StoreGenerator::rareWord(), StoreGenerator::absentWord(),
        };
    }

    struct SearchTimes
    {
        QList<qint64> times;
        qint64 slowest = 0;
        QString slowestQuery;
    };

    // Times every query; fails on an error or on a hit outside conversation.
    int timeQueries(std::optional<Core::ConversationKey> conversation, SearchTimes *out)
    {
        for (const QString &query : queries()) {
            QElapsedTimer timer;
            timer.start();
            const auto result = await(m_repository->search(query, conversation, SearchHits));
            const qint64 elapsed = timer.nsecsElapsed();
            if (!Core::isOk(result))
                return fail(QStringLiteral("search for \"%1\"").arg(query), Core::errorOf(result));
            const Messages hits = std::get<Messages>(result);
            if (hits.size() > SearchHits)
                return fail(QStringLiteral("search for \"%1\" returned more than %2 hits")
                                .arg(query)
                                .arg(SearchHits));
            if (conversation && std::any_of(hits.cbegin(), hits.cend(), [&](const ChatMessage &hit) {
                    return hit.conversation != *conversation;
                }))
                return fail(
                    QStringLiteral("search for \"%1\" in one conversation found hits elsewhere").arg(query));
            warnOnUnexpectedHits(query, hits.size(), conversation.has_value());
            if (m_options.verbose)
                printNote(QStringLiteral("  search \"%1\"%2: %3 ms, %4 hits")
                              .arg(query, conversation ? QStringLiteral(" in one conversation") : QString(),
                                   ms(elapsed))
                              .arg(hits.size()));
            out->times.append(elapsed);
            if (elapsed >= out->slowest) {
                out->slowest = elapsed;
                out->slowestQuery = query;
            }
        }
        return 0;
    }

    void warnOnUnexpectedHits(const QString &query, qsizetype hits, bool inOneConversation) const
    {
        if (query == StoreGenerator::absentWord() && hits > 0)
            printNote(QStringLiteral("  warning: \"%1\" is in no message but search found %2")
                          .arg(query)
                          .arg(hits));
        const bool common = query == u"the" || query == u"you";
        if (common && !inOneConversation && m_generator.messageCount() >= 1000 && hits < SearchHits)
            printNote(QStringLiteral("  warning: \"%1\" is in most messages but search found only %2")
                          .arg(query)
                          .arg(hits));
    }

    int searchEverywhere()
    {
        SearchTimes result;
        if (const int code = timeQueries(std::nullopt, &result); code != 0)
            return code;
        printLine(QStringLiteral("search_first_50_ms %1 ms (target <= 50, median of %2 queries, common to "
                                 "absent words, over %3 messages)")
                      .arg(ms(median(result.times)))
                      .arg(result.times.size())
                      .arg(m_generator.messageCount()));
        printLine(QStringLiteral("search_first_50_max_ms %1 ms (slowest query: \"%2\")")
                      .arg(ms(result.slowest), result.slowestQuery));
        return 0;
    }

    int searchInConversation()
    {
        SearchTimes result;
        if (const int code = timeQueries(m_generator.bigConversation(), &result); code != 0)
            return code;
        printLine(
            QStringLiteral("search_in_conversation_first_50_ms %1 ms (median of the same queries in the "
                           "%2-message conversation; slowest %3 ms: \"%4\")")
                .arg(ms(median(result.times)))
                .arg(m_generator.bigConversationSize())
                .arg(ms(result.slowest), result.slowestQuery));
        return 0;
    }

    int pending()
    {
        QElapsedTimer timer;
        timer.start();
        const auto result = await(m_repository->pending(StoreGenerator::account()));
        const qint64 elapsed = timer.nsecsElapsed();
        if (!Core::isOk(result))
            return fail(QStringLiteral("pending messages"), Core::errorOf(result));
        const qsizetype found = std::get<Messages>(result).size();
        if (found != m_generator.pendingCount())
            return fail(QStringLiteral("%1 pending messages found, %2 stored")
                            .arg(found)
                            .arg(m_generator.pendingCount()));
        printLine(
            QStringLiteral("pending_ms %1 ms (no target; %2 pending among %3 messages, read at every login)")
                .arg(ms(elapsed))
                .arg(found)
                .arg(m_generator.messageCount()));
        return 0;
    }

    int reIngestDuplicates()
    {
        // The newest ones, as a catch-up overlapping what is stored already would bring them.
        const qint64 count = qMin(Duplicates, m_generator.messageCount());
        const qint64 first = m_generator.messageCount() - count;
        QList<Messages> batches;
        for (qint64 start = first; start < m_generator.messageCount(); start += StoreGenerator::BatchSize)
            batches.append(m_generator.messages(start, StoreGenerator::BatchSize));

        QElapsedTimer timer;
        timer.start();
        QList<QFuture<Core::Result<Messages>>> futures;
        for (Messages &batch : batches)
            futures.append(m_repository->ingest(std::move(batch)));
        qint64 stored = 0;
        for (const auto &future : futures) {
            const auto result = await(future);
            if (!Core::isOk(result))
                return fail(QStringLiteral("re-ingest"), Core::errorOf(result));
            stored += std::get<Messages>(result).size();
        }
        const qint64 elapsed = timer.nsecsElapsed();
        if (stored != 0)
            return fail(QStringLiteral("re-ingesting %1 stored messages stored %2 of them again")
                            .arg(count)
                            .arg(stored));
        printLine(QStringLiteral("re_ingest_duplicates_rate %1 messages/s (no target; %2 stored messages "
                                 "ingested again, all skipped)")
                      .arg(perSecond(count, elapsed))
                      .arg(count));
        return 0;
    }

    // Last, after the database is closed (its WAL checkpointed); printed only when everything succeeded.
    int storeSize()
    {
        closeStore();
        const qint64 bytes = bytesOnDisk();
        printLine(QStringLiteral("store_size_mb %1 MB (%2 bytes/message, after closing)")
                      .arg(QString::number(double(bytes) / (1024.0 * 1024.0), 'f', 1))
                      .arg(bytes / m_generator.messageCount()));
        return 0;
    }

    Options m_options;
    StoreGenerator m_generator;
    std::optional<QTemporaryDir> m_temporary;
    QString m_file;
    std::unique_ptr<Core::Database> m_database;
    std::unique_ptr<MessageRepository> m_repository;
    Messages m_page; // the last page read from the largest conversation
};

} // namespace

} // namespace Natter::Bench

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("natter-store-bench"));
    const auto options = Natter::Bench::parseOptions(app);
    if (!options)
        return Natter::Bench::UsageError;
    return Natter::Bench::StoreBench(*options).run();
}
