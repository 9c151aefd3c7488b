// SPDX-License-Identifier: GPL-3.0-or-later
// Thumbnails of large images while the event loop runs (docs/PERFORMANCE.md: a 50-megapixel image must not
// stall the UI thread more than 50 ms): makes thumbnails of a 50-megapixel JPEG and PNG with the
// Thumbnailer and prints how long each took and the event loop's longest stall (wall clock and the loop
// thread's own CPU time) meanwhile.
#include "BenchOutput.h"
#include "EventLoopProbe.h"
#include "files/Thumbnailer.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QPainter>
#include <QTemporaryDir>

using namespace Natter;
using namespace Natter::Bench;

namespace {
constexpr const char *BenchName = "thumbnail-bench";

QString writeImage(const QString &folder, const QString &format, int width, int height)
{
    QImage image(width, height, QImage::Format_RGB32);
    QPainter painter(&image);
    // Gradients and shapes, so that the encoder has real work (a flat image compresses to nothing).
    QLinearGradient sky(0, 0, width, height);
    sky.setColorAt(0, QColor(0x20, 0x60, 0xa0));
    sky.setColorAt(1, QColor(0xf0, 0xc0, 0x60));
    painter.fillRect(image.rect(), sky);
    for (int i = 0; i < 200; ++i) {
        painter.setBrush(QColor::fromHsv((i * 37) % 360, 160, 220));
        painter.drawEllipse(QPoint((i * 7919) % width, (i * 104729) % height), 40 + i % 300, 30 + i % 200);
    }
    painter.end();
    const QString path = folder + QStringLiteral("/large.") + format;
    return image.save(path, qPrintable(format), 85) ? path : QString();
}
} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    QCommandLineOption megapixels(QStringLiteral("megapixels"), QStringLiteral("image size"),
                                  QStringLiteral("n"), QStringLiteral("50"));
    parser.addOption(megapixels);
    parser.process(app);
    const double pixels = parser.value(megapixels).toDouble() * 1e6;
    const int width = int(std::sqrt(pixels * 3 / 2));
    const int height = int(pixels / width);

    QTemporaryDir folder;
    Core::Thumbnailer thumbnailer(folder.filePath(QStringLiteral("thumbnails")));
    for (const QString &format : {QStringLiteral("jpg"), QStringLiteral("png")}) {
        const QString path = writeImage(folder.path(), format, width, height);
        if (path.isEmpty()) {
            printNote(BenchName, QStringLiteral("cannot write the %1 image").arg(format));
            return 1;
        }
        StallProbe probe;
        probe.start();
        QElapsedTimer clock;
        clock.start();
        auto made = thumbnailer.make(path, QStringLiteral("thumb-") + format + QStringLiteral(".png"));
        if (!runLoopUntil([&made] { return made.isFinished(); }, 120000) || !Core::isOk(made.result())) {
            printNote(BenchName, QStringLiteral("no thumbnail of the %1 image").arg(format));
            return 1;
        }
        const qint64 elapsed = clock.elapsed();
        const auto figures = probe.stop();
        const QSize size = std::get<Core::Thumbnailer::Thumbnail>(made.result()).image.size();
        printLine(QStringLiteral("%1_%2x%3_thumbnail_ms %4 (%5x%6)")
                      .arg(format)
                      .arg(width)
                      .arg(height)
                      .arg(elapsed)
                      .arg(size.width())
                      .arg(size.height()));
        printLine(QStringLiteral("%1_event_loop_longest_stall_ms %2")
                      .arg(format)
                      .arg(figures.longestGapNs / 1e6, 0, 'f', 1));
        printLine(QStringLiteral("%1_event_loop_longest_busy_ms %2")
                      .arg(format)
                      .arg(figures.longestBusyNs / 1e6, 0, 'f', 1));
    }
    return 0;
}
