// SPDX-License-Identifier: GPL-3.0-or-later
// The profile database: migrations, refusal of corrupt and newer files, account settings.
#include "TestProfile.h"
#include "account/AccountManager.h"
#include "storage/AccountRepository.h"
#include "storage/Database.h"
#include "storage/Migrations.h"

#include <QCryptographicHash>
#include <QFile>
#include <QSqlQuery>

using namespace Natter::Core;
using Natter::Test::TestProfile;
using Natter::Test::waitFor;

namespace {
QByteArray fileHash(const QString &path)
{
    QFile file(path);
    file.open(QIODevice::ReadOnly);
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}
} // namespace

class tst_Database : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void freshDatabaseReachesLatestSchemaInWalMode();
    void corruptFileIsReportedAndNotOverwritten();
    void newerSchemaIsRefusedAndNotOverwritten();
    void accountSettingsRoundTrip();
    void duplicateAccountIsRefused();
    void accountManagerRefusesInvalidJid();
};

void tst_Database::freshDatabaseReachesLatestSchemaInWalMode()
{
    TestProfile profile;
    Database db(profile.path() + QStringLiteral("/natter.sqlite"));
    QVERIFY(isOk(waitFor(db.open())));
    const auto facts = waitFor(db.run([](QSqlDatabase &sql) {
        QSqlQuery query(sql);
        query.exec(QStringLiteral("PRAGMA user_version"));
        query.next();
        const int version = query.value(0).toInt();
        query.exec(QStringLiteral("PRAGMA journal_mode"));
        query.next();
        return qMakePair(version, query.value(0).toString());
    }));
    QCOMPARE(facts.first, Migrations::latestVersion());
    QCOMPARE(facts.second, QStringLiteral("wal"));
}

void tst_Database::corruptFileIsReportedAndNotOverwritten()
{
    TestProfile profile;
    const QString path = profile.path() + QStringLiteral("/natter.sqlite");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(8192, 'x'));
    file.close();
    const QByteArray before = fileHash(path);

    Database db(path);
    const auto result = waitFor(db.open());
    QCOMPARE(errorOf(result).code, Error::Code::DatabaseCorrupt);
    QCOMPARE(fileHash(path), before);
}

void tst_Database::newerSchemaIsRefusedAndNotOverwritten()
{
    TestProfile profile;
    const QString path = profile.path() + QStringLiteral("/natter.sqlite");
    {
        Database db(path);
        QVERIFY(isOk(waitFor(db.open())));
        waitFor(db.run([](QSqlDatabase &sql) {
            QSqlQuery(sql).exec(QStringLiteral("PRAGMA user_version = 999"));
            QSqlQuery(sql).exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
            return true;
        }));
    }
    const QByteArray before = fileHash(path);
    Database db(path);
    const auto result = waitFor(db.open());
    QCOMPARE(errorOf(result).code, Error::Code::DatabaseNewerSchema);
    QCOMPARE(fileHash(path), before);
}

void tst_Database::accountSettingsRoundTrip()
{
    TestProfile profile;
    Database db(profile.path() + QStringLiteral("/natter.sqlite"));
    QVERIFY(isOk(waitFor(db.open())));
    AccountRepository repository(db);
    AccountConfig config;
    config.jid = QStringLiteral("alice@example.org");
    config.host = QStringLiteral("xmpp.example.org");
    config.port = 5223;
    config.tlsMode = AccountConfig::TlsMode::DirectTls;
    config.resource = QStringLiteral("Natter.test");
    config.passwordStorage = AccountConfig::PasswordStorage::AskEachStart;
    const auto saved = waitFor(repository.save(config));
    QVERIFY(isOk(saved));
    config.id = std::get<AccountConfig>(saved).id;
    QVERIFY(config.id > 0);

    const auto loaded = waitFor(repository.loadAll());
    QVERIFY(isOk(loaded));
    QCOMPARE(std::get<QList<AccountConfig>>(loaded), QList<AccountConfig>{config});
}

void tst_Database::duplicateAccountIsRefused()
{
    TestProfile profile;
    Database db(profile.path() + QStringLiteral("/natter.sqlite"));
    QVERIFY(isOk(waitFor(db.open())));
    AccountRepository repository(db);
    AccountConfig config;
    config.jid = QStringLiteral("alice@example.org");
    config.resource = QStringLiteral("r");
    QVERIFY(isOk(waitFor(repository.save(config))));
    QCOMPARE(errorOf(waitFor(repository.save(config))).code, Error::Code::AccountExists);
}

void tst_Database::accountManagerRefusesInvalidJid()
{
    TestProfile profile;
    AccountManager manager(profile.path());
    QVERIFY(isOk(waitFor(manager.open())));
    AccountConfig config;
    config.jid = QStringLiteral("not a jid");
    config.passwordStorage = AccountConfig::PasswordStorage::ProfileFile;
    const auto added = waitFor(manager.addAccount(config, QStringLiteral("secret-1")));
    QCOMPARE(errorOf(added).code, Error::Code::InvalidJid);
    QVERIFY(manager.accounts().isEmpty());
    QVERIFY(!profile.allFileContents().contains("secret-1"));
}

QTEST_GUILESS_MAIN(tst_Database)
#include "tst_database.moc"
