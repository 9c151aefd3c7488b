// SPDX-License-Identifier: GPL-3.0-or-later
// "Scan a QR code": the camera's live picture, a picture file or pasted text; accepts the first usable text.
#include "QrScanDialog.h"

#include "media/QrCodeScanner.h"
#include "presenters/ErrorPresenter.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QPixmap>
#include <QPushButton>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace Natter::Ui {

namespace {

// zbar reads every frame before it is shown, so a picture that showed this often without a code has none.
constexpr int FramesPerImage = 3;

} // namespace

QrScanDialog::QrScanDialog(QWidget *parent)
    : QrScanDialog(Validator(), parent)
{}

QrScanDialog::QrScanDialog(Validator validator, QWidget *parent)
    : QDialog(parent)
    , m_validator(std::move(validator))
    , m_scanner(new Core::QrCodeScanner(this))
    , m_preview(new QLabel(this))
    , m_status(new QLabel(this))
    , m_hint(new QLabel(tr("This QR code is not an OMEMO fingerprint."), this))
    , m_pasted(new QLineEdit(this))
{
    setObjectName(QStringLiteral("qrScanDialog"));
    setWindowTitle(tr("Scan a QR code"));

    m_preview->setObjectName(QStringLiteral("qrPreview"));
    m_preview->setAlignment(Qt::AlignCenter);
    m_preview->setMinimumSize(320, 240);
    // Ignored: a new frame must not resize the dialog.
    m_preview->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);
    m_preview->setFrameShape(QFrame::StyledPanel);
    m_preview->setWordWrap(true);
    m_preview->setText(tr("Hold the QR code up to the camera."));
    m_status->setObjectName(QStringLiteral("qrScanStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_status->hide();
    m_hint->setObjectName(QStringLiteral("qrNotFingerprintHint"));
    m_hint->setTextFormat(Qt::PlainText);
    m_hint->setWordWrap(true);
    m_hint->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_hint->hide();

    auto *fromImage = new QPushButton(tr("From &image…"), this);
    fromImage->setObjectName(QStringLiteral("qrFromImage"));
    fromImage->setAutoDefault(false);
    connect(fromImage, &QPushButton::clicked, this, &QrScanDialog::chooseImage);

    m_pasted->setObjectName(QStringLiteral("qrPastedText"));
    m_pasted->setPlaceholderText(tr("xmpp:name@example.org?omemo-sid-…"));
    m_pasted->setClearButtonEnabled(true);
    auto *pasteLabel = new QLabel(tr("Or &paste the text of the code:"), this);
    pasteLabel->setBuddy(m_pasted);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_usePasted = buttons->button(QDialogButtonBox::Ok);
    m_usePasted->setText(tr("&Use Pasted Text"));
    m_usePasted->setObjectName(QStringLiteral("qrUsePasted"));
    m_usePasted->setEnabled(false);
    m_usePasted->setDefault(true);
    connect(m_pasted, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_usePasted->setEnabled(!text.trimmed().isEmpty());
        m_hint->hide();
    });
    connect(buttons, &QDialogButtonBox::accepted, this, &QrScanDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    connect(m_scanner, &Core::QrCodeScanner::frame, this, &QrScanDialog::showPreview);
    connect(m_scanner, &Core::QrCodeScanner::failed, this, &QrScanDialog::showScannerError);
    connect(m_scanner, &Core::QrCodeScanner::decoded, this, [this](const QString &text) {
        m_imageHadCode = true;
        offer(text, tr("This QR code is not an OMEMO fingerprint."));
    });

    auto *imageRow = new QHBoxLayout;
    imageRow->addStretch();
    imageRow->addWidget(fromImage);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_preview, 1);
    layout->addWidget(m_status);
    layout->addWidget(m_hint);
    layout->addLayout(imageRow);
    layout->addWidget(pasteLabel);
    layout->addWidget(m_pasted);
    layout->addWidget(buttons);
    resize(480, 520);
}

QrScanDialog::~QrScanDialog() = default;

void QrScanDialog::scanImage(const QString &path)
{
    m_scanningImage = true;
    m_imageHadCode = false;
    m_imageFrames = 0;
    m_hint->hide();
    showStatus(tr("Reading %1…").arg(QFileInfo(path).fileName()));
    m_scanner->startImage(path);
}

void QrScanDialog::accept()
{
    const QString text = m_pasted->text().trimmed();
    if (!text.isEmpty())
        offer(text, tr("This text is not an OMEMO fingerprint."));
}

void QrScanDialog::done(int result)
{
    m_scanner->stop();
    QDialog::done(result);
}

void QrScanDialog::showEvent(QShowEvent *event)
{
    QDialog::showEvent(event);
    if (m_cameraStarted || m_scanningImage)
        return;
    m_cameraStarted = true;
    m_scanner->startCamera();
}

void QrScanDialog::offer(const QString &text, const QString &rejectedHint)
{
    if (m_validator && !m_validator(text)) {
        m_hint->setText(rejectedHint);
        m_hint->show();
        return;
    }
    m_scannedText = text;
    QDialog::accept();
}

void QrScanDialog::chooseImage()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Choose a Picture of the QR Code"),
        QStandardPaths::writableLocation(QStandardPaths::PicturesLocation),
        tr("Pictures (*.png *.jpg *.jpeg *.bmp *.gif *.webp *.tif *.tiff);;All files (*)"));
    if (!path.isEmpty())
        scanImage(path);
}

void QrScanDialog::showPreview(const Core::PreviewFrame &preview)
{
    const QImage image(reinterpret_cast<const uchar *>(preview.rgb.constData()), preview.width,
                       preview.height, preview.bytesPerLine, QImage::Format_RGB888);
    // scaled() copies, so the pixmap does not point into the frame's buffer.
    m_preview->setPixmap(QPixmap::fromImage(
        image.scaled(m_preview->contentsRect().size(), Qt::KeepAspectRatio, Qt::SmoothTransformation)));
    if (!m_scanningImage || ++m_imageFrames < FramesPerImage)
        return;
    // The picture has been read: keep it on screen but stop decoding it again and again.
    m_scanner->stop();
    m_scanningImage = false;
    if (m_imageHadCode)
        m_status->hide();
    else
        showStatus(tr("No QR code was found in this picture."));
}

void QrScanDialog::showScannerError(const Core::Error &error)
{
    QString text = ErrorPresenter::describe(error);
    if (error.code == Core::Error::Code::CameraUnavailable) {
        text += u' ' + tr("Choose a picture of the code or paste its text instead.");
        m_preview->setText(tr("No camera"));
    }
    m_scanningImage = false;
    showStatus(text);
}

void QrScanDialog::showStatus(const QString &text)
{
    m_status->setText(text);
    m_status->show();
}

} // namespace Natter::Ui
