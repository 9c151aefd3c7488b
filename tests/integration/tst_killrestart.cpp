// SPDX-License-Identifier: GPL-3.0-or-later
// SIGKILL in the middle of a catch-up and in the middle of sending (natter-cli processes against a real
// Prosody): after a restart the archive is complete in the store and each pending message is delivered
// exactly once.
#include "ArchiveCheck.h"
#include "OnlineAccount.h"
#include "TestProfile.h"
#include "TestServer.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "domain/ConnectionState.h"
#include "messaging/MessageService.h"
#include "storage/Database.h"
#include "storage/SyncStateRepository.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlQuery>

using namespace Natter::Core;
using namespace Natter::Test;

class tst_KillRestart : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void killedCatchUpsEndWithTheCompleteArchive();
    void killedSendsDeliverEachStoredMessageOnce();

private:
    QProcess *startCli(const QString &profile, const QStringList &args, const QString &password = {});
    // Runs to the end; the exit code, or -1 when it crashed or hung.
    int runCli(const QString &profile, const QStringList &args, QByteArray *out = nullptr,
               const QString &password = {});
    // Starts the command and kills it (SIGKILL) after delayMs unless it ended before; true when killed.
    bool runAndKill(const QString &profile, const QStringList &args, int delayMs);
    bool addAccount(const QString &profile, const QString &user);
    std::unique_ptr<Account> bareAccount(const QString &user) const { return onlineAccount(m_server, user); }
    static int countBody(Database &db, const QString &account, const QString &body);

    TestServer m_server;
    QRandomGenerator m_random;
};

void tst_KillRestart::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
    const quint32 seed = qEnvironmentVariableIsSet("NATTER_KILL_SEED")
                             ? quint32(qEnvironmentVariableIntValue("NATTER_KILL_SEED"))
                             : QRandomGenerator::global()->generate();
    qInfo("kill delays from seed %u (NATTER_KILL_SEED repeats a run)", seed);
    m_random.seed(seed);
}

QProcess *tst_KillRestart::startCli(const QString &profile, const QStringList &args, const QString &password)
{
    auto *process = new QProcess(this);
    auto environment = QProcessEnvironment::systemEnvironment();
    if (!password.isEmpty())
        environment.insert(QStringLiteral("NATTER_PASSWORD"), password);
    process->setProcessEnvironment(environment);
    process->start(QStringLiteral(NATTER_CLI_PATH),
                   QStringList{QStringLiteral("--profile"), profile, QStringLiteral("--ca-file"),
                               m_server.caFile, QStringLiteral("--host"), m_server.host,
                               QStringLiteral("--port"), QString::number(m_server.c2sPort)} +
                       args);
    process->closeWriteChannel();
    process->waitForStarted();
    return process;
}

int tst_KillRestart::runCli(const QString &profile, const QStringList &args, QByteArray *out,
                            const QString &password)
{
    std::unique_ptr<QProcess> process(startCli(profile, args, password));
    if (!process->waitForFinished(120000)) {
        process->kill();
        process->waitForFinished();
        return -1;
    }
    if (out)
        *out = process->readAllStandardOutput();
    const QByteArray errors = process->readAllStandardError();
    if (process->exitCode() != 0)
        qWarning().noquote() << "natter-cli" << args.join(u' ') << "failed:" << errors;
    return process->exitStatus() == QProcess::NormalExit ? process->exitCode() : -1;
}

bool tst_KillRestart::runAndKill(const QString &profile, const QStringList &args, int delayMs)
{
    std::unique_ptr<QProcess> process(startCli(profile, args));
    if (process->waitForFinished(delayMs))
        return false;
    process->kill(); // SIGKILL: no destructor, no flush, no clean disconnect
    process->waitForFinished();
    return true;
}

bool tst_KillRestart::addAccount(const QString &profile, const QString &user)
{
    return runCli(profile,
                  {QStringLiteral("account"), QStringLiteral("add"), m_server.jid(user),
                   QStringLiteral("--password-storage"), QStringLiteral("profile"),
                   QStringLiteral("--no-verify")},
                  nullptr, m_server.account(user).password) == 0;
}

int tst_KillRestart::countBody(Database &db, const QString &account, const QString &body)
{
    return waitFor(db.run([account, body](QSqlDatabase &connection) {
        QSqlQuery query(connection);
        query.prepare(QStringLiteral("SELECT COUNT(*) FROM messages m JOIN accounts a ON a.id = m.account_id "
                                     "WHERE a.jid = ? AND m.body = ?"));
        query.addBindValue(account);
        query.addBindValue(body);
        return query.exec() && query.next() ? query.value(0).toInt() : -1;
    }));
}

void tst_KillRestart::killedCatchUpsEndWithTheCompleteArchive()
{
    // Large enough, with small pages, that the random kills land in the middle of the catch-up.
    constexpr int Backlog = 1200;
    // An account of its own: its archive holds exactly what this test puts there.
    const auto user = m_server.registerAccount(QStringLiteral("killed"));
    QVERIFY(user);
    TestProfile profile;
    QVERIFY(addAccount(profile.path(), *user));
    const QStringList everything{QStringLiteral("sync"), QStringLiteral("--page-size"), QStringLiteral("5"),
                                 QStringLiteral("--first-window"), QStringLiteral("1000000")};
    // 1,200 messages are archived before the profile ever synced (its phone is online, so they are
    // delivered there, not kept as offline messages): the killed runs are a first login cut short.
    auto carol = bareAccount(QStringLiteral("carol"));
    auto bobPhone = bareAccount(*user);
    QVERIFY(carol && bobPhone);
    QList<QFuture<Result<ChatMessage>>> sent;
    for (int i = 0; i < Backlog; ++i) {
        auto composed = carol->messages().compose(m_server.jid(*user), QStringLiteral("backlog %1").arg(i));
        sent.append(carol->messages().send(std::get<ChatMessage>(composed)));
    }
    for (auto &future : sent)
        QVERIFY(isOk(waitFor(future, 30000)));

    const QString bob = m_server.jid(*user);
    const auto storedCount = [&] {
        Database db(profile.path() + QStringLiteral("/natter.sqlite"));
        return isOk(waitFor(db.open())) ? int(storedIds(db, bob).size()) : -1;
    };
    const int before = storedCount();
    int midway = 0; // kills that left part of the backlog stored and part not
    for (int round = 0; round < 8; ++round) {
        const int delay = 100 + int(m_random.bounded(500));
        const bool killed = runAndKill(profile.path(), everything, delay);
        const int count = storedCount();
        QVERIFY2(count >= before, "the database opens after every kill and loses nothing");
        if (killed && count > before && count < before + Backlog)
            ++midway;
        qInfo("round %d: %s after %d ms, %d of %d stored", round, killed ? "killed" : "ended", delay,
              count - before, Backlog);
    }
    QVERIFY(midway > 0);

    QByteArray out;
    QCOMPARE(runCli(profile.path(), everything, &out), 0);
    const QJsonObject summary = QJsonDocument::fromJson(out.trimmed().split('\n').last()).object();
    QVERIFY(summary.contains(QStringLiteral("stored")));

    AccountManager manager(profile.path());
    QVERIFY(isOk(waitFor(manager.open())));
    const QStringList store = storedIds(manager.database(), bob);
    const QStringList archive = archiveIds(m_server, *user);
    QVERIFY(archive.size() >= Backlog);
    QCOMPARE(store.size(), archive.size());
    QCOMPARE(sorted(store), sorted(archive));
    const auto gaps = waitFor(manager.syncState().gaps(bob));
    QVERIFY(isOk(gaps));
    QCOMPARE(std::get<QList<HistoryGap>>(gaps).size(), 0);
}

void tst_KillRestart::killedSendsDeliverEachStoredMessageOnce()
{
    TestProfile senderProfile;
    TestProfile receiverProfile;
    QVERIFY(addAccount(senderProfile.path(), QStringLiteral("alice")));
    QVERIFY(addAccount(receiverProfile.path(), QStringLiteral("dave")));
    const QString dave = m_server.jid(QStringLiteral("dave"));
    const QString alice = m_server.jid(QStringLiteral("alice"));
    const QString tag = QString::number(m_random.generate());

    QStringList bodies;
    for (int i = 0; i < 12; ++i) {
        bodies.append(QStringLiteral("killed send %1 %2").arg(tag).arg(i));
        // Connecting takes a few hundred milliseconds: kills land before, during and after storing.
        runAndKill(senderProfile.path(), {QStringLiteral("send"), dave, bodies.last()},
                   int(m_random.bounded(700)));
    }

    // The restart sends what was left pending; dave's client then catches up.
    QByteArray out;
    QCOMPARE(runCli(senderProfile.path(), {QStringLiteral("sync")}, &out), 0);
    QCOMPARE(QJsonDocument::fromJson(out.trimmed().split('\n').last())
                 .object()
                 .value(QStringLiteral("pending"))
                 .toInt(),
             0);
    QCOMPARE(runCli(receiverProfile.path(),
                    {QStringLiteral("sync"), QStringLiteral("--first-window"), QStringLiteral("1000000")}),
             0);

    AccountManager sender(senderProfile.path());
    AccountManager receiver(receiverProfile.path());
    QVERIFY(isOk(waitFor(sender.open())));
    QVERIFY(isOk(waitFor(receiver.open())));
    int kept = 0;
    for (const QString &body : bodies) {
        const int atSender = countBody(sender.database(), alice, body);
        const int atReceiver = countBody(receiver.database(), dave, body);
        QVERIFY2(atSender == 0 || atSender == 1, qPrintable(body));
        // Stored means promised: delivered exactly once; never stored means never sent.
        QVERIFY2(atReceiver == atSender, qPrintable(QStringLiteral("%1: %2 at the sender, %3 at the receiver")
                                                        .arg(body)
                                                        .arg(atSender)
                                                        .arg(atReceiver)));
        kept += atSender;
    }
    qInfo("%d of %lld killed sends had stored their message", kept, qlonglong(bodies.size()));
}

QTEST_GUILESS_MAIN(tst_KillRestart)
#include "tst_killrestart.moc"
