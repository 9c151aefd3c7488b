// SPDX-License-Identifier: GPL-3.0-or-later
#include "CertificateDialog.h"

#include "account/ConnectionErrorClassifier.h"
#include "common/Error.h"

#include <QBoxLayout>
#include <QCheckBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSsl>

namespace Natter::Ui {

using Core::Error;

namespace {

// Values in the form keep their own lines: a word-wrapped label in a form layout gets cut off.
QLabel *valueLabel(const QString &text, const QString &objectName, QWidget *parent, bool wrap = false)
{
    auto *label = new QLabel(text, parent);
    label->setObjectName(objectName);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(wrap);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QString joined(const QStringList &parts)
{
    QStringList present;
    for (const QString &part : parts) {
        if (!part.trimmed().isEmpty() && !present.contains(part.trimmed()))
            present.append(part.trimmed());
    }
    return present.join(QStringLiteral(", "));
}

// "natter.test (Example Org)": the names a certificate is for, and its organisation.
QString subjectText(const QSslCertificate &certificate)
{
    QStringList names = certificate.subjectInfo(QSslCertificate::CommonName);
    names += certificate.subjectAlternativeNames().values(QSsl::DnsEntry);
    QString text = joined(names);
    if (const QString organisation = joined(certificate.subjectInfo(QSslCertificate::Organization));
        !organisation.isEmpty())
        text += QStringLiteral(" (%1)").arg(organisation);
    return text.isEmpty() ? CertificateDialog::tr("(no name)") : text;
}

QString issuerText(const QSslCertificate &certificate)
{
    if (certificate.isSelfSigned())
        return CertificateDialog::tr("Itself (a self-signed certificate)");
    QString text = joined(certificate.issuerInfo(QSslCertificate::CommonName));
    if (const QString organisation = joined(certificate.issuerInfo(QSslCertificate::Organization));
        !organisation.isEmpty())
        text += QStringLiteral(" (%1)").arg(organisation);
    return text.isEmpty() ? certificate.issuerDisplayName() : text;
}

QString validityText(const QSslCertificate &certificate)
{
    const QLocale locale;
    QString text = CertificateDialog::tr("%1 to %2")
                       .arg(locale.toString(certificate.effectiveDate().toLocalTime(), QLocale::ShortFormat),
                            locale.toString(certificate.expiryDate().toLocalTime(), QLocale::ShortFormat));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (certificate.expiryDate() < now)
        text += u' ' + CertificateDialog::tr("(expired)");
    else if (certificate.effectiveDate() > now)
        text += u' ' + CertificateDialog::tr("(not valid yet)");
    return text;
}

} // namespace

bool CertificateDialog::canShow(const Error &error)
{
    return (error.code == Error::Code::CertificateRejected ||
            error.code == Error::Code::CertificateChanged) &&
           !QSslCertificate(error.certificate, QSsl::Der).isNull();
}

QString CertificateDialog::fingerprintText(const QSslCertificate &certificate)
{
    // "AA:" per byte: 16 bytes a line, the colon kept at the end of the first.
    const QString hex = Core::ConnectionErrorClassifier::sha256Fingerprint(certificate);
    return hex.left(48) + u'\n' + hex.mid(48);
}

CertificateDialog::CertificateDialog(const QString &jid, const Error &error, const QByteArray &trustedBefore,
                                     QWidget *parent)
    : QDialog(parent)
    , m_certificate(error.certificate, QSsl::Der)
    , m_confirm(new QCheckBox(this))
{
    setObjectName(QStringLiteral("certificateDialog"));
    const bool changed = error.code == Error::Code::CertificateChanged;
    setWindowTitle(changed ? tr("Certificate changed for %1").arg(jid)
                           : tr("Untrusted certificate for %1").arg(jid));

    auto *headline =
        valueLabel(changed ? tr("This is not the certificate you trusted for %1.").arg(jid)
                           : tr("Natter cannot verify the certificate the server of %1 presented.").arg(jid),
                   QStringLiteral("certificateHeadline"), this, true);
    QFont bold = headline->font();
    bold.setBold(true);
    headline->setFont(bold);
    if (changed)
        headline->setStyleSheet(QStringLiteral("color: #c62828;"));
    auto *advice = valueLabel(
        changed
            ? tr("Someone may be intercepting the connection, or the server has a new certificate. Trust "
                 "the new one only if its administrator confirms its fingerprint through another channel.")
            : tr("It may be a server with its own certificate, or someone intercepting the connection. Trust "
                 "it only if its fingerprint matches one the server's administrator gave you through another "
                 "channel. Natter then accepts exactly this certificate for this account, and warns you if "
                 "it ever changes."),
        QStringLiteral("certificateAdvice"), this, true);

    auto *details = new QFormLayout;
    details->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    details->addRow(tr("Issued to:"),
                    valueLabel(subjectText(m_certificate), QStringLiteral("certificateSubject"), this));
    details->addRow(tr("Issued by:"),
                    valueLabel(issuerText(m_certificate), QStringLiteral("certificateIssuer"), this));
    details->addRow(tr("Valid:"),
                    valueLabel(validityText(m_certificate), QStringLiteral("certificateValidity"), this));
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    auto *fingerprint =
        valueLabel(fingerprintText(m_certificate), QStringLiteral("certificateFingerprint"), this);
    fingerprint->setFont(fixed);
    details->addRow(tr("SHA-256 fingerprint:"), fingerprint);
    const QSslCertificate before(trustedBefore, QSsl::Der);
    if (!before.isNull()) {
        auto *previous = valueLabel(fingerprintText(before), QStringLiteral("previousFingerprint"), this);
        previous->setFont(fixed);
        details->addRow(tr("Trusted until now:"), previous);
    }
    // Below the form, where a long reason can wrap.
    auto *problems = valueLabel(tr("Why it was refused: %1").arg(error.detail),
                                QStringLiteral("certificateProblems"), this, true);

    m_confirm->setObjectName(QStringLiteral("certificateConfirmCheck"));
    m_confirm->setText(tr("I have compared the fingerprint and trust this certificate for %1").arg(jid));

    auto *buttons = new QDialogButtonBox(this);
    m_trustButton = buttons->addButton(tr("&Trust this certificate"), QDialogButtonBox::AcceptRole);
    m_trustButton->setObjectName(QStringLiteral("trustCertificateButton"));
    m_trustButton->setEnabled(false);
    QPushButton *cancel = buttons->addButton(tr("&Do not connect"), QDialogButtonBox::RejectRole);
    cancel->setObjectName(QStringLiteral("rejectCertificateButton"));
    cancel->setDefault(true);
    connect(m_confirm, &QCheckBox::toggled, m_trustButton, &QPushButton::setEnabled);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(headline);
    layout->addWidget(advice);
    layout->addSpacing(6);
    layout->addLayout(details);
    layout->addWidget(problems);
    layout->addSpacing(6);
    layout->addWidget(m_confirm);
    layout->addWidget(buttons);
    setMinimumWidth(560);
}

} // namespace Natter::Ui
