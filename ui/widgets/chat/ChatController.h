// SPDX-License-Identifier: GPL-3.0-or-later
// What the user does with the messages of the open chat: reply, edit (Up arrow or menu), react (quick bar
// in the menu, picker, clicking a reaction), delete for everyone or on this device (both confirmed), remove
// someone else's message from a room as its moderator (confirmed, with a reason), copy, jump to a quoted
// message, open links, download and open shared files. It also sends our chat states while typing (when the
// user allows it), shows the peer's in the header, and tells the peer and our other devices what was really
// shown in a focused window.
#pragma once

#include "domain/ChatMessage.h"
#include "files/AttachmentService.h"
#include "im/IncomingMessage.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <optional>

class QLabel;
class QMenu;

namespace Natter::Core {
class Account;
class Preferences;
} // namespace Natter::Core

namespace Natter::Ui {

class ChatView;
class EmojiPicker;
class Composer;
class MessageListModel;

class ChatController : public QObject
{
    Q_OBJECT
public:
    ChatController(Core::Preferences &preferences, ChatView *view, Composer *composer, QLabel *stateLabel,
                   QObject *parent = nullptr);

    // The chat shown now (account nullptr: none). A message request (a stranger) gets no read markers.
    void setConversation(Core::Account *account, MessageListModel *messages, const Core::ConversationKey &key,
                         bool isRequest);
    void setRequest(bool isRequest) { m_isRequest = isRequest; }

    // The composer's text is a correction or a reply: sends it and returns true. False: a new message, which
    // the window sends itself (replyTarget() tells what it answers).
    bool sendPrepared(const QString &text);
    std::optional<Core::ChatMessage> replyTarget() const { return m_replyTo; }
    // Back to writing a new message.
    void cancelMode();
    // A message went out: our chat state is "active" again.
    void messageSent();

    // The window is focused and the chat shown: the newest incoming message on screen is displayed.
    void markShownMessagesRead();
    // The peer's chat state in the header.
    void showPeerState(const Core::ConversationKey &key, Core::ChatState state);

    // The actions of the context menu, for the row of the open chat.
    QMenu *menuFor(int row, QWidget *parent);
    void reply(int row);
    void edit(int row);
    void editLast();
    void toggleReaction(int row, const QString &emoji);
    // Opens the emoji picker to react to the row's message.
    void pickReaction(int row);
    EmojiPicker *reactionPicker() const { return m_reactionPicker; }
    void retract(int row);
    void deleteLocally(int row);
    // A click on a shared file: downloads it, cancels its download, retries or opens it.
    void activateAttachment(int row);
    // Opens a saved file with the desktop's application for it; a program's folder opens instead.
    void openFile(const QString &path);

    static QStringList quickReactions();

Q_SIGNALS:
    void showInContextRequested(const Natter::Core::ChatMessage &message);
    // A user-facing error (already translated).
    void failed(const QString &text);

private:
    void typing();
    void sendState(Core::ChatState state);
    bool confirm(const QString &title, const QString &text, const QString &accept);
    // Someone else's message in a room where we are a moderator and the room can remove it (XEP-0425).
    bool canModerate(const Core::ChatMessage &message) const;
    // Asks for confirmation and an optional reason, then has the room remove the message for everyone.
    void moderate(int row);
    void jumpToQuote(int row);
    void openLink(const QUrl &url);
    void react(const Core::ChatMessage &target, const QStringList &emojis);
    std::optional<Core::ChatMessage> messageAt(int row) const;
    std::optional<Core::AttachmentState> attachmentAt(int row) const;
    void addFileActions(QMenu *menu, int row);

    Core::Preferences &m_preferences;
    ChatView *m_view;
    Composer *m_composer;
    QLabel *m_stateLabel;
    QPointer<Core::Account> m_account;
    QPointer<MessageListModel> m_messages;
    Core::ConversationKey m_key;
    bool m_isRequest = false;
    std::optional<Core::ChatMessage> m_replyTo;
    std::optional<Core::ChatMessage> m_editing;
    QString m_draftBeforeEdit;
    Core::ChatState m_sentState = Core::ChatState::None;
    QTimer m_pauseTimer;     // typing stopped for a while: "paused"
    QTimer m_peerStateTimer; // the peer's state is old news
    qint64 m_lastMarked = 0; // storage id of the newest message reported displayed
    EmojiPicker *m_reactionPicker = nullptr;
    int m_pickingFor = -1;
};

} // namespace Natter::Ui
