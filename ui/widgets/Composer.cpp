// SPDX-License-Identifier: GPL-3.0-or-later
// Where the user writes a message: Enter sends, Shift+Enter starts a new line.
#include "Composer.h"

#include <QBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTextCursor>

namespace Natter::Ui {

Composer::Composer(QWidget *parent)
    : QWidget(parent)
    , m_editor(new QPlainTextEdit(this))
    , m_sendButton(new QPushButton(tr("Send"), this))
    , m_hint(new QLabel(this))
{
    setObjectName(QStringLiteral("composer"));
    m_editor->setObjectName(QStringLiteral("composerEdit"));
    m_sendButton->setObjectName(QStringLiteral("sendButton"));
    m_hint->setObjectName(QStringLiteral("composerHint"));

    m_editor->setPlaceholderText(tr("Write a message (Enter sends, Shift+Enter starts a new line)"));
    m_editor->setTabChangesFocus(true);
    m_editor->installEventFilter(this);
    m_editor->setAccessibleName(tr("Message"));
    const int lineHeight = m_editor->fontMetrics().lineSpacing();
    m_editor->setFixedHeight(lineHeight * 3 + 2 * int(m_editor->document()->documentMargin()) + 4);
    m_sendButton->setToolTip(tr("Send the message (Enter)"));
    m_sendButton->setEnabled(false);
    m_hint->setWordWrap(true);
    m_hint->setTextFormat(Qt::PlainText);
    m_hint->hide();
    QPalette hintPalette = m_hint->palette();
    hintPalette.setColor(QPalette::WindowText, hintPalette.color(QPalette::PlaceholderText));
    m_hint->setPalette(hintPalette);

    auto *row = new QHBoxLayout;
    row->addWidget(m_editor, 1);
    row->addWidget(m_sendButton, 0, Qt::AlignVCenter);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 8);
    layout->addWidget(m_hint);
    layout->addLayout(row);

    connect(m_sendButton, &QPushButton::clicked, this, &Composer::requestSend);
    connect(m_editor, &QPlainTextEdit::textChanged, this, &Composer::updateSendButton);
}

void Composer::setSendingPossible(bool possible, const QString &reason)
{
    m_possible = possible;
    m_editor->setReadOnly(!possible);
    m_editor->setEnabled(possible);
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
    m_editor->clear();
}

void Composer::setText(const QString &text)
{
    m_editor->setPlainText(text);
    m_editor->moveCursor(QTextCursor::End);
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
    const bool enter = key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter;
    if (!enter || (key->modifiers() & Qt::ShiftModifier))
        return QWidget::eventFilter(watched, event);
    requestSend();
    return true;
}

} // namespace Natter::Ui
