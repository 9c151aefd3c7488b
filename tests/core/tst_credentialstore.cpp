// SPDX-License-Identifier: GPL-3.0-or-later
// Passwords without a keychain: never written unless the user chose the profile file, and then only 0600.
#include "TestProfile.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "account/CredentialStore.h"

#include <QFileInfo>

using namespace Natter::Core;
using Natter::Test::TestProfile;
using Natter::Test::waitFor;

namespace {
const QString Password = QStringLiteral("correct horse battery staple");

AccountConfig configWith(AccountConfig::PasswordStorage storage)
{
    AccountConfig config;
    config.jid = QStringLiteral("alice@example.org");
    config.passwordStorage = storage;
    return config;
}
} // namespace

class tst_CredentialStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void withoutKeychainNothingIsStoredSilently();
    void profileFileIsOwnerOnlyAndReloads();
    void askEachStartKeepsNothing();
    void movingStorageRemovesTheOldCopy();
};

void tst_CredentialStore::withoutKeychainNothingIsStoredSilently()
{
    // The test runs without a D-Bus session: no Secret Service can answer.
    TestProfile profile;
    AccountManager manager(profile.path());
    QVERIFY(isOk(waitFor(manager.open())));
    const auto added =
        waitFor(manager.addAccount(configWith(AccountConfig::PasswordStorage::Keychain), Password));
    QVERIFY(!isOk(added));
    const auto code = errorOf(added).code;
    QVERIFY2(code == Error::Code::KeychainUnavailable || code == Error::Code::KeychainFailed,
             qPrintable(errorOf(added).codeName()));
    QVERIFY(manager.accounts().isEmpty());
    QVERIFY2(!profile.allFileContents().contains(Password.toUtf8()), "the password reached the disk");

    // Reopening finds no half-added account.
    AccountManager reopened(profile.path());
    QVERIFY(isOk(waitFor(reopened.open())));
    QVERIFY(reopened.accounts().isEmpty());
}

void tst_CredentialStore::profileFileIsOwnerOnlyAndReloads()
{
    TestProfile profile;
    {
        AccountManager manager(profile.path());
        QVERIFY(isOk(waitFor(manager.open())));
        QVERIFY(isOk(
            waitFor(manager.addAccount(configWith(AccountConfig::PasswordStorage::ProfileFile), Password))));
        const QFileInfo file(manager.credentials().profileFileFor(QStringLiteral("alice@example.org")));
        QVERIFY(file.exists());
        QVERIFY(file.permissions() & QFile::ReadOwner);
        QCOMPARE(int(file.permissions() &
                     (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther)),
                 0);
    }
    AccountManager reopened(profile.path());
    QVERIFY(isOk(waitFor(reopened.open())));
    QCOMPARE(reopened.accounts().size(), 1);
    QCOMPARE(reopened.accounts().first()->password(), Password);
}

void tst_CredentialStore::askEachStartKeepsNothing()
{
    TestProfile profile;
    {
        AccountManager manager(profile.path());
        QVERIFY(isOk(waitFor(manager.open())));
        QVERIFY(isOk(
            waitFor(manager.addAccount(configWith(AccountConfig::PasswordStorage::AskEachStart), Password))));
        QVERIFY(manager.accounts().first()->hasPassword()); // usable in this session
    }
    QVERIFY(!profile.allFileContents().contains(Password.toUtf8()));
    AccountManager reopened(profile.path());
    QVERIFY(isOk(waitFor(reopened.open())));
    QCOMPARE(reopened.accounts().size(), 1);
    QVERIFY(!reopened.accounts().first()->hasPassword());
    QSignalSpy asked(&reopened, &AccountManager::passwordRequired);
    reopened.connectAll();
    QCOMPARE(asked.size(), 1);
}

void tst_CredentialStore::movingStorageRemovesTheOldCopy()
{
    TestProfile profile;
    AccountManager manager(profile.path());
    QVERIFY(isOk(waitFor(manager.open())));
    QVERIFY(
        isOk(waitFor(manager.addAccount(configWith(AccountConfig::PasswordStorage::ProfileFile), Password))));
    auto config = manager.accounts().first()->config();
    config.passwordStorage = AccountConfig::PasswordStorage::AskEachStart;
    QVERIFY(isOk(waitFor(manager.updateAccount(config, std::nullopt))));
    QVERIFY(!profile.allFileContents().contains(Password.toUtf8()));
    QCOMPARE(manager.accounts().first()->config().passwordStorage,
             AccountConfig::PasswordStorage::AskEachStart);
}

QTEST_GUILESS_MAIN(tst_CredentialStore)
#include "tst_credentialstore.moc"
