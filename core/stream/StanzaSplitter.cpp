// SPDX-License-Identifier: GPL-3.0-or-later
#include "StanzaSplitter.h"

namespace Natter::Core {

namespace {

bool isStreamTag(QStringView tag)
{
    return tag.startsWith(u"<stream:stream") && tag.size() > 14 &&
           (tag[14].isSpace() || tag[14] == u'>' || tag[14] == u'/');
}

} // namespace

QList<StanzaSplitter::Piece> StanzaSplitter::feed(QStringView text)
{
    QList<Piece> pieces;
    if (m_broken)
        return pieces;
    m_buffer.append(text);
    while (m_scanned < m_buffer.size()) {
        const qsizetype open = m_buffer.indexOf(u'<', m_scanned);
        if (open < 0) {
            m_scanned = m_buffer.size();
            break;
        }
        m_scanned = open;
        const Step step = scanMarkup(open, pieces);
        if (step == Step::NeedMore)
            break;
        if (step == Step::Malformed) {
            pieces.append({Piece::Kind::Malformed, m_buffer.mid(open, 200)});
            m_broken = true;
            m_buffer.clear();
            return pieces;
        }
    }
    compact();
    return pieces;
}

// Reads the markup starting at m_buffer[at] == '<' and moves m_scanned past it.
StanzaSplitter::Step StanzaSplitter::scanMarkup(qsizetype at, QList<Piece> &pieces)
{
    const QStringView rest = QStringView(m_buffer).mid(at);
    if (rest.size() < 2)
        return Step::NeedMore;
    const auto skipPast = [&](QStringView end) {
        const qsizetype found = m_buffer.indexOf(end, at + 2);
        if (found < 0)
            return Step::NeedMore;
        m_scanned = found + end.size();
        return Step::Done;
    };
    if (rest[1] == u'?')
        return skipPast(u"?>");
    if (rest[1] == u'!') {
        constexpr QStringView cdata = u"<![CDATA[";
        if (rest.startsWith(u"<!--"))
            return skipPast(u"-->");
        if (rest.startsWith(cdata))
            return skipPast(u"]]>");
        if (rest.size() < cdata.size() && (cdata.startsWith(rest) || QStringView(u"<!--").startsWith(rest)))
            return Step::NeedMore;
        return Step::Malformed; // XMPP has no DTDs (RFC 6120 §11.1)
    }
    if (rest[1] != u'/')
        return scanStartTag(at, pieces);

    const qsizetype end = m_buffer.indexOf(u'>', at);
    if (end < 0)
        return Step::NeedMore;
    m_scanned = end + 1;
    if (--m_depth < 0)
        return Step::Malformed;
    if (m_depth == 0) {
        pieces.append({Piece::Kind::StreamClosed, {}});
        m_elementStart = -1;
    } else if (m_depth == 1) {
        pieces.append({Piece::Kind::Stanza, m_buffer.mid(m_elementStart, m_scanned - m_elementStart)});
        m_elementStart = -1;
    }
    return Step::Done;
}

StanzaSplitter::Step StanzaSplitter::scanStartTag(qsizetype at, QList<Piece> &pieces)
{
    // '>' may stand unescaped inside an attribute value.
    QChar quote;
    qsizetype end = -1;
    for (qsizetype i = at + 1; i < m_buffer.size(); ++i) {
        const QChar c = m_buffer[i];
        if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
        } else if (c == u'\'' || c == u'"') {
            quote = c;
        } else if (c == u'>') {
            end = i;
            break;
        }
    }
    if (end < 0)
        return Step::NeedMore;
    m_scanned = end + 1;
    const QStringView tag = QStringView(m_buffer).mid(at, end + 1 - at);
    const bool empty = m_buffer[end - 1] == u'/';
    // A new stream header replaces the old one (after TLS, after authentication).
    if (m_depth <= 1 && isStreamTag(tag)) {
        if (m_depth == 1 && m_elementStart >= 0)
            return Step::Malformed;
        pieces.append({Piece::Kind::StreamOpened, tag.toString()});
        m_depth = 1;
        return Step::Done;
    }
    if (m_depth == 0)
        return Step::Malformed; // an element outside of any stream
    if (m_depth == 1) {
        m_elementStart = at;
        if (empty) {
            pieces.append({Piece::Kind::Stanza, tag.toString()});
            m_elementStart = -1;
            return Step::Done;
        }
    }
    if (!empty)
        ++m_depth;
    return Step::Done;
}

// Drops what has been read and handed on, so the buffer only holds the element being read.
void StanzaSplitter::compact()
{
    const qsizetype keepFrom = m_elementStart >= 0 ? m_elementStart : m_scanned;
    if (keepFrom == 0)
        return;
    m_buffer.remove(0, keepFrom);
    m_scanned -= keepFrom;
    if (m_elementStart >= 0)
        m_elementStart = 0;
}

bool StanzaSplitter::isIdle() const
{
    return m_elementStart < 0 && m_scanned == m_buffer.size();
}

void StanzaSplitter::reset()
{
    m_buffer.clear();
    m_scanned = 0;
    m_elementStart = -1;
    m_depth = 0;
    m_broken = false;
}

} // namespace Natter::Core
