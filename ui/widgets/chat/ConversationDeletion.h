// SPDX-License-Identifier: GPL-3.0-or-later
// Deleting a one-to-one conversation on this device, after a confirmation that says what goes (its
// messages here; the contact, the server's archive and our other devices keep theirs) and offers to delete
// the files downloaded from it too (never files we sent, which are the user's own).
#pragma once

#include "domain/ChatMessage.h"

#include <QObject>

class QWidget;

namespace Natter::Core {
class AccountManager;
}

namespace Natter::Ui {

class ConversationListModel;

class ConversationDeletion : public QObject
{
    Q_OBJECT
public:
    ConversationDeletion(Core::AccountManager &accounts, ConversationListModel &conversations,
                         QWidget *window);

    // Asks (a window-modal question), then deletes.
    void start(const Core::ConversationKey &key);

Q_SIGNALS:
    // The conversation is gone, with filesDeleted of its downloaded files.
    void deleted(const Natter::Core::ConversationKey &key, int filesDeleted);
    // A user-facing error (already translated).
    void failed(const QString &text);

private:
    struct Downloads
    {
        QStringList files;
        QStringList thumbnails;
    };
    void ask(const Core::ConversationKey &key, const Downloads &downloads);
    void remove(const Core::ConversationKey &key, const Downloads &downloads);

    Core::AccountManager &m_accounts;
    ConversationListModel &m_conversations;
    QWidget *m_window;
};

} // namespace Natter::Ui
