// SPDX-License-Identifier: GPL-3.0-or-later
// Shows a server certificate that Natter refused (who it names, who issued it, how long it is valid, its
// SHA-256 fingerprint, why it was refused) and lets the user trust exactly that certificate for one account,
// only after ticking that they compared the fingerprint. A certificate that replaced a trusted one is shown
// with a warning and the fingerprint trusted before.
#pragma once

#include <QByteArray>
#include <QDialog>
#include <QSslCertificate>

class QCheckBox;
class QPushButton;

namespace Natter::Core {
class Error;
}

namespace Natter::Ui {

class CertificateDialog : public QDialog
{
    Q_OBJECT
public:
    // error: a CertificateRejected or CertificateChanged error carrying the certificate; trustedBefore: the
    // certificate (DER) pinned for the account until now, if any.
    CertificateDialog(const QString &jid, const Core::Error &error, const QByteArray &trustedBefore,
                      QWidget *parent = nullptr);

    // DER of the certificate shown, for AccountConfig::pinnedCertificate once accepted.
    QByteArray certificate() const { return m_certificate.toDer(); }

    // Whether an error carries a certificate this dialog can show.
    static bool canShow(const Core::Error &error);
    // "AA:BB:…" split into lines of 16 bytes.
    static QString fingerprintText(const QSslCertificate &certificate);

private:
    QSslCertificate m_certificate;
    QCheckBox *m_confirm;
    QPushButton *m_trustButton;
};

} // namespace Natter::Ui
