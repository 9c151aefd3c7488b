// SPDX-License-Identifier: GPL-3.0-or-later
// Choosing the video format of a call from the other side's description: its order counts, H.264 only in
// packetization mode 1 and a baseline profile, nothing we cannot do; and what we offer.
#include "calls/VideoFormat.h"

#include <QTest>

using namespace Natter::Core::Calls;

namespace {

const QList<VideoCodec> Both = {VideoCodec::Vp8, VideoCodec::H264};

SdpFormat h264(int payloadType, const QString &parameters)
{
    return {payloadType, QStringLiteral("H264"), parameters};
}

} // namespace

class tst_VideoFormat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theWritersOrderDecides()
    {
        const SdpFormat vp8{100, QStringLiteral("vp8"), {}};
        const SdpFormat baseline = h264(102, QStringLiteral("profile-level-id=42e01f;packetization-mode=1"));
        auto chosen = firstUsableFormat({baseline, vp8}, Both);
        QVERIFY(chosen);
        QCOMPARE(chosen->codec, VideoCodec::H264);
        QCOMPARE(chosen->payloadType, 102);
        QCOMPARE(chosen->profileLevelId, QByteArray("42e01f"));
        chosen = firstUsableFormat({vp8, baseline}, Both);
        QVERIFY(chosen);
        QCOMPARE(chosen->codec, VideoCodec::Vp8);
        QCOMPARE(chosen->payloadType, 100);
    }

    void h264NeedsModeOneAndABaselineProfile()
    {
        QVERIFY(!firstUsableFormat({h264(97, QStringLiteral("profile-level-id=42e01f"))}, Both));
        QVERIFY(!firstUsableFormat({h264(97, QStringLiteral("packetization-mode=0;profile-level-id=42e01f"))},
                                   Both));
        QVERIFY(!firstUsableFormat({h264(97, QStringLiteral("packetization-mode=1;profile-level-id=640c1f"))},
                                   Both));
        QVERIFY(
            !firstUsableFormat({h264(97, QStringLiteral("packetization-mode=1;profile-level-id=42"))}, Both));
        // Conversations lists several H.264 variants; the first usable one is taken.
        const auto chosen = firstUsableFormat(
            {h264(102, QStringLiteral("profile-level-id=640c1f;packetization-mode=1")),
             h264(104, QStringLiteral(
                           "level-asymmetry-allowed=1; packetization-mode=1 ;profile-level-id=42001f"))},
            Both);
        QVERIFY(chosen);
        QCOMPARE(chosen->payloadType, 104);
        QCOMPARE(chosen->profileLevelId, QByteArray("42001f"));
    }

    void h264WithoutAProfileIsBaseline()
    {
        const auto chosen = firstUsableFormat({h264(97, QStringLiteral("packetization-mode=1"))}, Both);
        QVERIFY(chosen);
        QCOMPARE(chosen->profileLevelId, QByteArray("42e01f"));
    }

    void onlyCodecsWeUseAreChosen()
    {
        const SdpFormat vp9{98, QStringLiteral("VP9"), {}};
        const SdpFormat baseline = h264(97, QStringLiteral("packetization-mode=1"));
        QVERIFY(!firstUsableFormat({vp9}, Both));
        QVERIFY(!firstUsableFormat({vp9, baseline}, {VideoCodec::Vp8}));
        QCOMPARE(firstUsableFormat({vp9, baseline}, {VideoCodec::H264})->payloadType, 97);
        QVERIFY(!firstUsableFormat({}, Both));
    }

    void offersEachCodecWithItsOwnPayloadType()
    {
        const QList<VideoFormat> offered = offeredVideoFormats(Both);
        QCOMPARE(offered.size(), 2);
        QCOMPARE(offered.at(0).codec, VideoCodec::Vp8);
        QCOMPARE(offered.at(0).payloadType, 96);
        QCOMPARE(offered.at(1).codec, VideoCodec::H264);
        QCOMPARE(offered.at(1).payloadType, 97);
        QCOMPARE(offered.at(1).profileLevelId, QByteArray("42e01f"));
    }
};

QTEST_GUILESS_MAIN(tst_VideoFormat)
#include "tst_videoformat.moc"
