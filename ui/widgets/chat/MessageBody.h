// SPDX-License-Identifier: GPL-3.0-or-later
// The laid-out text of one message as the chat shows it: plain text with Message Styling (XEP-0393) applied
// as formats, clickable links, /me (XEP-0245), large emoji for emoji-only messages and a tombstone for a
// retracted or moderated one. Text from the network is never interpreted: control characters become
// visible symbols and runs of combining marks are capped, so hostile text stays inert and fast to lay out.
#pragma once

#include "domain/ChatMessage.h"

#include <QFont>
#include <QPalette>
#include <QTextLayout>
#include <QUrl>
#include <memory>

namespace Natter::Ui {

class MessageBody
{
public:
    MessageBody(const Core::ChatMessage &message, const QString &authorName, const QFont &font,
                const QPalette &palette);
    ~MessageBody();

    // Lays the text out in width; returns its height.
    qreal layout(qreal width);
    void draw(QPainter *painter, const QPointF &topLeft) const;
    // The link at a position relative to the top left corner, or an empty URL.
    QUrl linkAt(const QPointF &position) const;
    // Where the character at index is drawn (the middle of its line), relative to the top left corner.
    QPointF positionOf(int index) const;
    QString text() const { return m_layout->text(); }
    QList<QTextLayout::FormatRange> formats() const { return m_layout->formats(); }
    bool isLarge() const { return m_large; }

    // What of the body is shown: controls as visible symbols, at most MaxMarks combining marks in a row.
    static QString displayText(const QString &body);
    static constexpr int MaxMarks = 8;

private:
    QList<QTextLayout::FormatRange> styleFormats(const QString &text, const QFont &font,
                                                 const QPalette &palette);

    struct Link
    {
        int start = 0;
        int length = 0;
        QUrl url;
    };
    std::unique_ptr<QTextLayout> m_layout;
    QList<Link> m_links;
    bool m_large = false;
};

} // namespace Natter::Ui
