// SPDX-License-Identifier: GPL-3.0-or-later
// Group chat bookmarks against the real Prosody 13: XEP-0402 between two devices of one account (read back,
// live changes), extensions of other clients kept, XEP-0048 clients' bookmarks, a private node, forged
// notifications ignored, and the XEP-0048 private XML path itself.
#include "Contacts.h"
#include "OnlineAccount.h"
#include "RawStanza.h"
#include "TestProfile.h"
#include "TestServer.h"
#include "account/Account.h"
#include "muc/BookmarkService.h"

#include <QDomDocument>
#include <QSignalSpy>
#include <QXmppClient.h>
#include <QXmppElement.h>
#include <QXmppMessage.h>
#include <QXmppPubSubBaseItem.h>
#include <QXmppPubSubManager.h>
#include <QXmppPubSubNodeConfig.h>
#include <QXmppPubSubPublishOptions.h>

using namespace Natter::Core;
using namespace Natter::Test;

namespace {

const QString Node = QStringLiteral("urn:xmpp:bookmarks:1");

// An item whose payload is any XML: what another client publishes or reads.
class RawItem : public QXmppPubSubBaseItem
{
public:
    explicit RawItem(const QString &id = {}, QDomElement payloadElement = {})
        : QXmppPubSubBaseItem(id)
        , payload(std::move(payloadElement))
    {}
    QDomElement payload;

protected:
    void parsePayload(const QDomElement &element) override { payload = element; }
    void serializePayload(QXmlStreamWriter *writer) const override { QXmppElement(payload).toXml(writer); }
};

QDomElement parsed(const QString &xml)
{
    QDomDocument document;
    document.setContent(xml, QDomDocument::ParseOption::UseNamespaceProcessing);
    return document.documentElement();
}

QXmppPubSubPublishOptions bookmarkOptions()
{
    QXmppPubSubPublishOptions options;
    options.setPersistItems(true);
    options.setMaxItems(QXmppPubSubNodeConfig::Max());
    options.setSendLastItem(QXmppPubSubNodeConfig::Never);
    options.setAccessModel(QXmppPubSubNodeConfig::Allowlist);
    return options;
}

RoomBookmark lounge()
{
    RoomBookmark bookmark;
    bookmark.jid = QStringLiteral("lounge@conference.natter.test");
    bookmark.name = QStringLiteral("The Lounge");
    bookmark.nick = QStringLiteral("Ali");
    bookmark.password = QStringLiteral("s3cret <&>");
    bookmark.autojoin = true;
    bookmark.minimise = true;
    return bookmark;
}

RoomBookmark room(const QString &localpart, const QString &name)
{
    RoomBookmark bookmark;
    bookmark.jid = localpart + QStringLiteral("@conference.natter.test");
    bookmark.name = name;
    bookmark.nick = QStringLiteral("nick-") + localpart;
    return bookmark;
}

bool saved(BookmarkService *service, const RoomBookmark &bookmark)
{
    const auto result = waitFor(service->save(bookmark));
    if (!isOk(result))
        qWarning() << "save failed:" << errorOf(result).detail;
    return isOk(result);
}

} // namespace

class tst_Bookmarks : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void savedBookmarkReadsBackOnOurOtherDevice();
    void otherDeviceSeesAdditionChangeAndRemovalLive();
    void unknownExtensionSurvivesAMinimiseUpdate();
    void legacyClientsBookmarkIsVisible();
    void nodeIsPrivateToTheAccount();
    void openNodeIsNotPublishedTo();
    void forgedNotificationIsIgnored();
    void invalidRoomJidsFromTheServerAreSkipped();
    void legacyStorageReadsAndWritesPrivateXml();

private:
    struct Device
    {
        std::unique_ptr<Account> account;
        BookmarkService *bookmarks = nullptr;
    };
    // user's account online as device resource, with a BookmarkService that has not fetched yet.
    Device online(const QString &user, const QString &resource);
    // Fetches and waits for the result; false when it failed or did not come.
    static bool fetched(BookmarkService *service);
    // A new account's device, fetched; check .bookmarks before use.
    Device freshDevice(QString &user, const QString &resource);

    TestServer m_server;
};

void tst_Bookmarks::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
}

tst_Bookmarks::Device tst_Bookmarks::online(const QString &user, const QString &resource)
{
    Device device;
    device.account = storelessAccount(m_server, user);
    AccountConfig config = device.account->config();
    config.resource = resource;
    device.account->setConfig(config);
    device.bookmarks = &device.account->bookmarks();
    if (!goOnline(device.account.get()))
        device.bookmarks = nullptr;
    return device;
}

bool tst_Bookmarks::fetched(BookmarkService *service)
{
    QSignalSpy changed(service, &BookmarkService::bookmarksChanged);
    QSignalSpy failed(service, &BookmarkService::errorOccurred);
    service->fetch();
    return QTest::qWaitFor([&] { return !changed.isEmpty() || !failed.isEmpty(); }, 10000) &&
           failed.isEmpty();
}

tst_Bookmarks::Device tst_Bookmarks::freshDevice(QString &user, const QString &resource)
{
    const auto registered = m_server.registerAccount(QStringLiteral("bm"));
    if (!registered)
        return {};
    user = *registered;
    Device device = online(user, resource);
    if (device.bookmarks && !fetched(device.bookmarks))
        device.bookmarks = nullptr;
    return device;
}

void tst_Bookmarks::savedBookmarkReadsBackOnOurOtherDevice()
{
    QString user;
    Device a = freshDevice(user, QStringLiteral("deviceA"));
    QVERIFY(a.bookmarks);
    QVERIFY(!a.bookmarks->usesLegacyStorage()); // Prosody announces urn:xmpp:bookmarks:1#compat
    QVERIFY(a.bookmarks->bookmarks().isEmpty());

    QVERIFY(saved(a.bookmarks, lounge()));
    QCOMPARE(a.bookmarks->bookmark(lounge().jid), lounge());

    Device b = online(user, QStringLiteral("deviceB"));
    QVERIFY(b.bookmarks);
    QVERIFY(fetched(b.bookmarks));
    QCOMPARE(b.bookmarks->bookmarks().size(), 1);
    const auto read = b.bookmarks->bookmark(QStringLiteral("Lounge@Conference.natter.test"));
    QVERIFY(read);
    QCOMPARE(read->jid, lounge().jid);
    QCOMPARE(read->name, lounge().name);
    QCOMPARE(read->nick, lounge().nick);
    QCOMPARE(read->password, lounge().password);
    QCOMPARE(read->autojoin, true);
    QCOMPARE(read->minimise, true);
    QCOMPARE(*read, lounge());
}

void tst_Bookmarks::otherDeviceSeesAdditionChangeAndRemovalLive()
{
    QString user;
    Device a = freshDevice(user, QStringLiteral("deviceA"));
    QVERIFY(a.bookmarks);
    Device b = online(user, QStringLiteral("deviceB"));
    QVERIFY(b.bookmarks);
    QVERIFY(fetched(b.bookmarks));
    QSignalSpy changed(b.bookmarks, &BookmarkService::bookmarksChanged);

    QVERIFY(saved(a.bookmarks, lounge()));
    QTRY_COMPARE_WITH_TIMEOUT(b.bookmarks->bookmark(lounge().jid), std::optional(lounge()), 10000);
    QCOMPARE(changed.size(), 1);

    RoomBookmark renamed = lounge();
    renamed.name = QStringLiteral("Renamed");
    renamed.autojoin = false;
    renamed.minimise = false;
    renamed.password.clear();
    QVERIFY(saved(a.bookmarks, renamed));
    QTRY_COMPARE_WITH_TIMEOUT(b.bookmarks->bookmark(lounge().jid), std::optional(renamed), 10000);
    QCOMPARE(changed.size(), 2);

    const auto removed = waitFor(a.bookmarks->remove(lounge().jid));
    QVERIFY(isOk(removed));
    QVERIFY(!a.bookmarks->bookmark(lounge().jid));
    QTRY_VERIFY_WITH_TIMEOUT(!b.bookmarks->bookmark(lounge().jid), 10000);
    QCOMPARE(changed.size(), 3);
    QVERIFY(b.bookmarks->bookmarks().isEmpty());
}

void tst_Bookmarks::unknownExtensionSurvivesAMinimiseUpdate()
{
    QString user;
    Device a = freshDevice(user, QStringLiteral("deviceA"));
    QVERIFY(a.bookmarks);
    auto *pubsub = a.account->client().findExtension<QXmppPubSubManager>();
    const QString jid = QStringLiteral("ext@conference.natter.test");
    // Another client's bookmark with its own extension element.
    const RawItem foreign(
        jid,
        parsed(QStringLiteral("<conference xmlns='urn:xmpp:bookmarks:1' name='Ext' autojoin='true'>"
                              "<nick>ext</nick><extensions>"
                              "<state xmlns='urn:example:client' colour='teal'><pinned>yes</pinned></state>"
                              "</extensions></conference>")));
    const auto published = waitTask(pubsub->publishItem(a.account->jid(), Node, foreign, bookmarkOptions()));
    QVERIFY(published && std::holds_alternative<QString>(*published));

    QVERIFY(fetched(a.bookmarks));
    auto bookmark = a.bookmarks->bookmark(jid);
    QVERIFY(bookmark);
    QVERIFY(!bookmark->minimise);
    QVERIFY2(bookmark->extensionsXml.contains(QStringLiteral("urn:example:client")),
             qPrintable(bookmark->extensionsXml));
    bookmark->minimise = true;
    QVERIFY(saved(a.bookmarks, *bookmark));

    const auto items = waitTask(pubsub->requestItems<RawItem>(a.account->jid(), Node));
    QVERIFY(items);
    const auto *list = std::get_if<QXmppPubSubManager::Items<RawItem>>(&*items);
    QVERIFY(list);
    QCOMPARE(list->items.size(), 1);
    const QDomElement extensions =
        list->items.first().payload.firstChildElement(QStringLiteral("extensions"));
    const QDomElement state = extensions.firstChildElement(QStringLiteral("state"));
    QCOMPARE(state.namespaceURI(), QStringLiteral("urn:example:client"));
    QCOMPARE(state.attribute(QStringLiteral("colour")), QStringLiteral("teal"));
    QCOMPARE(state.firstChildElement(QStringLiteral("pinned")).text(), QStringLiteral("yes"));
    const QDomElement minimize = extensions.firstChildElement(QStringLiteral("minimize"));
    QCOMPARE(minimize.namespaceURI(), QStringLiteral("xmpp:gajim.org/bookmarks"));
    QCOMPARE(list->items.first().payload.firstChildElement(QStringLiteral("nick")).text(),
             QStringLiteral("ext"));

    Device b = online(user, QStringLiteral("deviceB"));
    QVERIFY(b.bookmarks);
    QVERIFY(fetched(b.bookmarks));
    QCOMPARE(b.bookmarks->bookmark(jid), bookmark);
}

void tst_Bookmarks::legacyClientsBookmarkIsVisible()
{
    QString user;
    Device a = freshDevice(user, QStringLiteral("deviceA"));
    QVERIFY(a.bookmarks);
    auto legacy = storelessAccount(m_server, user);
    QVERIFY(goOnline(legacy.get()));
    const QString jid = QStringLiteral("old@conference.natter.test");
    QVERIFY(sendRaw(legacy->client(),
                    QStringLiteral("<iq type='set' id='legacy-set'><query xmlns='jabber:iq:private'>"
                                   "<storage xmlns='storage:bookmarks'>"
                                   "<conference jid='%1' name='Old Room' autojoin='1'>"
                                   "<nick>oldnick</nick><password>pw</password></conference>"
                                   "</storage></query></iq>")
                        .arg(jid)));

    // Live: Prosody turns the private XML into a PEP publication.
    QTRY_VERIFY_WITH_TIMEOUT(a.bookmarks->bookmark(jid).has_value(), 10000);
    QVERIFY(fetched(a.bookmarks));
    const auto bookmark = a.bookmarks->bookmark(jid);
    QVERIFY(bookmark);
    QCOMPARE(bookmark->name, QStringLiteral("Old Room"));
    QCOMPARE(bookmark->nick, QStringLiteral("oldnick"));
    QCOMPARE(bookmark->password, QStringLiteral("pw"));
    QCOMPARE(bookmark->autojoin, true);
    QCOMPARE(bookmark->minimise, false);
}

void tst_Bookmarks::nodeIsPrivateToTheAccount()
{
    QString user;
    Device a = freshDevice(user, QStringLiteral("deviceA"));
    QVERIFY(a.bookmarks);
    QVERIFY(saved(a.bookmarks, lounge()));

    auto *pubsub = a.account->client().findExtension<QXmppPubSubManager>();
    const auto config = waitTask(pubsub->requestNodeConfiguration(a.account->jid(), Node));
    QVERIFY(config);
    const auto *nodeConfig = std::get_if<QXmppPubSubNodeConfig>(&*config);
    QVERIFY(nodeConfig);
    QCOMPARE(nodeConfig->accessModel(), std::optional(QXmppPubSubNodeConfig::Allowlist));

    const auto strangerUser = m_server.registerAccount(QStringLiteral("stranger"));
    QVERIFY(strangerUser);
    auto stranger = onlineAccount(m_server, *strangerUser);
    QVERIFY(stranger);
    auto *strangerPubsub = stranger->client().findExtension<QXmppPubSubManager>();
    const auto items = waitTask(strangerPubsub->requestItems<RawItem>(a.account->jid(), Node));
    QVERIFY(items);
    QVERIFY(std::holds_alternative<QXmppError>(*items));
}

void tst_Bookmarks::openNodeIsNotPublishedTo()
{
    QString user;
    Device a = freshDevice(user, QStringLiteral("deviceA"));
    QVERIFY(a.bookmarks);
    // Another client made the node readable by anyone.
    auto *pubsub = a.account->client().findExtension<QXmppPubSubManager>();
    QXmppPubSubNodeConfig open;
    open.setPersistItems(true);
    open.setMaxItems(QXmppPubSubNodeConfig::Max());
    open.setSendLastItem(QXmppPubSubNodeConfig::Never);
    open.setAccessModel(QXmppPubSubNodeConfig::Open);
    const auto created = waitTask(pubsub->createNode(a.account->jid(), Node, open));
    QVERIFY(created && std::holds_alternative<QXmpp::Success>(*created));

    const auto result = waitFor(a.bookmarks->save(lounge()));
    QVERIFY(!isOk(result));
    QCOMPARE(errorOf(result).code, Error::Code::RequestRefused);
    QVERIFY2(errorOf(result).detail.contains(QStringLiteral("access_model")),
             qPrintable(errorOf(result).detail));
    QVERIFY(!a.bookmarks->bookmark(lounge().jid));

    const auto items = waitTask(pubsub->requestItems<RawItem>(a.account->jid(), Node));
    QVERIFY(items);
    const auto *list = std::get_if<QXmppPubSubManager::Items<RawItem>>(&*items);
    QVERIFY(list);
    QVERIFY(list->items.isEmpty());
    const auto config = waitTask(pubsub->requestNodeConfiguration(a.account->jid(), Node));
    QVERIFY(config && std::holds_alternative<QXmppPubSubNodeConfig>(*config));
    QCOMPARE(std::get<QXmppPubSubNodeConfig>(*config).accessModel(),
             std::optional(QXmppPubSubNodeConfig::Open));
}

void tst_Bookmarks::forgedNotificationIsIgnored()
{
    QString user;
    Device a = freshDevice(user, QStringLiteral("deviceA"));
    QVERIFY(a.bookmarks);
    QVERIFY(saved(a.bookmarks, lounge()));
    const auto malloryUser = m_server.registerAccount(QStringLiteral("mallory"));
    QVERIFY(malloryUser);
    auto mallory = onlineAccount(m_server, *malloryUser);
    QVERIFY(mallory);

    QSignalSpy changed(a.bookmarks, &BookmarkService::bookmarksChanged);
    const QString to = a.account->client().configuration().jid();
    const QString event =
        QStringLiteral("<message to='%1' type='headline' id='%2'>"
                       "<event xmlns='http://jabber.org/protocol/pubsub#event'>%3</event></message>");
    QVERIFY(sendRaw(
        mallory->client(),
        event.arg(to, QStringLiteral("forged-item"),
                  QStringLiteral("<items node='urn:xmpp:bookmarks:1'>"
                                 "<item id='evil@conference.natter.test'>"
                                 "<conference xmlns='urn:xmpp:bookmarks:1' name='Evil' autojoin='true'/>"
                                 "</item></items>"))));
    QVERIFY(sendRaw(mallory->client(), event.arg(to, QStringLiteral("forged-retract"),
                                                 QStringLiteral("<items node='urn:xmpp:bookmarks:1'>"
                                                                "<retract id='%1'/></items>")
                                                     .arg(lounge().jid))));
    QVERIFY(sendRaw(mallory->client(), event.arg(to, QStringLiteral("forged-purge"),
                                                 QStringLiteral("<purge node='urn:xmpp:bookmarks:1'/>"))));
    // A plain message sent after them arrives after them: by then they were handled.
    bool marker = false;
    connect(&a.account->client(), &QXmppClient::messageReceived, this,
            [&marker](const QXmppMessage &message) { marker |= message.body() == u"after the forgeries"; });
    QVERIFY(sendRaw(mallory->client(), QStringLiteral("<message to='%1' type='chat' id='marker'>"
                                                      "<body>after the forgeries</body></message>")
                                           .arg(to)));
    QTRY_VERIFY_WITH_TIMEOUT(marker, 10000);

    QVERIFY(changed.isEmpty());
    QCOMPARE(a.bookmarks->bookmarks(), QList{lounge()});
}

void tst_Bookmarks::invalidRoomJidsFromTheServerAreSkipped()
{
    QString user;
    Device a = freshDevice(user, QStringLiteral("deviceA"));
    QVERIFY(a.bookmarks);
    Device b = online(user, QStringLiteral("deviceB"));
    QVERIFY(b.bookmarks);
    QVERIFY(fetched(b.bookmarks));
    auto *pubsub = a.account->client().findExtension<QXmppPubSubManager>();
    const QDomElement conference =
        parsed(QStringLiteral("<conference xmlns='urn:xmpp:bookmarks:1' name='Bad' autojoin='true'/>"));
    for (const QString &id : {QStringLiteral("no room here"), QStringLiteral("@conference.natter.test"),
                              QStringLiteral("room@conference.natter.test/resource")}) {
        const auto published =
            waitTask(pubsub->publishItem(a.account->jid(), Node, RawItem(id, conference), bookmarkOptions()));
        QVERIFY(published && std::holds_alternative<QString>(*published));
    }
    // Published last: once B has it, B has seen the invalid ones too.
    QVERIFY(saved(a.bookmarks, lounge()));
    QTRY_VERIFY_WITH_TIMEOUT(b.bookmarks->bookmark(lounge().jid).has_value(), 10000);
    QCOMPARE(b.bookmarks->bookmarks(), QList{lounge()});

    QVERIFY(fetched(a.bookmarks));
    QCOMPARE(a.bookmarks->bookmarks(), QList{lounge()});
}

void tst_Bookmarks::legacyStorageReadsAndWritesPrivateXml()
{
    // Prosody always announces #compat, so private XML storage is chosen by hand; Prosody then converts
    // between it and PEP, which lets a PEP device check what was written.
    const auto registered = m_server.registerAccount(QStringLiteral("bm"));
    QVERIFY(registered);
    Device legacy = online(*registered, QStringLiteral("legacy"));
    QVERIFY(legacy.bookmarks);
    legacy.bookmarks->forceLegacyStorageForTesting();
    QVERIFY(fetched(legacy.bookmarks));
    QVERIFY(legacy.bookmarks->usesLegacyStorage());
    QVERIFY(legacy.bookmarks->bookmarks().isEmpty());

    RoomBookmark first = room(QStringLiteral("first"), QStringLiteral("First"));
    first.autojoin = true;
    first.password = QStringLiteral("pw1");
    const RoomBookmark second = room(QStringLiteral("second"), QStringLiteral("Second"));
    QVERIFY(saved(legacy.bookmarks, first));
    QVERIFY(saved(legacy.bookmarks, second));
    QCOMPARE(legacy.bookmarks->bookmarks(), (QList{first, second}));

    Device pep = online(*registered, QStringLiteral("pep"));
    QVERIFY(pep.bookmarks);
    QVERIFY(fetched(pep.bookmarks));
    QVERIFY(!pep.bookmarks->usesLegacyStorage());
    QCOMPARE(pep.bookmarks->bookmarks(), (QList{first, second}));

    // A bookmark added over PEP is in the list the legacy device reads and rewrites.
    const RoomBookmark third = room(QStringLiteral("third"), QStringLiteral("Third"));
    QVERIFY(saved(pep.bookmarks, third));
    QVERIFY(fetched(legacy.bookmarks));
    QCOMPARE(legacy.bookmarks->bookmark(third.jid), third);

    QVERIFY(isOk(waitFor(legacy.bookmarks->remove(first.jid))));
    QCOMPARE(legacy.bookmarks->bookmarks(), (QList{second, third}));
    QVERIFY(fetched(pep.bookmarks));
    QCOMPARE(pep.bookmarks->bookmarks(), (QList{second, third}));
}

QTEST_GUILESS_MAIN(tst_Bookmarks)
#include "tst_bookmarks.moc"
