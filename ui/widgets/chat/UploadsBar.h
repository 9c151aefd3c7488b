// SPDX-License-Identifier: GPL-3.0-or-later
// Sends files into conversations and shows them while they upload: one row per file with its progress and a
// Cancel button, above the composer; a failed one with why, Retry and a button to hide it. Once a file is
// shared its message goes to the chat; a caption follows the last file of a batch as a message of its own, or
// goes back to the composer if no file could be sent. Files larger than the server takes are offered for a
// direct transfer to the contact's device instead, after asking (they then show in the DirectTransfersBar).
#pragma once

#include "domain/ChatMessage.h"

#include <QPointer>
#include <QWidget>

class QVBoxLayout;

namespace Natter::Core {
class Account;
class FileShare;
} // namespace Natter::Core

namespace Natter::Ui {

class UploadsBar : public QWidget
{
    Q_OBJECT
public:
    explicit UploadsBar(QWidget *parent = nullptr);

    void share(Core::Account *account, const Core::ConversationKey &conversation, const QStringList &paths,
               const QString &caption);
    // Uploads under way.
    int count() const;

Q_SIGNALS:
    // A message (a shared file, a caption) is about to go out, or its delivery state changed.
    void messageComposed(const Natter::Core::ChatMessage &message);
    void deliveryChanged(const Natter::Core::ConversationKey &conversation, const QString &id,
                         Natter::Core::ChatMessage::Delivery delivery);
    // No file of a batch was sent: its caption is not lost.
    void captionReturned(const Natter::Core::ConversationKey &conversation, const QString &caption);
    // A user-facing error (already translated).
    void failed(const QString &text);

private:
    struct Batch;
    void upload(Core::Account *account, const Core::ConversationKey &conversation, const QStringList &paths,
                const QString &caption);
    void askToSendDirectly(Core::Account *account, const Core::ConversationKey &conversation,
                           const QString &device, const QStringList &paths, const QString &caption);
    QWidget *addRow(Core::FileShare *share, const QString &fileName, const QString &peer);
    void offerRetry(QWidget *row, const QPointer<Core::Account> &account,
                    const Core::ConversationKey &conversation, const QString &path, const QString &text);
    void finishOne(const std::shared_ptr<Batch> &batch, bool sent);
    void sendCaption(const std::shared_ptr<Batch> &batch);

    QVBoxLayout *m_rows;
};

} // namespace Natter::Ui
