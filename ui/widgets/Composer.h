// SPDX-License-Identifier: GPL-3.0-or-later
// Where the user writes a message: Enter sends, Shift+Enter starts a new line, Up in an empty editor edits
// the last message, Esc leaves a reply or an edit. A bar above the editor says what is being answered or
// edited. Pasting inserts plain text only (QPlainTextEdit never takes rich text), except that pasted or
// dropped files, and a pasted image, become attachments: they wait in a tray above the editor and go with
// the next message, its text as their caption.
#pragma once

#include <QStringList>
#include <QWidget>
#include <memory>

class QDragEnterEvent;
class QDragMoveEvent;
class QDropEvent;
class QImage;
class QLabel;
class QMimeData;
class QPlainTextEdit;
class QPushButton;
class QTemporaryDir;
class QToolButton;

namespace Natter::Ui {

class AttachmentTray;
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
    QToolButton *attachButton() const { return m_attachButton; }
    AttachmentTray *attachmentTray() const { return m_tray; }
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

    // Files to send with the next message. Paths that are not readable regular files, and files already
    // waiting, are left out.
    void addAttachments(const QStringList &paths);
    QStringList attachments() const { return m_attachments; }
    void clearAttachments();
    // The local files among the URLs of dragged or pasted data (the chat view forwards drops with it).
    static QStringList localFilesOf(const QMimeData *mime);
    // Accepts dragged or dropped local files as a copy, never a move (a file manager told that its files
    // were moved may delete them); false when the data holds no local files.
    static bool acceptFilesAsCopy(QDropEvent *event);

Q_SIGNALS:
    void sendRequested(const QString &text);
    // Enter or Send while files wait (and no message is being edited): the files, and the trimmed text as
    // their caption (possibly empty). The composer is empty again when this arrives.
    void sendFilesRequested(const QStringList &paths, const QString &caption);
    // Files were added to or taken off the attachments.
    void attachmentsChanged();
    // The user changed the text by typing (not by setText or clear).
    void edited();
    // Up in an empty editor.
    void editLastRequested();
    // Esc, or the bar's close button, while replying or editing.
    void modeCancelled();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void requestSend();
    bool completeNick();
    void updateSendButton();
    void updateHint();
    void setAttachError(const QString &message);
    // Enter sends the waiting files (while a message is being edited, it saves the edit instead).
    bool sendsFiles() const;
    void chooseFiles();
    void removeAttachment(const QString &path);
    void attachmentsUpdated();
    // Pasted or dropped data that holds files or an image: attaches them and says true (nothing is typed).
    bool attachFrom(const QMimeData *mime);
    void attachImage(const QImage &image);

    QPlainTextEdit *m_editor;
    QPushButton *m_sendButton;
    QToolButton *m_emojiButton;
    QToolButton *m_attachButton;
    AttachmentTray *m_tray;
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
    QStringList m_attachments;
    // Where the file dialog opens next: the folder of the files chosen last.
    QString m_attachFolder;
    // Pasted images are written here. Shared with the threads writing them, so that the folder outlives
    // a write under way when the composer goes.
    std::shared_ptr<QTemporaryDir> m_pasteFolder;
    // Why sending is not possible, and why the last pasted image could not be attached.
    QString m_unavailableReason;
    QString m_attachError;
};

} // namespace Natter::Ui
