// SPDX-License-Identifier: GPL-3.0-or-later
#include <QTest>
class tst_Placeholder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void notWrittenYet() { QFAIL("not written yet"); }
};
QTEST_GUILESS_MAIN(tst_Placeholder)
#include "tst_rtpdescription.moc"
