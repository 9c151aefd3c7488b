// SPDX-License-Identifier: GPL-3.0-or-later
// "Scan a QR code": the camera's live picture, a picture file or pasted text; accepts the first usable text.
#pragma once

#include <QDialog>
#include <QString>
#include <functional>

class QLabel;
class QLineEdit;
class QPushButton;

namespace Natter::Core {
class Error;
class QrCodeScanner;
struct PreviewFrame;
} // namespace Natter::Core

namespace Natter::Ui {

class QrScanDialog : public QDialog
{
    Q_OBJECT
public:
    // Says whether a scanned or pasted text is one the caller can use; the others get a hint and are ignored.
    using Validator = std::function<bool(const QString &)>;

    explicit QrScanDialog(QWidget *parent = nullptr);
    explicit QrScanDialog(Validator validator, QWidget *parent = nullptr);
    ~QrScanDialog() override;

    // The text of the QR code or the pasted text the dialog was accepted with.
    QString scannedText() const { return m_scannedText; }
    // Scans a picture file instead of the camera ("From image…" without the file dialog).
    void scanImage(const QString &path);
    // Takes the pasted text.
    void accept() override;
    void done(int result) override;

protected:
    void showEvent(QShowEvent *event) override;

private:
    void offer(const QString &text, const QString &rejectedHint);
    void chooseImage();
    void showPreview(const Core::PreviewFrame &preview);
    void showScannerError(const Core::Error &error);
    void showStatus(const QString &text);

    Validator m_validator;
    Core::QrCodeScanner *m_scanner;
    QLabel *m_preview;
    QLabel *m_status;
    QLabel *m_hint;
    QLineEdit *m_pasted;
    QPushButton *m_usePasted;
    QString m_scannedText;
    bool m_cameraStarted = false;
    bool m_scanningImage = false;
    bool m_imageHadCode = false;
    int m_imageFrames = 0;
};

} // namespace Natter::Ui
