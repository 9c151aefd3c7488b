// SPDX-License-Identifier: GPL-3.0-or-later
#include "CallButtons.h"

#include "account/Account.h"
#include "calls/CallService.h"
#include "roster/CapsService.h"
#include "roster/PresenceService.h"

#include <QHBoxLayout>
#include <QToolButton>

namespace Natter::Ui {

CallButtons::CallButtons(QWidget *parent)
    : QWidget(parent)
{
    const auto button = [this](const QString &objectName, const QString &icon, const QString &text,
                               bool video) {
        auto *toolButton = new QToolButton(this);
        toolButton->setObjectName(objectName);
        toolButton->setIcon(QIcon::fromTheme(icon));
        toolButton->setText(text);
        toolButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        toolButton->setAutoRaise(true);
        connect(toolButton, &QToolButton::clicked, this, [this, video] {
            if (m_account)
                Q_EMIT callRequested(m_account, m_conversation.peer, video);
        });
        return toolButton;
    };
    m_audio = button(QStringLiteral("audioCallButton"), QStringLiteral("call-start"), tr("Call"), false);
    m_video = button(QStringLiteral("videoCallButton"), QStringLiteral("camera-web"), tr("Video"), true);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_audio);
    layout->addWidget(m_video);
    hide();
}

void CallButtons::setConversation(Core::Account *account, const Core::ConversationKey &conversation)
{
    if (m_account)
        disconnect(m_account, nullptr, this, nullptr);
    if (m_account) {
        disconnect(&m_account->caps(), nullptr, this, nullptr);
        disconnect(&m_account->presence(), nullptr, this, nullptr);
        disconnect(&m_account->calls(), nullptr, this, nullptr);
    }
    m_account = account;
    m_conversation = conversation;
    if (account) {
        connect(&account->caps(), &Core::CapsService::featuresChanged, this, &CallButtons::refresh);
        connect(&account->presence(), &Core::PresenceService::presenceChanged, this, &CallButtons::refresh);
        connect(&account->presence(), &Core::PresenceService::allOffline, this, &CallButtons::refresh);
        connect(&account->calls(), &Core::Calls::CallService::outgoing, this, &CallButtons::refresh);
        connect(&account->calls(), &Core::Calls::CallService::incoming, this, &CallButtons::refresh);
        connect(&account->calls(), &Core::Calls::CallService::callEnded, this, &CallButtons::refresh,
                Qt::QueuedConnection);
    }
    refresh();
}

void CallButtons::refresh()
{
    const bool chat = m_account && !m_conversation.account.isEmpty() && !m_conversation.isGroupChat();
    setVisible(chat);
    if (!chat)
        return;
    auto &calls = m_account->calls();
    const bool inCall = calls.currentCall();
    const bool audio = calls.canCall(m_conversation.peer, false);
    const bool video = calls.canCall(m_conversation.peer, true);
    m_audio->setEnabled(audio && !inCall);
    m_video->setEnabled(video && !inCall);
    const QString why = inCall ? tr("You are already in a call.")
                               : tr("None of %1's online devices takes calls.").arg(m_conversation.peer);
    m_audio->setToolTip(audio && !inCall ? tr("Audio call with %1").arg(m_conversation.peer) : why);
    m_video->setToolTip(video && !inCall ? tr("Video call with %1").arg(m_conversation.peer) : why);
}

} // namespace Natter::Ui
