// SPDX-License-Identifier: GPL-3.0-or-later
// Thumbnails of shared images: made on the thumbnailer's own thread (a 50-megapixel photo leaves the caller's
// event loop running), small and in proportion, kept as PNG files; images too large to decode safely
// (a decompression bomb), files that are no image and missing files end in clear errors. The preview sent
// beside a shared image is a few hundred bytes; a sender's preview is decoded only when it is small. The
// frames of an animated GIF come at the thumbnail's size, within bounds checked before decoding.
#include "TestFiles.h"
#include "files/Thumbnailer.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QImageReader>
#include <QPainter>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QtEndian>

using namespace Natter::Core;

namespace {
quint32 crc32(const QByteArray &data)
{
    quint32 crc = 0xffffffffu;
    for (const char byte : data) {
        crc ^= quint8(byte);
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

// A real PNG of one pixel whose header claims width × height: what a decompression bomb looks like
// before it is decoded.
QByteArray pngClaiming(quint32 width, quint32 height)
{
    QImage pixel(1, 1, QImage::Format_RGB32);
    pixel.fill(Qt::red);
    QByteArray png;
    {
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        pixel.save(&buffer, "PNG");
    }
    // Signature (8 bytes), then the IHDR chunk: length (4), type (4), width (4), height (4), …, CRC.
    qToBigEndian(width, png.data() + 16);
    qToBigEndian(height, png.data() + 20);
    qToBigEndian(crc32(png.mid(12, 17)), png.data() + 29);
    return png;
}

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}
} // namespace

class tst_Thumbnailer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void largePhotoIsDecodedOffTheCallersThread();
    void thumbnailIsReadBack();
    void decompressionBombIsRefused();
    void whatIsNoImageIsRefused();
    void sharedPreviewIsTinyAndInProportion();
    void sendersPreviewIsBounded();
    void animationFramesAreDecodedAtThumbnailSize();
    void stillAndOversizedAnimationsAreRefused();

private:
    std::unique_ptr<QTemporaryDir> m_folder;
    QString thumbnails() const { return m_folder->filePath(QStringLiteral("thumbnails")); }
};

void tst_Thumbnailer::init()
{
    m_folder = std::make_unique<QTemporaryDir>();
    QVERIFY(m_folder->isValid());
}

void tst_Thumbnailer::largePhotoIsDecodedOffTheCallersThread()
{
    // 8660 × 5774: 50 megapixels.
    const QString path = m_folder->filePath(QStringLiteral("large.jpg"));
    {
        QImage photo(8660, 5774, QImage::Format_RGB32);
        photo.fill(QColor(0x30, 0x60, 0x90));
        QPainter painter(&photo);
        painter.fillRect(QRect(0, 0, 4330, 2887), QColor(0xe0, 0xa0, 0x20));
        painter.end();
        QVERIFY(photo.save(path, "JPEG", 85));
    }
    QCOMPARE(QImageReader(path).size(), QSize(8660, 5774));

    Thumbnailer thumbnailer(thumbnails());
    int ticks = 0;
    QTimer ticker;
    connect(&ticker, &QTimer::timeout, this, [&ticks] { ++ticks; });
    ticker.start(5);
    auto made = thumbnailer.make(path, QStringLiteral("large.png"));
    // Still being decoded when make() returns: the work is not done on this thread.
    QVERIFY(!made.isFinished());
    QTRY_VERIFY_WITH_TIMEOUT(made.isFinished(), 30000);
    // This thread's event loop went on meanwhile.
    QVERIFY(ticks > 0);
    const auto result = made.result();
    QVERIFY2(isOk(result), qPrintable(errorOf(result).detail));
    const auto thumbnail = std::get<Thumbnailer::Thumbnail>(result);
    QCOMPARE(thumbnail.image.width(), Thumbnailer::MaxEdge);
    QVERIFY(qAbs(thumbnail.image.height() - Thumbnailer::MaxEdge * 5774 / 8660) <= 1);
    // The top left quarter stays the orange it was.
    QCOMPARE(QColor(thumbnail.image.pixel(10, 10)).red() > 0xc0, true);
    QCOMPARE(QImageReader(thumbnail.path).format(), QByteArray("png"));
    QCOMPARE(QImageReader(thumbnail.path).size(), thumbnail.image.size());
    QVERIFY(thumbnail.path.startsWith(thumbnails()));
}

void tst_Thumbnailer::thumbnailIsReadBack()
{
    const QString path = m_folder->filePath(QStringLiteral("small.png"));
    QImage small(200, 100, QImage::Format_RGB32);
    small.fill(Qt::green);
    QVERIFY(small.save(path));
    Thumbnailer thumbnailer(thumbnails());
    auto made = thumbnailer.make(path, QStringLiteral("small-thumb.png"));
    QTRY_VERIFY(made.isFinished());
    QVERIFY(isOk(made.result()));
    const auto thumbnail = std::get<Thumbnailer::Thumbnail>(made.result());
    // Small images keep their size.
    QCOMPARE(thumbnail.image.size(), QSize(200, 100));
    auto loaded = thumbnailer.load(thumbnail.path);
    QTRY_VERIFY(loaded.isFinished());
    QVERIFY(isOk(loaded.result()));
    QCOMPARE(std::get<QImage>(loaded.result()).size(), QSize(200, 100));
}

void tst_Thumbnailer::decompressionBombIsRefused()
{
    const QString path = m_folder->filePath(QStringLiteral("bomb.png"));
    QVERIFY(writeFile(path, pngClaiming(30000, 30000)));
    QCOMPARE(QImageReader(path).size(), QSize(30000, 30000));
    Thumbnailer thumbnailer(thumbnails());
    auto made = thumbnailer.make(path, QStringLiteral("bomb-thumb.png"));
    QTRY_VERIFY(made.isFinished());
    QVERIFY(!isOk(made.result()));
    QCOMPARE(errorOf(made.result()).code, Error::Code::ImageInvalid);
    QVERIFY(errorOf(made.result()).detail.contains(QStringLiteral("30000")));
    QVERIFY(!QFile::exists(QDir(thumbnails()).filePath(QStringLiteral("bomb-thumb.png"))));

    // A GIF of one pixel drawn on a 30000 × 30000 screen, which is what decoding it allocates.
    const QString gif = m_folder->filePath(QStringLiteral("screen.gif"));
    QVERIFY(writeFile(gif, Natter::Test::animatedGif({30000, 30000}, {1, 1}, {Qt::red}, 100)));
    QCOMPARE(QImageReader(gif).size(), QSize(1, 1));
    auto screen = thumbnailer.make(gif, QStringLiteral("screen-thumb.png"));
    QTRY_VERIFY(screen.isFinished());
    QCOMPARE(errorOf(screen.result()).code, Error::Code::ImageInvalid);
    QVERIFY2(errorOf(screen.result()).detail.contains(QStringLiteral("30000")),
             qPrintable(errorOf(screen.result()).detail));
}

void tst_Thumbnailer::whatIsNoImageIsRefused()
{
    const QString text = m_folder->filePath(QStringLiteral("notes.png"));
    QVERIFY(writeFile(text, "these are no pixels"));
    Thumbnailer thumbnailer(thumbnails());
    auto notImage = thumbnailer.make(text, QStringLiteral("notes-thumb.png"));
    auto missing =
        thumbnailer.make(m_folder->filePath(QStringLiteral("missing.jpg")), QStringLiteral("m.png"));
    QTRY_VERIFY(notImage.isFinished() && missing.isFinished());
    QCOMPARE(errorOf(notImage.result()).code, Error::Code::ImageInvalid);
    QCOMPARE(errorOf(missing.result()).code, Error::Code::FileReadFailed);
}

void tst_Thumbnailer::sharedPreviewIsTinyAndInProportion()
{
    const QString path = m_folder->filePath(QStringLiteral("wide.png"));
    QImage wide(1600, 800, QImage::Format_RGB32);
    wide.fill(Qt::blue);
    QVERIFY(wide.save(path));
    const QByteArray preview = Thumbnailer::sharedPreviewOf(path);
    QVERIFY(!preview.isEmpty());
    QVERIFY2(preview.size() < 1024, qPrintable(QString::number(preview.size())));
    QImage decoded;
    QVERIFY(decoded.loadFromData(preview, "PNG"));
    QCOMPARE(decoded.size(), QSize(Thumbnailer::SharedPreviewEdge, Thumbnailer::SharedPreviewEdge / 2));
    QCOMPARE(QColor(decoded.pixel(3, 3)), QColor(Qt::blue));

    // Nothing for what is no image or too large to decode.
    const QString text = m_folder->filePath(QStringLiteral("notes.png"));
    QVERIFY(writeFile(text, "these are no pixels"));
    QVERIFY(Thumbnailer::sharedPreviewOf(text).isEmpty());
    const QString bomb = m_folder->filePath(QStringLiteral("bomb.png"));
    QVERIFY(writeFile(bomb, pngClaiming(30000, 30000)));
    QVERIFY(Thumbnailer::sharedPreviewOf(bomb).isEmpty());
}

void tst_Thumbnailer::sendersPreviewIsBounded()
{
    Thumbnailer thumbnailer(thumbnails());
    const auto encoded = [](const QSize &size) { return Natter::Test::encodedImage(size, Qt::darkGreen); };
    auto small = thumbnailer.decodePreview(encoded(QSize(8, 6)));
    // A header that claims more pixels than a preview has, an image larger than a preview, bytes beyond the
    // limit and what is no image are refused before anything is decoded.
    auto bomb = thumbnailer.decodePreview(pngClaiming(20000, 20000));
    auto large = thumbnailer.decodePreview(encoded(QSize(Thumbnailer::MaxPreviewEdge + 1, 10)));
    auto heavy =
        thumbnailer.decodePreview(encoded(QSize(8, 6)) + QByteArray(Thumbnailer::MaxPreviewBytes, 'x'));
    auto garbage = thumbnailer.decodePreview("<html>no</html>");
    QTRY_VERIFY(small.isFinished() && bomb.isFinished() && large.isFinished() && heavy.isFinished() &&
                garbage.isFinished());
    QVERIFY(isOk(small.result()));
    QCOMPARE(std::get<QImage>(small.result()).size(), QSize(8, 6));
    for (auto *refused : {&bomb, &large, &heavy, &garbage})
        QCOMPARE(errorOf(refused->result()).code, Error::Code::ImageInvalid);
}

void tst_Thumbnailer::animationFramesAreDecodedAtThumbnailSize()
{
    const QString path = m_folder->filePath(QStringLiteral("wave.gif"));
    const QList<QColor> colours = {Qt::red, Qt::green, Qt::blue};
    QVERIFY(writeFile(path, Natter::Test::animatedGif({800, 600}, {800, 600}, colours, 200)));
    Thumbnailer thumbnailer(thumbnails());
    auto animated = thumbnailer.animate(path);
    auto still = thumbnailer.make(path, QStringLiteral("wave.png"));
    QTRY_VERIFY_WITH_TIMEOUT(animated.isFinished() && still.isFinished(), 20000);
    QVERIFY2(isOk(animated.result()), qPrintable(errorOf(animated.result()).detail));
    const auto animation = std::get<Thumbnailer::Animation>(animated.result());
    QCOMPARE(animation.frames.size(), 3);
    QCOMPARE(animation.delays, QList<int>({200, 200, 200}));
    for (int i = 0; i < 3; ++i) {
        // The still thumbnail's size, so the row keeps its height when the animation takes its place.
        QCOMPARE(animation.frames.at(i).size(),
                 std::get<Thumbnailer::Thumbnail>(still.result()).image.size());
        QCOMPARE(QColor(animation.frames.at(i).pixel(100, 100)).rgb(), colours.at(i).rgb());
    }
}

void tst_Thumbnailer::stillAndOversizedAnimationsAreRefused()
{
    Thumbnailer thumbnailer(thumbnails());
    const auto refusal = [&](const QString &name, const QByteArray &content) -> Error {
        const QString path = m_folder->filePath(name);
        if (!writeFile(path, content))
            return Error(Error::Code::FileWriteFailed, path);
        auto animated = thumbnailer.animate(path);
        animated.waitForFinished();
        return isOk(animated.result()) ? Error() : errorOf(animated.result());
    };
    // One frame is no animation: the still thumbnail shows.
    QCOMPARE(refusal(QStringLiteral("one.gif"), Natter::Test::animatedGif({40, 40}, {40, 40}, {Qt::red}, 100))
                 .code,
             Error::Code::ImageInvalid);
    QCOMPARE(refusal(QStringLiteral("photo.png"), Natter::Test::encodedImage({40, 40}, Qt::red)).code,
             Error::Code::ImageInvalid);
    // More frames than are kept.
    const QList<QColor> many(Thumbnailer::MaxAnimationFrames + 1, Qt::blue);
    QCOMPARE(refusal(QStringLiteral("many.gif"), Natter::Test::animatedGif({2, 2}, {2, 2}, many, 20)).code,
             Error::Code::ImageInvalid);
    // A file of a few hundred bytes whose eleven frames are each a 10000 × 10000 screen: a billion pixels
    // to decode. Refused from its header, before any is decoded.
    const QList<QColor> eleven(11, Qt::green);
    const Error bomb =
        refusal(QStringLiteral("bomb.gif"), Natter::Test::animatedGif({10000, 10000}, {1, 1}, eleven, 20));
    QCOMPARE(bomb.code, Error::Code::ImageInvalid);
    QVERIFY2(bomb.detail.startsWith(QStringLiteral("11 frames of 10000×10000")), qPrintable(bomb.detail));
    QCOMPARE(refusal(QStringLiteral("empty.gif"), {}).code, Error::Code::ImageInvalid);
}

QTEST_GUILESS_MAIN(tst_Thumbnailer)
#include "tst_thumbnailer.moc"
