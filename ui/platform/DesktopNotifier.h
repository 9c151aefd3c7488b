// SPDX-License-Identifier: GPL-3.0-or-later
// Desktop notifications for new messages: org.freedesktop.Notifications over D-Bus where a notification
// server runs (Linux desktops), QSystemTrayIcon messages elsewhere. One notification per conversation: a
// new message replaces the previous one instead of stacking. Actions: open, reply (inline where the server
// supports it) and mark as read.
#pragma once

#include "domain/ChatMessage.h"

#include <QHash>
#include <QObject>
#include <QPointer>

class QSystemTrayIcon;

namespace Natter::Ui {

class DesktopNotifier : public QObject
{
    Q_OBJECT
public:
    struct Notification
    {
        Core::ConversationKey conversation;
        QString title;    // the sender's name
        QString body;     // the text, or a neutral line when previews are off
        QString iconFile; // the sender's avatar, may be empty
    };

    explicit DesktopNotifier(QObject *parent = nullptr);

    // Used when no notification server answers on the session bus.
    void setTrayFallback(QSystemTrayIcon *tray);
    // Whether the server offered inline replies (GetCapabilities "inline-reply").
    bool supportsInlineReply() const { return m_inlineReply; }

    void show(const Notification &notification);
    // The conversation was read: its notification goes away.
    void withdraw(const Core::ConversationKey &conversation);

Q_SIGNALS:
    // A notification went out (to the notification server or the tray).
    void shown(const Natter::Ui::DesktopNotifier::Notification &notification);
    void openRequested(const Natter::Core::ConversationKey &conversation);
    void replyRequested(const Natter::Core::ConversationKey &conversation);
    void inlineReplied(const Natter::Core::ConversationKey &conversation, const QString &text);
    void markReadRequested(const Natter::Core::ConversationKey &conversation);

private Q_SLOTS:
    void actionInvoked(uint id, const QString &action);
    void notificationReplied(uint id, const QString &text);
    void notificationClosed(uint id, uint reason);

private:
    void showThroughTray(const Notification &notification);
    std::optional<Core::ConversationKey> conversationOf(uint id) const;

    bool m_busAvailable = false;
    bool m_inlineReply = false;
    QPointer<QSystemTrayIcon> m_tray;
    QHash<Core::ConversationKey, uint> m_ids;
    Core::ConversationKey m_trayConversation;
};

} // namespace Natter::Ui
