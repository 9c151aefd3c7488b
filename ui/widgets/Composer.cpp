// SPDX-License-Identifier: GPL-3.0-or-later
#include "Composer.h"

#include "chat/EmojiPicker.h"
#include "chat/ShortcodeCompleter.h"

#include <QBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTextCursor>
#include <QToolButton>

namespace Natter::Ui {

Composer::Composer(QWidget *parent)
    : QWidget(parent)
    , m_editor(new QPlainTextEdit(this))
    , m_sendButton(new QPushButton(tr("Send"), this))
    , m_emojiButton(new QToolButton(this))
    , m_hint(new QLabel(this))
    , m_modeBar(new QWidget(this))
    , m_modeTitle(new QLabel(m_modeBar))
    , m_modeQuote(new QLabel(m_modeBar))
    , m_emojiPicker(new EmojiPicker(this))
    , m_completer(nullptr)
{
    setObjectName(QStringLiteral("composer"));
    m_editor->setObjectName(QStringLiteral("composerEdit"));
    m_sendButton->setObjectName(QStringLiteral("sendButton"));
    m_emojiButton->setObjectName(QStringLiteral("emojiButton"));
    m_hint->setObjectName(QStringLiteral("composerHint"));
    m_modeBar->setObjectName(QStringLiteral("composerModeBar"));
    m_modeTitle->setObjectName(QStringLiteral("composerModeTitle"));
    m_modeQuote->setObjectName(QStringLiteral("composerModeQuote"));

    m_editor->setPlaceholderText(tr("Write a message (Enter sends, Shift+Enter starts a new line)"));
    m_editor->setTabChangesFocus(true);
    m_editor->installEventFilter(this);
    m_editor->setAccessibleName(tr("Message"));
    const int lineHeight = m_editor->fontMetrics().lineSpacing();
    m_editor->setFixedHeight(lineHeight * 3 + 2 * int(m_editor->document()->documentMargin()) + 4);
    m_sendButton->setToolTip(tr("Send the message (Enter)"));
    m_sendButton->setEnabled(false);
    m_emojiButton->setText(QStringLiteral("🙂"));
    m_emojiButton->setToolTip(tr("Insert an emoji (or type : and its name)"));
    m_emojiButton->setAccessibleName(tr("Emoji"));
    m_emojiButton->setAutoRaise(true);
    m_hint->setWordWrap(true);
    m_hint->setTextFormat(Qt::PlainText);
    m_hint->hide();
    QPalette hintPalette = m_hint->palette();
    hintPalette.setColor(QPalette::WindowText, hintPalette.color(QPalette::PlaceholderText));
    m_hint->setPalette(hintPalette);

    // Text from the network (a quote) is shown as plain text, elided to one line.
    m_modeTitle->setTextFormat(Qt::PlainText);
    m_modeQuote->setTextFormat(Qt::PlainText);
    m_modeQuote->setPalette(hintPalette);
    QFont bold = m_modeTitle->font();
    bold.setBold(true);
    m_modeTitle->setFont(bold);
    auto *cancel = new QToolButton(m_modeBar);
    cancel->setObjectName(QStringLiteral("composerModeCancel"));
    cancel->setText(QStringLiteral("✕"));
    cancel->setAutoRaise(true);
    cancel->setToolTip(tr("Cancel (Esc)"));
    connect(cancel, &QToolButton::clicked, this, &Composer::modeCancelled);
    auto *texts = new QVBoxLayout;
    texts->setSpacing(0);
    texts->addWidget(m_modeTitle);
    texts->addWidget(m_modeQuote);
    auto *modeLayout = new QHBoxLayout(m_modeBar);
    modeLayout->setContentsMargins(8, 2, 0, 2);
    modeLayout->addLayout(texts, 1);
    modeLayout->addWidget(cancel, 0, Qt::AlignTop);
    m_modeBar->hide();

    auto *row = new QHBoxLayout;
    row->addWidget(m_emojiButton, 0, Qt::AlignVCenter);
    row->addWidget(m_editor, 1);
    row->addWidget(m_sendButton, 0, Qt::AlignVCenter);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 8);
    layout->addWidget(m_hint);
    layout->addWidget(m_modeBar);
    layout->addLayout(row);

    // Installed after the composer's own key filter, so it sees Enter first while its list is open.
    m_completer = new ShortcodeCompleter(m_editor);
    connect(m_emojiButton, &QToolButton::clicked, this,
            [this] { m_emojiPicker->popUp(m_emojiButton->mapToGlobal(QPoint(0, 0))); });
    connect(m_emojiPicker, &EmojiPicker::emojiChosen, this, &Composer::insertText);
    connect(m_sendButton, &QPushButton::clicked, this, &Composer::requestSend);
    connect(m_editor, &QPlainTextEdit::textChanged, this, [this] {
        updateSendButton();
        if (!m_settingText)
            Q_EMIT edited();
    });
}

void Composer::setSendingPossible(bool possible, const QString &reason)
{
    m_possible = possible;
    m_editor->setReadOnly(!possible);
    m_editor->setEnabled(possible);
    m_emojiButton->setEnabled(possible);
    m_hint->setText(reason);
    m_hint->setVisible(!possible && !reason.isEmpty());
    updateSendButton();
}

QString Composer::text() const
{
    return m_editor->toPlainText();
}

void Composer::clear()
{
    m_settingText = true;
    m_editor->clear();
    m_settingText = false;
}

void Composer::setText(const QString &text)
{
    m_settingText = true;
    m_editor->setPlainText(text);
    m_editor->moveCursor(QTextCursor::End);
    m_settingText = false;
}

void Composer::insertText(const QString &text)
{
    m_editor->insertPlainText(text);
    m_editor->setFocus();
}

void Composer::setMode(Mode mode, const QString &title, const QString &quote)
{
    m_mode = mode;
    m_modeTitle->setText(title);
    const QString oneLine = QString(quote).replace(u'\n', u' ');
    m_modeQuote->setText(m_modeQuote->fontMetrics().elidedText(oneLine, Qt::ElideRight, 600));
    m_modeQuote->setVisible(!quote.isEmpty());
    m_modeBar->setVisible(mode != Mode::Writing);
    m_sendButton->setText(mode == Mode::Editing ? tr("Save") : tr("Send"));
}

void Composer::updateSendButton()
{
    m_sendButton->setEnabled(m_possible && !m_editor->toPlainText().trimmed().isEmpty());
}

void Composer::requestSend()
{
    const QString text = m_editor->toPlainText();
    if (!m_possible || text.trimmed().isEmpty())
        return;
    Q_EMIT sendRequested(text);
}

bool Composer::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_editor || event->type() != QEvent::KeyPress)
        return QWidget::eventFilter(watched, event);
    const auto *key = static_cast<QKeyEvent *>(event);
    if (key->key() == Qt::Key_Tab && key->modifiers() == Qt::NoModifier && !m_nicks.isEmpty())
        return completeNick() || QWidget::eventFilter(watched, event);
    if (key->key() != Qt::Key_Tab)
        m_completionStart = -1;
    if (key->key() == Qt::Key_Escape && m_mode != Mode::Writing) {
        Q_EMIT modeCancelled();
        return true;
    }
    if (key->key() == Qt::Key_Up && key->modifiers() == Qt::NoModifier && m_editor->toPlainText().isEmpty()) {
        Q_EMIT editLastRequested();
        return true;
    }
    const bool enter = key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter;
    if (!enter || (key->modifiers() & Qt::ShiftModifier))
        return QWidget::eventFilter(watched, event);
    requestSend();
    return true;
}

void Composer::setNickCompletions(const QStringList &nicks)
{
    m_nicks = nicks;
    m_nicks.sort(Qt::CaseInsensitive);
    m_completionStart = -1;
}

bool Composer::completeNick()
{
    QTextCursor cursor = m_editor->textCursor();
    const QString text = m_editor->toPlainText();
    if (m_completionStart < 0) {
        int start = cursor.position();
        while (start > 0 && !text.at(start - 1).isSpace())
            --start;
        m_completionPrefix = text.mid(start, cursor.position() - start);
        if (m_completionPrefix.isEmpty())
            return false;
        m_completionStart = start;
        m_completionIndex = -1;
    }
    QStringList matches;
    for (const QString &nick : std::as_const(m_nicks)) {
        if (nick.startsWith(m_completionPrefix, Qt::CaseInsensitive))
            matches.append(nick);
    }
    if (matches.isEmpty())
        return true; // Tab stays in the composer
    m_completionIndex = (m_completionIndex + 1) % int(matches.size());
    const QString completion =
        matches.at(m_completionIndex) + (m_completionStart == 0 ? QStringLiteral(": ") : QStringLiteral(" "));
    cursor.setPosition(m_completionStart);
    cursor.setPosition(m_editor->textCursor().position(), QTextCursor::KeepAnchor);
    cursor.insertText(completion);
    m_editor->setTextCursor(cursor);
    return true;
}

} // namespace Natter::Ui
