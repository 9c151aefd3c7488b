// SPDX-License-Identifier: GPL-3.0-or-later
// JID checks per RFC 7622.
#include "common/JidValidator.h"

#include <QTest>

using Natter::Core::JidValidator;
using Problem = JidValidator::Problem;

class tst_JidValidator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void accountJidIsChecked_data();
    void accountJidIsChecked();
    void contactJidMayOmitLocalpartAndCarryResource();
    void bareJidIsNormalized();
};

void tst_JidValidator::accountJidIsChecked_data()
{
    QTest::addColumn<QString>("jid");
    QTest::addColumn<Problem>("problem");
    QTest::newRow("plain") << QStringLiteral("alice@example.org") << Problem::None;
    QTest::newRow("unicode") << QStringLiteral("jürgen@bücher.example") << Problem::None;
    QTest::newRow("ipv6 literal") << QStringLiteral("alice@[::1]") << Problem::None;
    QTest::newRow("empty") << QString() << Problem::Empty;
    QTest::newRow("no localpart") << QStringLiteral("example.org") << Problem::MissingLocalpart;
    QTest::newRow("empty localpart") << QStringLiteral("@example.org") << Problem::MissingLocalpart;
    QTest::newRow("no domain") << QStringLiteral("alice@") << Problem::MissingDomain;
    QTest::newRow("space") << QStringLiteral("al ice@example.org") << Problem::ForbiddenCharacterInLocalpart;
    QTest::newRow("quote") << QStringLiteral("al\"ice@example.org") << Problem::ForbiddenCharacterInLocalpart;
    QTest::newRow("two ats") << QStringLiteral("a@b@example.org") << Problem::InvalidDomain;
    QTest::newRow("resource") << QStringLiteral("alice@example.org/home") << Problem::UnexpectedResource;
    QTest::newRow("bad label") << QStringLiteral("alice@-bad.example") << Problem::InvalidDomain;
    QTest::newRow("empty label") << QStringLiteral("alice@example..org") << Problem::InvalidDomain;
    QTest::newRow("control") << QStringLiteral("ali\u0007ce@example.org") << Problem::ControlCharacter;
    QTest::newRow("long localpart") << QString(1024, u'a') + QStringLiteral("@example.org")
                                    << Problem::LocalpartTooLong;
}

void tst_JidValidator::accountJidIsChecked()
{
    QFETCH(QString, jid);
    QFETCH(Problem, problem);
    QCOMPARE(JidValidator::checkAccountJid(jid), problem);
}

void tst_JidValidator::contactJidMayOmitLocalpartAndCarryResource()
{
    QCOMPARE(JidValidator::checkJid(QStringLiteral("example.org")), Problem::None);
    QCOMPARE(JidValidator::checkJid(QStringLiteral("bob@example.org/phone")), Problem::None);
    QCOMPARE(JidValidator::checkJid(QStringLiteral("bob@example.org/")), Problem::InvalidDomain);
}

void tst_JidValidator::bareJidIsNormalized()
{
    QCOMPARE(JidValidator::normalizedBareJid(QStringLiteral(" Alice@Example.ORG/Home ")),
             QStringLiteral("alice@example.org"));
    QCOMPARE(JidValidator::normalizedBareJid(QStringLiteral("alice@example.org.")),
             QStringLiteral("alice@example.org"));
    QVERIFY(JidValidator::normalizedBareJid(QStringLiteral("a b@example.org")).isEmpty());
}

QTEST_GUILESS_MAIN(tst_JidValidator)
#include "tst_jidvalidator.moc"
