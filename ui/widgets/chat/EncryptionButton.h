// SPDX-License-Identifier: GPL-3.0-or-later
// The lock in a chat's header: shows whether messages to this contact go out end-to-end encrypted (OMEMO)
// and turns encryption on or off for the conversation; its menu opens the contact's devices and fingerprints.
#pragma once

#include "domain/ChatMessage.h"
#include "storage/ConversationRepository.h"

#include <QPointer>
#include <QToolButton>

namespace Natter::Core {
class Account;
}

namespace Natter::Ui {

class EncryptionButton : public QToolButton
{
    Q_OBJECT
public:
    explicit EncryptionButton(QWidget *parent = nullptr);

    // Hidden for open rooms, private messages in rooms and when the account has no encryption.
    void setConversation(Core::Account *account, const Core::ConversationKey &conversation);
    // What the button shows: the stored choice, resolved (Automatic becomes On when the peer has devices).
    bool isEncrypting() const { return m_encrypting; }
    // "Devices and fingerprints…" in the button's menu.
    QAction *devicesAction() const { return m_devicesAction; }

Q_SIGNALS:
    // The user wants to see the devices of the conversation's contact.
    void devicesRequested();

private:
    void refresh();
    void toggle();
    void show(Core::EncryptionChoice choice);

    QPointer<Core::Account> m_account;
    Core::ConversationKey m_conversation;
    bool m_encrypting = false;
    QMetaObject::Connection m_devicesChanged;
    QAction *m_devicesAction = nullptr;
};

} // namespace Natter::Ui
