// SPDX-License-Identifier: GPL-3.0-or-later
#include "EmojiPicker.h"

#include "im/Emoji.h"

#include <QKeyEvent>
#include <QLineEdit>
#include <QListWidget>
#include <QSet>
#include <QVBoxLayout>

namespace Natter::Ui {

namespace {
constexpr int Columns = 9;
}

EmojiPicker::EmojiPicker(QWidget *parent)
    : QFrame(parent, Qt::Popup)
    , m_search(new QLineEdit(this))
    , m_grid(new QListWidget(this))
{
    setObjectName(QStringLiteral("emojiPicker"));
    setFrameShape(QFrame::StyledPanel);
    m_search->setObjectName(QStringLiteral("emojiSearch"));
    m_search->setPlaceholderText(tr("Search emoji"));
    m_search->setClearButtonEnabled(true);
    m_search->installEventFilter(this);
    m_grid->setObjectName(QStringLiteral("emojiGrid"));
    m_grid->setViewMode(QListView::IconMode);
    m_grid->setMovement(QListView::Static);
    m_grid->setResizeMode(QListView::Adjust);
    m_grid->setUniformItemSizes(true);
    m_grid->setWordWrap(false);
    QFont emojiFont = font();
    emojiFont.setPointSizeF(emojiFont.pointSizeF() > 0 ? emojiFont.pointSizeF() * 1.6 : 16);
    m_grid->setFont(emojiFont);
    const int cell = QFontMetrics(emojiFont).height() + 12;
    m_grid->setGridSize(QSize(cell, cell));
    m_grid->setFixedWidth(cell * Columns + 24);
    m_grid->setMinimumHeight(cell * 6);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_search);
    layout->addWidget(m_grid);
    connect(m_search, &QLineEdit::textChanged, this, &EmojiPicker::fill);
    connect(m_grid, &QListWidget::itemActivated, this,
            [this](QListWidgetItem *item) { choose(item->text()); });
    connect(m_grid, &QListWidget::itemClicked, this, [this](QListWidgetItem *item) { choose(item->text()); });
    fill({});
}

void EmojiPicker::fill(const QString &filter)
{
    m_grid->clear();
    QSet<QString> shown;
    auto add = [this, &shown](const Core::Emoji::Entry &entry) {
        if (shown.contains(entry.emoji))
            return;
        shown.insert(entry.emoji);
        auto *item = new QListWidgetItem(entry.emoji, m_grid);
        item->setToolTip(u':' + entry.name + u':');
        item->setTextAlignment(Qt::AlignCenter);
    };
    if (filter.trimmed().isEmpty()) {
        for (const auto &category : Core::Emoji::categories())
            for (const auto &entry : category.entries)
                add(entry);
    } else {
        for (const auto &entry : Core::Emoji::search(filter))
            add(entry);
    }
    if (m_grid->count() > 0)
        m_grid->setCurrentRow(0);
}

void EmojiPicker::popUp(const QPoint &position)
{
    m_search->clear();
    adjustSize();
    move(position.x(), position.y() - height());
    show();
    m_search->setFocus();
}

void EmojiPicker::choose(const QString &emoji)
{
    hide();
    Q_EMIT emojiChosen(emoji);
}

bool EmojiPicker::eventFilter(QObject *watched, QEvent *event)
{
    // Typing searches; the arrows and Enter work on the grid.
    if (watched == m_search && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        const int row = m_grid->currentRow();
        switch (key->key()) {
        case Qt::Key_Return:
        case Qt::Key_Enter:
            if (QListWidgetItem *item = m_grid->currentItem())
                choose(item->text());
            return true;
        case Qt::Key_Right:
            m_grid->setCurrentRow(std::min(row + 1, m_grid->count() - 1));
            return true;
        case Qt::Key_Left:
            m_grid->setCurrentRow(std::max(row - 1, 0));
            return true;
        case Qt::Key_Down:
            m_grid->setCurrentRow(std::min(row + Columns, m_grid->count() - 1));
            return true;
        case Qt::Key_Up:
            m_grid->setCurrentRow(std::max(row - Columns, 0));
            return true;
        default:
            break;
        }
    }
    return QFrame::eventFilter(watched, event);
}

} // namespace Natter::Ui
