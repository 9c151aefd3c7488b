// SPDX-License-Identifier: GPL-3.0-or-later
#include "ShortcodeCompleter.h"

#include "im/Emoji.h"

#include <QKeyEvent>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QTextBlock>
#include <QTextCursor>

namespace Natter::Ui {

namespace {
constexpr int MaxShown = 8;
constexpr int MaxShortcodeLength = 32;

bool isShortcodeChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c == u'+' || c == u'-';
}
} // namespace

ShortcodeCompleter::ShortcodeCompleter(QPlainTextEdit *editor)
    : QObject(editor)
    , m_editor(editor)
    , m_list(new QListWidget(editor))
{
    m_list->setObjectName(QStringLiteral("shortcodeList"));
    // A child of the editor, not a popup: the editor keeps the focus and the keys.
    m_list->setFocusPolicy(Qt::NoFocus);
    m_list->hide();
    editor->installEventFilter(this);
    connect(editor, &QPlainTextEdit::textChanged, this, &ShortcodeCompleter::textChanged);
    connect(m_list, &QListWidget::itemClicked, this, [this] { insertCurrent(); });
}

bool ShortcodeCompleter::isShowing() const
{
    return m_list->isVisible();
}

int ShortcodeCompleter::shortcodeStart(QString *prefix) const
{
    const QTextCursor cursor = m_editor->textCursor();
    const QString line = cursor.block().text().left(cursor.positionInBlock());
    qsizetype i = line.size();
    while (i > 0 && isShortcodeChar(line.at(i - 1)) && line.size() - i < MaxShortcodeLength)
        --i;
    if (i == 0 || line.at(i - 1) != u':')
        return -1;
    // The colon starts a word (not "10:30").
    if (i >= 2 && !line.at(i - 2).isSpace())
        return -1;
    *prefix = line.mid(i);
    return cursor.block().position() + int(i) - 1;
}

void ShortcodeCompleter::textChanged()
{
    if (m_replacing)
        return;
    QTextCursor cursor = m_editor->textCursor();
    // ":name:" just completed: replace it by its emoji.
    const QString line = cursor.block().text().left(cursor.positionInBlock());
    if (line.endsWith(u':')) {
        const qsizetype open = line.lastIndexOf(u':', line.size() - 2);
        const QString name = open >= 0 ? line.mid(open + 1, line.size() - open - 2) : QString();
        const QString emoji = name.isEmpty() ? QString() : Core::Emoji::forShortcode(name);
        if (!emoji.isEmpty() && (open == 0 || line.at(open - 1).isSpace())) {
            m_replacing = true;
            cursor.setPosition(cursor.block().position() + int(open), QTextCursor::KeepAnchor);
            cursor.insertText(emoji);
            m_replacing = false;
            m_list->hide();
            return;
        }
    }
    QString prefix;
    if (shortcodeStart(&prefix) < 0 || prefix.size() < 2) {
        m_list->hide();
        return;
    }
    const auto matches = Core::Emoji::completions(prefix, MaxShown);
    if (matches.isEmpty()) {
        m_list->hide();
        return;
    }
    m_list->clear();
    for (const auto &entry : matches) {
        auto *item = new QListWidgetItem(entry.emoji + QStringLiteral("  :") + entry.name + u':', m_list);
        item->setData(Qt::UserRole, entry.emoji);
    }
    m_list->setCurrentRow(0);
    const QRect caret = m_editor->cursorRect();
    const int height = m_list->sizeHintForRow(0) * int(matches.size()) + 4;
    const int width = 260;
    // Shown in the window (the composer is short); above the caret, as the composer sits at the bottom.
    QWidget *window = m_editor->window();
    if (m_list->parentWidget() != window)
        m_list->setParent(window);
    const QPoint caretInWindow = m_editor->viewport()->mapTo(window, caret.topLeft());
    m_list->resize(width, height);
    m_list->move(std::min(caretInWindow.x(), window->width() - width),
                 std::max(0, caretInWindow.y() - height - 2));
    m_list->show();
    m_list->raise();
}

void ShortcodeCompleter::insertCurrent()
{
    QListWidgetItem *item = m_list->currentItem();
    QString prefix;
    const int start = shortcodeStart(&prefix);
    m_list->hide();
    if (!item || start < 0)
        return;
    QTextCursor cursor = m_editor->textCursor();
    m_replacing = true;
    cursor.setPosition(start, QTextCursor::KeepAnchor);
    cursor.insertText(item->data(Qt::UserRole).toString());
    m_replacing = false;
}

bool ShortcodeCompleter::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_editor && event->type() == QEvent::FocusOut)
        m_list->hide();
    if (watched != m_editor || event->type() != QEvent::KeyPress || !m_list->isVisible())
        return QObject::eventFilter(watched, event);
    const auto *key = static_cast<QKeyEvent *>(event);
    switch (key->key()) {
    case Qt::Key_Down:
        m_list->setCurrentRow(std::min(m_list->currentRow() + 1, m_list->count() - 1));
        return true;
    case Qt::Key_Up:
        m_list->setCurrentRow(std::max(m_list->currentRow() - 1, 0));
        return true;
    case Qt::Key_Tab:
    case Qt::Key_Return:
    case Qt::Key_Enter:
        insertCurrent();
        return true;
    case Qt::Key_Escape:
        m_list->hide();
        return true;
    default:
        return QObject::eventFilter(watched, event);
    }
}

} // namespace Natter::Ui
