// SPDX-License-Identifier: GPL-3.0-or-later
// The QR code widgets offscreen: QrCodeView paints a crisp code on white whatever the theme, and QrScanDialog
// accepts a scanned picture or pasted text, or explains why it does not (a code the caller cannot use, no
// camera) and stays usable.
#include "common/Error.h"
#include "presenters/ErrorPresenter.h"
#include "widgets/crypto/QrCodeView.h"
#include "widgets/crypto/QrScanDialog.h"

#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using Natter::Core::Error;
using Natter::Ui::ErrorPresenter;
using Natter::Ui::QrCodeView;
using Natter::Ui::QrScanDialog;

namespace {

constexpr int ScanTimeoutMs = 20000;

const QString Uri = QStringLiteral(
    "xmpp:alice@example.org?omemo-sid-1234=05b3a1d27c7e3f0c4f1a9d3e8b6c2a7d9e0f1b2c3d4e5f60718293a4b5c6d7e8");

struct PixelCounts
{
    qsizetype dark = 0;
    qsizetype light = 0;
};

PixelCounts countPixels(const QImage &image)
{
    PixelCounts counts;
    const QImage grey = image.convertToFormat(QImage::Format_Grayscale8);
    for (int y = 0; y < grey.height(); ++y) {
        const uchar *line = grey.constScanLine(y);
        for (int x = 0; x < grey.width(); ++x) {
            if (line[x] < 64)
                ++counts.dark;
            else if (line[x] > 192)
                ++counts.light;
        }
    }
    return counts;
}

bool hasVideoDevice()
{
    return !QDir(QStringLiteral("/dev")).entryList({QStringLiteral("video*")}, QDir::System).isEmpty();
}

} // namespace

class TestUiQrCode : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString saveCode(const QString &text)
    {
        const QString path = m_dir.filePath(QStringLiteral("code-%1.png").arg(qHash(text)));
        return QrCodeView::render(text, 4).save(path, "PNG") ? path : QString();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void renderIsCrispWithQuietZone()
    {
        const int moduleSize = 3;
        const QImage image = QrCodeView::render(Uri, moduleSize);
        QVERIFY(!image.isNull());
        QCOMPARE(image.width(), image.height());
        QCOMPARE(image.width() % moduleSize, 0);
        const QImage grey = image.convertToFormat(QImage::Format_Grayscale8);
        // Only black and white, and the 4-module quiet zone around the code is white.
        const int quiet = 4 * moduleSize;
        for (int y = 0; y < grey.height(); ++y) {
            for (int x = 0; x < grey.width(); ++x) {
                const int value = grey.pixelColor(x, y).value();
                QVERIFY2(value == 0 || value == 255,
                         qPrintable(QStringLiteral("grey at %1,%2").arg(x).arg(y)));
                const bool inQuietZone =
                    x < quiet || y < quiet || x >= grey.width() - quiet || y >= grey.height() - quiet;
                if (inQuietZone)
                    QCOMPARE(value, 255);
            }
        }
        // The top left finder pattern starts right after the quiet zone.
        QCOMPARE(grey.pixelColor(quiet, quiet).value(), 0);
        QCOMPARE(QrCodeView::render(Uri, 6).size(), image.size() * 2);
    }

    void renderRefusesWhatIsNoCode()
    {
        QVERIFY(QrCodeView::render(QString(), 4).isNull());
        QVERIFY(QrCodeView::render(Uri, 0).isNull());
        QVERIFY(QrCodeView::render(QString(4000, u'x'), 4).isNull());
    }

    void viewPaintsDarkModulesOnWhite()
    {
        QrCodeView view;
        view.setText(Uri);
        view.resize(view.sizeHint());
        const QImage shot = view.grab().toImage();
        QVERIFY(!shot.isNull());
        const PixelCounts counts = countPixels(shot);
        QVERIFY(counts.dark > 0);
        QVERIFY(counts.light > 0);
        QCOMPARE(view.text(), Uri);
        QCOMPARE(view.toolTip(), Uri);
        QVERIFY(view.accessibleName().contains(Uri));
    }

    void viewStaysWhiteInADarkTheme()
    {
        QrCodeView view;
        QPalette dark = view.palette();
        dark.setColor(QPalette::Window, Qt::black);
        dark.setColor(QPalette::WindowText, Qt::white);
        view.setPalette(dark);
        view.setAutoFillBackground(true);
        view.setText(Uri);
        view.resize(view.sizeHint() + QSize(40, 0));
        const QImage shot = view.grab().toImage();
        // The code is centred: the middle of its left quiet zone is white, the margin beside it the theme's.
        const int codeLeft = (shot.width() - view.sizeHint().width()) / 2;
        QCOMPARE(shot.pixelColor(codeLeft + 2, shot.height() / 2), QColor(Qt::white));
        QCOMPARE(shot.pixelColor(2, shot.height() / 2), QColor(Qt::black));
    }

    void viewSizeIsStableForTheSameText()
    {
        QrCodeView view;
        view.setText(Uri);
        const QSize hint = view.sizeHint();
        view.resize(hint);
        const QSize shotSize = view.grab().size();
        view.setText(Uri + QStringLiteral(";omemo-sid-99=") + QString(64, u'a'));
        QVERIFY(view.sizeHint() != hint);
        view.setText(Uri);
        QCOMPARE(view.sizeHint(), hint);
        view.resize(hint);
        QCOMPARE(view.grab().size(), shotSize);
        QCOMPARE(countPixels(view.grab().toImage()).dark, countPixels(view.grab().toImage()).dark);
    }

    void scannedPictureAcceptsTheDialog()
    {
        const QString path = saveCode(Uri);
        QVERIFY(!path.isEmpty());
        QrScanDialog dialog;
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        dialog.scanImage(path);
        QTRY_COMPARE_WITH_TIMEOUT(accepted.count(), 1, ScanTimeoutMs);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(dialog.scannedText(), Uri);
    }

    void rejectedCodeShowsHintAndStaysOpen()
    {
        const QString other = QStringLiteral("https://example.org/not-a-fingerprint");
        QStringList offered;
        QrScanDialog dialog([&offered](const QString &text) {
            offered.append(text);
            return text.startsWith(QStringLiteral("xmpp:"));
        });
        QSignalSpy finished(&dialog, &QDialog::finished);
        dialog.show();
        auto *hint = dialog.findChild<QLabel *>(QStringLiteral("qrNotFingerprintHint"));
        QVERIFY(hint);
        QVERIFY(!hint->isVisible());
        dialog.scanImage(saveCode(other));
        QTRY_VERIFY_WITH_TIMEOUT(hint->isVisible(), ScanTimeoutMs);
        QCOMPARE(hint->text(), QStringLiteral("This QR code is not an OMEMO fingerprint."));
        QCOMPARE(offered, QStringList{other});
        QVERIFY(dialog.isVisible());
        QVERIFY(finished.isEmpty());
        QVERIFY(dialog.scannedText().isEmpty());

        // A usable code afterwards is taken.
        dialog.scanImage(saveCode(Uri));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, ScanTimeoutMs);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(dialog.scannedText(), Uri);
    }

    void pictureWithoutCodeIsReported()
    {
        QImage blank(200, 200, QImage::Format_RGB32);
        blank.fill(Qt::white);
        const QString path = m_dir.filePath(QStringLiteral("blank.png"));
        QVERIFY(blank.save(path, "PNG"));
        QrScanDialog dialog;
        QSignalSpy finished(&dialog, &QDialog::finished);
        dialog.scanImage(path);
        auto *status = dialog.findChild<QLabel *>(QStringLiteral("qrScanStatus"));
        QVERIFY(status);
        QTRY_COMPARE_WITH_TIMEOUT(status->text(), QStringLiteral("No QR code was found in this picture."),
                                  ScanTimeoutMs);
        QVERIFY(finished.isEmpty());
    }

    void pastedUriIsAccepted()
    {
        QrScanDialog dialog([](const QString &text) { return text.startsWith(QStringLiteral("xmpp:")); });
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto *pasted = dialog.findChild<QLineEdit *>(QStringLiteral("qrPastedText"));
        auto *use = dialog.findChild<QPushButton *>(QStringLiteral("qrUsePasted"));
        auto *hint = dialog.findChild<QLabel *>(QStringLiteral("qrNotFingerprintHint"));
        QVERIFY(pasted && use && hint);
        QVERIFY(!use->isEnabled());

        pasted->setFocus();
        QTest::keyClicks(pasted, QStringLiteral("hello"));
        QTest::keyClick(pasted, Qt::Key_Return);
        QVERIFY(hint->isVisible());
        QCOMPARE(hint->text(), QStringLiteral("This text is not an OMEMO fingerprint."));
        QVERIFY(dialog.isVisible());

        pasted->clear();
        QVERIFY(!hint->isVisible());
        QTest::keyClicks(pasted, QStringLiteral("  ") + Uri);
        QVERIFY(use->isEnabled());
        QTest::keyClick(pasted, Qt::Key_Return);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(!dialog.isVisible());
        QCOMPARE(dialog.scannedText(), Uri);
    }

    void missingCameraIsExplainedAndDialogStaysUsable()
    {
        if (hasVideoDevice())
            QSKIP("This machine has a camera");
        QrScanDialog dialog;
        dialog.show();
        auto *status = dialog.findChild<QLabel *>(QStringLiteral("qrScanStatus"));
        QVERIFY(status);
        QTRY_VERIFY_WITH_TIMEOUT(status->isVisible(), ScanTimeoutMs);
        const QString noCamera = ErrorPresenter::describe(
            Error(Error::Code::CameraUnavailable, QStringLiteral("no camera found")));
        QVERIFY2(status->text().startsWith(noCamera), qPrintable(status->text()));
        QVERIFY(dialog.isVisible());

        // The picture is still read.
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        dialog.scanImage(saveCode(Uri));
        QTRY_COMPARE_WITH_TIMEOUT(accepted.count(), 1, ScanTimeoutMs);
        QCOMPARE(dialog.scannedText(), Uri);
    }
};

QTEST_MAIN(TestUiQrCode)
#include "tst_ui_qrcode.moc"
