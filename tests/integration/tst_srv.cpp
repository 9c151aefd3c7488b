// SPDX-License-Identifier: GPL-3.0-or-later
// Finding the server through DNS: _xmpp-client (STARTTLS) and _xmpps-client (direct TLS, XEP-0368) SRV
// records, and a clear error when neither leads anywhere. Runs inside tests/support/with-fake-dns.sh.
#include "TestProfile.h"
#include "TestServer.h"
#include "account/Account.h"
#include "domain/ConnectionState.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSslSocket>
#include <QXmppClient.h>
#include <QXmppOutgoingClient.h>

using namespace Natter::Core;
using namespace Natter::Test;

class tst_Srv : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void startTlsServiceIsFoundThroughSrv();
    void directTlsServiceIsFoundThroughSrv();
    void noRecordsEndInAClearError();

private:
    void publish(const QJsonObject &srv);
    QJsonArray record(int port) const;
    std::unique_ptr<Account> accountWithoutHost();
    TestServer m_server;
};

void tst_Srv::initTestCase()
{
    QVERIFY2(qEnvironmentVariableIsSet("NATTER_FAKE_DNS_RECORDS"),
             "run through tests/support/with-fake-dns.sh");
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
}

void tst_Srv::publish(const QJsonObject &srv)
{
    const QJsonObject records{
        {QStringLiteral("srv"), srv},
        {QStringLiteral("a"), QJsonObject{{QStringLiteral("xmpp.") + m_server.domain, m_server.host},
                                          {m_server.domain, m_server.host}}},
    };
    QFile file(qEnvironmentVariable("NATTER_FAKE_DNS_RECORDS"));
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(QJsonDocument(records).toJson());
}

QJsonArray tst_Srv::record(int port) const
{
    return QJsonArray{QJsonArray{10, 0, port, QStringLiteral("xmpp.") + m_server.domain}};
}

std::unique_ptr<Account> tst_Srv::accountWithoutHost()
{
    auto config = m_server.accountConfig(QStringLiteral("alice"));
    config.host.clear();
    config.port = 0;
    auto account = std::make_unique<Account>(config);
    account->setPassword(m_server.account(QStringLiteral("alice")).password);
    account->setAdditionalCaCertificates(m_server.caCertificates());
    return account;
}

void tst_Srv::startTlsServiceIsFoundThroughSrv()
{
    publish({{QStringLiteral("_xmpp-client._tcp.") + m_server.domain, record(m_server.c2sPort)}});
    auto account = accountWithoutHost();
    account->connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(
        account->state() == ConnectionState::Online || account->state() == ConnectionState::Error, 20000);
    QVERIFY2(account->state() == ConnectionState::Online, qPrintable(account->lastError().detail));
    const auto *socket = account->client().findChild<QXmppOutgoingClient *>()->socket();
    QCOMPARE(int(socket->peerPort()), m_server.c2sPort);
    QVERIFY(socket->isEncrypted());
}

void tst_Srv::directTlsServiceIsFoundThroughSrv()
{
    publish({{QStringLiteral("_xmpps-client._tcp.") + m_server.domain, record(m_server.directTlsPort)}});
    auto account = accountWithoutHost();
    account->connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(
        account->state() == ConnectionState::Online || account->state() == ConnectionState::Error, 20000);
    QVERIFY2(account->state() == ConnectionState::Online, qPrintable(account->lastError().detail));
    QCOMPARE(int(account->client().findChild<QXmppOutgoingClient *>()->socket()->peerPort()),
             m_server.directTlsPort);
}

void tst_Srv::noRecordsEndInAClearError()
{
    // No SRV records: the fallback is the domain itself on 5223 and 5222, where nothing listens.
    publish({});
    auto account = accountWithoutHost();
    account->connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(account->state(), ConnectionState::Error, 20000);
    QCOMPARE(account->lastError().code, Error::Code::HostUnreachable);
    QVERIFY(account->nextAttemptIn() >= 0);
}

QTEST_GUILESS_MAIN(tst_Srv)
#include "tst_srv.moc"
