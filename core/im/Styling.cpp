// SPDX-License-Identifier: GPL-3.0-or-later
#include "Styling.h"

#include <QHash>
#include <QRegularExpression>
#include <QTextBoundaryFinder>
#include <algorithm>

namespace Natter::Core::Styling {

namespace {

using Kind = Span::Kind;

Span span(Kind kind, qsizetype start, qsizetype length, int depth = 0)
{
    Span made;
    made.kind = kind;
    made.start = start;
    made.length = length;
    made.depth = depth;
    return made;
}

bool isDirective(QChar c)
{
    return c == u'*' || c == u'_' || c == u'~' || c == u'`';
}

Kind kindOf(QChar c)
{
    switch (c.unicode()) {
    case u'*':
        return Kind::Strong;
    case u'_':
        return Kind::Emphasis;
    case u'~':
        return Kind::Strike;
    default:
        return Kind::Code;
    }
}

// The spans of one line of plain text [begin, end).
class LineParser
{
public:
    LineParser(const QString &text, qsizetype begin, qsizetype end, QList<Span> &out)
        : m_text(text)
        , m_out(out)
    {
        // Where each directive could close a span: the character before it is not white space.
        for (qsizetype i = begin + 1; i < end; ++i) {
            if (isDirective(text.at(i)) && !text.at(i - 1).isSpace())
                m_closings[text.at(i).unicode()].append(i);
        }
        parse(begin, end);
    }

private:
    // The first possible closing of directive c after position after, before end; -1 when none.
    qsizetype closingAfter(QChar c, qsizetype after, qsizetype end) const
    {
        const QList<qsizetype> &positions = m_closings[c.unicode()];
        const auto it = std::upper_bound(positions.cbegin(), positions.cend(), after);
        return it != positions.cend() && *it < end ? *it : -1;
    }

    void parse(qsizetype begin, qsizetype end)
    {
        qsizetype i = begin;
        while (i < end) {
            const QChar c = m_text.at(i);
            // An opening directive: at the start, after white space or after another opening directive (the
            // start of this range is one), not followed by white space.
            const bool canOpen = isDirective(c) && (i == begin || m_text.at(i - 1).isSpace()) &&
                                 i + 1 < end && !m_text.at(i + 1).isSpace();
            if (!canOpen) {
                ++i;
                continue;
            }
            // The span may not be empty: its closing comes after at least one character.
            const qsizetype close = closingAfter(c, i + 1, end);
            if (close < 0) {
                ++i;
                continue;
            }
            m_out.append(span(Kind::Markup, i, 1));
            m_out.append(span(kindOf(c), i + 1, close - i - 1));
            if (kindOf(c) != Kind::Code)
                parse(i + 1, close); // spans nest, except in code
            m_out.append(span(Kind::Markup, close, 1));
            i = close + 1;
        }
    }

    const QString &m_text;
    QList<Span> &m_out;
    QHash<char16_t, QList<qsizetype>> m_closings;
};

struct Line
{
    qsizetype start = 0;
    qsizetype end = 0; // without the line break
};

QList<Line> linesOf(const QString &body)
{
    QList<Line> lines;
    qsizetype start = 0;
    for (qsizetype i = 0; i <= body.size(); ++i) {
        if (i == body.size() || body.at(i) == u'\n') {
            lines.append({start, i});
            start = i + 1;
        }
    }
    return lines;
}

// Parses lines [first, last) as blocks; offsets[k] is where line k's content starts inside this parent
// (after the quote markers of the enclosing quotes).
void parseBlocks(const QString &body, const QList<Line> &lines, QList<qsizetype> offsets, qsizetype first,
                 qsizetype last, int depth, QList<Span> &out)
{
    qsizetype k = first;
    while (k < last) {
        const qsizetype start = offsets[k];
        const qsizetype end = lines[k].end;
        const QStringView content(body.constData() + start, end - start);
        if (content.startsWith(u"```")) {
            // A preformatted block: to the closing ``` line, else to the end of its parent.
            qsizetype close = k + 1;
            while (close < last && QStringView(body.constData() + offsets[close],
                                               lines[close].end - offsets[close]) != QStringView(u"```"))
                ++close;
            out.append(span(Kind::Markup, start, end - start));
            if (close > k + 1) {
                const qsizetype blockStart = offsets[k + 1];
                out.append(span(Kind::Preformatted, blockStart, lines[close - 1].end - blockStart));
            }
            if (close < last)
                out.append(span(Kind::Markup, offsets[close], 3));
            k = std::min(close + 1, last);
            continue;
        }
        if (content.startsWith(u'>')) {
            // A block quote: the following lines starting with '>' too, parsed again without one marker.
            qsizetype stop = k;
            QList<qsizetype> inner = offsets;
            while (stop < last &&
                   QStringView(body.constData() + offsets[stop], lines[stop].end - offsets[stop])
                       .startsWith(u'>')) {
                qsizetype position = offsets[stop] + 1;
                if (position < lines[stop].end && body.at(position) == u' ')
                    ++position;
                out.append(span(Kind::Markup, offsets[stop], position - offsets[stop]));
                inner[stop] = position;
                ++stop;
            }
            out.append(span(Kind::Quote, start, lines[stop - 1].end - start, depth + 1));
            parseBlocks(body, lines, inner, k, stop, depth + 1, out);
            k = stop;
            continue;
        }
        LineParser(body, start, end, out);
        ++k;
    }
}

bool insideCode(const QList<Span> &spans, qsizetype position)
{
    return std::any_of(spans.cbegin(), spans.cend(), [position](const Span &span) {
        return (span.kind == Kind::Code || span.kind == Kind::Preformatted) && position >= span.start &&
               position < span.start + span.length;
    });
}

bool isEmojiCodePoint(char32_t c)
{
    return (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF) || (c >= 0x2300 && c <= 0x23FF) ||
           (c >= 0x2B00 && c <= 0x2BFF) || c == 0x00A9 || c == 0x00AE || c == 0x203C || c == 0x2049 ||
           c == 0x2122 || c == 0x2139 || (c >= 0x2194 && c <= 0x21AA) || c == 0x3030 || c == 0x303D ||
           c == 0x3297 || c == 0x3299;
}

} // namespace

QList<Span> parse(const QString &body)
{
    QList<Span> spans;
    const QList<Line> lines = linesOf(body);
    QList<qsizetype> offsets;
    offsets.reserve(lines.size());
    for (const Line &line : lines)
        offsets.append(line.start);
    parseBlocks(body, lines, offsets, 0, lines.size(), 0, spans);
    for (const Span &link : links(body)) {
        if (!insideCode(spans, link.start))
            spans.append(link);
    }
    std::stable_sort(spans.begin(), spans.end(),
                     [](const Span &a, const Span &b) { return a.start < b.start; });
    return spans;
}

QList<Span> links(const QString &text, qsizetype from, qsizetype to)
{
    static const QRegularExpression pattern(
        QStringLiteral("(?<![\\w/])(?:https?://|xmpp:|mailto:|geo:)[^\\s<>\"]+"),
        QRegularExpression::CaseInsensitiveOption | QRegularExpression::UseUnicodePropertiesOption);
    const qsizetype end = to < 0 ? text.size() : to;
    QList<Span> found;
    auto matches = pattern.globalMatch(text, from);
    while (matches.hasNext()) {
        const auto match = matches.next();
        if (match.capturedEnd() > end)
            break;
        qsizetype start = match.capturedStart();
        qsizetype length = match.capturedLength();
        // Punctuation closing a sentence is not part of the link, nor a ")" that opened outside it.
        while (length > 0) {
            const QChar last = text.at(start + length - 1);
            if (QStringLiteral(".,;:!?'\"").contains(last)) {
                --length;
                continue;
            }
            if (last == u')') {
                const QStringView candidate(text.constData() + start, length);
                if (candidate.count(u'(') < candidate.count(u')')) {
                    --length;
                    continue;
                }
            }
            break;
        }
        const QString url = text.mid(start, length);
        // A scheme alone ("mailto:") is no link.
        if (length > 0 && !url.endsWith(u':') && !url.endsWith(QLatin1String("//"))) {
            Span link = span(Kind::Link, start, length);
            link.url = url;
            found.append(link);
        }
    }
    return found;
}

bool isMeCommand(const QString &body)
{
    return body.startsWith(QLatin1String("/me "));
}

int emojiOnlyCount(const QString &body)
{
    const QString trimmed = body.trimmed();
    if (trimmed.isEmpty() || trimmed.size() > 64)
        return 0;
    QTextBoundaryFinder graphemes(QTextBoundaryFinder::Grapheme, trimmed);
    int count = 0;
    qsizetype start = 0;
    while (graphemes.toNextBoundary() >= 0) {
        const qsizetype end = graphemes.position();
        const QString cluster = trimmed.mid(start, end - start);
        start = end;
        if (cluster.trimmed().isEmpty())
            continue;
        const auto codes = cluster.toUcs4();
        const bool emoji = isEmojiCodePoint(codes.first()) || codes.contains(0xFE0F) ||
                           (codes.first() >= 0x1F1E6 && codes.first() <= 0x1F1FF);
        if (!emoji || ++count > 3)
            return 0;
    }
    return count;
}

bool mentions(const QString &text, const QString &nick)
{
    if (nick.trimmed().isEmpty())
        return false;
    const auto isWordCharacter = [](QChar c) { return c.isLetterOrNumber() || c == u'_'; };
    for (qsizetype at = text.indexOf(nick, 0, Qt::CaseInsensitive); at >= 0;
         at = text.indexOf(nick, at + 1, Qt::CaseInsensitive)) {
        const qsizetype end = at + nick.size();
        const bool startsWord =
            at == 0 || !isWordCharacter(text.at(at - 1)) || !isWordCharacter(nick.front());
        const bool endsWord =
            end == text.size() || !isWordCharacter(text.at(end)) || !isWordCharacter(nick.back());
        if (startsWord && endsWord)
            return true;
    }
    return false;
}

} // namespace Natter::Core::Styling
