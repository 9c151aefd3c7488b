// SPDX-License-Identifier: GPL-3.0-or-later
// Entity Capabilities against a real server: a contact's caps are asked once, kept in the store, and after a
// restart with the same profile no disco#info goes out for them; an answer that does not match its hash is
// used but never cached.
#include "Contacts.h"
#include "OnlineAccount.h"
#include "RawStanza.h"
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

// Answers disco#info for its caps node itself, with two extended forms (QXmppDiscoveryIq keeps only one).
class TwoFormResponder : public QXmppClientExtension
{
public:
    static constexpr auto Node = "https://two.example";
    // SHA-1 of S written by hand for the answer below (section 5.1 of XEP-0115), computed outside Natter.
    static constexpr auto Verification = "Z+1T1lI3a2ZOkGeAxIJ8AJhlruw=";

    bool handleStanza(const QDomElement &stanza) override
    {
        const QDomElement query = stanza.firstChildElement(QStringLiteral("query"));
        if (stanza.tagName() != u"iq" || stanza.attribute(QStringLiteral("type")) != u"get" ||
            query.namespaceURI() != u"http://jabber.org/protocol/disco#info" ||
            !query.attribute(QStringLiteral("node")).startsWith(QLatin1String(Node)))
            return false;
        sendRaw(
            *client(),
            QStringLiteral(
                "<iq type='result' id='%1' to='%2'>"
                "<query xmlns='http://jabber.org/protocol/disco#info' node='%3'>"
                "<identity category='client' name='Natter test' type='pc'/>"
                "<feature var='urn:example:two'/>"
                "<feature var='http://jabber.org/protocol/disco#info'/>"
                "<x xmlns='jabber:x:data' type='result'>"
                "<field var='FORM_TYPE' type='hidden'><value>urn:xmpp:test:b</value></field>"
                "<field var='contact'><value>xmpp:b@example.org</value><value>mailto:b@example.org</value>"
                "</field></x>"
                "<x xmlns='jabber:x:data' type='result'>"
                "<field var='FORM_TYPE' type='hidden'><value>urn:xmpp:dataforms:softwareinfo</value></field>"
                "<field var='software_version'><value>1.0</value></field>"
                "<field var='software'><value>Natter</value></field>"
                "</x></query></iq>")
                .arg(stanza.attribute(QStringLiteral("id")), stanza.attribute(QStringLiteral("from")),
                     query.attribute(QStringLiteral("node"))));
        return true;
    }
};

} // namespace

class tst_CapsCache : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void capsAreAskedOnceAndSurviveARestart();
    void unverifiableAnswerIsNotCached();
    void anAnswerWithTwoFormsIsCached();

private:
    // Two new users, and a store (with its caps repository) of the first one's.
    struct Users
    {
        QString alice;
        QString bob;
        std::unique_ptr<TestStore> store;
        std::unique_ptr<CapsRepository> caps;
    };
    std::optional<Users> twoUsers();
    std::unique_ptr<Account> online(const QString &user, const QString &resource, CapsRepository *store);

    TestServer m_server;
};

void tst_CapsCache::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
}

std::optional<tst_CapsCache::Users> tst_CapsCache::twoUsers()
{
    const auto alice = m_server.registerAccount(QStringLiteral("caps"));
    const auto bob = m_server.registerAccount(QStringLiteral("caps"));
    if (!alice || !bob)
        return std::nullopt;
    Users users{*alice, *bob, std::make_unique<TestStore>(*alice), nullptr};
    if (!users.store->isOpen())
        return std::nullopt;
    users.caps = std::make_unique<CapsRepository>(users.store->database());
    return users;
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
    auto users = twoUsers();
    QVERIFY(users);
    TestStore &store = *users->store;
    CapsRepository &caps = *users->caps;

    auto bob = online(users->bob, QStringLiteral("laptop"), nullptr);
    auto *counter = new DiscoInfoCounter;
    bob->client().insertExtension(0, counter);
    QVERIFY(goOnline(bob.get()));
    const QString bobFull = bob->client().configuration().jid();
    {
        auto alice = online(users->alice, QStringLiteral("desk"), &caps);
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
    auto alice = online(users->alice, QStringLiteral("desk"), &caps);
    QVERIFY(goOnline(alice.get()));
    QTRY_VERIFY_WITH_TIMEOUT(alice->caps().isKnown(bobFull), 10000);
    QVERIFY(alice->caps().hasFeature(bobFull, QStringLiteral("urn:example:natter-test")));
    QCOMPARE(counter->from.count(alice->client().configuration().jid()), 0);
}

void tst_CapsCache::unverifiableAnswerIsNotCached()
{
    auto users = twoUsers();
    QVERIFY(users);
    TestStore &store = *users->store;
    CapsRepository &caps = *users->caps;

    auto bob = online(users->bob, QStringLiteral("forger"), nullptr);
    auto *counter = new DiscoInfoCounter;
    bob->client().insertExtension(0, counter);
    QVERIFY(goOnline(bob.get()));
    auto alice = online(users->alice, QStringLiteral("desk"), &caps);
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

void tst_CapsCache::anAnswerWithTwoFormsIsCached()
{
    auto users = twoUsers();
    QVERIFY(users);
    TestStore &store = *users->store;
    CapsRepository &caps = *users->caps;

    auto bob = online(users->bob, QStringLiteral("twoforms"), nullptr);
    bob->client().insertExtension(0, new TwoFormResponder);
    QVERIFY(goOnline(bob.get()));
    auto alice = online(users->alice, QStringLiteral("desk"), &caps);
    QVERIFY(goOnline(alice.get()));
    QVERIFY(makeMutualContacts(alice.get(), bob.get()));
    if (QTest::currentTestFailed())
        return;
    const QString bobFull = bob->client().configuration().jid();

    QXmppPresence presence(QXmppPresence::Available);
    presence.setCapabilityHash(QStringLiteral("sha-1"));
    presence.setCapabilityNode(QLatin1String(TwoFormResponder::Node));
    presence.setCapabilityVer(QByteArray::fromBase64(TwoFormResponder::Verification));
    bob->client().sendPacket(presence);
    QTRY_VERIFY_WITH_TIMEOUT(alice->caps().hasFeature(bobFull, QStringLiteral("urn:example:two")), 10000);

    // Verified, so kept for everyone announcing the same hash, with both forms.
    store.database().waitForIdle();
    const auto stored =
        waitFor(caps.load(QStringLiteral("sha-1"), QLatin1String(TwoFormResponder::Verification)));
    QVERIFY(isOk(stored));
    const auto &xml = std::get<std::optional<QString>>(stored);
    QVERIFY(xml.has_value());
    QVERIFY2(xml->contains(u"urn:xmpp:test:b") && xml->contains(u"urn:xmpp:dataforms:softwareinfo"),
             qPrintable(*xml));
}

QTEST_GUILESS_MAIN(tst_CapsCache)
#include "tst_capscache.moc"
