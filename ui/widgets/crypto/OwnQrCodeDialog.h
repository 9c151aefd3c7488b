// SPDX-License-Identifier: GPL-3.0-or-later
// Our verification QR code (xmpp: URI with this device's key) for a contact or another device of ours to
// scan, with this device's fingerprint as text for comparing by eye.
#pragma once

#include "crypto/VerificationUri.h"

#include <QDialog>

namespace Natter::Ui {

class QrCodeView;

class OwnQrCodeDialog : public QDialog
{
    Q_OBJECT
public:
    OwnQrCodeDialog(const Core::VerificationUri &uri, QWidget *parent = nullptr);

    QrCodeView *codeView() const { return m_code; }

private:
    QrCodeView *m_code;
};

} // namespace Natter::Ui
