// SPDX-License-Identifier: GPL-3.0-or-later
// QrCodeScanner: QR codes drawn by QrCodeView::render (libqrencode) read back by GStreamer's zbar, an
// independent decoder, byte for byte; pictures without a code, missing and damaged files, no camera; and
// that stopping or destroying a running scanner leaves no GStreamer object behind.
#include "media/QrCodeScanner.h"
#include "widgets/crypto/QrCodeView.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <gst/gst.h>

using namespace Natter::Core;
using Natter::Ui::QrCodeView;

namespace {

constexpr int ScanTimeoutMs = 20000;

const QString KeyA = QStringLiteral("05b3a1d27c7e3f0c4f1a9d3e8b6c2a7d9e0f1b2c3d4e5f60718293a4b5c6d7e8");
const QString KeyB = QStringLiteral("e8d7c6b5a4938271605f4e3d2c1b0f9e7d2a6c8b3e9d1a4f0c3f7e7cd2a1b3a6");
const QString OneDevice = QStringLiteral("xmpp:alice@example.org?omemo-sid-1234=") + KeyA;

QString describe(const Error &error)
{
    return error.codeName() + QStringLiteral(": ") + error.detail;
}

Error firstError(const QSignalSpy &spy)
{
    return spy.isEmpty() ? Error() : spy.first().first().value<Error>();
}

// The leaks tracer (enabled in initTestCase) notes every GstObject created and destroyed between two
// checkpoints; getting a checkpoint starts the next period.
GstTracer *leaksTracer()
{
    GstTracer *found = nullptr;
    GList *tracers = gst_tracing_get_active_tracers();
    for (GList *item = tracers; item; item = item->next) {
        if (qstrcmp(G_OBJECT_TYPE_NAME(item->data), "GstLeaksTracer") == 0)
            found = static_cast<GstTracer *>(item->data);
    }
    g_list_free_full(tracers, gst_object_unref); // the tracer itself lives until gst_deinit
    return found;
}

// "type address" of each object in a checkpoint's list.
QStringList objectsIn(const GstStructure *checkpoint, const char *list)
{
    QStringList objects;
    const GValue *value = gst_structure_get_value(checkpoint, list);
    for (guint i = 0; value && i < gst_value_list_get_size(value); ++i) {
        const GstStructure *object = gst_value_get_structure(gst_value_list_get_value(value, i));
        objects.append(QString::fromUtf8(gst_structure_get_string(object, "type-name")) + u' ' +
                       QString::fromUtf8(gst_structure_get_string(object, "address")));
    }
    return objects;
}

// The GstObjects created while it exists and not destroyed yet, as "type address", from the leaks tracer's
// checkpoints (each checkpoint lists what was created and destroyed since the one before).
class ObjectTracker
{
public:
    ObjectTracker() { g_signal_emit_by_name(leaksTracer(), "activity-start-tracking"); }
    ~ObjectTracker() { g_signal_emit_by_name(leaksTracer(), "activity-stop-tracking"); }
    ObjectTracker(const ObjectTracker &) = delete;
    ObjectTracker &operator=(const ObjectTracker &) = delete;

    QStringList alive()
    {
        GstStructure *checkpoint = nullptr;
        g_signal_emit_by_name(leaksTracer(), "activity-get-checkpoint", &checkpoint);
        if (!checkpoint)
            return {QStringLiteral("<no checkpoint>")};
        m_alive.append(objectsIn(checkpoint, "objects-created-list"));
        for (const QString &destroyed : objectsIn(checkpoint, "objects-removed-list"))
            m_alive.removeOne(destroyed);
        gst_structure_free(checkpoint);
        return m_alive;
    }

private:
    QStringList m_alive;
};

int threadCount()
{
    return int(QDir(QStringLiteral("/proc/self/task")).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size());
}

bool hasVideoDevice()
{
    return !QDir(QStringLiteral("/dev")).entryList({QStringLiteral("video*")}, QDir::System).isEmpty();
}

} // namespace

class TestQrCodeScanner : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString savePng(const QString &name, const QImage &image)
    {
        const QString path = m_dir.filePath(name);
        if (!image.save(path, "PNG"))
            return {};
        return path;
    }

    QString saveCode(const QString &name, const QString &text)
    {
        return savePng(name, QrCodeView::render(text, 4));
    }

    // Some dark shapes on white, like a photo with no code in it.
    QString saveCodelessPicture()
    {
        QImage image(240, 180, QImage::Format_RGB32);
        image.fill(Qt::white);
        QPainter painter(&image);
        painter.fillRect(20, 20, 60, 40, Qt::black);
        painter.fillRect(120, 90, 80, 30, Qt::darkGray);
        painter.setBrush(Qt::black);
        painter.drawEllipse(QPoint(60, 130), 25, 25);
        painter.end();
        return savePng(QStringLiteral("no-code.png"), image);
    }

    // Runs a picture through the scanner until it has shown a few frames, so GStreamer's lazily created
    // singletons (clock, plugin features) exist before a count.
    void warmUp()
    {
        QrCodeScanner scanner;
        QSignalSpy frames(&scanner, &QrCodeScanner::frame);
        scanner.startImage(saveCode(QStringLiteral("warm-up.png"), OneDevice));
        QTRY_VERIFY_WITH_TIMEOUT(frames.count() >= 2, ScanTimeoutMs);
        scanner.stop();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // Before the first gst_init, which the scanner would otherwise do: counts the live GstObjects.
        qputenv("GST_TRACERS", "leaks(filters=GstObject)");
        qputenv("GST_DEBUG", "0");
        gst_init(nullptr, nullptr);
        QVERIFY2(leaksTracer(), "the leaks tracer is not active");
        // The tracker sees an object that is still alive, and no longer once it is gone. (The first fakesrc
        // creates its class's pad template, which stays.)
        gst_object_unref(gst_object_ref_sink(gst_element_factory_make("fakesrc", nullptr)));
        ObjectTracker tracker;
        GstElement *probe = gst_element_factory_make("fakesrc", nullptr);
        QVERIFY(probe);
        const QStringList created = tracker.alive();
        QVERIFY(std::any_of(created.cbegin(), created.cend(), [](const QString &object) {
            return object.startsWith(QStringLiteral("GstFakeSrc "));
        }));
        gst_object_unref(probe);
        QCOMPARE(tracker.alive(), QStringList());
    }

    void decodesWhatWasRendered_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("one device") << OneDevice;
        QTest::newRow("several devices")
            << QStringLiteral("xmpp:bob.builder@conference-and-chat.example.net?omemo-sid-1234=%1;"
                              "omemo-sid-987654321=%2;omemo-sid-42=%1;omemo-sid-2147483647=%2")
                   .arg(KeyA, KeyB);
        QTest::newRow("non-ASCII JID")
            << QStringLiteral("xmpp:jürgen.müller@bücher.example?omemo-sid-5678=") + KeyB;
        QTest::newRow("non-Latin JID") << QStringLiteral("xmpp:юлия@пример.рф?omemo-sid-77=") + KeyA;
    }

    void decodesWhatWasRendered()
    {
        QFETCH(QString, text);
        const QString path =
            saveCode(QStringLiteral("%1.png").arg(QString::fromLatin1(QTest::currentDataTag())), text);
        QVERIFY(!path.isEmpty());
        QrCodeScanner scanner;
        QSignalSpy decoded(&scanner, &QrCodeScanner::decoded);
        QSignalSpy failed(&scanner, &QrCodeScanner::failed);
        scanner.startImage(path);
        QVERIFY(scanner.isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(!decoded.isEmpty() || !failed.isEmpty(), ScanTimeoutMs);
        QVERIFY2(failed.isEmpty(), qPrintable(describe(firstError(failed))));
        QCOMPARE(decoded.count(), 1);
        QCOMPARE(decoded.first().first().toString(), text);
    }

    void eachSymbolIsReportedOncePerRun()
    {
        const QString path = saveCode(QStringLiteral("once.png"), OneDevice);
        QrCodeScanner scanner;
        QSignalSpy decoded(&scanner, &QrCodeScanner::decoded);
        QSignalSpy frames(&scanner, &QrCodeScanner::frame);
        scanner.startImage(path);
        QTRY_VERIFY_WITH_TIMEOUT(frames.count() >= 5, ScanTimeoutMs);
        QCOMPARE(decoded.count(), 1);

        // A new run reports it again, and then the other picture's code.
        scanner.startImage(path);
        QTRY_COMPARE_WITH_TIMEOUT(decoded.count(), 2, ScanTimeoutMs);
        const QString other = QStringLiteral("xmpp:carol@example.com?omemo-sid-9=") + KeyB;
        scanner.startImage(saveCode(QStringLiteral("other.png"), other));
        QTRY_COMPARE_WITH_TIMEOUT(decoded.count(), 3, ScanTimeoutMs);
        QCOMPARE(decoded.at(1).first().toString(), OneDevice);
        QCOMPARE(decoded.at(2).first().toString(), other);
    }

    void previewFramesShowThePicture()
    {
        QrCodeScanner scanner;
        QSignalSpy frames(&scanner, &QrCodeScanner::frame);
        const QImage code = QrCodeView::render(OneDevice, 4);
        scanner.startImage(savePng(QStringLiteral("preview.png"), code));
        QTRY_VERIFY_WITH_TIMEOUT(!frames.isEmpty(), ScanTimeoutMs);
        const auto preview = frames.first().first().value<PreviewFrame>();
        QVERIFY(preview.isValid());
        QCOMPARE(QSize(preview.width, preview.height), code.size());
        // The quiet zone's corner is white, the finder pattern's corner right after it black.
        const auto pixel = [&preview](int x, int y) {
            return uchar(preview.rgb.at(qsizetype(y) * preview.bytesPerLine + x * 3));
        };
        QCOMPARE(pixel(0, 0), uchar(255));
        QCOMPARE(pixel(4 * 4 + 1, 4 * 4 + 1), uchar(0));
    }

    void pictureWithoutCodeDecodesNothing()
    {
        QrCodeScanner scanner;
        QSignalSpy decoded(&scanner, &QrCodeScanner::decoded);
        QSignalSpy failed(&scanner, &QrCodeScanner::failed);
        QSignalSpy frames(&scanner, &QrCodeScanner::frame);
        scanner.startImage(saveCodelessPicture());
        // Every frame has been through zbar before it reaches the preview.
        QTRY_VERIFY_WITH_TIMEOUT(frames.count() >= 5, ScanTimeoutMs);
        QVERIFY(decoded.isEmpty());
        QVERIFY2(failed.isEmpty(), qPrintable(describe(firstError(failed))));
        QVERIFY(scanner.isRunning());
    }

    void missingFileFails()
    {
        const QString path = m_dir.filePath(QStringLiteral("does-not-exist.png"));
        QrCodeScanner scanner;
        QSignalSpy decoded(&scanner, &QrCodeScanner::decoded);
        QSignalSpy failed(&scanner, &QrCodeScanner::failed);
        scanner.startImage(path);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, ScanTimeoutMs);
        const Error error = firstError(failed);
        QCOMPARE(error.code, Error::Code::FileReadFailed);
        QCOMPARE(error.detail, path);
        QVERIFY(decoded.isEmpty());
        QVERIFY(!scanner.isRunning());
    }

    void damagedFileFails_data()
    {
        QTest::addColumn<QByteArray>("content");
        QByteArray png;
        {
            const QString path = saveCode(QStringLiteral("whole.png"), OneDevice);
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadOnly));
            png = file.readAll();
        }
        QTest::newRow("truncated PNG") << png.left(png.size() / 2);
        QTest::newRow("PNG with damaged data") << png.left(64) + QByteArray(png.size() - 64, '\x5a');
        QTest::newRow("text") << QByteArray("this is not a picture, only some text\n").repeated(20);
        QTest::newRow("empty") << QByteArray();
    }

    void damagedFileFails()
    {
        QFETCH(QByteArray, content);
        const QString path = m_dir.filePath(
            QStringLiteral("damaged-%1.png").arg(QString::fromLatin1(QTest::currentDataTag())));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
        file.close();

        QrCodeScanner scanner;
        QSignalSpy decoded(&scanner, &QrCodeScanner::decoded);
        QSignalSpy failed(&scanner, &QrCodeScanner::failed);
        scanner.startImage(path);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, ScanTimeoutMs);
        const Error error = firstError(failed);
        QCOMPARE(error.code, Error::Code::ImageInvalid);
        QVERIFY2(error.detail.startsWith(path + QStringLiteral(": ")), qPrintable(error.detail));
        QVERIFY(decoded.isEmpty());
        QVERIFY(!scanner.isRunning());
    }

    void noCameraFails()
    {
        if (hasVideoDevice())
            QSKIP("This machine has a camera");
        QrCodeScanner scanner;
        QSignalSpy failed(&scanner, &QrCodeScanner::failed);
        QSignalSpy frames(&scanner, &QrCodeScanner::frame);
        scanner.startCamera();
        QVERIFY(scanner.isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, ScanTimeoutMs);
        QCOMPARE(firstError(failed).code, Error::Code::CameraUnavailable);
        QVERIFY(!firstError(failed).detail.isEmpty());
        QVERIFY(frames.isEmpty());
        QVERIFY(!scanner.isRunning());
    }

    void unknownCameraDeviceFails_data()
    {
        QTest::addColumn<QString>("device");
        QTest::newRow("path") << QStringLiteral("/dev/natter-no-such-camera");
        QTest::newRow("name") << QStringLiteral("Natter's imaginary camera");
    }

    void unknownCameraDeviceFails()
    {
        QFETCH(QString, device);
        QrCodeScanner scanner;
        QSignalSpy failed(&scanner, &QrCodeScanner::failed);
        scanner.startCamera(device);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, ScanTimeoutMs);
        QCOMPARE(firstError(failed).code, Error::Code::CameraUnavailable);
        QVERIFY2(firstError(failed).detail.contains(device), qPrintable(firstError(failed).detail));
        QVERIFY(!scanner.isRunning());
    }

    void failedCameraLeavesNoGstreamerObjects()
    {
        const QString device = QStringLiteral("/dev/natter-no-such-camera");
        QrCodeScanner scanner;
        QSignalSpy failed(&scanner, &QrCodeScanner::failed);
        scanner.startCamera(device); // the first run loads what GStreamer keeps for good
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, ScanTimeoutMs);
        ObjectTracker tracker;
        scanner.startCamera(device);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 2, ScanTimeoutMs);
        // A pool thread may drop its last reference to a finished GstTask just after the join.
        QTRY_VERIFY2_WITH_TIMEOUT(tracker.alive().isEmpty(), qPrintable(tracker.alive().join(u',')),
                                  ScanTimeoutMs);
    }

    void stopLeavesNoGstreamerObjects()
    {
        warmUp();
        const int threadsBefore = threadCount();
        QrCodeScanner scanner;
        QSignalSpy frames(&scanner, &QrCodeScanner::frame);
        QSignalSpy decoded(&scanner, &QrCodeScanner::decoded);
        ObjectTracker tracker;
        scanner.startImage(saveCode(QStringLiteral("stop.png"), OneDevice));
        QTRY_VERIFY_WITH_TIMEOUT(frames.count() >= 2, ScanTimeoutMs);
        scanner.stop();
        QVERIFY(!scanner.isRunning());
        // A pool thread may drop its last reference to a finished GstTask just after the join.
        QTRY_VERIFY2_WITH_TIMEOUT(tracker.alive().isEmpty(), qPrintable(tracker.alive().join(u',')),
                                  ScanTimeoutMs);
        // GLib keeps idle pool threads for reuse, so this is informative only.
        qInfo("threads before %d, after stop %d", threadsBefore, threadCount());
        // Nothing queued before stop() arrives afterwards.
        const qsizetype framesAtStop = frames.count();
        const qsizetype decodedAtStop = decoded.count();
        QCoreApplication::processEvents();
        QCOMPARE(frames.count(), framesAtStop);
        QCOMPARE(decoded.count(), decodedAtStop);
    }

    void destructionWhileRunningLeavesNoGstreamerObjects()
    {
        warmUp();
        auto scanner = std::make_unique<QrCodeScanner>();
        QSignalSpy frames(scanner.get(), &QrCodeScanner::frame);
        ObjectTracker tracker;
        scanner->startImage(saveCodelessPicture());
        QTRY_VERIFY_WITH_TIMEOUT(frames.count() >= 2, ScanTimeoutMs);
        scanner.reset();
        // A pool thread may drop its last reference to a finished GstTask just after the join.
        QTRY_VERIFY2_WITH_TIMEOUT(tracker.alive().isEmpty(), qPrintable(tracker.alive().join(u',')),
                                  ScanTimeoutMs);
    }

    void stopWhileLookingForCameraIsQuiet()
    {
        auto scanner = std::make_unique<QrCodeScanner>();
        QSignalSpy failed(scanner.get(), &QrCodeScanner::failed);
        scanner->startCamera();
        scanner->stop();
        QVERIFY(!scanner->isRunning());
        // A picture run on the same scanner completes; the abandoned camera lookup reports nothing.
        QSignalSpy decoded(scanner.get(), &QrCodeScanner::decoded);
        scanner->startImage(saveCode(QStringLiteral("after-camera.png"), OneDevice));
        QTRY_COMPARE_WITH_TIMEOUT(decoded.count(), 1, ScanTimeoutMs);
        QVERIFY2(failed.isEmpty(), qPrintable(describe(firstError(failed))));
        scanner->startCamera();
        scanner.reset(); // destroyed while its camera lookup may still run
    }
};

QTEST_GUILESS_MAIN(TestQrCodeScanner)
#include "tst_qrcodescanner.moc"
