// SPDX-License-Identifier: GPL-3.0-or-later
// The audio and video call buttons in a chat's header. They are enabled while one of the contact's online
// devices takes calls as Natter places them (its caps announce JMI, ICE-UDP and DTLS-SRTP, and video for
// the video button), and hidden in group chats.
#pragma once

#include "domain/ChatMessage.h"

#include <QPointer>
#include <QWidget>

class QToolButton;

namespace Natter::Core {
class Account;
}

namespace Natter::Ui {

class CallButtons : public QWidget
{
    Q_OBJECT
public:
    explicit CallButtons(QWidget *parent = nullptr);

    void setConversation(Core::Account *account, const Core::ConversationKey &conversation);

Q_SIGNALS:
    void callRequested(Core::Account *account, const QString &peer, bool video);

private:
    void refresh();

    QPointer<Core::Account> m_account;
    Core::ConversationKey m_conversation;
    QToolButton *m_audio = nullptr;
    QToolButton *m_video = nullptr;
};

} // namespace Natter::Ui
