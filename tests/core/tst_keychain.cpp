// SPDX-License-Identifier: GPL-3.0-or-later
// Passwords in a real Secret Service (gnome-keyring in a private D-Bus session, see with-keyring.sh).
#include "TestProfile.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "account/CredentialStore.h"

using namespace Natter::Core;
using Natter::Test::TestProfile;
using Natter::Test::waitFor;

class tst_Keychain : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void storeReadAndDelete();
    void accountPasswordLivesOnlyInTheKeychain();
};

void tst_Keychain::initTestCase()
{
    QVERIFY2(qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS"),
             "run through tests/support/with-keyring.sh");
    QVERIFY(CredentialStore::keychainBackendPresent());
}

void tst_Keychain::storeReadAndDelete()
{
    TestProfile profile;
    CredentialStore store(profile.path());
    const auto jid = QStringLiteral("alice@example.org");
    QVERIFY(
        isOk(waitFor(store.store(jid, QStringLiteral("s3cret"), AccountConfig::PasswordStorage::Keychain))));
    const auto read = waitFor(store.load(jid, AccountConfig::PasswordStorage::Keychain));
    QVERIFY2(isOk(read), qPrintable(errorOf(read).detail));
    QCOMPARE(std::get<QString>(read), QStringLiteral("s3cret"));
    QVERIFY(isOk(waitFor(store.remove(jid))));
    QCOMPARE(errorOf(waitFor(store.load(jid, AccountConfig::PasswordStorage::Keychain))).code,
             Error::Code::PasswordMissing);
}

void tst_Keychain::accountPasswordLivesOnlyInTheKeychain()
{
    TestProfile profile;
    const QString password = QStringLiteral("keychain-only-password");
    {
        AccountManager manager(profile.path());
        QVERIFY(isOk(waitFor(manager.open())));
        AccountConfig config;
        config.jid = QStringLiteral("bob@example.org");
        const auto added = waitFor(manager.addAccount(config, password));
        QVERIFY2(isOk(added), qPrintable(errorOf(added).detail));
    }
    QVERIFY(!profile.allFileContents().contains(password.toUtf8()));
    AccountManager reopened(profile.path());
    QVERIFY(isOk(waitFor(reopened.open())));
    QCOMPARE(reopened.accounts().size(), 1);
    QCOMPARE(reopened.accounts().first()->password(), password);
    QVERIFY(isOk(waitFor(reopened.removeAccount(QStringLiteral("bob@example.org")))));
    CredentialStore store(profile.path());
    QCOMPARE(errorOf(waitFor(store.load(QStringLiteral("bob@example.org"),
                                        AccountConfig::PasswordStorage::Keychain)))
                 .code,
             Error::Code::PasswordMissing);
}

QTEST_GUILESS_MAIN(tst_Keychain)
#include "tst_keychain.moc"
