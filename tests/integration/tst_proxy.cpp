// SPDX-License-Identifier: GPL-3.0-or-later
// An account behind a proxy: SOCKS5 (Tor) and HTTP CONNECT, with and without credentials. The proxy is
// tests/support/test_proxy.py, which reaches only the destinations it is given by name; DNS is
// tests/support/with-fake-dns.sh's resolver, which logs every question and whose records lead to a trap. So
// each test shows that the connection went through the proxy by name, that no DNS question was asked here
// and that nothing connected directly.
#include "TestFiles.h"
#include "TestProxy.h"
#include "TestServer.h"
#include "account/Account.h"
#include "account/ClientConfiguration.h"
#include "calls/CallService.h"
#include "domain/ConnectionState.h"
#include "files/HttpUpload.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QXmppClient.h>

using namespace Natter::Core;
using namespace Natter::Test;

namespace {
constexpr int ConnectTimeout = 20000;
const QString OnionHost = QStringLiteral("nattertestabcdefghijklmnopqrstuvwxyz234567abcdefghijklmn.onion");
} // namespace

class tst_Proxy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void aProxyMakesTheHostExplicitSoNothingIsLookedUpHere();
    void torReachesTheServerByNameWithoutAskingDns();
    void filesGoThroughTheProxyAndCallsAreOff();
    void anOnionServerIsReachedThroughTor();
    void socks5WithCredentials();
    void httpConnectProxyWithCredentials();
    void aWrongProxyPasswordIsAClearError();
    void aProxyThatIsNotRunningIsAClearError();

private:
    std::unique_ptr<Account> proxiedAccount(AccountConfig::ProxyType type, quint16 proxyPort,
                                            const QString &user = {}, const QString &password = {});
    bool waitOnline(Account &account);
    QStringList dnsQuestions() const;
    QMap<QString, QString> routesToServer() const;

    TestServer m_server;
    QTcpServer m_trap; // where the fake DNS records lead: a direct connection would end here
    int m_trapped = 0;
};

void tst_Proxy::initTestCase()
{
    QVERIFY2(qEnvironmentVariableIsSet("NATTER_FAKE_DNS_QUERIES"),
             "run through tests/support/with-fake-dns.sh");
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
    QVERIFY(m_trap.listen(QHostAddress::LocalHost));
    connect(&m_trap, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_trap.nextPendingConnection()) {
            ++m_trapped;
            socket->abort();
            socket->deleteLater();
        }
    });
    // Were the server looked up here, it would be found, at the trap.
    const QJsonArray trap{QJsonArray{10, 0, int(m_trap.serverPort()), m_server.domain}};
    const QJsonObject records{
        {QStringLiteral("srv"), QJsonObject{{QStringLiteral("_xmpp-client._tcp.") + m_server.domain, trap},
                                            {QStringLiteral("_xmpps-client._tcp.") + m_server.domain, trap}}},
        {QStringLiteral("a"), QJsonObject{{m_server.domain, QStringLiteral("127.0.0.1")},
                                          {OnionHost, QStringLiteral("127.0.0.1")}}},
    };
    QFile file(qEnvironmentVariable("NATTER_FAKE_DNS_RECORDS"));
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(QJsonDocument(records).toJson());
}

void tst_Proxy::init()
{
    QFile::remove(qEnvironmentVariable("NATTER_FAKE_DNS_QUERIES"));
    m_trapped = 0;
}

QStringList tst_Proxy::dnsQuestions() const
{
    QFile file(qEnvironmentVariable("NATTER_FAKE_DNS_QUERIES"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll()).split(u'\n', Qt::SkipEmptyParts);
}

QMap<QString, QString> tst_Proxy::routesToServer() const
{
    const QString server = QStringLiteral("127.0.0.1:") + QString::number(m_server.c2sPort);
    return {{m_server.domain + QStringLiteral(":5222"), server},
            {OnionHost + QStringLiteral(":5222"), server},
            // The upload service's URL names the server by address (the fixture's http_host).
            {m_server.host, m_server.host}};
}

std::unique_ptr<Account> tst_Proxy::proxiedAccount(AccountConfig::ProxyType type, quint16 proxyPort,
                                                   const QString &user, const QString &password)
{
    AccountConfig config = m_server.accountConfig(QStringLiteral("alice"));
    config.host.clear(); // as a user would leave it: the proxy finds the server by its domain
    config.port = 0;
    config.proxyType = type;
    config.proxyHost = QStringLiteral("127.0.0.1");
    config.proxyPort = proxyPort;
    config.proxyUser = user;
    auto account = std::make_unique<Account>(config);
    account->setPassword(m_server.account(QStringLiteral("alice")).password);
    account->setProxyPassword(password);
    account->setAdditionalCaCertificates(m_server.caCertificates());
    return account;
}

bool tst_Proxy::waitOnline(Account &account)
{
    account.connectToServer();
    const bool settled = QTest::qWaitFor(
        [&] {
            return account.state() == ConnectionState::Online || account.state() == ConnectionState::Error;
        },
        ConnectTimeout);
    if (!settled)
        qWarning() << "neither online nor failed after" << ConnectTimeout << "ms";
    if (account.state() != ConnectionState::Online)
        qWarning() << "not online:" << account.lastError().codeName() << account.lastError().detail;
    return account.state() == ConnectionState::Online;
}

void tst_Proxy::aProxyMakesTheHostExplicitSoNothingIsLookedUpHere()
{
    AccountConfig config;
    config.jid = QStringLiteral("alice@example.org");
    QVERIFY(clientConfiguration(config, {}).host().isEmpty()); // no proxy: SRV look-ups
    config.proxyType = AccountConfig::ProxyType::Tor;
    const QNetworkProxy tor = networkProxy(config, {});
    QCOMPARE(tor.type(), QNetworkProxy::Socks5Proxy);
    QCOMPARE(tor.hostName(), QStringLiteral("127.0.0.1"));
    QCOMPARE(tor.port(), quint16(9050));
    QVERIFY(tor.capabilities() & QNetworkProxy::HostNameLookupCapability);
    QXmppConfiguration proxied = clientConfiguration(config, {}, tor);
    QCOMPARE(proxied.host(), QStringLiteral("example.org"));
    QCOMPARE(proxied.port(), 5222);
    QCOMPARE(proxied.networkProxy().type(), QNetworkProxy::Socks5Proxy);
    config.tlsMode = AccountConfig::TlsMode::DirectTls;
    proxied = clientConfiguration(config, {}, tor);
    QCOMPARE(proxied.port(), 5223);
    QCOMPARE(proxied.streamSecurityMode(), QXmppConfiguration::LegacySSL);
    config.proxyType = AccountConfig::ProxyType::HttpConnect;
    config.proxyHost = QStringLiteral("proxy.example.org");
    config.proxyPort = 3128;
    config.proxyUser = QStringLiteral("me");
    const QNetworkProxy http = networkProxy(config, QStringLiteral("secret"));
    QCOMPARE(http.type(), QNetworkProxy::HttpProxy);
    QCOMPARE(http.user(), QStringLiteral("me"));
    QCOMPARE(http.password(), QStringLiteral("secret"));
    config.proxyType = AccountConfig::ProxyType::None;
    QCOMPARE(networkProxy(config, {}).type(), QNetworkProxy::NoProxy);
}

void tst_Proxy::torReachesTheServerByNameWithoutAskingDns()
{
    TestProxy tor(TestProxy::Protocol::Socks5, routesToServer());
    QVERIFY2(tor.waitReady(), qPrintable(tor.errorOutput()));
    auto account = proxiedAccount(AccountConfig::ProxyType::Tor, tor.port());
    QVERIFY(waitOnline(*account));
    const auto requests = tor.requests();
    QCOMPARE(requests.size(), 1);
    QCOMPARE(requests[0].kind, QStringLiteral("domain")); // the name, for the proxy to resolve
    QCOMPARE(requests[0].host, m_server.domain);
    QCOMPARE(requests[0].port, 5222);
    QCOMPARE(requests[0].outcome, QStringLiteral("ok"));
    QCOMPARE(dnsQuestions(), QStringList());
    QCOMPARE(m_trapped, 0);
    QVERIFY(account->client().isAuthenticated());
}

void tst_Proxy::filesGoThroughTheProxyAndCallsAreOff()
{
    TestProxy tor(TestProxy::Protocol::Socks5, routesToServer());
    QVERIFY2(tor.waitReady(), qPrintable(tor.errorOutput()));
    auto account = proxiedAccount(AccountConfig::ProxyType::Tor, tor.port());
    QVERIFY(waitOnline(*account));
    QTRY_VERIFY_WITH_TIMEOUT(account->uploads().service().has_value(), 10000);
    QTemporaryDir files;
    const QString path = randomFile(files.path(), QStringLiteral("through-tor.bin"), 64 * 1024);
    FileUpload *upload = account->uploads().upload(path, false);
    std::optional<Result<UploadedFile>> result;
    connect(upload, &FileUpload::finished, this, [&](const Result<UploadedFile> &r) { result = r; });
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 60000);
    QVERIFY2(isOk(*result), qPrintable(errorOf(*result).detail));
    const auto requests = tor.requests();
    QVERIFY(std::any_of(requests.cbegin(), requests.cend(), [this](const TestProxy::Request &request) {
        return request.host == m_server.host && request.outcome == u"ok";
    }));
    QCOMPARE(dnsQuestions(), QStringList());
    // Call media would leave beside the proxy: no call is placed.
    QVERIFY(account->calls().isProxied());
    QVERIFY(!account->calls().call(m_server.jid(QStringLiteral("bob")), false));
}

void tst_Proxy::anOnionServerIsReachedThroughTor()
{
    TestProxy tor(TestProxy::Protocol::Socks5, routesToServer());
    QVERIFY2(tor.waitReady(), qPrintable(tor.errorOutput()));
    auto account = proxiedAccount(AccountConfig::ProxyType::Tor, tor.port());
    AccountConfig config = account->config();
    config.host = OnionHost; // the server's onion service, as its admins announce it
    account->setConfig(config);
    QVERIFY(waitOnline(*account));
    const auto requests = tor.requests();
    QCOMPARE(requests.size(), 1);
    QCOMPARE(requests[0].kind, QStringLiteral("domain"));
    QCOMPARE(requests[0].host, OnionHost);
    QCOMPARE(dnsQuestions(), QStringList());
    QCOMPARE(m_trapped, 0);
}

void tst_Proxy::socks5WithCredentials()
{
    TestProxy proxy(TestProxy::Protocol::Socks5, routesToServer(), QStringLiteral("natter"),
                    QStringLiteral("s0cks-secret"));
    QVERIFY2(proxy.waitReady(), qPrintable(proxy.errorOutput()));
    auto account = proxiedAccount(AccountConfig::ProxyType::Socks5, proxy.port(), QStringLiteral("natter"),
                                  QStringLiteral("s0cks-secret"));
    QVERIFY(waitOnline(*account));
    QCOMPARE(proxy.requests().value(0).outcome, QStringLiteral("ok"));
    QCOMPARE(dnsQuestions(), QStringList());
}

void tst_Proxy::httpConnectProxyWithCredentials()
{
    TestProxy proxy(TestProxy::Protocol::HttpConnect, routesToServer(), QStringLiteral("natter"),
                    QStringLiteral("http-secret"));
    QVERIFY2(proxy.waitReady(), qPrintable(proxy.errorOutput()));
    auto account = proxiedAccount(AccountConfig::ProxyType::HttpConnect, proxy.port(),
                                  QStringLiteral("natter"), QStringLiteral("http-secret"));
    QVERIFY(waitOnline(*account));
    const auto requests = proxy.requests();
    QVERIFY(!requests.isEmpty());
    QCOMPARE(requests.last().kind, QStringLiteral("http"));
    QCOMPARE(requests.last().host, m_server.domain);
    QCOMPARE(requests.last().outcome, QStringLiteral("ok"));
    QCOMPARE(dnsQuestions(), QStringList());
    QCOMPARE(m_trapped, 0);
}

void tst_Proxy::aWrongProxyPasswordIsAClearError()
{
    TestProxy proxy(TestProxy::Protocol::Socks5, routesToServer(), QStringLiteral("natter"),
                    QStringLiteral("s0cks-secret"));
    QVERIFY2(proxy.waitReady(), qPrintable(proxy.errorOutput()));
    auto account = proxiedAccount(AccountConfig::ProxyType::Socks5, proxy.port(), QStringLiteral("natter"),
                                  QStringLiteral("wrong"));
    QVERIFY(!waitOnline(*account));
    QCOMPARE(account->lastError().codeName(), QStringLiteral("ProxyRefused"));
    QCOMPARE(account->nextAttemptIn(), -1); // retrying would not help
    QCOMPARE(proxy.requests().value(0).outcome, QStringLiteral("auth-failed"));
    QCOMPARE(m_trapped, 0);
}

void tst_Proxy::aProxyThatIsNotRunningIsAClearError()
{
    // Tor not started: nothing listens on its port, and Natter does not go around it.
    auto account = proxiedAccount(AccountConfig::ProxyType::Tor, quint16(TestServer::closedPort()));
    QVERIFY(!waitOnline(*account));
    QCOMPARE(account->lastError().codeName(), QStringLiteral("ProxyUnreachable"));
    QVERIFY(account->nextAttemptIn() >= 0); // Tor may be starting: try again later
    account->disconnectFromServer();
    QCOMPARE(dnsQuestions(), QStringList());
    QCOMPARE(m_trapped, 0);
}

QTEST_GUILESS_MAIN(tst_Proxy)
#include "tst_proxy.moc"
