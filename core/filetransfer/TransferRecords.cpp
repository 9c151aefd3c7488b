// SPDX-License-Identifier: GPL-3.0-or-later
#include "TransferRecords.h"

#include "FileTransfer.h"
#include "FileTransferService.h"
#include "common/Logging.h"
#include "files/AttachmentService.h"
#include "messaging/MessageService.h"

#include <QUrl>
#include <QUuid>

namespace Natter::Core {

TransferRecords::TransferRecords(FileTransferService &transfers, MessageService &messages,
                                 AttachmentService &attachments, QString accountJid, QObject *parent)
    : QObject(parent)
    , m_messages(messages)
    , m_attachments(attachments)
    , m_accountJid(std::move(accountJid))
{
    connect(&transfers, &FileTransferService::offered, this, &TransferRecords::watch);
    connect(&transfers, &FileTransferService::started, this, &TransferRecords::watch);
}

void TransferRecords::watch(FileTransfer *transfer)
{
    connect(transfer, &FileTransfer::finished, this, [this, transfer](const Result<QString> &result) {
        // Only what arrived whole: a cancelled or failed transfer shows in the bar above the composer.
        if (isOk(result))
            record(*transfer, std::get<QString>(result));
    });
}

void TransferRecords::record(const FileTransfer &transfer, const QString &path)
{
    const bool sent = transfer.direction() == FileTransfer::Direction::Outgoing;
    ChatMessage message;
    message.kind = ChatMessage::Kind::DirectTransfer;
    message.conversation = {m_accountJid, transfer.peerBareJid()};
    message.direction = sent ? ChatMessage::Direction::Outgoing : ChatMessage::Direction::Incoming;
    // The receiver confirmed the whole file (session-terminate with success) before a transfer finishes.
    message.delivery = sent ? ChatMessage::Delivery::Received : ChatMessage::Delivery::Sent;
    message.id = QStringLiteral("direct-transfer-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    message.senderFullJid = sent ? m_accountJid : transfer.peer();
    message.timestamp = QDateTime::currentDateTimeUtc();
    message.oobUrl = QUrl::fromLocalFile(path).toString(QUrl::FullyEncoded);
    message.body = message.oobUrl;
    FileMetadata described = transfer.file();
    described.name = QUrl::fromLocalFile(path).fileName();
    message.file = described;
    m_messages.record(message).then(this, [this, path, described](const Result<ChatMessage> &stored) {
        if (!isOk(stored)) {
            qCWarning(lcFiles) << "cannot keep the record of a direct transfer:" << errorOf(stored).detail;
            return;
        }
        m_attachments.recordTransferred(std::get<ChatMessage>(stored), path, described);
    });
}

} // namespace Natter::Core
