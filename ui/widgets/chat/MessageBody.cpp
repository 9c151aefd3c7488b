// SPDX-License-Identifier: GPL-3.0-or-later
#include "MessageBody.h"

#include <QCoreApplication>
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
    if (message.removal == ChatMessage::Removal::Retracted) {
        text = QCoreApplication::translate("Natter::Ui::MessageBody", "This message was deleted");
        QTextLayout::FormatRange all{0, int(text.size()), {}};
        all.format.setFontItalic(true);
        all.format.setForeground(palette.color(QPalette::PlaceholderText));
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
