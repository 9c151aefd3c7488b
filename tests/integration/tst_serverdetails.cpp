// SPDX-License-Identifier: GPL-3.0-or-later
// Account → Server details' facts, from the test server: the TLS version and cipher of our stream, the
// contact addresses it announces (XEP-0157), its upload service and limit, that it keeps our archive for
// all messages, and that it offers push; and how a disco#info answer with several forms is read.
#include "OnlineAccount.h"
#include "TestServer.h"
#include "account/Account.h"
#include "account/ServerDetails.h"
#include "files/HttpUpload.h"

#include <QDomDocument>
#include <QTest>

using namespace Natter::Core;
using namespace Natter::Test;
using namespace Qt::StringLiterals;

namespace {
constexpr int NetworkTimeout = 20000;

template <typename T> std::optional<T> waitTask(QXmppTask<T> task)
{
    if (!QTest::qWaitFor([&] { return task.isFinished(); }, NetworkTimeout))
        return std::nullopt;
    return task.result();
}
} // namespace

class tst_ServerDetails : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void theServerDescribesItself();
    void onlyTheServerInfoFormGivesContacts();
    void anOfflineAccountGetsNotConnected();
};

void tst_ServerDetails::theServerDescribesItself()
{
    const TestServer server = TestServer::load();
    QVERIFY2(server.isValid(), qPrintable(server.errorString()));
    auto account = onlineAccount(server, QStringLiteral("alice"));
    QVERIFY(account);
    QTRY_VERIFY_WITH_TIMEOUT(account->uploads().service().has_value(), NetworkTimeout);

    const auto result = waitTask(askServerDetails(*account));
    QVERIFY(result);
    QVERIFY2(isOk(*result), qPrintable(errorOf(*result).detail));
    const ServerDetails &details = std::get<ServerDetails>(*result);
    QVERIFY2(details.tlsProtocol.startsWith(u"TLS 1."), qPrintable(details.tlsProtocol));
    QVERIFY(!details.tlsCipher.isEmpty());
    QCOMPARE(details.contactAddresses.value(QStringLiteral("admin-addresses")),
             QStringList({u"xmpp:admin@"_s + server.domain, u"mailto:admin@"_s + server.domain}));
    QCOMPARE(details.contactAddresses.value(QStringLiteral("abuse-addresses")),
             QStringList({u"mailto:abuse@"_s + server.domain}));
    QVERIFY(details.uploadLimit);
    QCOMPARE(*details.uploadLimit, qint64(100) * 1024 * 1024);
    QCOMPARE(details.uploadService, u"upload."_s + server.domain);
    QVERIFY(details.archive);
    QCOMPARE(details.archiveDefault, QStringLiteral("always"));
    QVERIFY(details.push);
    QVERIFY(details.service.features.contains(u"urn:xmpp:blocking"));
    QVERIFY(std::any_of(details.service.identities.cbegin(), details.service.identities.cend(),
                        [](const DiscoIdentity &identity) {
                            return identity.category == u"server" && identity.type == u"im";
                        }));
}

void tst_ServerDetails::onlyTheServerInfoFormGivesContacts()
{
    QDomDocument document;
    QVERIFY(document.setContent(
        QStringLiteral(
            "<query xmlns='http://jabber.org/protocol/disco#info'>"
            "<identity category='server' type='im' name='Example'/><feature var='b'/><feature var='a'/>"
            "<x xmlns='jabber:x:data' type='result'>"
            "<field var='FORM_TYPE' type='hidden'><value>urn:xmpp:dataforms:softwareinfo</value></field>"
            "<field var='admin-addresses'><value>xmpp:not-this@example.org</value></field></x>"
            "<x xmlns='jabber:x:data' type='result'>"
            "<field var='FORM_TYPE' type='hidden'><value>http://jabber.org/network/serverinfo</value></field>"
            "<field var='admin-addresses'><value>xmpp:admin@example.org</value><value> </value></field>"
            "<field var='support-addresses'/></x></query>"),
        QDomDocument::ParseOption::UseNamespaceProcessing));
    const DiscoInfo info = DiscoInfo::fromQuery(document.documentElement());
    QCOMPARE(info.forms.size(), 2); // every extended form is kept, not only one
    QCOMPARE(
        info.formValue(QStringLiteral("urn:xmpp:dataforms:softwareinfo"), QStringLiteral("admin-addresses")),
        QStringLiteral("xmpp:not-this@example.org"));
    const ServerDetails details = ServerDetails::fromDiscoInfo(info);
    QCOMPARE(details.contactAddresses.size(), 1);
    QCOMPARE(details.contactAddresses.value(QStringLiteral("admin-addresses")),
             QStringList{QStringLiteral("xmpp:admin@example.org")});
    QCOMPARE(details.service.features, QStringList({QStringLiteral("a"), QStringLiteral("b")}));
    QCOMPARE(details.service.identities.size(), 1);
    QCOMPARE(details.service.identities.first().name, QStringLiteral("Example"));
}

void tst_ServerDetails::anOfflineAccountGetsNotConnected()
{
    const TestServer server = TestServer::load();
    QVERIFY2(server.isValid(), qPrintable(server.errorString()));
    auto account = storelessAccount(server, QStringLiteral("bob"));
    QVERIFY(account);
    const auto result = waitTask(askServerDetails(*account));
    QVERIFY(result);
    QCOMPARE(errorOf(*result).code, Error::Code::NotConnected);
}

QTEST_GUILESS_MAIN(tst_ServerDetails)
#include "tst_serverdetails.moc"
