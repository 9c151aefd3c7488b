// SPDX-License-Identifier: GPL-3.0-or-later
// Entity Capabilities against a real server: a contact's caps are asked once, kept in the store, and after a
// restart with the same profile no disco#info goes out for them; an answer that does not match its hash is
// used but never cached.
#include "Contacts.h"
#include "OnlineAccount.h"
#include "TestServer.h"
#include "TestStore.h"
#include "account/Account.h"
#include "roster/CapsService.h"
#include "roster/RosterService.h"
#include "roster/SubscriptionService.h"
#include "storage/CapsRepository.h"

#include <QDomElement>
#include <QSignalSpy>
#include <QTest>
#include <QXmppClient.h>
#include <QXmppClientExtension.h>
#include <QXmppDiscoveryManager.h>
#include <QXmppPresence.h>

using namespace Natter::Core;
using namespace Natter::Test;

namespace {

// Sees every stanza a client receives before its managers do, and counts the disco#info requests.
class DiscoInfoCounter : public QXmppClientExtension
{
public:
    bool handleStanza(const QDomElement &stanza) override
    {
        if (stanza.tagName() == u"iq" && stanza.attribute(QStringLiteral("type")) == u"get" &&
            stanza.firstChildElement(QStringLiteral("query")).namespaceURI() ==
                u"http://jabber.org/protocol/disco#info")
            from.append(stanza.attribute(QStringLiteral("from")));
        return false;
    }
    // Makes the caps of its client differ from a plain Natter's.
    QStringList discoveryFeatures() const override { return {QStringLiteral("urn:example:natter-test")}; }
    QStringList from;
};

} // namespace

class tst_CapsCache : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void capsAreAskedOnceAndSurviveARestart();
    void unverifiableAnswerIsNotCached();

private:
    std::unique_ptr<Account> online(const QString &user, const QString &resource, CapsRepository *store);

    TestServer m_server;
};

void tst_CapsCache::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
}

std::unique_ptr<Account> tst_CapsCache::online(const QString &user, const QString &resource,
                                               CapsRepository *store)
{
    AccountConfig config = m_server.accountConfig(user);
    config.resource = resource;
    auto account = std::make_unique<Account>(config);
    account->setPassword(m_server.account(user).password);
    account->setAdditionalCaCertificates(m_server.caCertificates());
    account->caps().setStore(store);
    return account;
}

void tst_CapsCache::capsAreAskedOnceAndSurviveARestart()
{
    const auto aliceUser = m_server.registerAccount(QStringLiteral("caps"));
    const auto bobUser = m_server.registerAccount(QStringLiteral("caps"));
    QVERIFY(aliceUser && bobUser);
    TestStore store(*aliceUser);
    QVERIFY(store.isOpen());
    CapsRepository caps(store.database());

    auto bob = online(*bobUser, QStringLiteral("laptop"), nullptr);
    auto *counter = new DiscoInfoCounter;
    bob->client().insertExtension(0, counter);
    QVERIFY(goOnline(bob.get()));
    const QString bobFull = bob->client().configuration().jid();
    {
        auto alice = online(*aliceUser, QStringLiteral("desk"), &caps);
        QVERIFY(goOnline(alice.get()));
        QVERIFY(makeMutualContacts(alice.get(), bob.get()));
        if (QTest::currentTestFailed())
            return;
        QTRY_VERIFY_WITH_TIMEOUT(alice->caps().isKnown(bobFull), 10000);
        QVERIFY(alice->caps().hasFeature(bobFull, QStringLiteral("urn:xmpp:avatar:metadata+notify")));
        QVERIFY(alice->caps().hasFeature(bobFull, QStringLiteral("urn:example:natter-test")));
        QCOMPARE(counter->from.count(alice->client().configuration().jid()), 1);
    }
    store.database().waitForIdle();

    // Restart with the same profile: Bob's presence comes in again, nothing is asked.
    counter->from.clear();
    auto alice = online(*aliceUser, QStringLiteral("desk"), &caps);
    QVERIFY(goOnline(alice.get()));
    QTRY_VERIFY_WITH_TIMEOUT(alice->caps().isKnown(bobFull), 10000);
    QVERIFY(alice->caps().hasFeature(bobFull, QStringLiteral("urn:example:natter-test")));
    QCOMPARE(counter->from.count(alice->client().configuration().jid()), 0);
}

void tst_CapsCache::unverifiableAnswerIsNotCached()
{
    const auto aliceUser = m_server.registerAccount(QStringLiteral("caps"));
    const auto bobUser = m_server.registerAccount(QStringLiteral("caps"));
    QVERIFY(aliceUser && bobUser);
    TestStore store(*aliceUser);
    QVERIFY(store.isOpen());
    CapsRepository caps(store.database());

    auto bob = online(*bobUser, QStringLiteral("forger"), nullptr);
    auto *counter = new DiscoInfoCounter;
    bob->client().insertExtension(0, counter);
    QVERIFY(goOnline(bob.get()));
    auto alice = online(*aliceUser, QStringLiteral("desk"), &caps);
    QVERIFY(goOnline(alice.get()));
    QVERIFY(makeMutualContacts(alice.get(), bob.get()));
    if (QTest::currentTestFailed())
        return;
    const QString bobFull = bob->client().configuration().jid();
    QTRY_VERIFY_WITH_TIMEOUT(alice->caps().isKnown(bobFull), 10000);

    // Bob claims caps whose hash his disco#info answer cannot produce.
    const QByteArray forged = QByteArray::fromBase64("AAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    QXmppPresence presence(QXmppPresence::Available);
    presence.setCapabilityHash(QStringLiteral("sha-1"));
    presence.setCapabilityNode(QStringLiteral("https://forged.example"));
    presence.setCapabilityVer(forged);
    QSignalSpy changed(&alice->caps(), &CapsService::featuresChanged);
    bob->client().sendPacket(presence);
    counter->from.clear();
    QTRY_VERIFY_WITH_TIMEOUT(counter->from.contains(alice->client().configuration().jid()), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(changed.contains(QVariantList{bobFull}), 10000);
    // Used for Bob …
    QVERIFY(alice->caps().hasFeature(bobFull, QStringLiteral("http://jabber.org/protocol/disco#info")));
    // … but not stored.
    store.database().waitForIdle();
    const auto stored = waitFor(caps.load(QStringLiteral("sha-1"), QString::fromLatin1(forged.toBase64())));
    QVERIFY(isOk(stored));
    QVERIFY(!std::get<std::optional<QString>>(stored).has_value());
}

QTEST_GUILESS_MAIN(tst_CapsCache)
#include "tst_capscache.moc"
