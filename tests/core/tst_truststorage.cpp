// SPDX-License-Identifier: GPL-3.0-or-later
// TrustStorage: QXmpp's trust storage (XEP-0450 included) on the profile database, per account and
// encryption.
#include "TestProfile.h"
#include "TestStore.h"
#include "crypto/TrustStorage.h"
#include "storage/AccountRepository.h"
#include "storage/Database.h"

#include <QRegularExpression>
#include <QThread>
#include <QXmppTask.h>
#include <QXmppTrustMessageKeyOwner.h>
#include <memory>

using namespace Natter::Core;
using Natter::Test::TestProfile;
using Natter::Test::TestStore;
using Natter::Test::waitFor;
using QXmpp::TrustLevel;

namespace {

const QString Account = QStringLiteral("me@example.org");
const QString Other = QStringLiteral("other@example.org");
const QString Alice = QStringLiteral("alice@example.org");
const QString Bob = QStringLiteral("bob@example.com");
const QString Carol = QStringLiteral("carol@example.net");

const QString Omemo = QStringLiteral("urn:xmpp:omemo:2");
const QString LegacyOmemo = QStringLiteral("eu.siacs.conversations.axolotl");
const QString Ox = QStringLiteral("urn:xmpp:openpgp:0");

using KeysByLevel = QHash<TrustLevel, QMultiHash<QString, QByteArray>>;
using KeysByOwner = QHash<QString, QHash<QByteArray, TrustLevel>>;
using ModifiedKeys = QHash<QString, QMultiHash<QString, QByteArray>>;
using PostponedKeys = QHash<bool, QMultiHash<QString, QByteArray>>;

QByteArray key(const char *name)
{
    return QByteArray("key ") + name;
}

// Runs the event loop until task finishes and returns its result.
template <typename T> T await(QXmppTask<T> task, int timeoutMs = 20000)
{
    if (!QTest::qWaitFor([&] { return task.isFinished(); }, timeoutMs))
        qFatal("task did not finish within %d ms", timeoutMs);
    if constexpr (!std::is_void_v<T>)
        return task.takeResult();
}

std::unique_ptr<Database> openDatabase(const QString &file)
{
    auto db = std::make_unique<Database>(file);
    if (!isOk(waitFor(db->open())))
        return nullptr;
    return db;
}

bool addAccount(Database &db, const QString &jid)
{
    AccountConfig config;
    config.jid = jid;
    config.resource = QStringLiteral("r");
    return isOk(waitFor(AccountRepository(db).save(config)));
}

QXmppTrustMessageKeyOwner keyOwner(const QString &jid, const QList<QByteArray> &trusted,
                                   const QList<QByteArray> &distrusted)
{
    QXmppTrustMessageKeyOwner owner;
    owner.setJid(jid);
    owner.setTrustedKeys(trusted);
    owner.setDistrustedKeys(distrusted);
    return owner;
}

// Alice's and Bob's OMEMO keys at every level but Undecided, and two of Alice's OX keys.
void addKeysOfEveryLevel(TrustStorage &storage)
{
    await(storage.addKeys(Omemo, Alice, {key("a1"), key("a2")})); // the default level
    await(storage.addKeys(Omemo, Alice, {key("a3")}, TrustLevel::ManuallyDistrusted));
    await(storage.addKeys(Omemo, Alice, {key("a4")}, TrustLevel::AutomaticallyTrusted));
    await(storage.addKeys(Omemo, Bob, {key("b1")}, TrustLevel::AutomaticallyTrusted));
    await(storage.addKeys(Omemo, Bob, {key("b2"), key("b3")}, TrustLevel::ManuallyTrusted));
    await(storage.addKeys(Omemo, Bob, {key("b4")}, TrustLevel::Authenticated));
    await(storage.addKeys(Ox, Alice, {key("a3"), key("x1")}, TrustLevel::Authenticated));
}

} // namespace

class tst_TrustStorage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void securityPolicyIsKeptPerEncryption();
    void resetSecurityPolicyFallsBackToNone();
    void aChosenNoPolicyIsToldApartFromNone();
    void ownKeyIsKeptPerEncryption();
    void resetOwnKeyForgetsOnlyThatEncryption();
    void emptyStorageHasNoKeys();
    void addedKeysAreAutomaticallyDistrustedByDefault();
    void keysAreGroupedByLevelAndFiltered();
    void keysOfOwnersAreGroupedByOwnerAndFiltered();
    void hasKeyLooksOnlyAtTheGivenLevels();
    void addingAKeyAgainReplacesItsLevel();
    void removingKeysByIdRemovesThemForEveryOwner();
    void removingTheKeysOfAnOwnerKeepsOtherOwners();
    void removingAllKeysKeepsOtherEncryptions();
    void trustLevelOfAnUnknownKeyIsUndecided();
    void setTrustLevelUpdatesAndAddsKeys();
    void setTrustLevelReportsOnlyModifiedKeys();
    void setTrustLevelOfOwnersChangesOnlyKeysAtTheOldLevel();
    void setTrustLevelOfOwnersReportsEveryKeyAtTheOldLevel();
    void resetAllClearsOneEncryption();
    void postponedDecisionsAreGroupedByTrust();
    void postponedDecisionsAreFilteredBySender();
    void postponedDecisionForTheSameSenderIsReplaced();
    void keyBothTrustedAndDistrustedIsPostponedForDistrust();
    void postponedDecisionsAreRemovedBySender();
    void postponedDecisionsAreRemovedOnlyForTheirOwnKind();
    void removingAllPostponedDecisionsKeepsOtherEncryptions();
    void resetAllClearsPostponedDecisionsOfOneEncryption();
    void keysOfOneEncryptionAreInvisibleInAnother();
    void dataSurvivesReopeningTheDatabase();
    void accountsDoNotSeeEachOthersData();
    void tasksFinishOnTheCallingThread();
    void failedQueriesFinishWithWhatAnEmptyStorageAnswers();
};

void tst_TrustStorage::securityPolicyIsKeptPerEncryption()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    TrustStorage storage(store.database(), Account);
    QCOMPARE(await(storage.securityPolicy(Ox)), QXmpp::NoSecurityPolicy);

    await(storage.setSecurityPolicy(Omemo, QXmpp::Toakafa));

    QCOMPARE(await(storage.securityPolicy(Omemo)), QXmpp::Toakafa);
    QCOMPARE(await(storage.securityPolicy(Ox)), QXmpp::NoSecurityPolicy);
}

void tst_TrustStorage::resetSecurityPolicyFallsBackToNone()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    TrustStorage storage(store.database(), Account);
    await(storage.setSecurityPolicy(Omemo, QXmpp::Toakafa));
    await(storage.setSecurityPolicy(Ox, QXmpp::Toakafa));

    await(storage.resetSecurityPolicy(Omemo));

    QCOMPARE(await(storage.securityPolicy(Omemo)), QXmpp::NoSecurityPolicy);
    QCOMPARE(await(storage.securityPolicy(Ox)), QXmpp::Toakafa);
}

void tst_TrustStorage::aChosenNoPolicyIsToldApartFromNone()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    TrustStorage storage(store.database(), Account);
    QCOMPARE(await(storage.hasSecurityPolicy(Omemo)), false);

    // "Manual only" is stored as NoSecurityPolicy: securityPolicy() alone cannot tell it from nothing.
    await(storage.setSecurityPolicy(Omemo, QXmpp::NoSecurityPolicy));
    QCOMPARE(await(storage.securityPolicy(Omemo)), QXmpp::NoSecurityPolicy);
    QCOMPARE(await(storage.hasSecurityPolicy(Omemo)), true);
    QCOMPARE(await(storage.hasSecurityPolicy(Ox)), false);

    await(storage.resetSecurityPolicy(Omemo));
    QCOMPARE(await(storage.hasSecurityPolicy(Omemo)), false);
}

void tst_TrustStorage::ownKeyIsKeptPerEncryption()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    TrustStorage storage(store.database(), Account);
    QVERIFY(await(storage.ownKey(Ox)).isEmpty());

    await(storage.setOwnKey(Ox, key("own OX")));
    await(storage.setOwnKey(Omemo, key("first own OMEMO")));
    await(storage.setOwnKey(Omemo, key("own OMEMO")));

    QCOMPARE(await(storage.ownKey(Ox)), key("own OX"));
    QCOMPARE(await(storage.ownKey(Omemo)), key("own OMEMO"));
}

void tst_TrustStorage::resetOwnKeyForgetsOnlyThatEncryption()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    TrustStorage storage(store.database(), Account);
    await(storage.setOwnKey(Ox, key("own OX")));
    await(storage.setOwnKey(Omemo, key("own OMEMO")));

    await(storage.resetOwnKey(Omemo));

    QVERIFY(await(storage.ownKey(Omemo)).isEmpty());
    QCOMPARE(await(storage.ownKey(Ox)), key("own OX"));
}

void tst_TrustStorage::emptyStorageHasNoKeys()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    TrustStorage storage(store.database(), Account);

    QVERIFY(await(storage.keys(Omemo)).isEmpty());
    QVERIFY(
        await(storage.keys(Omemo, TrustLevel::AutomaticallyTrusted | TrustLevel::Authenticated)).isEmpty());
    QVERIFY(await(storage.keys(Omemo, QList<QString>{Alice, Bob})).isEmpty());
    QVERIFY(
        !await(storage.hasKey(Omemo, Alice, TrustLevel::AutomaticallyTrusted | TrustLevel::Authenticated)));
}

void tst_TrustStorage::addedKeysAreAutomaticallyDistrustedByDefault()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    TrustStorage storage(store.database(), Account);
    QXmppTrustStorage &base = storage; // the default argument as QXmpp's managers see it

    await(base.addKeys(Omemo, Alice, {key("a1")}));
    await(storage.addKeys(Omemo, Alice, {key("a2")}));

    QCOMPARE(await(storage.trustLevel(Omemo, Alice, key("a1"))), TrustLevel::AutomaticallyDistrusted);
    QCOMPARE(await(storage.trustLevel(Omemo, Alice, key("a2"))), TrustLevel::AutomaticallyDistrusted);
}

void tst_TrustStorage::keysAreGroupedByLevelAndFiltered()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    TrustStorage storage(store.database(), Account);
    addKeysOfEveryLevel(storage);
    const QMultiHash<QString, QByteArray> automaticallyTrusted = {{Alice, key("a4")}, {Bob, key("b1")}};
    const QMultiHash<QString, QByteArray> authenticated = {{Bob, key("b4")}};

    QCOMPARE(await(storage.keys(Omemo)),
             (KeysByLevel{{TrustLevel::AutomaticallyDistrusted, {{Alice, key("a1")}, {Alice, key("a2")}}},
                          {TrustLevel::ManuallyDistrusted, {{Alice, key("a3")}}},
                          {TrustLevel::AutomaticallyTrusted, automaticallyTrusted},
                          {TrustLevel::ManuallyTrusted, {{Bob, key("b2")}, {Bob, key("b3")}}},
                          {TrustLevel::Authenticated, authenticated}}));
    QCOMPARE(await(storage.keys(Omemo, TrustLevel::AutomaticallyTrusted | TrustLevel::Authenticated)),
             (KeysByLevel{{TrustLevel::AutomaticallyTrusted, automaticallyTrusted},
                          {TrustLevel::Authenticated, authenticated}}));
    QCOMPARE(await(storage.keys(Ox)),
             (KeysByLevel{{TrustLevel::Authenticated, {{Alice, key("a3")}, {Alice, key("x1")}}}}));
}

void tst_TrustStorage::keysOfOwnersAreGroupedByOwnerAndFiltered()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    TrustStorage storage(store.database(), Account);
    addKeysOfEveryLevel(storage);
    const QHash<QByteArray, TrustLevel> alices = {{key("a1"), TrustLevel::AutomaticallyDistrusted},
                                                  {key("a2"), TrustLevel::AutomaticallyDistrusted},
                                                  {key("a3"), TrustLevel::ManuallyDistrusted},
                                                  {key("a4"), TrustLevel::AutomaticallyTrusted}};
    const QHash<QByteArray, TrustLevel> bobs = {{key("b1"), TrustLevel::AutomaticallyTrusted},
                                                {key("b2"), TrustLevel::ManuallyTrusted},
                                                {key("b3"), TrustLevel::ManuallyTrusted},
                                                {key("b4"), TrustLevel::Authenticated}};
    const auto trusted = TrustLevel::AutomaticallyTrusted | TrustLevel::Authenticated;

    QCOMPARE(await(storage.keys(Omemo, QList<QString>{Alice, Bob})),
             (KeysByOwner{{Alice, alices}, {Bob, bobs}}));
    QCOMPARE(await(storage.keys(Omemo, QList<QString>{Alice})), (KeysByOwner{{Alice, alices}}));
    QCOMPARE(
        await(storage.keys(Omemo, QList<QString>{Alice, Bob}, trusted)),
        (KeysByOwner{
            {Alice, {{key("a4"), TrustLevel::AutomaticallyTrusted}}},
            {Bob, {{key("b1"), TrustLevel::AutomaticallyTrusted}, {key("b4"), TrustLevel::Authenticated}}}}));
    // An owner without a key at those levels is left out rather than listed empty.
    QCOMPARE(await(storage.keys(Omemo, QList<QString>{Alice, Carol}, TrustLevel::ManuallyTrusted)),
             KeysByOwner());
    QCOMPARE(await(storage.keys(Ox, QList<QString>{Alice, Bob})),
             (KeysByOwner{
                 {Alice, {{key("a3"), TrustLevel::Authenticated}, {key("x1"), TrustLevel::Authenticated}}}}));
}

void tst_TrustStorage::hasKeyLooksOnlyAtTheGivenLevels()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    TrustStorage storage(store.database(), Account);
    addKeysOfEveryLevel(storage);

    QVERIFY(
        await(storage.hasKey(Omemo, Alice, TrustLevel::AutomaticallyTrusted | TrustLevel::Authenticated)));
    QVERIFY(!await(storage.hasKey(Omemo, Alice, TrustLevel::ManuallyTrusted | TrustLevel::Authenticated)));
    QVERIFY(!await(storage.hasKey(Omemo, Carol, TrustLevel::AutomaticallyTrusted)));
    // Unlike keys(), no levels at all matches nothing (as in QXmpp's memory storage).
    QVERIFY(!await(storage.hasKey(Omemo, Alice, QXmpp::TrustLevels())));
}

void tst_TrustStorage::addingAKeyAgainReplacesItsLevel()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    TrustStorage storage(store.database(), Account);

    await(storage.addKeys(Omemo, Alice, {key("a1")}, TrustLevel::AutomaticallyTrusted));
    await(storage.addKeys(Omemo, Alice, {key("a1")}, TrustLevel::ManuallyDistrusted));

    QCOMPARE(await(storage.keys(Omemo)),
             (KeysByLevel{{TrustLevel::ManuallyDistrusted, {{Alice, key("a1")}}}}));
}

void tst_TrustStorage::removingKeysByIdRemovesThemForEveryOwner()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    TrustStorage storage(store.database(), Account);
    addKeysOfEveryLevel(storage);
    await(storage.addKeys(Omemo, Bob, {key("a1")}, TrustLevel::ManuallyTrusted)); // Bob has an id of Alice's

    await(storage.removeKeys(Omemo, QList<QByteArray>{key("a1"), key("a4")}));

    QCOMPARE(await(storage.keys(Omemo, QList<QString>{Alice, Bob})),
             (KeysByOwner{{Alice,
                           {{key("a2"), TrustLevel::AutomaticallyDistrusted},
                            {key("a3"), TrustLevel::ManuallyDistrusted}}},
                          {Bob,
                           {{key("b1"), TrustLevel::AutomaticallyTrusted},
                            {key("b2"), TrustLevel::ManuallyTrusted},
                            {key("b3"), TrustLevel::ManuallyTrusted},
                            {key("b4"), TrustLevel::Authenticated}}}}));
    QCOMPARE(await(storage.keys(Omemo, TrustLevel::AutomaticallyTrusted)),
             (KeysByLevel{{TrustLevel::AutomaticallyTrusted, {{Bob, key("b1")}}}}));
    // The same id in another encryption stays.
    QCOMPARE(await(storage.trustLevel(Ox, Alice, key("a3"))), TrustLevel::Authenticated);
}

void tst_TrustStorage::removingTheKeysOfAnOwnerKeepsOtherOwners()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    TrustStorage storage(store.database(), Account);
    addKeysOfEveryLevel(storage);

    await(storage.removeKeys(Omemo, Alice));

    QCOMPARE(await(storage.keys(Omemo)),
             (KeysByLevel{{TrustLevel::AutomaticallyTrusted, {{Bob, key("b1")}}},
                          {TrustLevel::ManuallyTrusted, {{Bob, key("b2")}, {Bob, key("b3")}}},
                          {TrustLevel::Authenticated, {{Bob, key("b4")}}}}));
    QCOMPARE(await(storage.keys(Ox, QList<QString>{Alice})).value(Alice).size(), 2);
}

void tst_TrustStorage::removingAllKeysKeepsOtherEncryptions()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    TrustStorage storage(store.database(), Account);
    addKeysOfEveryLevel(storage);

    await(storage.removeKeys(Omemo));

    QVERIFY(await(storage.keys(Omemo)).isEmpty());
    QVERIFY(await(storage.keys(Omemo, QList<QString>{Alice, Bob})).isEmpty());
    QCOMPARE(await(storage.keys(Ox)),
             (KeysByLevel{{TrustLevel::Authenticated, {{Alice, key("a3")}, {Alice, key("x1")}}}}));

    await(storage.removeKeys(Ox));

    QVERIFY(await(storage.keys(Ox)).isEmpty());
    QVERIFY(!await(storage.hasKey(Ox, Alice, TrustLevel::Authenticated)));
}

void tst_TrustStorage::trustLevelOfAnUnknownKeyIsUndecided()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    TrustStorage storage(store.database(), Account);
    await(storage.addKeys(Omemo, Alice, {key("a1")}, TrustLevel::Authenticated));

    QCOMPARE(await(storage.trustLevel(Omemo, Alice, key("a1"))), TrustLevel::Authenticated);
    QCOMPARE(await(storage.trustLevel(Omemo, Alice, key("unknown"))), TrustLevel::Undecided);
    QCOMPARE(await(storage.trustLevel(Omemo, Bob, key("a1"))), TrustLevel::Undecided); // someone else's
}

void tst_TrustStorage::setTrustLevelUpdatesAndAddsKeys()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    TrustStorage storage(store.database(), Account);
    await(storage.addKeys(Ox, Alice, {key("a1")}, TrustLevel::AutomaticallyTrusted));
    await(storage.addKeys(Omemo, Alice, {key("a1"), key("a2")}, TrustLevel::AutomaticallyTrusted));
    await(storage.addKeys(Omemo, Bob, {key("b1")}, TrustLevel::AutomaticallyTrusted));

    await(storage.setTrustLevel(Omemo, QMultiHash<QString, QByteArray>{{Alice, key("a1")}, {Bob, key("b1")}},
                                TrustLevel::Authenticated));
    await(storage.setTrustLevel(Omemo, QMultiHash<QString, QByteArray>{{Alice, key("new")}},
                                TrustLevel::ManuallyTrusted));

    QCOMPARE(await(storage.trustLevel(Omemo, Alice, key("a1"))), TrustLevel::Authenticated);
    QCOMPARE(await(storage.trustLevel(Omemo, Bob, key("b1"))), TrustLevel::Authenticated);
    QCOMPARE(await(storage.trustLevel(Omemo, Alice, key("a2"))), TrustLevel::AutomaticallyTrusted);
    QCOMPARE(await(storage.trustLevel(Omemo, Alice, key("new"))), TrustLevel::ManuallyTrusted);
    QCOMPARE(await(storage.trustLevel(Ox, Alice, key("a1"))), TrustLevel::AutomaticallyTrusted);
}

void tst_TrustStorage::setTrustLevelReportsOnlyModifiedKeys()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    TrustStorage storage(store.database(), Account);
    await(storage.addKeys(Omemo, Alice, {key("a1")}, TrustLevel::Authenticated));
    await(storage.addKeys(Omemo, Alice, {key("a2")}, TrustLevel::AutomaticallyTrusted));

    const auto modified = await(storage.setTrustLevel(
        Omemo, QMultiHash<QString, QByteArray>{{Alice, key("a1")}, {Alice, key("a2")}, {Bob, key("b1")}},
        TrustLevel::Authenticated));

    // a1 already was authenticated; a2 changed and b1 is new.
    QCOMPARE(modified, (ModifiedKeys{{Omemo, {{Alice, key("a2")}, {Bob, key("b1")}}}}));
    const auto unchanged = await(storage.setTrustLevel(
        Omemo, QMultiHash<QString, QByteArray>{{Alice, key("a1")}}, TrustLevel::Authenticated));
    QVERIFY(unchanged.isEmpty());
}

void tst_TrustStorage::setTrustLevelOfOwnersChangesOnlyKeysAtTheOldLevel()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    TrustStorage storage(store.database(), Account);
    await(storage.addKeys(Omemo, Alice, {key("a1")}, TrustLevel::Authenticated));
    await(storage.addKeys(Omemo, Alice, {key("a2")}, TrustLevel::AutomaticallyTrusted));
    await(storage.addKeys(Omemo, Bob, {key("b1")}, TrustLevel::Authenticated));
    await(storage.addKeys(Omemo, Carol, {key("c1")}, TrustLevel::Authenticated));
    await(storage.addKeys(Ox, Alice, {key("a1")}, TrustLevel::Authenticated));

    const auto modified = await(storage.setTrustLevel(
        Omemo, QList<QString>{Alice, Bob}, TrustLevel::Authenticated, TrustLevel::ManuallyDistrusted));

    QCOMPARE(modified, (ModifiedKeys{{Omemo, {{Alice, key("a1")}, {Bob, key("b1")}}}}));
    QCOMPARE(await(storage.trustLevel(Omemo, Alice, key("a1"))), TrustLevel::ManuallyDistrusted);
    QCOMPARE(await(storage.trustLevel(Omemo, Bob, key("b1"))), TrustLevel::ManuallyDistrusted);
    QCOMPARE(await(storage.trustLevel(Omemo, Alice, key("a2"))), TrustLevel::AutomaticallyTrusted);
    QCOMPARE(await(storage.trustLevel(Omemo, Carol, key("c1"))), TrustLevel::Authenticated);
    QCOMPARE(await(storage.trustLevel(Ox, Alice, key("a1"))), TrustLevel::Authenticated);
}

void tst_TrustStorage::setTrustLevelOfOwnersReportsEveryKeyAtTheOldLevel()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    TrustStorage storage(store.database(), Account);
    await(storage.addKeys(Omemo, Alice, {key("a1"), key("a2")}, TrustLevel::Authenticated));

    // QXmpp's memory storage reports them even when the new level is the old one; an owner named twice
    // still reports each key once.
    const auto modified = await(storage.setTrustLevel(Omemo, QList<QString>{Alice, Alice},
                                                      TrustLevel::Authenticated, TrustLevel::Authenticated));

    QCOMPARE(modified, (ModifiedKeys{{Omemo, {{Alice, key("a1")}, {Alice, key("a2")}}}}));
    QVERIFY(await(storage.setTrustLevel(Omemo, QList<QString>{Bob}, TrustLevel::Authenticated,
                                        TrustLevel::ManuallyTrusted))
                .isEmpty());
}

void tst_TrustStorage::resetAllClearsOneEncryption()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    TrustStorage storage(store.database(), Account);
    await(storage.setSecurityPolicy(Ox, QXmpp::Toakafa));
    await(storage.setSecurityPolicy(Omemo, QXmpp::Toakafa));
    await(storage.setOwnKey(Ox, key("own OX")));
    await(storage.setOwnKey(Omemo, key("own OMEMO")));
    addKeysOfEveryLevel(storage);

    await(storage.resetAll(Omemo));

    QCOMPARE(await(storage.securityPolicy(Omemo)), QXmpp::NoSecurityPolicy);
    QCOMPARE(await(storage.securityPolicy(Ox)), QXmpp::Toakafa);
    QVERIFY(await(storage.ownKey(Omemo)).isEmpty());
    QCOMPARE(await(storage.ownKey(Ox)), key("own OX"));
    QVERIFY(await(storage.keys(Omemo)).isEmpty());
    QCOMPARE(await(storage.keys(Ox)),
             (KeysByLevel{{TrustLevel::Authenticated, {{Alice, key("a3")}, {Alice, key("x1")}}}}));
}

void tst_TrustStorage::postponedDecisionsAreGroupedByTrust()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    TrustStorage storage(store.database(), Account);

    await(storage.addKeysForPostponedTrustDecisions(
        Omemo, key("sender 1"),
        {keyOwner(Alice, {key("a1"), key("a2")}, {key("a3")}), keyOwner(Bob, {key("b1")}, {})}));

    QCOMPARE(await(storage.keysForPostponedTrustDecisions(Omemo)),
             (PostponedKeys{{true, {{Alice, key("a1")}, {Alice, key("a2")}, {Bob, key("b1")}}},
                            {false, {{Alice, key("a3")}}}}));
}

void tst_TrustStorage::postponedDecisionsAreFilteredBySender()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    TrustStorage storage(store.database(), Account);
    await(storage.addKeysForPostponedTrustDecisions(Omemo, key("sender 1"),
                                                    {keyOwner(Alice, {key("a1")}, {key("a2")})}));
    await(storage.addKeysForPostponedTrustDecisions(Omemo, key("sender 2"),
                                                    {keyOwner(Bob, {}, {key("b1"), key("b2")})}));
    await(storage.addKeysForPostponedTrustDecisions(Ox, key("sender 2"), {keyOwner(Carol, {key("c1")}, {})}));

    QCOMPARE(await(storage.keysForPostponedTrustDecisions(Omemo, {key("sender 1")})),
             (PostponedKeys{{true, {{Alice, key("a1")}}}, {false, {{Alice, key("a2")}}}}));
    const PostponedKeys both = {{true, {{Alice, key("a1")}}},
                                {false, {{Alice, key("a2")}, {Bob, key("b1")}, {Bob, key("b2")}}}};
    QCOMPARE(await(storage.keysForPostponedTrustDecisions(Omemo, {key("sender 1"), key("sender 2")})), both);
    QCOMPARE(await(storage.keysForPostponedTrustDecisions(Omemo)), both);
    QCOMPARE(await(storage.keysForPostponedTrustDecisions(Omemo, {key("unknown sender")})), PostponedKeys());
}

void tst_TrustStorage::postponedDecisionForTheSameSenderIsReplaced()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    TrustStorage storage(store.database(), Account);
    await(storage.addKeysForPostponedTrustDecisions(Omemo, key("sender 2"),
                                                    {keyOwner(Bob, {}, {key("b1"), key("b2")})}));
    await(
        storage.addKeysForPostponedTrustDecisions(Omemo, key("sender 1"), {keyOwner(Bob, {}, {key("b1")})}));

    // Sender 2 now trusts b1: its distrust of b1 is replaced, sender 1's stays.
    await(
        storage.addKeysForPostponedTrustDecisions(Omemo, key("sender 2"), {keyOwner(Bob, {key("b1")}, {})}));

    QCOMPARE(await(storage.keysForPostponedTrustDecisions(Omemo, {key("sender 2")})),
             (PostponedKeys{{true, {{Bob, key("b1")}}}, {false, {{Bob, key("b2")}}}}));
    QCOMPARE(await(storage.keysForPostponedTrustDecisions(Omemo, {key("sender 1")})),
             (PostponedKeys{{false, {{Bob, key("b1")}}}}));
}

void tst_TrustStorage::keyBothTrustedAndDistrustedIsPostponedForDistrust()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    TrustStorage storage(store.database(), Account);

    await(storage.addKeysForPostponedTrustDecisions(
        Omemo, key("sender 1"), {keyOwner(Alice, {key("a1"), key("both")}, {key("a2"), key("both")})}));

    QCOMPARE(
        await(storage.keysForPostponedTrustDecisions(Omemo)),
        (PostponedKeys{{true, {{Alice, key("a1")}}}, {false, {{Alice, key("a2")}, {Alice, key("both")}}}}));
}

void tst_TrustStorage::postponedDecisionsAreRemovedBySender()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    TrustStorage storage(store.database(), Account);
    await(storage.addKeysForPostponedTrustDecisions(Omemo, key("sender 1"),
                                                    {keyOwner(Alice, {key("a1")}, {key("a2")})}));
    await(
        storage.addKeysForPostponedTrustDecisions(Omemo, key("sender 2"), {keyOwner(Bob, {key("b1")}, {})}));
    await(storage.addKeysForPostponedTrustDecisions(Ox, key("sender 1"), {keyOwner(Carol, {key("c1")}, {})}));

    await(storage.removeKeysForPostponedTrustDecisions(Omemo, QList<QByteArray>{key("sender 1")}));

    QCOMPARE(await(storage.keysForPostponedTrustDecisions(Omemo)),
             (PostponedKeys{{true, {{Bob, key("b1")}}}}));
    QCOMPARE(await(storage.keysForPostponedTrustDecisions(Ox)),
             (PostponedKeys{{true, {{Carol, key("c1")}}}}));
}

void tst_TrustStorage::postponedDecisionsAreRemovedOnlyForTheirOwnKind()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    TrustStorage storage(store.database(), Account);
    await(storage.addKeysForPostponedTrustDecisions(
        Omemo, key("sender 1"), {keyOwner(Alice, {key("a1"), key("a2")}, {key("a3"), key("a4")})}));
    await(
        storage.addKeysForPostponedTrustDecisions(Omemo, key("sender 2"), {keyOwner(Bob, {key("a1")}, {})}));

    // a2 is postponed for authentication, so passing it for distrusting keeps it; a1 goes for every sender.
    await(
        storage.removeKeysForPostponedTrustDecisions(Omemo, {key("a1"), key("a4")}, {key("a3"), key("a2")}));

    QCOMPARE(await(storage.keysForPostponedTrustDecisions(Omemo)),
             (PostponedKeys{{true, {{Alice, key("a2")}}}, {false, {{Alice, key("a4")}}}}));
}

void tst_TrustStorage::removingAllPostponedDecisionsKeepsOtherEncryptions()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    TrustStorage storage(store.database(), Account);
    await(storage.addKeysForPostponedTrustDecisions(Omemo, key("sender 1"),
                                                    {keyOwner(Alice, {key("a1")}, {key("a2")})}));
    await(storage.addKeysForPostponedTrustDecisions(Ox, key("sender 1"),
                                                    {keyOwner(Carol, {key("c1"), key("c2")}, {key("c3")})}));

    await(storage.removeKeysForPostponedTrustDecisions(Omemo));

    QVERIFY(await(storage.keysForPostponedTrustDecisions(Omemo)).isEmpty());
    QCOMPARE(
        await(storage.keysForPostponedTrustDecisions(Ox)),
        (PostponedKeys{{true, {{Carol, key("c1")}, {Carol, key("c2")}}}, {false, {{Carol, key("c3")}}}}));

    await(storage.removeKeysForPostponedTrustDecisions(Ox));

    QVERIFY(await(storage.keysForPostponedTrustDecisions(Ox)).isEmpty());
}

void tst_TrustStorage::resetAllClearsPostponedDecisionsOfOneEncryption()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    TrustStorage storage(store.database(), Account);
    await(storage.addKeysForPostponedTrustDecisions(Omemo, key("sender 1"),
                                                    {keyOwner(Alice, {key("a1")}, {key("a2")})}));
    await(storage.addKeysForPostponedTrustDecisions(Ox, key("sender 2"),
                                                    {keyOwner(Carol, {key("c1")}, {key("c2")})}));

    await(storage.resetAll(Omemo));

    QVERIFY(await(storage.keysForPostponedTrustDecisions(Omemo)).isEmpty());
    QCOMPARE(await(storage.keysForPostponedTrustDecisions(Ox)),
             (PostponedKeys{{true, {{Carol, key("c1")}}}, {false, {{Carol, key("c2")}}}}));
}

void tst_TrustStorage::keysOfOneEncryptionAreInvisibleInAnother()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    TrustStorage storage(store.database(), Account);
    await(storage.setSecurityPolicy(Omemo, QXmpp::Toakafa));
    await(storage.setOwnKey(Omemo, key("own")));
    await(storage.addKeys(Omemo, Alice, {key("a1")}, TrustLevel::Authenticated));
    await(
        storage.addKeysForPostponedTrustDecisions(Omemo, key("sender"), {keyOwner(Alice, {key("a2")}, {})}));

    QCOMPARE(await(storage.securityPolicy(LegacyOmemo)), QXmpp::NoSecurityPolicy);
    QVERIFY(await(storage.ownKey(LegacyOmemo)).isEmpty());
    QVERIFY(await(storage.keys(LegacyOmemo)).isEmpty());
    QVERIFY(await(storage.keys(LegacyOmemo, QList<QString>{Alice})).isEmpty());
    QVERIFY(!await(storage.hasKey(LegacyOmemo, Alice, TrustLevel::Authenticated)));
    QCOMPARE(await(storage.trustLevel(LegacyOmemo, Alice, key("a1"))), TrustLevel::Undecided);
    QVERIFY(await(storage.keysForPostponedTrustDecisions(LegacyOmemo)).isEmpty());
    // Changing levels in one encryption leaves the same key in the other alone.
    await(storage.addKeys(LegacyOmemo, Alice, {key("a1")}, TrustLevel::AutomaticallyTrusted));
    await(storage.setTrustLevel(LegacyOmemo, QList<QString>{Alice}, TrustLevel::AutomaticallyTrusted,
                                TrustLevel::ManuallyDistrusted));
    QCOMPARE(await(storage.trustLevel(Omemo, Alice, key("a1"))), TrustLevel::Authenticated);
    QCOMPARE(await(storage.trustLevel(LegacyOmemo, Alice, key("a1"))), TrustLevel::ManuallyDistrusted);
}

void tst_TrustStorage::dataSurvivesReopeningTheDatabase()
{
    TestProfile profile;
    const QString file = profile.path() + QStringLiteral("/natter.sqlite");
    {
        auto db = openDatabase(file);
        QVERIFY(db);
        QVERIFY(addAccount(*db, Account));
        TrustStorage storage(*db, Account);
        await(storage.setSecurityPolicy(Omemo, QXmpp::Toakafa));
        await(storage.setOwnKey(Omemo, key("own")));
        await(storage.addKeys(Omemo, Alice, {key("a1")}, TrustLevel::ManuallyTrusted));
        await(storage.addKeysForPostponedTrustDecisions(Omemo, key("sender"),
                                                        {keyOwner(Bob, {key("b1")}, {key("b2")})}));
    }

    auto db = openDatabase(file);
    QVERIFY(db);
    TrustStorage storage(*db, Account);
    QCOMPARE(await(storage.securityPolicy(Omemo)), QXmpp::Toakafa);
    QCOMPARE(await(storage.ownKey(Omemo)), key("own"));
    QCOMPARE(await(storage.keys(Omemo)), (KeysByLevel{{TrustLevel::ManuallyTrusted, {{Alice, key("a1")}}}}));
    QCOMPARE(await(storage.keysForPostponedTrustDecisions(Omemo)),
             (PostponedKeys{{true, {{Bob, key("b1")}}}, {false, {{Bob, key("b2")}}}}));
}

void tst_TrustStorage::accountsDoNotSeeEachOthersData()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    QVERIFY(addAccount(store.database(), Other));
    TrustStorage mine(store.database(), Account);
    TrustStorage theirs(store.database(), Other);
    await(mine.setSecurityPolicy(Omemo, QXmpp::Toakafa));
    await(mine.setOwnKey(Omemo, key("my own")));
    await(mine.addKeys(Omemo, Alice, {key("a1")}, TrustLevel::Authenticated));
    await(mine.addKeysForPostponedTrustDecisions(Omemo, key("sender"), {keyOwner(Alice, {key("a2")}, {})}));
    await(theirs.addKeys(Omemo, Alice, {key("a1")}, TrustLevel::ManuallyDistrusted));

    QCOMPARE(await(theirs.securityPolicy(Omemo)), QXmpp::NoSecurityPolicy);
    QVERIFY(await(theirs.ownKey(Omemo)).isEmpty());
    QCOMPARE(await(theirs.keys(Omemo)),
             (KeysByLevel{{TrustLevel::ManuallyDistrusted, {{Alice, key("a1")}}}}));
    QVERIFY(await(theirs.keysForPostponedTrustDecisions(Omemo)).isEmpty());

    // Changes by one account leave the other's rows alone.
    await(theirs.setTrustLevel(Omemo, QList<QString>{Alice}, TrustLevel::ManuallyDistrusted,
                               TrustLevel::ManuallyTrusted));
    await(theirs.resetAll(Omemo));
    QCOMPARE(await(mine.securityPolicy(Omemo)), QXmpp::Toakafa);
    QCOMPARE(await(mine.ownKey(Omemo)), key("my own"));
    QCOMPARE(await(mine.keys(Omemo)), (KeysByLevel{{TrustLevel::Authenticated, {{Alice, key("a1")}}}}));
    QCOMPARE(await(mine.keysForPostponedTrustDecisions(Omemo)),
             (PostponedKeys{{true, {{Alice, key("a2")}}}}));
}

void tst_TrustStorage::tasksFinishOnTheCallingThread()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    TrustStorage storage(store.database(), Account);
    QObject receiver;
    QThread *writeFinishedOn = nullptr;
    QThread *readFinishedOn = nullptr;

    // QXmppTask::then() runs the continuation where the promise is finished.
    auto write = storage.addKeys(Omemo, Alice, {key("a1")});
    write.then(&receiver, [&] { writeFinishedOn = QThread::currentThread(); });
    auto read = storage.trustLevel(Omemo, Alice, key("a1"));
    read.then(&receiver, [&](TrustLevel &&) { readFinishedOn = QThread::currentThread(); });

    QTRY_VERIFY(readFinishedOn);
    QCOMPARE(writeFinishedOn, QThread::currentThread());
    QCOMPARE(readFinishedOn, QThread::currentThread());
}

void tst_TrustStorage::failedQueriesFinishWithWhatAnEmptyStorageAnswers()
{
    TestStore store(Account);
    QVERIFY(store.isOpen());
    // No such account in the database: every query fails.
    TrustStorage storage(store.database(), QStringLiteral("nobody@example.org"));

    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("trust storage: adding keys failed")));
    await(storage.addKeys(Omemo, Alice, {key("a1")}, TrustLevel::Authenticated));
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("trust storage: reading a trust level failed")));
    QCOMPARE(await(storage.trustLevel(Omemo, Alice, key("a1"))), TrustLevel::Undecided);
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("trust storage: setting trust levels failed")));
    QVERIFY(await(storage.setTrustLevel(Omemo, QMultiHash<QString, QByteArray>{{Alice, key("a1")}},
                                        TrustLevel::Authenticated))
                .isEmpty());
}

QTEST_GUILESS_MAIN(tst_TrustStorage)
#include "tst_truststorage.moc"
