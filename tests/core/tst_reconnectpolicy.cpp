// SPDX-License-Identifier: GPL-3.0-or-later
// Reconnection backoff: grows, stays within its jitter, is capped and resets.
#include "account/ReconnectPolicy.h"

#include <QTest>

using Natter::Core::ReconnectPolicy;
using namespace std::chrono_literals;

class tst_ReconnectPolicy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void delaysDoubleWithinJitter();
    void delayIsCapped();
    void resetStartsOver();
    void jitterSpreadsClients();
};

void tst_ReconnectPolicy::delaysDoubleWithinJitter()
{
    ReconnectPolicy policy(42);
    for (int attempt = 0; attempt < 8; ++attempt) {
        const double base = double(ReconnectPolicy::FirstDelay.count()) * double(1 << attempt);
        const auto delay = double(policy.nextDelay().count());
        QVERIFY2(delay >= base * (1 - ReconnectPolicy::Jitter) - 1 &&
                     delay <= base * (1 + ReconnectPolicy::Jitter) + 1,
                 qPrintable(QStringLiteral("attempt %1: %2 ms").arg(attempt).arg(delay)));
    }
    QCOMPARE(policy.failures(), 8);
}

void tst_ReconnectPolicy::delayIsCapped()
{
    ReconnectPolicy policy(7);
    for (int i = 0; i < 40; ++i)
        QVERIFY(policy.nextDelay() <= ReconnectPolicy::MaxDelay * (1 + ReconnectPolicy::Jitter));
}

void tst_ReconnectPolicy::resetStartsOver()
{
    ReconnectPolicy policy(1);
    for (int i = 0; i < 5; ++i)
        policy.nextDelay();
    policy.reset();
    QCOMPARE(policy.failures(), 0);
    QVERIFY(policy.nextDelay() <= ReconnectPolicy::FirstDelay * (1 + ReconnectPolicy::Jitter));
}

void tst_ReconnectPolicy::jitterSpreadsClients()
{
    QSet<qint64> firstDelays;
    for (quint32 seed = 1; seed <= 20; ++seed)
        firstDelays.insert(ReconnectPolicy(seed).nextDelay().count());
    QVERIFY2(firstDelays.size() > 10, "clients that fail together must not retry together");
}

QTEST_GUILESS_MAIN(tst_ReconnectPolicy)
#include "tst_reconnectpolicy.moc"
