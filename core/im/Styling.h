// SPDX-License-Identifier: GPL-3.0-or-later
// Message Styling (XEP-0393) and links in a message body, as ranges for a view to format. Only the
// ranges are computed: the text itself is never changed or interpreted. Linear in the body's length
// (n log n at worst), so hostile bodies (thousands of unmatched directives) stay fast.
#pragma once

#include <QList>
#include <QString>

namespace Natter::Core::Styling {

struct Span
{
    enum class Kind
    {
        Strong,       // *text*
        Emphasis,     // _text_
        Strike,       // ~text~
        Code,         // `text`
        Preformatted, // the lines between ``` and ```
        Quote,        // a "> " line; depth tells how deep
        Markup,       // a directive character: shown, dimmed
        Link,
    };
    Kind kind = Kind::Strong;
    qsizetype start = 0;
    qsizetype length = 0;
    int depth = 0; // Quote
    QString url;   // Link
};

// Every styled range of body, ordered by start (outer ranges before the ranges inside them).
QList<Span> parse(const QString &body);

// The links of text (http, https, xmpp, mailto, geo), without trailing punctuation.
QList<Span> links(const QString &text, qsizetype from = 0, qsizetype to = -1);

// XEP-0245.
bool isMeCommand(const QString &body);

// Whether text names nick as a word of its own (case-insensitive; "anna" is in "anna: hi" and "hi @Anna!",
// not in "annabel"): a mention in a room.
bool mentions(const QString &text, const QString &nick);

// How many emoji body consists of, when it is nothing but 1 to 3 emoji (and white space); else 0.
int emojiOnlyCount(const QString &body);

} // namespace Natter::Core::Styling
