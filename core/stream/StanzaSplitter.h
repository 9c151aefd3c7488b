// SPDX-License-Identifier: GPL-3.0-or-later
// Finds where the top-level elements of an incoming XMPP stream end, one chunk of text at a time, without
// parsing them: every character is looked at once, however the network cuts the stream.
#pragma once

#include <QList>
#include <QString>
#include <QStringView>

namespace Natter::Core {

class StanzaSplitter
{
public:
    struct Piece
    {
        enum class Kind
        {
            StreamOpened, // xml: the <stream:stream …> start tag
            Stanza,       // xml: one complete top-level element
            StreamClosed,
            Malformed, // xml: what could not be read; nothing after it is
        };
        Kind kind;
        QString xml;
    };

    QList<Piece> feed(QStringView text);

    // Nothing is waiting to be completed: the stream is between two top-level elements.
    bool isIdle() const;
    void reset();

private:
    enum class Step
    {
        Done,
        NeedMore,
        Malformed
    };
    Step scanMarkup(qsizetype at, QList<Piece> &pieces);
    Step scanStartTag(qsizetype at, QList<Piece> &pieces);
    void compact();

    QString m_buffer;
    qsizetype m_scanned = 0;       // m_buffer before this has been read
    qsizetype m_elementStart = -1; // where the top-level element being read starts
    int m_depth = 0;               // 1: inside the stream, between stanzas
    bool m_broken = false;
};

} // namespace Natter::Core
