// SPDX-License-Identifier: GPL-3.0-or-later
#include "ChatController.h"

#include "account/Account.h"
#include "account/Preferences.h"
#include "files/AttachmentService.h"
#include "messaging/MessageService.h"
#include "models/MessageListModel.h"
#include "muc/MucService.h"
#include "presenters/ErrorPresenter.h"
#include "widgets/ChatView.h"
#include "widgets/Composer.h"
#include "widgets/MessageDelegate.h"
#include "widgets/chat/EmojiPicker.h"

#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QMimeDatabase>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace Natter::Ui {

using Core::ChatMessage;
using Core::ChatState;
using Stage = Core::AttachmentState::Stage;

namespace {
constexpr int PauseAfterMs = 5000;
constexpr int ComposingShownMs = 30000;
constexpr int PausedShownMs = 10000;
// Links we hand to the desktop; anything else (javascript:, file:, data:) is only text.
const QStringList OpenableSchemes = {QStringLiteral("http"), QStringLiteral("https"), QStringLiteral("xmpp"),
                                     QStringLiteral("mailto"), QStringLiteral("geo")};
} // namespace

ChatController::ChatController(Core::Preferences &preferences, ChatView *view, Composer *composer,
                               QLabel *stateLabel, QObject *parent)
    : QObject(parent)
    , m_preferences(preferences)
    , m_view(view)
    , m_composer(composer)
    , m_stateLabel(stateLabel)
{
    m_pauseTimer.setSingleShot(true);
    m_pauseTimer.setInterval(PauseAfterMs);
    connect(&m_pauseTimer, &QTimer::timeout, this, [this] { sendState(ChatState::Paused); });
    m_peerStateTimer.setSingleShot(true);
    connect(&m_peerStateTimer, &QTimer::timeout, m_stateLabel, &QLabel::clear);

    connect(m_composer, &Composer::edited, this, &ChatController::typing);
    connect(m_composer, &Composer::editLastRequested, this, &ChatController::editLast);
    connect(m_composer, &Composer::modeCancelled, this, &ChatController::cancelMode);
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint &position) {
        const QModelIndex index = m_view->indexAt(position);
        if (!index.isValid())
            return;
        QMenu *menu = menuFor(index.row(), m_view);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->popup(m_view->viewport()->mapToGlobal(position));
    });
    MessageDelegate *delegate = m_view->messageDelegate();
    connect(delegate, &MessageDelegate::quoteClicked, this,
            [this](const QModelIndex &index) { jumpToQuote(index.row()); });
    connect(delegate, &MessageDelegate::reactionClicked, this,
            [this](const QModelIndex &index, const QString &emoji) { toggleReaction(index.row(), emoji); });
    connect(delegate, &MessageDelegate::linkClicked, this, &ChatController::openLink);
    connect(delegate, &MessageDelegate::attachmentClicked, this,
            [this](const QModelIndex &index) { activateAttachment(index.row()); });
}

QStringList ChatController::quickReactions()
{
    return {QStringLiteral("👍"), QStringLiteral("❤️"),  QStringLiteral("😂"),
            QStringLiteral("😮"), QStringLiteral("😢"), QStringLiteral("🙏")};
}

void ChatController::setConversation(Core::Account *account, MessageListModel *messages,
                                     const Core::ConversationKey &key, bool isRequest)
{
    if (!(key == m_key)) {
        // Leaving a chat we were typing in.
        if (m_sentState == ChatState::Composing || m_sentState == ChatState::Paused)
            sendState(ChatState::Inactive);
        m_sentState = ChatState::None;
        m_pauseTimer.stop();
        cancelMode();
        m_stateLabel->clear();
        m_lastMarked = 0;
    }
    m_account = account;
    m_messages = messages;
    m_key = key;
    m_isRequest = isRequest;
}

std::optional<ChatMessage> ChatController::messageAt(int row) const
{
    if (!m_messages || row < 0 || row >= m_messages->rowCount())
        return std::nullopt;
    return m_messages->messageAt(row);
}

void ChatController::typing()
{
    if (!m_account || m_key.peer.isEmpty() || m_composer->mode() == Composer::Mode::Editing)
        return;
    if (m_composer->text().isEmpty()) {
        m_pauseTimer.stop();
        if (m_sentState == ChatState::Composing || m_sentState == ChatState::Paused)
            sendState(ChatState::Active);
        return;
    }
    if (m_sentState != ChatState::Composing)
        sendState(ChatState::Composing);
    m_pauseTimer.start();
}

void ChatController::sendState(ChatState state)
{
    // Only what the user allows leaves the machine (XEP-0085 is a privacy setting).
    // Never in rooms: typing in a crowd is noise.
    if (!m_account || m_key.isGroupChat() || !m_preferences.value(Core::Preferences::Key::SendChatStates))
        return;
    if (state == m_sentState)
        return;
    m_sentState = state;
    m_account->messages().sendChatState(m_key.peer, state);
}

void ChatController::messageSent()
{
    m_pauseTimer.stop();
    // The message itself carries <active/>.
    if (m_sentState != ChatState::None)
        m_sentState = ChatState::Active;
}

void ChatController::showPeerState(const Core::ConversationKey &key, ChatState state)
{
    if (!(key == m_key))
        return;
    switch (state) {
    case ChatState::Composing:
        m_stateLabel->setText(tr("typing…"));
        m_peerStateTimer.start(ComposingShownMs);
        break;
    case ChatState::Paused:
        m_stateLabel->setText(tr("stopped typing"));
        m_peerStateTimer.start(PausedShownMs);
        break;
    default:
        m_stateLabel->clear();
        m_peerStateTimer.stop();
        break;
    }
}

void ChatController::markShownMessagesRead()
{
    if (!m_account || !m_messages || !m_view->window()->isActiveWindow() || !m_view->isVisible())
        return;
    const int last = m_view->lastVisibleRow();
    for (int row = last; row >= 0; --row) {
        const ChatMessage message = m_messages->messageAt(row);
        if (message.direction != ChatMessage::Direction::Incoming)
            continue;
        if (message.storageId != 0 && message.storageId <= m_lastMarked)
            return;
        m_lastMarked = message.storageId;
        const bool markers = m_preferences.value(Core::Preferences::Key::SendReadMarkers) && !m_isRequest;
        m_account->messages().markDisplayed(message, markers);
        return;
    }
}

QMenu *ChatController::menuFor(int row, QWidget *parent)
{
    auto *menu = new QMenu(parent);
    menu->setObjectName(QStringLiteral("messageMenu"));
    const auto message = messageAt(row);
    if (!message)
        return menu;
    const bool removed = message->removal != ChatMessage::Removal::None;
    const bool online = m_account && m_account->state() == Core::ConnectionState::Online;
    const bool ours = message->direction == ChatMessage::Direction::Outgoing;
    // A direct transfer's record never travelled: there is nothing the contact could see change.
    const bool record = message->kind != ChatMessage::Kind::Message;
    if (!removed && !record) {
        // The quick bar: one click reacts (or takes the reaction back).
        auto *quick = menu->addMenu(tr("React"));
        quick->setObjectName(QStringLiteral("reactMenu"));
        for (const QString &emoji : quickReactions()) {
            QAction *action =
                quick->addAction(emoji, this, [this, row, emoji] { toggleReaction(row, emoji); });
            action->setObjectName(QStringLiteral("react ") + emoji);
        }
        quick->addSeparator();
        QAction *more = quick->addAction(tr("More…"), this, [this, row] { pickReaction(row); });
        more->setObjectName(QStringLiteral("moreReactionsAction"));
        quick->setEnabled(online && !message->referenceId().isEmpty());
        QAction *replyAction = menu->addAction(tr("Reply"), this, [this, row] { reply(row); });
        replyAction->setObjectName(QStringLiteral("replyAction"));
        replyAction->setEnabled(!message->referenceId().isEmpty());
        if (ours) {
            QAction *editAction = menu->addAction(tr("Edit"), this, [this, row] { edit(row); });
            editAction->setObjectName(QStringLiteral("editAction"));
            editAction->setEnabled(online && !message->id.isEmpty());
        }
        QAction *copy = menu->addAction(tr("Copy text"), this,
                                        [text = message->body] { QApplication::clipboard()->setText(text); });
        copy->setObjectName(QStringLiteral("copyAction"));
        menu->addSeparator();
        if (ours) {
            QAction *retractAction =
                menu->addAction(tr("Delete for everyone…"), this, [this, row] { retract(row); });
            retractAction->setObjectName(QStringLiteral("retractAction"));
            retractAction->setEnabled(online && !message->id.isEmpty());
        } else if (canModerate(*message)) {
            QAction *moderateAction =
                menu->addAction(tr("Remove for everyone…"), this, [this, row] { moderate(row); });
            moderateAction->setObjectName(QStringLiteral("moderateAction"));
            moderateAction->setEnabled(online);
        }
    }
    addFileActions(menu, row);
    QAction *local = menu->addAction(tr("Delete on this device…"), this, [this, row] { deleteLocally(row); });
    local->setObjectName(QStringLiteral("deleteLocallyAction"));
    local->setEnabled(message->storageId != 0);
    return menu;
}

void ChatController::reply(int row)
{
    const auto message = messageAt(row);
    if (!message)
        return;
    m_editing.reset();
    m_replyTo = message;
    const QString author =
        message->direction == ChatMessage::Direction::Outgoing ? tr("yourself") : message->conversation.peer;
    m_composer->setMode(Composer::Mode::Replying, tr("Replying to %1").arg(author), message->body);
    m_composer->editor()->setFocus();
}

void ChatController::edit(int row)
{
    const auto message = messageAt(row);
    if (!message || message->direction != ChatMessage::Direction::Outgoing ||
        message->removal != ChatMessage::Removal::None)
        return;
    if (!m_editing)
        m_draftBeforeEdit = m_composer->text();
    m_replyTo.reset();
    m_editing = message;
    m_composer->setMode(Composer::Mode::Editing, tr("Editing your message"), message->body);
    m_composer->setText(message->body);
    m_composer->editor()->setFocus();
}

void ChatController::editLast()
{
    if (m_messages)
        edit(m_messages->lastCorrectableRow());
}

void ChatController::cancelMode()
{
    const bool wasEditing = m_editing.has_value();
    m_replyTo.reset();
    m_editing.reset();
    m_composer->setMode(Composer::Mode::Writing);
    if (wasEditing)
        m_composer->setText(std::exchange(m_draftBeforeEdit, {}));
}

bool ChatController::sendPrepared(const QString &text)
{
    if (!m_editing || !m_account)
        return false;
    const ChatMessage original = *m_editing;
    if (text == original.body) {
        cancelMode();
        return true;
    }
    m_account->messages().correct(original, text).then(this, [this](const Core::Result<ChatMessage> &result) {
        if (!Core::isOk(result))
            Q_EMIT failed(
                tr("The message was not edited: %1").arg(ErrorPresenter::describe(Core::errorOf(result))));
    });
    m_editing.reset();
    m_composer->setMode(Composer::Mode::Writing);
    m_composer->setText(std::exchange(m_draftBeforeEdit, {}));
    return true;
}

void ChatController::toggleReaction(int row, const QString &emoji)
{
    const auto message = messageAt(row);
    if (!message || !m_account)
        return;
    QStringList mine;
    for (const ChatMessage::Reaction &reaction : message->reactions) {
        if (reaction.reactor == m_key.account)
            mine = reaction.emojis;
    }
    if (mine.contains(emoji))
        mine.removeAll(emoji);
    else
        mine.append(emoji);
    react(*message, mine);
}

void ChatController::pickReaction(int row)
{
    if (!m_reactionPicker) {
        m_reactionPicker = new EmojiPicker(m_view);
        connect(m_reactionPicker, &EmojiPicker::emojiChosen, this,
                [this](const QString &emoji) { toggleReaction(m_pickingFor, emoji); });
    }
    m_pickingFor = row;
    const QRect rect = m_view->visualRect(m_view->model()->index(row, 0));
    m_reactionPicker->popUp(m_view->viewport()->mapToGlobal(rect.bottomLeft()));
}

void ChatController::react(const ChatMessage &target, const QStringList &emojis)
{
    m_account->messages().react(target, emojis).then(this, [this](const Core::Result<ChatMessage> &result) {
        if (!Core::isOk(result))
            Q_EMIT failed(
                tr("The reaction was not sent: %1").arg(ErrorPresenter::describe(Core::errorOf(result))));
    });
}

bool ChatController::confirm(const QString &title, const QString &text, const QString &accept)
{
    QMessageBox box(QMessageBox::Question, title, text, QMessageBox::Cancel, m_view->window());
    box.setObjectName(QStringLiteral("confirmDeletion"));
    box.setTextFormat(Qt::PlainText);
    QPushButton *yes = box.addButton(accept, QMessageBox::DestructiveRole);
    yes->setObjectName(QStringLiteral("confirmButton"));
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    return box.clickedButton() == yes;
}

void ChatController::retract(int row)
{
    const auto message = messageAt(row);
    if (!message || !m_account || message->direction != ChatMessage::Direction::Outgoing)
        return;
    if (!confirm(
            tr("Delete for everyone?"),
            tr("The message is deleted here, on your other devices and for %1. Their client may have shown "
               "or kept it already.")
                .arg(m_key.peer),
            tr("Delete for everyone")))
        return;
    m_account->messages().retract(*message).then(this, [this](const Core::Result<ChatMessage> &result) {
        if (!Core::isOk(result))
            Q_EMIT failed(
                tr("The message was not deleted: %1").arg(ErrorPresenter::describe(Core::errorOf(result))));
    });
}

bool ChatController::canModerate(const ChatMessage &message) const
{
    // The room knows a message only by the stanza-id it gave it.
    if (!m_account || !m_key.isGroupChat() || message.direction != ChatMessage::Direction::Incoming ||
        message.stanzaId.isEmpty() || message.stanzaIdBy != m_key.peer)
        return false;
    Core::MucService &rooms = m_account->rooms();
    const auto self = rooms.self(m_key.peer);
    // Offered to anyone else, it would only earn a refusal from the room.
    return self && self->role == Core::MucRole::Moderator && rooms.info(m_key.peer).moderationVersion >= 0;
}

void ChatController::moderate(int row)
{
    const auto message = messageAt(row);
    if (!message || !canModerate(*message))
        return;
    QDialog dialog(m_view->window());
    dialog.setObjectName(QStringLiteral("confirmModeration"));
    dialog.setWindowTitle(tr("Remove for everyone?"));
    auto *text = new QLabel(tr("The message from %1 is removed for everyone in the room. Others may already "
                               "have read it. A reason, if you give one, is shown to everyone in the room.")
                                .arg(message->senderNick()),
                            &dialog);
    text->setTextFormat(Qt::PlainText);
    text->setWordWrap(true);
    auto *reason = new QLineEdit(&dialog);
    reason->setObjectName(QStringLiteral("moderationReason"));
    reason->setPlaceholderText(tr("Reason (optional)"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, &dialog);
    QPushButton *remove = buttons->addButton(tr("Remove for everyone"), QDialogButtonBox::AcceptRole);
    remove->setObjectName(QStringLiteral("confirmButton"));
    // As in the other confirmations, Enter must not remove a message by accident.
    remove->setAutoDefault(false);
    buttons->button(QDialogButtonBox::Cancel)->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(&dialog);
    layout->addWidget(text);
    layout->addWidget(reason);
    layout->addWidget(buttons);
    // The account may have gone while the dialog was open.
    if (dialog.exec() != QDialog::Accepted || !m_account)
        return;
    m_account->rooms()
        .moderate(*message, reason->text().trimmed())
        .then(this, [this](const Core::Result<Core::Success> &result) {
            if (!Core::isOk(result))
                Q_EMIT failed(tr("The message was not removed: %1")
                                  .arg(ErrorPresenter::describe(Core::errorOf(result))));
        });
}

void ChatController::deleteLocally(int row)
{
    const auto message = messageAt(row);
    if (!message || !m_account)
        return;
    if (!confirm(tr("Delete on this device?"),
                 tr("The message is deleted on this device only. Others still have it."), tr("Delete")))
        return;
    const qint64 storageId = message->storageId;
    m_account->messages().deleteLocally(*message).then(this, [this, storageId](
                                                                 const Core::Result<Core::Success> &result) {
        if (!Core::isOk(result)) {
            Q_EMIT failed(
                tr("The message was not deleted: %1").arg(ErrorPresenter::describe(Core::errorOf(result))));
            return;
        }
        if (m_messages)
            m_messages->removeMessage(storageId);
    });
}

void ChatController::jumpToQuote(int row)
{
    const auto message = messageAt(row);
    if (!message || message->replyToId.isEmpty() || !m_messages)
        return;
    const int quoted = m_messages->rowOfReference(message->replyToId);
    if (quoted >= 0) {
        m_view->showMessage(quoted);
        return;
    }
    // Not loaded: the store knows where it is.
    ChatMessage target;
    target.conversation = m_key;
    target.id = message->replyToId;
    Q_EMIT showInContextRequested(target);
}

void ChatController::openLink(const QUrl &url)
{
    if (!url.isValid() || !OpenableSchemes.contains(url.scheme().toLower()))
        return;
    QDesktopServices::openUrl(url);
}

std::optional<Core::AttachmentState> ChatController::attachmentAt(int row) const
{
    const auto message = messageAt(row);
    if (!message || !m_account)
        return std::nullopt;
    return m_account->attachments().state(*message);
}

void ChatController::activateAttachment(int row)
{
    const auto state = attachmentAt(row);
    if (!state)
        return;
    Core::AttachmentService &attachments = m_account->attachments();
    switch (state->stage) {
    case Stage::Unknown:
    case Stage::Missing:
        break;
    case Stage::Remote:
    case Stage::Failed:
        attachments.download(*messageAt(row));
        break;
    case Stage::Downloading:
        attachments.cancel(*messageAt(row));
        break;
    case Stage::Saved:
        openFile(state->path);
        break;
    }
}

void ChatController::addFileActions(QMenu *menu, int row)
{
    const auto state = attachmentAt(row);
    if (!state)
        return;
    const auto message = *messageAt(row);
    Core::AttachmentService &attachments = m_account->attachments();
    if (state->stage == Stage::Saved) {
        QAction *open =
            menu->addAction(tr("Open file"), this, [this, path = state->path] { openFile(path); });
        open->setObjectName(QStringLiteral("openFileAction"));
        QAction *folder = menu->addAction(tr("Show in folder"), this, [path = state->path] {
            QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(path).absolutePath()));
        });
        folder->setObjectName(QStringLiteral("showInFolderAction"));
    } else if (state->stage == Stage::Downloading) {
        QAction *cancel = menu->addAction(tr("Cancel download"), this,
                                          [&attachments, message] { attachments.cancel(message); });
        cancel->setObjectName(QStringLiteral("cancelDownloadAction"));
    } else if (state->stage != Stage::Unknown && state->stage != Stage::Missing) {
        QAction *download = menu->addAction(tr("Download file"), this,
                                            [&attachments, message] { attachments.download(message); });
        download->setObjectName(QStringLiteral("downloadAction"));
    }
    menu->addSeparator();
}

void ChatController::openFile(const QString &path)
{
    // A program or launcher from the network is never started by a click in the chat: its folder opens
    // instead, and the user decides.
    static const QStringList runnable = {
        QStringLiteral("application/x-executable"),
        QStringLiteral("application/x-sharedlib"),
        QStringLiteral("application/x-shellscript"),
        QStringLiteral("application/x-desktop"),
        QStringLiteral("application/x-ms-dos-executable"),
        QStringLiteral("application/x-msdownload"),
        QStringLiteral("application/x-msi"),
        QStringLiteral("application/vnd.microsoft.portable-executable"),
        QStringLiteral("application/x-apple-diskimage"),
        QStringLiteral("application/java-archive"),
        QStringLiteral("application/x-ms-shortcut"),
        QStringLiteral("text/x-python3"),
        QStringLiteral("text/x-python"),
        QStringLiteral("application/x-perl"),
        QStringLiteral("application/x-bat"),
        QStringLiteral("application/x-appimage"),
    };
    const QFileInfo file(path);
    const QMimeType type = QMimeDatabase().mimeTypeForFile(file);
    const bool isRunnable = std::any_of(runnable.cbegin(), runnable.cend(),
                                        [&type](const QString &name) { return type.inherits(name); });
    if (isRunnable) {
        Q_EMIT failed(
            tr("%1 is a program or script: its folder opens instead, so that you decide whether to run "
               "it.")
                .arg(file.fileName()));
        QDesktopServices::openUrl(QUrl::fromLocalFile(file.absolutePath()));
        return;
    }
    if (!QDesktopServices::openUrl(QUrl::fromLocalFile(path)))
        Q_EMIT failed(tr("No application could open %1.").arg(file.fileName()));
}

} // namespace Natter::Ui
