// SPDX-License-Identifier: GPL-3.0-or-later
// Where the user writes a message: Enter sends, Shift+Enter starts a new line, Up in an empty editor edits
// the last message, Esc leaves a reply or an edit. A bar above the editor says what is being answered or
// edited. Pasting inserts plain text only (QPlainTextEdit never takes rich text).
#pragma once

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QToolButton;

namespace Natter::Ui {

class EmojiPicker;
class ShortcodeCompleter;

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
    QToolButton *emojiButton() const { return m_emojiButton; }
    EmojiPicker *emojiPicker() const { return m_emojiPicker; }
    ShortcodeCompleter *shortcodeCompleter() const { return m_completer; }

    // The bar above the editor: "Replying to author: quote" or "Editing your message" (empty title: none).
    enum class Mode
    {
        Writing,
        Replying,
        Editing,
    };
    void setMode(Mode mode, const QString &title = {}, const QString &quote = {});
    Mode mode() const { return m_mode; }
    // Inserts text at the cursor (an emoji from the picker).
    void insertText(const QString &text);
    // Nicknames Tab completes (in a room): the word before the cursor becomes the next matching nickname,
    // followed by ": " at the start of the message; Tab again goes on to the next match.
    void setNickCompletions(const QStringList &nicks);

Q_SIGNALS:
    void sendRequested(const QString &text);
    // The user changed the text by typing (not by setText or clear).
    void edited();
    // Up in an empty editor.
    void editLastRequested();
    // Esc, or the bar's close button, while replying or editing.
    void modeCancelled();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void requestSend();
    bool completeNick();
    void updateSendButton();

    QPlainTextEdit *m_editor;
    QPushButton *m_sendButton;
    QToolButton *m_emojiButton;
    QLabel *m_hint;
    QWidget *m_modeBar;
    QLabel *m_modeTitle;
    QLabel *m_modeQuote;
    EmojiPicker *m_emojiPicker;
    ShortcodeCompleter *m_completer;
    Mode m_mode = Mode::Writing;
    bool m_possible = true;
    bool m_settingText = false;
    QStringList m_nicks;
    // The Tab completion under way: what was typed, where it starts, which match is shown.
    QString m_completionPrefix;
    int m_completionStart = -1;
    int m_completionIndex = -1;
};

} // namespace Natter::Ui
