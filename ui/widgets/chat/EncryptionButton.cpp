// SPDX-License-Identifier: GPL-3.0-or-later
#include "EncryptionButton.h"

#include "account/Account.h"
#include "crypto/EncryptionService.h"
#include "crypto/LegacyOmemoService.h"

namespace Natter::Ui {

using Core::EncryptionChoice;

EncryptionButton::EncryptionButton(QWidget *parent)
    : QToolButton(parent)
{
    setObjectName(QStringLiteral("encryptionButton"));
    setCheckable(true);
    setAutoRaise(true);
    setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    connect(this, &QToolButton::clicked, this, &EncryptionButton::toggle);
    hide();
}

void EncryptionButton::setConversation(Core::Account *account, const Core::ConversationKey &conversation)
{
    QObject::disconnect(m_devicesChanged);
    m_account = account;
    m_conversation = conversation;
    const bool applies = account && account->encryption() && !conversation.isGroupChat() &&
                         !conversation.peer.contains(u'/') && !conversation.peer.isEmpty();
    setVisible(applies);
    if (!applies)
        return;
    m_devicesChanged = connect(account->encryption(), &Core::EncryptionService::devicesChanged, this,
                               [this](const QString &jid) {
                                   if (jid == m_conversation.peer)
                                       refresh();
                               });
    refresh();
}

void EncryptionButton::refresh()
{
    if (!m_account || !m_account->encryption())
        return;
    const auto conversation = m_conversation;
    m_account->encryption()
        ->choice(conversation)
        .then(this, [this, conversation](const Core::Result<EncryptionChoice> &result) {
            if (conversation == m_conversation)
                show(Core::isOk(result) ? std::get<EncryptionChoice>(result) : EncryptionChoice::On);
        });
}

void EncryptionButton::show(EncryptionChoice choice)
{
    const auto devices = m_account->encryption()->legacy().deviceIds(m_conversation.peer);
    const bool peerHasDevices = devices && !devices->isEmpty();
    m_encrypting =
        choice == EncryptionChoice::On || (choice == EncryptionChoice::Automatic && peerHasDevices);
    setChecked(m_encrypting);
    setIcon(
        QIcon::fromTheme(m_encrypting ? QStringLiteral("object-locked") : QStringLiteral("object-unlocked")));
    setText(m_encrypting ? tr("Encrypted") : tr("Not encrypted"));
    if (m_encrypting)
        setToolTip(tr("Messages to %1 are end-to-end encrypted with OMEMO; if that is not possible, they are "
                      "not sent. Click to send without encryption.")
                       .arg(m_conversation.peer));
    else if (choice == EncryptionChoice::Off)
        setToolTip(
            tr("Encryption is off for this chat: the server can read these messages. Click to encrypt."));
    else
        setToolTip(tr("%1 has no OMEMO device we know of, so messages are sent without end-to-end "
                      "encryption. Click to insist on encryption.")
                       .arg(m_conversation.peer));
}

void EncryptionButton::toggle()
{
    if (!m_account || !m_account->encryption())
        return;
    const EncryptionChoice choice = m_encrypting ? EncryptionChoice::Off : EncryptionChoice::On;
    const auto conversation = m_conversation;
    m_account->encryption()
        ->setChoice(conversation, choice)
        .then(this, [this, conversation](const Core::Result<Core::Success> &) {
            if (conversation == m_conversation)
                refresh();
        });
}

} // namespace Natter::Ui
