// SPDX-License-Identifier: GPL-3.0-or-later
// Avatars against a real server: one account publishes (XEP-0084), its contact gets the change and the file
// with the right SHA-1; removal; a corrupt cache file is fetched again; non-images are refused.
#include "Contacts.h"
#include "OnlineAccount.h"
#include "TestServer.h"
#include "account/Account.h"
#include "roster/AvatarService.h"
#include "roster/RosterService.h"
#include "roster/SubscriptionService.h"

#include <QCryptographicHash>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QXmppClient.h>
#include <QXmppPresence.h>
#include <QXmppUtils.h>
#include <QXmppVCardIq.h>
#include <QXmppVCardManager.h>

using namespace Natter::Core;
using namespace Natter::Test;

namespace {

// A real 2×2 PNG.
const QByteArray Png = QByteArray::fromBase64(
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8DAAMJgAgAZ9AL+q0FWvAAAAABJRU5ErkJggg==");

QString sha1Of(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLatin1(QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha1).toHex());
}

} // namespace

class tst_Avatars : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void nonImageIsRefused();
    void publishedAvatarReachesContact();
    void corruptCacheFileIsFetchedAgain();
    void ownPresenceCarriesTheAvatarHash();
    void vCardPhotoAnnouncedInPresenceIsFetched();

private:
    std::unique_ptr<Account> online(QTemporaryDir &cache);

    TestServer m_server;
};

void tst_Avatars::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
}

std::unique_ptr<Account> tst_Avatars::online(QTemporaryDir &cache)
{
    const auto user = m_server.registerAccount(QStringLiteral("avatar"));
    if (!user)
        return nullptr;
    auto account = storelessAccount(m_server, *user);
    account->avatars().setStore(nullptr, cache.path());
    return goOnline(account.get()) ? std::move(account) : nullptr;
}

void tst_Avatars::nonImageIsRefused()
{
    QTemporaryDir cache;
    auto alice = online(cache);
    QVERIFY(alice);
    const auto result = waitTask(alice->avatars().publishOwnAvatar(QByteArray("not an image at all"), 2, 2));
    QVERIFY(result);
    QVERIFY(!isOk(*result));
    QCOMPARE(errorOf(*result).code, Error::Code::ImageInvalid);
    QVERIFY(alice->avatars().ownAvatarFile().isEmpty());
}

void tst_Avatars::publishedAvatarReachesContact()
{
    QTemporaryDir aliceCache;
    QTemporaryDir bobCache;
    auto alice = online(aliceCache);
    auto bob = online(bobCache);
    QVERIFY(alice && bob);
    QVERIFY(makeMutualContacts(alice.get(), bob.get()));
    if (QTest::currentTestFailed())
        return;

    const QString hash = QString::fromLatin1(QCryptographicHash::hash(Png, QCryptographicHash::Sha1).toHex());
    QSignalSpy changed(&bob->avatars(), &AvatarService::avatarChanged);
    const auto published = waitTask(alice->avatars().publishOwnAvatar(Png, 2, 2));
    QVERIFY(published);
    QVERIFY2(isOk(*published), qPrintable(errorOf(*published).detail));
    QCOMPARE(sha1Of(alice->avatars().ownAvatarFile()), hash);

    QTRY_VERIFY_WITH_TIMEOUT(!bob->avatars().avatarFile(alice->jid()).isEmpty(), 10000);
    QVERIFY(changed.contains(QVariantList{alice->jid()}));
    QCOMPARE(sha1Of(bob->avatars().avatarFile(alice->jid())), hash);
    QVERIFY(bob->avatars().avatarFile(alice->jid()).startsWith(bobCache.path()));

    changed.clear();
    const auto removed = waitTask(alice->avatars().removeOwnAvatar());
    QVERIFY(removed && isOk(*removed));
    QTRY_VERIFY_WITH_TIMEOUT(bob->avatars().avatarFile(alice->jid()).isEmpty(), 10000);
    QVERIFY(changed.contains(QVariantList{alice->jid()}));
    QVERIFY(alice->avatars().ownAvatarFile().isEmpty());
}

void tst_Avatars::corruptCacheFileIsFetchedAgain()
{
    QTemporaryDir aliceCache;
    QTemporaryDir bobCache;
    auto alice = online(aliceCache);
    auto bob = online(bobCache);
    QVERIFY(alice && bob);
    QVERIFY(makeMutualContacts(alice.get(), bob.get()));
    if (QTest::currentTestFailed())
        return;
    const QString hash = QString::fromLatin1(QCryptographicHash::hash(Png, QCryptographicHash::Sha1).toHex());
    const auto published = waitTask(alice->avatars().publishOwnAvatar(Png, 2, 2));
    QVERIFY(published && isOk(*published));
    QTRY_VERIFY_WITH_TIMEOUT(!bob->avatars().avatarFile(alice->jid()).isEmpty(), 10000);
    const QString path = bob->avatars().avatarFile(alice->jid());

    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("garbage");
    }
    QVERIFY(sha1Of(path) != hash);
    bob->avatars().refresh(alice->jid());
    QTRY_COMPARE_WITH_TIMEOUT(sha1Of(bob->avatars().avatarFile(alice->jid())), hash, 10000);
}

void tst_Avatars::ownPresenceCarriesTheAvatarHash()
{
    // XEP-0153: clients that know only vCard avatars learn ours from our presence.
    QTemporaryDir aliceCache;
    QTemporaryDir bobCache;
    auto alice = online(aliceCache);
    auto bob = online(bobCache);
    QVERIFY(alice && bob);
    QVERIFY(makeMutualContacts(alice.get(), bob.get()));
    QByteArray announced;
    connect(&bob->client(), &QXmppClient::presenceReceived, this, [&](const QXmppPresence &presence) {
        if (QXmppUtils::jidToBareJid(presence.from()) == alice->jid() &&
            presence.vCardUpdateType() == QXmppPresence::VCardUpdateValidPhoto)
            announced = presence.photoHash();
    });
    const auto published = waitTask(alice->avatars().publishOwnAvatar(Png, 2, 2));
    QVERIFY(published && isOk(*published));
    QTRY_COMPARE_WITH_TIMEOUT(announced, QCryptographicHash::hash(Png, QCryptographicHash::Sha1), 10000);
}

void tst_Avatars::vCardPhotoAnnouncedInPresenceIsFetched()
{
    QTemporaryDir aliceCache;
    QTemporaryDir bobCache;
    auto alice = online(aliceCache);
    auto bob = online(bobCache);
    QVERIFY(alice && bob);
    QVERIFY(makeMutualContacts(alice.get(), bob.get()));
    // Bob behaves like an old client: a photo in his vcard-temp and its hash in his presence.
    QXmppVCardIq card;
    card.setFullName(QStringLiteral("Bob"));
    card.setPhoto(Png);
    card.setPhotoType(QStringLiteral("image/png"));
    auto stored = bob->client().findExtension<QXmppVCardManager>()->setVCard(card);
    QVERIFY(QTest::qWaitFor([&stored] { return stored.isFinished(); }, 10000));
    QXmppPresence presence(QXmppPresence::Available);
    presence.setVCardUpdateType(QXmppPresence::VCardUpdateValidPhoto);
    presence.setPhotoHash(QCryptographicHash::hash(Png, QCryptographicHash::Sha1));
    bob->client().sendPacket(presence);
    const QString hash = QString::fromLatin1(QCryptographicHash::hash(Png, QCryptographicHash::Sha1).toHex());
    QTRY_COMPARE_WITH_TIMEOUT(sha1Of(alice->avatars().avatarFile(bob->jid())), hash, 10000);
    QCOMPARE(alice->avatars().avatarHash(bob->jid()), hash);
}

QTEST_GUILESS_MAIN(tst_Avatars)
#include "tst_avatars.moc"
