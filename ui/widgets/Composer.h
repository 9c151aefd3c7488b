// SPDX-License-Identifier: GPL-3.0-or-later
// Where the user writes a message: Enter sends, Shift+Enter starts a new line.
#pragma once

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace Natter::Ui {

class Composer : public QWidget
{
    Q_OBJECT
public:
    explicit Composer(QWidget *parent = nullptr);

    // Disabled, with the reason shown, while the account cannot send.
    void setSendingPossible(bool possible, const QString &reason = {});
    QString text() const;
    void clear();
    // Puts text (a saved draft) in the editor, replacing what was there.
    void setText(const QString &text);
    QPlainTextEdit *editor() const { return m_editor; }

Q_SIGNALS:
    void sendRequested(const QString &text);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void requestSend();
    void updateSendButton();

    QPlainTextEdit *m_editor;
    QPushButton *m_sendButton;
    QLabel *m_hint;
    bool m_possible = true;
};

} // namespace Natter::Ui
