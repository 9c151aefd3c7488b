// SPDX-License-Identifier: GPL-3.0-or-later
// Invitation links (XEP-0401) as Prosody and Conversations write them, and text that is not one.
#include "account/Invitation.h"

#include <QTest>

using Natter::Core::Invitation;

class tst_Invitation : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void links_data();
    void links();
    void notInvitations_data();
    void notInvitations();
};

void tst_Invitation::links_data()
{
    QTest::addColumn<QString>("link");
    QTest::addColumn<QString>("domain");
    QTest::addColumn<QString>("username");
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("inviter");
    QTest::newRow("any name") << "xmpp:example.org?register;preauth=abc-DEF_1"
                              << "example.org" << "" << "abc-DEF_1" << "";
    QTest::newRow("a name") << "xmpp:juliet@Example.org?register;preauth=t0k" << "example.org" << "juliet"
                            << "t0k" << "";
    QTest::newRow("roster with registration") << "  xmpp:romeo@example.org?roster;preauth=xyz;ibr=y\n"
                                              << "example.org" << "" << "xyz"
                                              << "romeo@example.org";
    QTest::newRow("encoded") << "xmpp:example.org?register;preauth=a%2Bb" << "example.org" << "" << "a+b"
                             << "";
}

void tst_Invitation::links()
{
    QFETCH(QString, link);
    const auto invitation = Invitation::parse(link);
    QVERIFY(invitation);
    QTEST(invitation->domain, "domain");
    QTEST(invitation->username, "username");
    QTEST(invitation->token, "token");
    QTEST(invitation->inviter, "inviter");
}

void tst_Invitation::notInvitations_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << "";
    QTest::newRow("https") << "https://example.org/invite/abc";
    QTest::newRow("no token") << "xmpp:example.org?register";
    QTest::newRow("empty token") << "xmpp:example.org?register;preauth=";
    QTest::newRow("roster without ibr") << "xmpp:romeo@example.org?roster;preauth=xyz";
    QTest::newRow("message") << "xmpp:romeo@example.org?message;body=hi";
    QTest::newRow("bad jid") << "xmpp:a@@b?register;preauth=x";
    QTest::newRow("no query") << "xmpp:example.org";
}

void tst_Invitation::notInvitations()
{
    QFETCH(QString, text);
    QVERIFY(!Invitation::parse(text));
}

QTEST_GUILESS_MAIN(tst_Invitation)
#include "tst_invitation.moc"
