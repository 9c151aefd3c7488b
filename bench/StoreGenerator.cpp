// SPDX-License-Identifier: GPL-3.0-or-later
// Deterministic message generation and the batched fill of a store through MessageRepository::ingest.
#include "StoreGenerator.h"

#include "Await.h"
#include "storage/MessageRepository.h"

#include <QElapsedTimer>
#include <QTimeZone>
#include <algorithm>
#include <array>

namespace Natter::Bench {

using Core::ChatMessage;
using Core::ConversationKey;

namespace {

// Most frequent first, as in real chat. Some words carry diacritics or are in other scripts, for the FTS
// tokenizer.
constexpr std::array Words = {
    u"the",         u"I",          u"you",      u"to",          u"a",          u"and",         u"it",
    u"is",          u"that",       u"of",       u"in",          u"we",         u"for",         u"on",
    u"me",          u"this",       u"have",     u"be",          u"so",         u"just",        u"not",
    u"with",        u"what",       u"can",      u"do",          u"ok",         u"but",         u"yes",
    u"are",         u"was",        u"at",       u"if",          u"no",         u"will",        u"my",
    u"all",         u"get",        u"now",      u"there",       u"think",      u"know",        u"about",
    u"good",        u"time",       u"see",      u"out",         u"like",       u"one",         u"up",
    u"then",        u"how",        u"thanks",   u"today",       u"still",      u"maybe",       u"tomorrow",
    u"later",       u"work",       u"sure",     u"need",        u"back",       u"yeah",        u"right",
    u"here",        u"meeting",    u"home",     u"call",        u"again",      u"look",        u"want",
    u"some",        u"would",      u"could",    u"should",      u"going",      u"really",      u"something",
    u"morning",     u"evening",    u"night",    u"week",        u"weekend",    u"lunch",       u"dinner",
    u"coffee",      u"train",      u"bus",      u"late",        u"early",      u"soon",        u"send",
    u"sent",        u"message",    u"phone",    u"laptop",      u"server",     u"update",      u"build",
    u"release",     u"test",       u"broken",   u"fixed",       u"works",      u"problem",     u"idea",
    u"nice",        u"great",      u"funny",    u"sorry",       u"please",     u"happy",       u"birthday",
    u"party",       u"music",      u"movie",    u"book",        u"read",       u"write",       u"picture",
    u"photo",       u"weather",    u"rain",     u"sun",         u"snow",       u"cold",        u"warm",
    u"city",        u"station",    u"airport",  u"flight",      u"hotel",      u"trip",        u"holiday",
    u"café",        u"naïve",      u"Zürich",   u"Straße",      u"façade",     u"señor",       u"déjà",
    u"vu",          u"garçon",     u"Ærø",      u"smörgåsbord", u"jalapeño",   u"piñata",      u"résumé",
    u"привет",      u"спасибо",    u"пока",     u"γεια",        u"ευχαριστώ",  u"日本",        u"東京",
    u"おはよう",    u"ありがとう", u"你好",     u"谢谢",        u"안녕하세요", u"שלום",        u"مرحبا",
    u"namaste",     u"kitchen",    u"garden",   u"bicycle",     u"mountain",   u"river",       u"ocean",
    u"library",     u"museum",     u"concert",  u"festival",    u"market",     u"bakery",      u"pharmacy",
    u"dentist",     u"doctor",     u"invoice",  u"contract",    u"deadline",   u"quarterly",   u"budget",
    u"spreadsheet", u"keyboard",   u"monitor",  u"printer",     u"router",     u"firmware",    u"kernel",
    u"compiler",    u"debugger",   u"database", u"migration",   u"encryption", u"fingerprint", u"certificate",
    u"telescope",   u"astronomy",  u"nebula",   u"quasar",      u"penguin",    u"walrus",      u"armadillo",
    u"kumquat",     u"rhubarb",    u"saffron",  u"tamarind",    u"quince",     u"persimmon",   u"gooseberry",
};

constexpr std::array Emoji = {u"🙂", u"😂", u"👍", u"🎉", u"❤️", u"🤔", u"🙈", u"☕"};

constexpr qint64 StartMs = 1577836800000; // 2020-01-01T00:00:00Z
constexpr qint64 StepMs = 60 * 1000;      // one message a minute, give or take half a minute
constexpr int MaxBodyLength = 400;
constexpr int PendingWindow = 40; // outgoing messages among the newest this many are still pending

// SplitMix64's finalizer: a bijection on 64 bits, so distinct inputs give distinct identifiers.
constexpr quint64 mix(quint64 value)
{
    value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9ULL;
    value = (value ^ (value >> 27)) * 0x94d049bb133111ebULL;
    return value ^ (value >> 31);
}

// A small deterministic random stream per message.
class Random
{
public:
    explicit Random(quint64 seed)
        : m_state(seed)
    {}
    quint64 next() { return mix(m_state += 0x9e3779b97f4a7c15ULL); }
    int below(int bound) { return int(next() % quint64(bound)); }
    double unit() { return double(next() >> 11) * 0x1.0p-53; }

private:
    quint64 m_state;
};

QString hex(quint64 value, int digits)
{
    return QString::number(value, 16).rightJustified(digits, u'0');
}

QString uuidLike(quint64 unique, quint64 random)
{
    const QString high = hex(unique, 16);
    const QString low = hex(random, 16);
    return high.left(8) + u'-' + high.mid(8, 4) + u'-' + high.mid(12, 4) + u'-' + low.left(4) + u'-' +
           low.mid(4, 12);
}

int bodyLength(Random &random)
{
    const int kind = random.below(100);
    if (kind < 55)
        return 5 + random.below(36); // a quick line
    if (kind < 90)
        return 40 + random.below(111);
    return 150 + random.below(MaxBodyLength - 150 + 1);
}

// Zipf's law: the word of rank r comes with weight 1 / r, so "the" is in most messages and the last
// words of the list in about one message of a hundred.
const std::array<double, Words.size()> &cumulativeWeights()
{
    static const auto weights = [] {
        std::array<double, Words.size()> sums{};
        double sum = 0;
        for (size_t rank = 0; rank < Words.size(); ++rank)
            sums[rank] = sum += 1.0 / double(rank + 1);
        for (double &value : sums)
            value /= sum;
        return sums;
    }();
    return weights;
}

QString word(Random &random)
{
    const auto &weights = cumulativeWeights();
    const auto found = std::upper_bound(weights.cbegin(), weights.cend(), random.unit());
    const auto index = qMin(size_t(found - weights.cbegin()), Words.size() - 1);
    return QString::fromUtf16(Words[index]);
}

QString body(qint64 index, Random &random)
{
    const int length = bodyLength(random);
    QString text;
    text.reserve(length + 24);
    bool sentenceStart = true;
    if (index % StoreGenerator::RareWordEvery == StoreGenerator::RareWordEvery / 2)
        text += StoreGenerator::rareWord() + u' ';
    while (text.size() <= length) { // one more: the trailing space goes
        QString next = word(random);
        if (sentenceStart)
            next[0] = next[0].toUpper();
        text += next;
        const int mark = random.below(20);
        sentenceStart = mark < 2;
        if (mark == 0)
            text += u'.';
        else if (mark == 1)
            text += u'?';
        else if (mark == 2)
            text += u',';
        text += u' ';
    }
    if (random.below(8) == 0)
        text += QString::fromUtf16(Emoji[size_t(random.below(int(Emoji.size())))]);
    text = text.trimmed();
    if (text.size() > MaxBodyLength) {
        text.truncate(MaxBodyLength);
        if (text.back().isHighSurrogate())
            text.chop(1);
    }
    return text;
}

} // namespace

StoreGenerator::StoreGenerator(qint64 messageCount, int conversationCount)
    : m_messageCount(messageCount)
    , m_conversationCount(qMax(1, conversationCount))
{}

QString StoreGenerator::account()
{
    return QStringLiteral("bench@example.org");
}

QString StoreGenerator::rareWord()
{
    return QStringLiteral("xylophone");
}

QString StoreGenerator::absentWord()
{
    return QStringLiteral("quokkaburger");
}

ConversationKey StoreGenerator::bigConversation() const
{
    return conversation(0);
}

qint64 StoreGenerator::bigConversationSize() const
{
    if (m_conversationCount == 1)
        return m_messageCount;
    return (m_messageCount + 9) / 10;
}

qint64 StoreGenerator::pendingCount() const
{
    qint64 pending = 0;
    for (qint64 index = qMax<qint64>(0, m_messageCount - PendingWindow); index < m_messageCount; ++index) {
        if (message(index).delivery == ChatMessage::Delivery::Pending)
            ++pending;
    }
    return pending;
}

int StoreGenerator::conversationOf(qint64 index) const
{
    if (m_conversationCount == 1 || index % 10 == 0)
        return 0;
    return 1 + int(mix(quint64(index) ^ 0x5bd1e995ULL) % quint64(m_conversationCount - 1));
}

ConversationKey StoreGenerator::conversation(int number) const
{
    return {account(), QStringLiteral("contact%1@example.net").arg(number, 4, 10, QChar(u'0'))};
}

ChatMessage StoreGenerator::message(qint64 index) const
{
    Random random(mix(quint64(index) + 0x2545f4914f6cdd1dULL));
    ChatMessage message;
    message.conversation = conversation(conversationOf(index));
    // Alternates within the big conversation (every tenth message) as well as over the whole history.
    const bool outgoing = (index + index / 10) % 2 == 1;
    message.direction = outgoing ? ChatMessage::Direction::Outgoing : ChatMessage::Direction::Incoming;
    const bool pending = outgoing && index >= m_messageCount - PendingWindow;
    message.delivery = pending ? ChatMessage::Delivery::Pending : ChatMessage::Delivery::Acknowledged;
    message.id = uuidLike(mix(quint64(index) + 0x100000001b3ULL), random.next());
    message.originId = message.id; // as most clients do
    if (!pending) {
        message.stanzaId = hex(mix(quint64(index) + 0xcbf29ce484222325ULL), 16);
        message.stanzaIdBy = account(); // our own archive holds one-to-one chats
    }
    message.senderFullJid = outgoing ? account() + QStringLiteral("/Natter.bench")
                                     : message.conversation.peer + QStringLiteral("/phone");
    message.body = body(index, random);
    const qint64 time = StartMs + index * StepMs + random.below(int(StepMs / 2));
    message.timestamp = QDateTime::fromMSecsSinceEpoch(time, QTimeZone::UTC);
    if (!pending)
        message.serverTime = QDateTime::fromMSecsSinceEpoch(time + 150, QTimeZone::UTC);
    return message;
}

QList<ChatMessage> StoreGenerator::messages(qint64 first, qint64 count) const
{
    QList<ChatMessage> batch;
    const qint64 end = qMin(m_messageCount, first + count);
    batch.reserve(qMax<qint64>(0, end - first));
    for (qint64 index = first; index < end; ++index)
        batch.append(message(index));
    return batch;
}

Core::Result<FillReport> StoreGenerator::fill(Core::MessageRepository &repository,
                                              const std::function<void(qint64)> &progress) const
{
    FillReport report;
    QElapsedTimer total;
    QElapsedTimer generating;
    total.start();

    generating.start();
    QList<ChatMessage> batch = messages(0, BatchSize);
    report.generatingNs += generating.nsecsElapsed();
    qint64 inFlightSize = batch.size();
    auto inFlight = repository.ingest(std::move(batch));
    qint64 lastResultNs = total.nsecsElapsed();

    for (qint64 next = BatchSize;; next += BatchSize) {
        // Make and queue the next batch while the database thread stores the current one.
        generating.start();
        batch = messages(next, BatchSize);
        report.generatingNs += generating.nsecsElapsed();
        const qint64 queuedSize = batch.size();
        QFuture<Core::Result<QList<ChatMessage>>> queued;
        if (queuedSize > 0)
            queued = repository.ingest(std::move(batch));

        const auto result = await(inFlight);
        const qint64 now = total.nsecsElapsed();
        report.longestGapNs = qMax(report.longestGapNs, now - lastResultNs);
        lastResultNs = now;
        if (!Core::isOk(result))
            return Core::errorOf(result);
        const qint64 stored = std::get<QList<ChatMessage>>(result).size();
        if (stored != inFlightSize) {
            return Core::Error(Core::Error::Code::DatabaseFailed,
                               QStringLiteral("the batch from message %1 stored %2 of %3 new messages")
                                   .arg(next - BatchSize)
                                   .arg(stored)
                                   .arg(inFlightSize));
        }
        report.stored += stored;
        if (progress)
            progress(report.stored);
        if (queuedSize == 0)
            break;
        inFlight = queued;
        inFlightSize = queuedSize;
    }
    report.elapsedNs = total.nsecsElapsed();
    return report;
}

} // namespace Natter::Bench
