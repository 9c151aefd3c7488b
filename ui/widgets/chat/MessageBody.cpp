// SPDX-License-Identifier: GPL-3.0-or-later
#include "MessageBody.h"

#include "im/Styling.h"
#include "presenters/MessagePreview.h"

#include <QCoreApplication>
#include <QFontDatabase>
#include <QPainter>

namespace Natter::Ui {

using Core::ChatMessage;

namespace {

constexpr QChar FirstStrongIsolate(0x2068);
constexpr QChar PopDirectionalIsolate(0x2069);

bool isMark(QChar c)
{
    const auto category = c.category();
    return category == QChar::Mark_NonSpacing || category == QChar::Mark_SpacingCombining ||
           category == QChar::Mark_Enclosing;
}

QTextOption bodyOption()
{
    QTextOption option(Qt::AlignLeft | Qt::AlignTop);
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    return option;
}

} // namespace

QList<QTextLayout::FormatRange> MessageBody::styleFormats(const QString &text, const QFont &font,
                                                          const QPalette &palette)
{
    using Kind = Core::Styling::Span::Kind;
    QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    fixed.setPointSizeF(font.pointSizeF() > 0 ? font.pointSizeF() * 0.95 : fixed.pointSizeF());
    QColor quoteColour = palette.color(QPalette::Text);
    quoteColour.setAlphaF(0.75f);
    QList<QTextLayout::FormatRange> formats;
    QList<QTextLayout::FormatRange> onTop; // markup and links win over what they sit in
    m_links.clear();
    for (const Core::Styling::Span &span : Core::Styling::parse(text)) {
        QTextLayout::FormatRange range{int(span.start), int(span.length), {}};
        switch (span.kind) {
        case Kind::Strong:
            range.format.setFontWeight(QFont::Bold);
            break;
        case Kind::Emphasis:
            range.format.setFontItalic(true);
            break;
        case Kind::Strike:
            range.format.setFontStrikeOut(true);
            break;
        case Kind::Code:
            range.format.setFontFamilies(fixed.families());
            range.format.setBackground(palette.color(QPalette::AlternateBase));
            break;
        case Kind::Preformatted:
            range.format.setFontFamilies(fixed.families());
            break;
        case Kind::Quote:
            range.format.setForeground(quoteColour);
            break;
        case Kind::Markup:
            range.format.setForeground(palette.color(QPalette::PlaceholderText));
            onTop.append(range);
            continue;
        case Kind::Link:
            range.format.setForeground(palette.color(QPalette::Link));
            range.format.setFontUnderline(true);
            onTop.append(range);
            m_links.append({int(span.start), int(span.length), QUrl(span.url)});
            continue;
        }
        formats.append(range);
    }
    return formats + onTop;
}

QString MessageBody::displayText(const QString &body)
{
    QString shown;
    shown.reserve(body.size());
    int marks = 0;
    for (const QChar c : body) {
        if (isMark(c)) {
            if (++marks > MaxMarks)
                continue;
        } else {
            marks = 0;
        }
        const char16_t code = c.unicode();
        if (code == u'\n' || code == u'\t') {
            shown.append(c);
        } else if (code < 0x20) {
            shown.append(QChar(0x2400 + code)); // the Control Pictures block: ␀ … ␟
        } else if (code == 0x7f) {
            shown.append(QChar(0x2421));
        } else if (code >= 0x80 && code < 0xa0) {
            shown.append(QChar(0xfffd));
        } else {
            shown.append(c);
        }
    }
    return shown;
}

MessageBody::MessageBody(const ChatMessage &message, const QString &authorName, const QFont &font,
                         const QPalette &palette)
{
    QFont bodyFont = font;
    QList<QTextLayout::FormatRange> formats;
    QString text;
    const bool undecryptable = !message.cryptoError.isEmpty() && message.body.isEmpty();
    if (message.removal == ChatMessage::Removal::Retracted ||
        message.removal == ChatMessage::Removal::Moderated || undecryptable) {
        // A moderated message was not taken back by its author: the tombstone does not blame them.
        if (undecryptable)
            text = QCoreApplication::translate(
                "Natter::Ui::MessageBody",
                "This message is end-to-end encrypted and could not be decrypted on this device");
        else
            text = message.removal == ChatMessage::Removal::Moderated
                       ? QCoreApplication::translate("Natter::Ui::MessageBody",
                                                     "This message was removed by a moderator")
                       : QCoreApplication::translate("Natter::Ui::MessageBody", "This message was deleted");
        QTextLayout::FormatRange all{0, int(text.size()), {}};
        all.format.setFontItalic(true);
        all.format.setForeground(palette.color(QPalette::PlaceholderText));
        formats.append(all);
    } else if (message.kind == ChatMessage::Kind::Call) {
        // A call record is an event, not something anyone wrote: its line reads as one.
        text = MessagePreview::textOf(message.body, {}, message.kind);
        QTextLayout::FormatRange all{0, int(text.size()), {}};
        all.format.setFontItalic(true);
        formats.append(all);
    } else if (message.body.startsWith(QLatin1String("/me "))) {
        // XEP-0245: "* Alice waves", the name isolated so that its direction cannot reorder the line.
        text = QStringLiteral("* ") + FirstStrongIsolate + authorName + PopDirectionalIsolate + u' ' +
               displayText(message.body.mid(4));
        QTextLayout::FormatRange all{0, int(text.size()), {}};
        all.format.setFontItalic(true);
        formats.append(all);
    } else {
        text = displayText(message.body);
        if (const int emoji = Core::Styling::emojiOnlyCount(text); emoji > 0) {
            // A message of one to three emoji is a picture, not text.
            m_large = true;
            if (bodyFont.pointSizeF() > 0)
                bodyFont.setPointSizeF(bodyFont.pointSizeF() * (emoji == 1 ? 2.6 : 2.0));
            else
                bodyFont.setPixelSize(bodyFont.pixelSize() * 2);
        } else {
            formats = styleFormats(text, font, palette);
        }
    }
    // QTextLayout breaks lines at U+2028 only.
    text.replace(u'\n', QChar::LineSeparator);
    m_layout = std::make_unique<QTextLayout>(text, bodyFont);
    m_layout->setTextOption(bodyOption());
    m_layout->setFormats(formats);
}

MessageBody::~MessageBody() = default;

qreal MessageBody::layout(qreal width)
{
    m_layout->beginLayout();
    qreal height = 0;
    for (QTextLine line = m_layout->createLine(); line.isValid(); line = m_layout->createLine()) {
        line.setLineWidth(width);
        line.setPosition(QPointF(0, height));
        height += line.height();
    }
    m_layout->endLayout();
    return std::max(height, qreal(QFontMetrics(m_layout->font()).height()));
}

void MessageBody::draw(QPainter *painter, const QPointF &topLeft) const
{
    m_layout->draw(painter, topLeft);
}

QPointF MessageBody::positionOf(int index) const
{
    const QTextLine line = m_layout->lineForTextPosition(index);
    if (!line.isValid())
        return {};
    return {line.cursorToX(index) + 1, line.y() + line.height() / 2};
}

QUrl MessageBody::linkAt(const QPointF &position) const
{
    for (int i = 0; i < m_layout->lineCount(); ++i) {
        const QTextLine line = m_layout->lineAt(i);
        if (!line.rect().contains(position))
            continue;
        const int cursor = line.xToCursor(position.x(), QTextLine::CursorOnCharacter);
        for (const Link &link : m_links) {
            if (cursor >= link.start && cursor < link.start + link.length)
                return link.url;
        }
    }
    return {};
}

} // namespace Natter::Ui
