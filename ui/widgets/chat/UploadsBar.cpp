// SPDX-License-Identifier: GPL-3.0-or-later
#include "UploadsBar.h"

#include "account/Account.h"
#include "files/AttachmentService.h"
#include "files/FileSharing.h"
#include "files/HttpUpload.h"
#include "filetransfer/FileTransferService.h"
#include "messaging/MessageService.h"
#include "presenters/DataSize.h"
#include "presenters/ErrorPresenter.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QToolButton>

namespace Natter::Ui {

using Core::ChatMessage;

struct UploadsBar::Batch
{
    QPointer<Core::Account> account;
    Core::ConversationKey conversation;
    QString caption;
    int pending = 0;
    int sent = 0;
};

UploadsBar::UploadsBar(QWidget *parent)
    : QWidget(parent)
    , m_rows(new QVBoxLayout(this))
{
    setObjectName(QStringLiteral("uploadsBar"));
    m_rows->setContentsMargins(12, 4, 12, 4);
    m_rows->setSpacing(2);
    hide();
}

int UploadsBar::count() const
{
    return m_rows->count();
}

void UploadsBar::share(Core::Account *account, const Core::ConversationKey &conversation,
                       const QStringList &paths, const QString &caption)
{
    if (!account || paths.isEmpty())
        return;
    // Files the upload service cannot take (or all, without one) go directly when the contact can take them.
    const QString device = conversation.kind == Core::ConversationKind::Chat
                               ? account->directTransfers().receivingDevice(conversation.peer)
                               : QString();
    QStringList uploads;
    QStringList direct;
    for (const QString &path : paths) {
        const bool fits = account->uploads().service() &&
                          account->uploads().fits(QFileInfo(path).size(), true); // with the encryption's tag
        (fits || device.isEmpty() ? uploads : direct).append(path);
    }
    if (!direct.isEmpty())
        askToSendDirectly(account, conversation, device, direct, uploads.isEmpty() ? caption : QString());
    if (!uploads.isEmpty())
        upload(account, conversation, uploads, caption);
}

void UploadsBar::askToSendDirectly(Core::Account *account, const Core::ConversationKey &conversation,
                                   const QString &device, const QStringList &paths, const QString &caption)
{
    QStringList names;
    for (const QString &path : paths)
        names.append(tr("“%1” (%2)").arg(QFileInfo(path).fileName(), dataSizeText(QFileInfo(path).size())));
    const auto service = account->uploads().service();
    const QString reason =
        service ? tr("Your server accepts uploads of up to %1.").arg(dataSizeText(service->maxFileSize))
                : tr("Your server does not accept uploads.");
    auto *question = new QMessageBox(
        QMessageBox::Question, tr("Send directly?"),
        tr("%1 cannot be uploaded: %2 Send directly to %3's device instead?", nullptr, int(paths.size()))
            .arg(QLocale().createSeparatedList(names), reason, conversation.peer),
        QMessageBox::Cancel, this);
    question->setObjectName(QStringLiteral("directTransferQuestion"));
    question->setInformativeText(
        tr("It goes from this computer to theirs, or through your server's proxy, once "
           "they accept it. Direct transfers are not end-to-end encrypted."));
    QPushButton *send = question->addButton(tr("Send directly"), QMessageBox::AcceptRole);
    send->setObjectName(QStringLiteral("sendDirectly"));
    question->setDefaultButton(send);
    question->setAttribute(Qt::WA_DeleteOnClose);
    const QPointer<Core::Account> owner = account;
    connect(question, &QMessageBox::finished, this, [=, this] {
        if (!owner)
            return;
        if (question->clickedButton() != send)
            return caption.isEmpty() ? void() : Q_EMIT captionReturned(conversation, caption);
        for (const QString &path : paths)
            owner->directTransfers().send(device, path);
        if (!caption.trimmed().isEmpty()) {
            auto batch = std::make_shared<Batch>();
            batch->account = owner;
            batch->conversation = conversation;
            batch->caption = caption;
            sendCaption(batch);
        }
    });
    question->open();
}

void UploadsBar::upload(Core::Account *account, const Core::ConversationKey &conversation,
                        const QStringList &paths, const QString &caption)
{
    auto batch = std::make_shared<Batch>();
    batch->account = account;
    batch->conversation = conversation;
    batch->caption = caption;
    batch->pending = int(paths.size());
    for (const QString &path : paths) {
        Core::FileShare *share = account->files().share(conversation, path);
        QWidget *row = addRow(share, QFileInfo(path).fileName(), conversation.peer);
        connect(share, &Core::FileShare::finished, this,
                [this, batch, share, row, path](const Core::Result<ChatMessage> &result) {
                    const Core::Error error = Core::errorOf(result);
                    if (error.isError() && error.code != Core::Error::Code::TransferCancelled) {
                        const QString text =
                            tr("%1 was not sent: %2")
                                .arg(QFileInfo(path).fileName(), ErrorPresenter::describe(error));
                        offerRetry(row, batch->account, batch->conversation, path, text);
                        Q_EMIT failed(text);
                        return finishOne(batch, false);
                    }
                    delete row;
                    setVisible(count() > 0);
                    if (const auto *sent = std::get_if<ChatMessage>(&result)) {
                        if (batch->account)
                            batch->account->attachments().recordSent(*sent, path, share->described());
                        Q_EMIT messageComposed(*sent);
                        return finishOne(batch, true);
                    }
                    finishOne(batch, false);
                });
    }
    show();
}

QWidget *UploadsBar::addRow(Core::FileShare *share, const QString &fileName, const QString &peer)
{
    auto *row = new QWidget(this);
    row->setObjectName(QStringLiteral("uploadRow"));
    auto *label = new QLabel(row);
    label->setTextFormat(Qt::PlainText);
    label->setText(tr("Sending %1 to %2").arg(fileName, peer));
    auto *progress = new QProgressBar(row);
    progress->setObjectName(QStringLiteral("uploadProgress"));
    progress->setRange(0, 0); // busy until the first bytes go out (hashing, encrypting, asking for a slot)
    progress->setMaximumHeight(12);
    progress->setTextVisible(false);
    auto *cancel = new QToolButton(row);
    cancel->setObjectName(QStringLiteral("cancelUpload"));
    cancel->setText(tr("Cancel"));
    cancel->setAutoRaise(true);
    cancel->setToolTip(tr("Stop sending %1").arg(fileName));
    connect(cancel, &QToolButton::clicked, share, &Core::FileShare::cancel);
    connect(share, &Core::FileShare::progress, row,
            [label, progress, fileName, peer](qint64 sent, qint64 total) {
                if (total <= 0)
                    return;
                progress->setRange(0, 1000);
                progress->setValue(int(sent * 1000 / total));
                label->setText(tr("Sending %1 to %2 — %3% of %4")
                                   .arg(fileName, peer)
                                   .arg(sent * 100 / total)
                                   .arg(dataSizeText(total)));
            });
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(label, 1);
    layout->addWidget(progress, 1);
    layout->addWidget(cancel);
    m_rows->addWidget(row);
    return row;
}

void UploadsBar::offerRetry(QWidget *row, const QPointer<Core::Account> &account,
                            const Core::ConversationKey &conversation, const QString &path,
                            const QString &text)
{
    // The row stays, saying why, until the user tries again or dismisses it.
    row->setObjectName(QStringLiteral("failedUploadRow"));
    row->findChild<QLabel *>()->setText(text);
    row->findChild<QProgressBar *>()->hide();
    row->findChild<QToolButton *>(QStringLiteral("cancelUpload"))->hide();
    auto *retry = new QToolButton(row);
    retry->setObjectName(QStringLiteral("retryUpload"));
    retry->setText(tr("Retry"));
    retry->setAutoRaise(true);
    auto *dismiss = new QToolButton(row);
    dismiss->setObjectName(QStringLiteral("dismissUpload"));
    dismiss->setText(QStringLiteral("✕"));
    dismiss->setToolTip(tr("Hide"));
    dismiss->setAutoRaise(true);
    row->layout()->addWidget(retry);
    row->layout()->addWidget(dismiss);
    const auto remove = [this, row] {
        row->deleteLater();
        m_rows->removeWidget(row);
        setVisible(count() > 0);
    };
    connect(dismiss, &QToolButton::clicked, this, remove);
    connect(retry, &QToolButton::clicked, this, [this, remove, account, conversation, path] {
        remove();
        if (account)
            upload(account, conversation, {path}, QString());
    });
}

void UploadsBar::finishOne(const std::shared_ptr<Batch> &batch, bool sent)
{
    batch->sent += sent ? 1 : 0;
    if (--batch->pending > 0 || batch->caption.trimmed().isEmpty())
        return;
    if (batch->sent == 0)
        return Q_EMIT captionReturned(batch->conversation, batch->caption);
    sendCaption(batch);
}

void UploadsBar::sendCaption(const std::shared_ptr<Batch> &batch)
{
    if (!batch->account)
        return;
    const auto composed = batch->account->messages().compose(batch->conversation, batch->caption.trimmed());
    if (!Core::isOk(composed))
        return Q_EMIT failed(ErrorPresenter::describe(Core::errorOf(composed)));
    const ChatMessage caption = std::get<ChatMessage>(composed);
    Q_EMIT messageComposed(caption);
    batch->account->messages().send(caption).then(
        this, [this, caption](const Core::Result<ChatMessage> &sent) {
            const auto *delivered = std::get_if<ChatMessage>(&sent);
            Q_EMIT deliveryChanged(caption.conversation, caption.id,
                                   delivered ? delivered->delivery : ChatMessage::Delivery::Failed);
            if (!delivered)
                Q_EMIT failed(
                    tr("The caption was not sent: %1").arg(ErrorPresenter::describe(Core::errorOf(sent))));
        });
}

} // namespace Natter::Ui
