// SPDX-License-Identifier: GPL-3.0-or-later
// The warning above a 1:1 chat when, under the "manual trust only" policy, the contact or our own account
// has an active device nobody decided on: messages are not encrypted for it until the user decides.
#pragma once

#include "domain/ChatMessage.h"

#include <QFrame>
#include <QPointer>

class QLabel;

namespace Natter::Core {
class Account;
}

namespace Natter::Ui {

class UndecidedDeviceBanner : public QFrame
{
    Q_OBJECT
public:
    explicit UndecidedDeviceBanner(QWidget *parent = nullptr);

    // The chat shown now; hidden for rooms, without encryption and without an account.
    void setConversation(Core::Account *account, const Core::ConversationKey &conversation);
    // What the banner says; empty when it is hidden.
    QString text() const;

Q_SIGNALS:
    // "Review devices": the devices of bareJid (the contact's or our own account's) should be shown.
    void reviewRequested(const QString &bareJid);

private:
    bool concerns(const QString &bareJid) const;
    // Looks again: the policy, then the contact's devices, then ours.
    void refresh();
    void checkDevices(const QString &bareJid, int generation);
    void showFor(const QString &bareJid);
    void dismiss();

    QPointer<Core::Account> m_account;
    Core::ConversationKey m_conversation;
    QLabel *m_text;
    QString m_subject; // whose undecided device the banner names
    bool m_dismissed = false;
    int m_generation = 0; // answers of an earlier refresh are dropped
    QList<QMetaObject::Connection> m_connections;
};

} // namespace Natter::Ui
