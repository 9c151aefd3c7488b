// SPDX-License-Identifier: GPL-3.0-or-later
#include "OwnQrCodeDialog.h"

#include "DevicePresenter.h"
#include "QrCodeView.h"
#include "crypto/Fingerprint.h"

#include <QBoxLayout>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>

namespace Natter::Ui {

OwnQrCodeDialog::OwnQrCodeDialog(const Core::VerificationUri &uri, QWidget *parent)
    : QDialog(parent)
    , m_code(new QrCodeView(this))
{
    setObjectName(QStringLiteral("ownQrCodeDialog"));
    setWindowTitle(tr("My QR code"));
    m_code->setObjectName(QStringLiteral("ownQrCode"));
    m_code->setText(uri.toString());

    auto *explanation =
        new QLabel(tr("Let a contact, or another device of yours, scan this code to verify this "
                      "device of %1. Or compare this fingerprint with the one they see:")
                       .arg(uri.jid),
                   this);
    explanation->setTextFormat(Qt::PlainText);
    explanation->setWordWrap(true);

    const QByteArray key = uri.devices.isEmpty() ? QByteArray() : uri.devices.first().identityKey;
    auto *fingerprint = new QLabel(DevicePresenter::fingerprintLines(Core::Fingerprint::grouped(key)), this);
    fingerprint->setObjectName(QStringLiteral("ownFingerprint"));
    fingerprint->setTextFormat(Qt::PlainText);
    fingerprint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    fingerprint->setAlignment(Qt::AlignCenter);
    QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    fixed.setPointSizeF(fixed.pointSizeF() * 1.2);
    fingerprint->setFont(fixed);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::accept);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(explanation);
    layout->addWidget(m_code, 1, Qt::AlignHCenter);
    layout->addWidget(fingerprint);
    layout->addWidget(buttons);
    setMinimumWidth(420);
}

} // namespace Natter::Ui
