// SPDX-License-Identifier: GPL-3.0-or-later
#include "DirectTransfersBar.h"

#include "account/Account.h"
#include "files/AttachmentService.h"
#include "filetransfer/FileTransferService.h"
#include "presenters/DataSize.h"
#include "presenters/ErrorPresenter.h"
#include "roster/RosterService.h"

#include <QDesktopServices>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QToolButton>
#include <QUrl>

namespace Natter::Ui {

using Core::FileTransfer;

namespace {

QToolButton *button(QWidget *parent, const QString &name, const QString &text)
{
    auto *button = new QToolButton(parent);
    button->setObjectName(name);
    button->setText(text);
    button->setAutoRaise(true);
    return button;
}

QString routeText(const QString &route)
{
    if (route == u"direct")
        return DirectTransfersBar::tr("directly");
    if (route == u"proxy")
        return DirectTransfersBar::tr("through the server's proxy");
    if (route == u"in-band")
        return DirectTransfersBar::tr("through the server (slow)");
    return {};
}

} // namespace

DirectTransfersBar::DirectTransfersBar(QWidget *parent)
    : QWidget(parent)
    , m_rows(new QVBoxLayout(this))
{
    setObjectName(QStringLiteral("directTransfersBar"));
    m_rows->setContentsMargins(12, 4, 12, 4);
    m_rows->setSpacing(2);
    hide();
}

int DirectTransfersBar::count() const
{
    return m_rows->count();
}

void DirectTransfersBar::watch(Core::Account *account)
{
    Core::FileTransferService &transfers = account->directTransfers();
    connect(&transfers, &Core::FileTransferService::offered, this,
            [this, account](FileTransfer *transfer) { addRow(account, transfer); });
    connect(&transfers, &Core::FileTransferService::started, this,
            [this, account](FileTransfer *transfer) { addRow(account, transfer); });
}

void DirectTransfersBar::addRow(Core::Account *account, FileTransfer *transfer)
{
    const bool incoming = transfer->direction() == FileTransfer::Direction::Incoming;
    const QString name = transfer->file().name;
    // The contact's name, as the roster has it.
    const auto contact = account->roster().item(transfer->peerBareJid());
    const QString peer = contact && !contact->name.isEmpty() ? contact->name : transfer->peerBareJid();
    const qint64 total = transfer->file().size.value_or(0);

    auto *row = new QWidget(this);
    row->setObjectName(incoming ? QStringLiteral("incomingTransferRow")
                                : QStringLiteral("outgoingTransferRow"));
    auto *label = new QLabel(row);
    label->setObjectName(QStringLiteral("transferLabel"));
    label->setTextFormat(Qt::PlainText);
    label->setText(incoming ? tr("%1 wants to send you %2 (%3)").arg(peer, name, dataSizeText(total))
                            : tr("Offering %1 (%2) to %3…").arg(name, dataSizeText(total), peer));
    auto *progress = new QProgressBar(row);
    progress->setObjectName(QStringLiteral("transferProgress"));
    progress->setRange(0, 1000);
    progress->setMaximumHeight(12);
    progress->setTextVisible(false);
    progress->setVisible(false);
    auto *accept = button(row, QStringLiteral("acceptTransfer"), tr("Accept"));
    accept->setToolTip(tr("Save %1 in your downloads folder").arg(name));
    auto *decline = button(row, QStringLiteral("declineTransfer"), tr("Decline"));
    auto *cancel = button(row, QStringLiteral("cancelTransfer"), tr("Cancel"));
    cancel->setToolTip(tr("Stop the transfer of %1").arg(name));
    auto *showFolder = button(row, QStringLiteral("showTransferredFile"), tr("Show in folder"));
    auto *dismiss = button(row, QStringLiteral("dismissTransfer"), QStringLiteral("✕"));
    dismiss->setToolTip(tr("Hide"));
    accept->setVisible(incoming);
    decline->setVisible(incoming);
    cancel->setVisible(!incoming);
    showFolder->hide();
    dismiss->hide();

    const QPointer<Core::Account> owner = account;
    connect(accept, &QToolButton::clicked, transfer, [transfer, owner, accept, decline, cancel] {
        if (!owner)
            return;
        accept->hide();
        decline->hide();
        cancel->show();
        transfer->accept(owner->attachments().policy().folder);
    });
    connect(decline, &QToolButton::clicked, transfer, &FileTransfer::decline);
    connect(cancel, &QToolButton::clicked, transfer, &FileTransfer::cancel);
    const auto removeRow = [this, row] {
        row->deleteLater();
        m_rows->removeWidget(row);
        setVisible(count() > 0);
    };
    connect(dismiss, &QToolButton::clicked, this, removeRow);
    connect(transfer, &FileTransfer::stageChanged, row, [=](FileTransfer::Stage stage) {
        if (stage == FileTransfer::Stage::Offered && !incoming)
            label->setText(tr("Waiting for %1 to accept %2 (%3)").arg(peer, name, dataSizeText(total)));
        else if (stage == FileTransfer::Stage::Connecting)
            label->setText(tr("Connecting to %1 for %2…").arg(peer, name));
        if (stage == FileTransfer::Stage::Transferring)
            progress->show();
    });
    connect(transfer, &FileTransfer::progress, row, [=](qint64 done, qint64 size) {
        if (size <= 0)
            return;
        progress->setValue(int(done * 1000 / size));
        label->setText(
            (incoming ? tr("Receiving %1 from %2 %3 — %4% of %5") : tr("Sending %1 to %2 %3 — %4% of %5"))
                .arg(name, peer, routeText(transfer->route()))
                .arg(done * 100 / size)
                .arg(dataSizeText(size)));
    });
    connect(transfer, &FileTransfer::finished, row, [=, this](const Core::Result<QString> &result) {
        const auto *error = std::get_if<Core::Error>(&result);
        if (!error && incoming) {
            // The received file stays in view until dismissed: it is not in the chat's history.
            const QString path = std::get<QString>(result);
            label->setText(tr("Received %1 from %2").arg(QFileInfo(path).fileName(), peer));
            progress->hide();
            accept->hide();
            decline->hide();
            cancel->hide();
            showFolder->show();
            dismiss->show();
            connect(showFolder, &QToolButton::clicked, row, [path] {
                QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(path).absolutePath()));
            });
            return Q_EMIT reported(
                tr("%1 from %2 was saved in %3")
                    .arg(QFileInfo(path).fileName(), peer, QFileInfo(path).absolutePath()));
        }
        removeRow();
        if (!error)
            return Q_EMIT reported(tr("%1 was sent to %2").arg(name, peer));
        if (error->code == Core::Error::Code::TransferCancelled && error->detail.isEmpty())
            return; // the user's own doing
        QString why = ErrorPresenter::describe(*error);
        if (error->code == Core::Error::Code::TransferCancelled)
            why = tr("%1 cancelled it.").arg(peer);
        else if (error->code == Core::Error::Code::RequestRefused)
            why = error->detail == u"declined" ? tr("%1 declined it.").arg(peer)
                                               : tr("%1's device refused it (%2).").arg(peer, error->detail);
        Q_EMIT reported(tr("%1 was not transferred: %2").arg(name, why));
    });

    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(label, 1);
    layout->addWidget(progress, 1);
    layout->addWidget(accept);
    layout->addWidget(decline);
    layout->addWidget(cancel);
    layout->addWidget(showFolder);
    layout->addWidget(dismiss);
    m_rows->addWidget(row);
    show();
}

} // namespace Natter::Ui
