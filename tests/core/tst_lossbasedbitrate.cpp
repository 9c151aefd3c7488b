// SPDX-License-Identifier: GPL-3.0-or-later
// The video bitrate follows the loss the peer reports: heavy loss lowers it in proportion, a clean link
// raises it step by step, moderate loss holds it, and it stays within its bounds whatever is reported.
#include "calls/LossBasedBitrate.h"

#include <QTest>
#include <limits>

using namespace Natter::Core::Calls;

class tst_LossBasedBitrate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void startsAtTheStartingRate() { QCOMPARE(LossBasedBitrate().bitsPerSecond(), LossBasedBitrate::Start); }

    void heavyLossLowersTheRateInProportion()
    {
        LossBasedBitrate bitrate;
        QCOMPARE(bitrate.reportLoss(0.20), int(LossBasedBitrate::Start * 0.9));
        QCOMPARE(bitrate.reportLoss(0.50), int(int(LossBasedBitrate::Start * 0.9) * 0.75));
    }

    void cleanLinkRaisesTheRateByFivePercent()
    {
        LossBasedBitrate bitrate;
        QCOMPARE(bitrate.reportLoss(0.0), int(LossBasedBitrate::Start * 1.05));
        QCOMPARE(bitrate.reportLoss(0.019), int(int(LossBasedBitrate::Start * 1.05) * 1.05));
    }

    void moderateLossHoldsTheRate()
    {
        LossBasedBitrate bitrate;
        QCOMPARE(bitrate.reportLoss(0.02), LossBasedBitrate::Start);
        QCOMPARE(bitrate.reportLoss(0.10), LossBasedBitrate::Start);
    }

    void staysWithinItsBounds()
    {
        LossBasedBitrate bitrate;
        for (int i = 0; i < 100; ++i)
            bitrate.reportLoss(1.0);
        QCOMPARE(bitrate.bitsPerSecond(), LossBasedBitrate::Minimum);
        for (int i = 0; i < 200; ++i)
            bitrate.reportLoss(0.0);
        QCOMPARE(bitrate.bitsPerSecond(), LossBasedBitrate::Maximum);
    }

    void recoversAfterLossEnds()
    {
        LossBasedBitrate bitrate;
        for (int i = 0; i < 10; ++i)
            bitrate.reportLoss(0.3);
        const int lowered = bitrate.bitsPerSecond();
        QVERIFY(lowered < LossBasedBitrate::Start / 2);
        for (int i = 0; i < 40; ++i)
            bitrate.reportLoss(0.0);
        QVERIFY(bitrate.bitsPerSecond() > LossBasedBitrate::Start);
    }

    void nonsenseReportsChangeNothingOrAreBounded()
    {
        LossBasedBitrate bitrate;
        QCOMPARE(bitrate.reportLoss(std::numeric_limits<double>::quiet_NaN()), LossBasedBitrate::Start);
        QCOMPARE(bitrate.reportLoss(std::numeric_limits<double>::infinity()), LossBasedBitrate::Start);
        QCOMPARE(bitrate.reportLoss(-3.0), int(LossBasedBitrate::Start * 1.05));
        QCOMPARE(bitrate.reportLoss(7.0), int(int(LossBasedBitrate::Start * 1.05) * 0.5));
    }
};

QTEST_GUILESS_MAIN(tst_LossBasedBitrate)
#include "tst_lossbasedbitrate.moc"
