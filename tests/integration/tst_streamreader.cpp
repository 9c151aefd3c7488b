// SPDX-License-Identifier: GPL-3.0-or-later
// Natter reads the incoming XMPP stream itself (core/stream): against the real test server, a flood arrives
// whole and in order and a large multibyte message intact; against a fake server that writes byte by byte or
// sends broken XML, the client understands the first and closes the stream on the second instead of waiting.
#include "OnlineAccount.h"
#include "RawStanza.h"
#include "Rooms.h"
#include "StoredAccount.h"
#include "TestServer.h"
#include "account/Account.h"
#include "domain/ConnectionState.h"
#include "messaging/MessageService.h"
#include "stream/IncomingStanzaReader.h"

#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTest>
#include <QTimer>
#include <QXmppClient.h>
#include <QXmppMessage.h>

using namespace Natter::Core;
using namespace Natter::Test;

namespace {

constexpr int NetworkTimeout = 20000;

const QByteArray StreamHeader = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
                                "xmlns:stream='http://etherx.jabber.org/streams' "
                                "id='fake-1' from='natter.test' version='1.0' xml:lang='en'>";
const QByteArray Features = "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                            "<mechanism>SCRAM-SHA-1</mechanism></mechanisms></stream:features>";

// Speaks direct TLS with the test server's certificate, answers the client's stream header with header and
// then sends reply, one byte per event-loop turn when asked to.
class FakeServer : public QObject
{
public:
    FakeServer(const TestServer &server, QByteArray reply, bool byteByByte)
        : m_reply(std::move(reply))
        , m_byteByByte(byteByByte)
    {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        QFile certificate(server.stateDirectory() + QStringLiteral("/server.pem"));
        QFile key(server.stateDirectory() + QStringLiteral("/server.key"));
        if (certificate.open(QIODevice::ReadOnly) && key.open(QIODevice::ReadOnly)) {
            tls.setLocalCertificate(QSslCertificate(&certificate, QSsl::Pem));
            tls.setPrivateKey(QSslKey(&key, QSsl::Rsa, QSsl::Pem));
        }
        m_server.setSslConfiguration(tls);
        connect(&m_server, &QSslServer::pendingConnectionAvailable, this, [this] {
            m_socket = qobject_cast<QSslSocket *>(m_server.nextPendingConnection());
            connect(m_socket, &QIODevice::readyRead, this, [this] {
                const bool first = m_received.isEmpty();
                m_received += m_socket->readAll();
                if (first && m_received.contains("<stream:stream"))
                    send(StreamHeader + m_reply);
            });
        });
        m_server.listen(QHostAddress::LocalHost, 0);
    }
    quint16 port() const { return m_server.serverPort(); }
    QByteArray received() const { return m_received; }

private:
    void send(const QByteArray &data)
    {
        if (!m_byteByByte) {
            m_socket->write(data);
            return;
        }
        for (qsizetype i = 0; i < data.size(); ++i)
            QTimer::singleShot(int(i / 64), this, [this, byte = data.mid(i, 1)] {
                if (m_socket)
                    m_socket->write(byte);
            });
    }

    QSslServer m_server;
    QPointer<QSslSocket> m_socket;
    QByteArray m_reply;
    bool m_byteByByte;
    QByteArray m_received;
};

} // namespace

class tst_StreamReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void theAccountReadsItsOwnStream();
    void aBurstArrivesWholeAndInOrder();
    void aLargeMultibyteMessageArrivesIntact();
    void aServerWritingByteByByteIsUnderstood();
    void brokenXmlFromTheServerClosesTheStream_data();
    void brokenXmlFromTheServerClosesTheStream();

private:
    std::unique_ptr<Account> accountFor(const FakeServer &fake) const;
    TestServer m_server;
};

void tst_StreamReader::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
}

std::unique_ptr<Account> tst_StreamReader::accountFor(const FakeServer &fake) const
{
    AccountConfig config = m_server.accountConfig(QStringLiteral("nobody"));
    config.port = fake.port();
    config.tlsMode = AccountConfig::TlsMode::DirectTls;
    auto account = std::make_unique<Account>(config);
    account->setPassword(QStringLiteral("not-used"));
    account->setAdditionalCaCertificates(m_server.caCertificates());
    return account;
}

void tst_StreamReader::theAccountReadsItsOwnStream()
{
    // If a QXmpp update changed the internals the reader takes over, QXmpp would read again (slowly): this
    // says so.
    Account account(m_server.accountConfig(QStringLiteral("alice")));
    QVERIFY(account.client().findChild<IncomingStanzaReader *>());
}

void tst_StreamReader::aBurstArrivesWholeAndInOrder()
{
    auto alice = newOnlineUser(m_server, QStringLiteral("alice"));
    auto bob = newOnlineUser(m_server, QStringLiteral("bob"));
    QVERIFY(alice && bob);
    QStringList received;
    connect(&alice->account()->client(), &QXmppClient::messageReceived, this,
            [&received](const QXmppMessage &message) {
                if (message.body().startsWith(u"burst "))
                    received.append(message.body());
            });
    // Headlines: the server does not archive them, so they come as fast as it routes them and many share
    // one network read.
    constexpr int Count = 2000;
    QStringList sent;
    for (int i = 0; i < Count; ++i) {
        sent.append(QStringLiteral("burst %1").arg(i));
        QVERIFY(sendRaw(bob->account()->client(),
                        QStringLiteral("<message type='headline' to='%1' id='b%2'><body>%3</body></message>")
                            .arg(alice->jid())
                            .arg(i)
                            .arg(sent.last())));
    }
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), Count, NetworkTimeout);
    QCOMPARE(received, sent);
}

void tst_StreamReader::aLargeMultibyteMessageArrivesIntact()
{
    auto alice = newOnlineUser(m_server, QStringLiteral("alice"));
    auto bob = newOnlineUser(m_server, QStringLiteral("bob"));
    QVERIFY(alice && bob);
    // About 100 KB of UTF-8 with two-, three- and four-byte characters: the network cuts it somewhere, and
    // the reader takes at most 64 KiB per turn.
    QString text;
    for (int i = 0; i < 9000; ++i)
        text += QStringLiteral("é€😀 %1 ").arg(i % 10);
    QVERIFY(text.toUtf8().size() > 100000);
    QString received;
    connect(&alice->account()->client(), &QXmppClient::messageReceived, this,
            [&received](const QXmppMessage &message) { received = message.body(); });
    QVERIFY(sendRaw(bob->account()->client(),
                    QStringLiteral("<message type='chat' to='%1' id='big'><body>%2</body></message>")
                        .arg(alice->jid(), text)));
    QTRY_VERIFY_WITH_TIMEOUT(!received.isEmpty(), NetworkTimeout);
    QCOMPARE(received.size(), text.size());
    QVERIFY(received == text);
}

void tst_StreamReader::aServerWritingByteByByteIsUnderstood()
{
    FakeServer fake(m_server, Features, true);
    QVERIFY(fake.port() > 0);
    auto account = accountFor(fake);
    account->connectToServer();
    // The client read the features and started to authenticate.
    QTRY_VERIFY2_WITH_TIMEOUT(fake.received().contains("<auth"), fake.received().constData(), NetworkTimeout);
    QVERIFY(fake.received().contains("SCRAM-SHA-1"));
    account->disconnectFromServer();
}

void tst_StreamReader::brokenXmlFromTheServerClosesTheStream_data()
{
    QTest::addColumn<QByteArray>("reply");
    QTest::addRow("mismatched end tag") << QByteArray("<stream:features><bind></bound></stream:features>");
    QTest::addRow("document type declaration") << QByteArray("<!DOCTYPE stream [<!ENTITY a 'b'>]>");
    QTest::addRow("undefined entity") << QByteArray("<stream:features>&bogus;</stream:features>");
}

void tst_StreamReader::brokenXmlFromTheServerClosesTheStream()
{
    QFETCH(QByteArray, reply);
    FakeServer fake(m_server, reply, false);
    auto account = accountFor(fake);
    bool offline = false;
    connect(account.get(), &Account::stateChanged, this,
            [&offline](ConnectionState state) { offline = offline || state == ConnectionState::Offline; });
    account->connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(fake.received().contains("<stream:stream"), NetworkTimeout);
    // Closed at once, not after QXmpp's timeouts, and without having tried to log in.
    QTRY_VERIFY_WITH_TIMEOUT(offline || account->state() != ConnectionState::Connecting, 5000);
    QVERIFY(account->state() != ConnectionState::Online);
    QVERIFY(!fake.received().contains("<auth"));
}

QTEST_GUILESS_MAIN(tst_StreamReader)
#include "tst_streamreader.moc"
