// SPDX-License-Identifier: GPL-3.0-or-later
// Direct transfers leave a record in the conversation's history, as a shared file does: a row with the
// file, shown from where it was sent or saved. Records are this device's own (ChatMessage::Kind): they are
// never sent, and nothing from the network becomes one.
#pragma once

#include <QObject>

namespace Natter::Core {

class AttachmentService;
class FileTransfer;
class FileTransferService;
class MessageService;

class TransferRecords : public QObject
{
    Q_OBJECT
public:
    TransferRecords(FileTransferService &transfers, MessageService &messages, AttachmentService &attachments,
                    QString accountJid, QObject *parent = nullptr);

private:
    void watch(FileTransfer *transfer);
    void record(const FileTransfer &transfer, const QString &path);

    MessageService &m_messages;
    AttachmentService &m_attachments;
    QString m_accountJid;
};

} // namespace Natter::Core
