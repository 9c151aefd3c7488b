// SPDX-License-Identifier: GPL-3.0-or-later
// Animated images in the chat: frames come from the thumbnailer's thread and follow one another at the
// GIF's pace while the view keeps asking; an animation no one asks about stops; a still image never plays.
#include "TestFiles.h"
#include "files/Thumbnailer.h"
#include "models/AnimationPlayer.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Natter;

class tst_UiAnimationPlayer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void framesFollowWhileAskedAndStopWhenNot();
    void stillImagesDoNotPlay();

private:
    QString write(const QString &name, const QByteArray &content);
    QTemporaryDir m_folder;
};

QString tst_UiAnimationPlayer::write(const QString &name, const QByteArray &content)
{
    QFile file(m_folder.filePath(name));
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size() ? file.fileName()
                                                                                    : QString();
}

void tst_UiAnimationPlayer::framesFollowWhileAskedAndStopWhenNot()
{
    const QList<QColor> colours = {Qt::red, Qt::green, Qt::blue};
    const QString path =
        write(QStringLiteral("dots.gif"), Test::animatedGif({120, 90}, {120, 90}, colours, 100));
    QVERIFY(!path.isEmpty());
    QVERIFY(Ui::AnimationPlayer::mayBeAnimated(path));
    Core::Thumbnailer thumbnailer(m_folder.filePath(QStringLiteral("thumbnails")));
    Ui::AnimationPlayer player(thumbnailer);
    QSignalSpy changed(&player, &Ui::AnimationPlayer::frameChanged);

    // Nothing yet: the frames are decoded elsewhere, and a signal says when they are here.
    QVERIFY(player.frame(path).isNull());
    QVERIFY(changed.wait(10000));
    QCOMPARE(changed.first().first().toString(), path);

    // As a view does: it asks again whenever a frame is due. Every colour shows, in order.
    QList<QRgb> seen;
    const auto look = [&] {
        const QImage frame = player.frame(path);
        if (!frame.isNull() && (seen.isEmpty() || seen.last() != frame.pixel(10, 10)))
            seen.append(frame.pixel(10, 10));
    };
    look();
    connect(&player, &Ui::AnimationPlayer::frameChanged, this, look);
    QTRY_VERIFY_WITH_TIMEOUT(seen.size() >= 4, 5000);
    QCOMPARE(QColor(seen.at(0)), QColor(Qt::red));
    QCOMPARE(QColor(seen.at(1)), QColor(Qt::green));
    QCOMPARE(QColor(seen.at(2)), QColor(Qt::blue));
    QCOMPARE(QColor(seen.at(3)), QColor(Qt::red));
    QCOMPARE(player.playing(), QStringList{path});

    // Scrolled away: no one asks, and it stops.
    disconnect(&player, &Ui::AnimationPlayer::frameChanged, this, nullptr);
    QTRY_VERIFY_WITH_TIMEOUT(player.playing().isEmpty(), 3 * Ui::AnimationPlayer::IdleStopMs);
    changed.clear();
    QTest::qWait(500);
    QCOMPARE(changed.size(), 0);

    // Back in view: it plays again from what was decoded, at once.
    QVERIFY(!player.frame(path).isNull());
    QCOMPARE(player.playing(), QStringList{path});
}

void tst_UiAnimationPlayer::stillImagesDoNotPlay()
{
    const QString single =
        write(QStringLiteral("one.gif"), Test::animatedGif({40, 40}, {40, 40}, {Qt::red}, 100));
    const QString broken = write(QStringLiteral("broken.gif"), "GIF89a and then nothing");
    Core::Thumbnailer thumbnailer(m_folder.filePath(QStringLiteral("thumbnails")));
    Ui::AnimationPlayer player(thumbnailer);
    QSignalSpy changed(&player, &Ui::AnimationPlayer::frameChanged);
    QVERIFY(player.frame(single).isNull());
    QVERIFY(player.frame(broken).isNull());
    // Both were decoded (the thumbnailer takes one job at a time): after another one, they are done.
    auto after = thumbnailer.animate(single);
    QTRY_VERIFY(after.isFinished());
    QTest::qWait(100);
    QVERIFY(player.frame(single).isNull());
    QVERIFY(player.frame(broken).isNull());
    QVERIFY(player.playing().isEmpty());
    QCOMPARE(changed.size(), 0);
    QVERIFY(!Ui::AnimationPlayer::mayBeAnimated(QStringLiteral("/tmp/photo.png")));
}

QTEST_MAIN(tst_UiAnimationPlayer)
#include "tst_ui_animationplayer.moc"
