// SPDX-License-Identifier: GPL-3.0-or-later
// natter-cli against a real Prosody: accounts, send in one process, listen in another, moving a profile,
// and its errors.
#include "TestProfile.h"
#include "TestServer.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QUuid>

using namespace Natter::Test;

namespace {
struct CliResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject lastJson() const
    {
        return QJsonDocument::fromJson(out.trimmed().split('\n').last()).object();
    }
    QJsonObject errorJson() const
    {
        for (const QByteArray &line : err.split('\n')) {
            if (line.startsWith('{'))
                return QJsonDocument::fromJson(line).object();
        }
        return {};
    }
};
} // namespace

class tst_Cli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void sendInOneProcessListenInAnother();
    void scriptsReplyCorrectReactAndRetract();
    void roomsJoinSendAndListen();
    void wrongPasswordIsRefusedAndNothingStored();
    void invalidJidIsRefused();
    void withoutKeychainThePasswordIsNotWritten();
    void unreachableServerIsReported();
    void unknownCertificateAuthorityIsReported();
    void aProfileMovesWithExportAndImport();
    void discoAndCommandsServeScripts();

private:
    QStringList serverArgs() const;
    CliResult run(const QString &profile, const QStringList &args, const QString &password = {},
                  const QString &passphrase = {});
    void addAccount(const QString &profile, const QString &user);
    TestServer m_server;
};

void tst_Cli::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
}

QStringList tst_Cli::serverArgs() const
{
    return {QStringLiteral("--ca-file"), m_server.caFile,
            QStringLiteral("--host"),    m_server.host,
            QStringLiteral("--port"),    QString::number(m_server.c2sPort)};
}

CliResult tst_Cli::run(const QString &profile, const QStringList &args, const QString &password,
                       const QString &passphrase)
{
    QProcess process;
    auto environment = QProcessEnvironment::systemEnvironment();
    if (!password.isEmpty())
        environment.insert(QStringLiteral("NATTER_PASSWORD"), password);
    if (!passphrase.isEmpty())
        environment.insert(QStringLiteral("NATTER_PASSPHRASE"), passphrase);
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(NATTER_CLI_PATH), QStringList{QStringLiteral("--profile"), profile} + args);
    process.closeWriteChannel();
    if (!process.waitForFinished(60000))
        process.kill();
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            process.readAllStandardOutput(), process.readAllStandardError()};
}

void tst_Cli::addAccount(const QString &profile, const QString &user)
{
    const auto result = run(profile,
                            QStringList{QStringLiteral("account"), QStringLiteral("add"), m_server.jid(user),
                                        QStringLiteral("--password-storage"), QStringLiteral("profile")} +
                                serverArgs(),
                            m_server.account(user).password);
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QCOMPARE(result.lastJson().value(u"jid").toString(), m_server.jid(user));
}

void tst_Cli::sendInOneProcessListenInAnother()
{
    TestProfile aliceProfile;
    TestProfile bobProfile;
    addAccount(aliceProfile.path(), QStringLiteral("alice"));
    addAccount(bobProfile.path(), QStringLiteral("bob"));

    const auto listed = run(aliceProfile.path(), {QStringLiteral("account"), QStringLiteral("list"),
                                                  QStringLiteral("--ca-file"), m_server.caFile});
    QCOMPARE(listed.exitCode, 0);
    QCOMPARE(listed.lastJson().value(u"jid").toString(), m_server.jid(QStringLiteral("alice")));
    QCOMPARE(listed.lastJson().value(u"passwordStorage").toString(), QStringLiteral("profile"));

    QProcess listener;
    listener.start(QStringLiteral(NATTER_CLI_PATH),
                   {QStringLiteral("--profile"), bobProfile.path(), QStringLiteral("--ca-file"),
                    m_server.caFile, QStringLiteral("listen"), QStringLiteral("--count"),
                    QStringLiteral("1")});
    QByteArray listenerErr;
    QVERIFY(QTest::qWaitFor(
        [&] {
            listenerErr += listener.readAllStandardError();
            return listenerErr.contains("online as") || listener.state() == QProcess::NotRunning;
        },
        20000));
    QVERIFY2(listenerErr.contains("online as"), listenerErr.constData());

    const QString text = QStringLiteral("hello from natter-cli ✓");
    const auto sent =
        run(aliceProfile.path(), {QStringLiteral("--ca-file"), m_server.caFile, QStringLiteral("send"),
                                  m_server.jid(QStringLiteral("bob")), text});
    QVERIFY2(sent.exitCode == 0, sent.err.constData());
    QCOMPARE(sent.lastJson().value(u"acknowledged").toBool(), true);
    QCOMPARE(sent.lastJson().value(u"body").toString(), text);

    QVERIFY(listener.waitForFinished(20000));
    QCOMPARE(listener.exitCode(), 0);
    const auto line = QJsonDocument::fromJson(listener.readAllStandardOutput().trimmed()).object();
    QCOMPARE(line.value(u"body").toString(), text);
    QCOMPARE(line.value(u"peer").toString(), m_server.jid(QStringLiteral("alice")));
    QCOMPARE(line.value(u"direction").toString(), QStringLiteral("in"));
    QCOMPARE(line.value(u"id").toString(), sent.lastJson().value(u"id").toString());

    // Both sides keep it: the sender's history and the receiver's search find it.
    const auto sentHistory =
        run(aliceProfile.path(), {QStringLiteral("history"), m_server.jid(QStringLiteral("bob"))});
    QVERIFY2(sentHistory.exitCode == 0, sentHistory.err.constData());
    QCOMPARE(sentHistory.lastJson().value(u"body").toString(), text);
    QCOMPARE(sentHistory.lastJson().value(u"direction").toString(), QStringLiteral("out"));
    const auto found = run(bobProfile.path(), {QStringLiteral("search"), QStringLiteral("natter-c")});
    QVERIFY2(found.exitCode == 0, found.err.constData());
    QCOMPARE(found.out.trimmed().split('\n').size(), 1);
    QCOMPARE(found.lastJson().value(u"body").toString(), text);
    QCOMPARE(found.lastJson().value(u"peer").toString(), m_server.jid(QStringLiteral("alice")));
    const auto nothing =
        run(bobProfile.path(), {QStringLiteral("search"), QStringLiteral("nonexistentword")});
    QCOMPARE(nothing.exitCode, 0);
    QVERIFY(nothing.out.trimmed().isEmpty());
    const auto badLimit =
        run(bobProfile.path(), {QStringLiteral("history"), m_server.jid(QStringLiteral("alice")),
                                QStringLiteral("--limit"), QStringLiteral("zero")});
    QCOMPARE(badLimit.exitCode, 1);
}

void tst_Cli::roomsJoinSendAndListen()
{
    const auto aliceUser = m_server.registerAccount(QStringLiteral("roomalice"));
    const auto bobUser = m_server.registerAccount(QStringLiteral("roombob"));
    QVERIFY(aliceUser && bobUser);
    TestProfile aliceProfile;
    TestProfile bobProfile;
    addAccount(aliceProfile.path(), *aliceUser);
    addAccount(bobProfile.path(), *bobUser);
    const QString room = QStringLiteral("cli-") + QString::number(QDateTime::currentMSecsSinceEpoch()) +
                         u'@' + m_server.mucService;

    // join creates the room and lists who is there: only us, as its owner.
    const auto joined = run(aliceProfile.path(), {QStringLiteral("--ca-file"), m_server.caFile,
                                                  QStringLiteral("join"), room + QStringLiteral("/Alice")});
    QVERIFY2(joined.exitCode == 0, joined.err.constData());
    QCOMPARE(joined.lastJson().value(u"room").toString(), room);
    QCOMPARE(joined.lastJson().value(u"nick").toString(), QStringLiteral("Alice"));
    const QJsonArray occupants = joined.lastJson().value(u"occupants").toArray();
    QCOMPARE(occupants.size(), 1);
    QCOMPARE(occupants.first().toObject().value(u"affiliation").toString(), QStringLiteral("owner"));

    QProcess listener;
    listener.start(QStringLiteral(NATTER_CLI_PATH),
                   {QStringLiteral("--profile"), bobProfile.path(), QStringLiteral("--ca-file"),
                    m_server.caFile, QStringLiteral("listen"), QStringLiteral("--join"),
                    room + QStringLiteral("/Bob"), QStringLiteral("--count"), QStringLiteral("1")});
    QByteArray listenerErr;
    QVERIFY(QTest::qWaitFor(
        [&] {
            listenerErr += listener.readAllStandardError();
            return listenerErr.contains("joined") || listener.state() == QProcess::NotRunning;
        },
        20000));
    QVERIFY2(listenerErr.contains("joined " + room.toUtf8()), listenerErr.constData());

    const auto sent = run(aliceProfile.path(),
                          {QStringLiteral("--ca-file"), m_server.caFile, QStringLiteral("send"), room,
                           QStringLiteral("hello room"), QStringLiteral("--nick"), QStringLiteral("Alice")});
    QVERIFY2(sent.exitCode == 0, sent.err.constData());
    QCOMPARE(sent.lastJson().value(u"room").toBool(), true);
    QVERIFY(!sent.lastJson().value(u"stanzaId").toString().isEmpty());

    QVERIFY(listener.waitForFinished(20000));
    QCOMPARE(listener.exitCode(), 0);
    const auto line = QJsonDocument::fromJson(listener.readAllStandardOutput().trimmed()).object();
    QCOMPARE(line.value(u"body").toString(), QStringLiteral("hello room"));
    QCOMPARE(line.value(u"room").toBool(), true);
    QCOMPARE(line.value(u"peer").toString(), room);
    QCOMPARE(line.value(u"nick").toString(), QStringLiteral("Alice"));
    QCOMPARE(line.value(u"stanzaId").toString(), sent.lastJson().value(u"stanzaId").toString());

    // What is not ROOM/NICK is refused before connecting.
    const auto bad = run(aliceProfile.path(), {QStringLiteral("join"), room});
    QCOMPARE(bad.exitCode, 1);
}

void tst_Cli::scriptsReplyCorrectReactAndRetract()
{
    const auto aliceUser = m_server.registerAccount(QStringLiteral("clialice"));
    const auto bobUser = m_server.registerAccount(QStringLiteral("clibob"));
    QVERIFY(aliceUser && bobUser);
    TestProfile aliceProfile;
    TestProfile bobProfile;
    addAccount(aliceProfile.path(), *aliceUser);
    addAccount(bobProfile.path(), *bobUser);
    const QString alice = m_server.jid(*aliceUser);
    const QString bob = m_server.jid(*bobUser);
    const QStringList ca{QStringLiteral("--ca-file"), m_server.caFile};

    const auto sent = run(aliceProfile.path(),
                          ca + QStringList{QStringLiteral("send"), bob, QStringLiteral("lunch at 12?")});
    QVERIFY2(sent.exitCode == 0, sent.err.constData());
    const QString id = sent.lastJson().value(u"id").toString();
    QVERIFY(run(bobProfile.path(), ca + QStringList{QStringLiteral("sync")}).exitCode == 0);

    const auto reacted = run(bobProfile.path(), ca + QStringList{QStringLiteral("react"), alice, id,
                                                                 QStringLiteral("👍"), QStringLiteral("🍕")});
    QVERIFY2(reacted.exitCode == 0, reacted.err.constData());
    QCOMPARE(reacted.lastJson().value(u"reactions").toObject().value(bob).toArray().size(), 2);
    const auto replied =
        run(bobProfile.path(), ca + QStringList{QStringLiteral("reply"), alice, id, QStringLiteral("yes!")});
    QVERIFY2(replied.exitCode == 0, replied.err.constData());
    QCOMPARE(replied.lastJson().value(u"replyTo").toString(), id);
    QCOMPARE(replied.lastJson().value(u"body").toString(), QStringLiteral("yes!"));
    // Only our own messages can be corrected or retracted.
    const auto refused =
        run(bobProfile.path(), ca + QStringList{QStringLiteral("correct"), alice, id, QStringLiteral("no")});
    QCOMPARE(refused.exitCode, 2);
    const auto unknown = run(
        bobProfile.path(), ca + QStringList{QStringLiteral("retract"), alice, QStringLiteral("no-such-id")});
    QCOMPARE(unknown.exitCode, 2);
    QCOMPARE(run(bobProfile.path(), ca + QStringList{QStringLiteral("react"), alice}).exitCode, 1);

    const auto corrected = run(aliceProfile.path(), ca + QStringList{QStringLiteral("correct"), bob, id,
                                                                     QStringLiteral("lunch at 1?")});
    QVERIFY2(corrected.exitCode == 0, corrected.err.constData());
    QCOMPARE(corrected.lastJson().value(u"body").toString(), QStringLiteral("lunch at 1?"));
    QVERIFY(corrected.lastJson().contains(u"edited"));
    // Alice's store learns of bob's reply and reactions from the archive.
    QVERIFY(run(aliceProfile.path(), ca + QStringList{QStringLiteral("sync")}).exitCode == 0);
    const auto aliceHistory = run(aliceProfile.path(), {QStringLiteral("history"), bob});
    const QList<QByteArray> aliceLines = aliceHistory.out.trimmed().split('\n');
    QCOMPARE(aliceLines.size(), 2);
    const QJsonObject original = QJsonDocument::fromJson(aliceLines.first()).object();
    QCOMPARE(original.value(u"reactions").toObject().value(bob).toArray().size(), 2);
    QCOMPARE(QJsonDocument::fromJson(aliceLines.last()).object().value(u"replyTo").toString(), id);

    const auto retracted = run(aliceProfile.path(), ca + QStringList{QStringLiteral("retract"), bob, id});
    QVERIFY2(retracted.exitCode == 0, retracted.err.constData());
    QCOMPARE(retracted.lastJson().value(u"retracted").toBool(), true);
    // Bob's copy is a tombstone after the next sync.
    QVERIFY(run(bobProfile.path(), ca + QStringList{QStringLiteral("sync")}).exitCode == 0);
    const auto bobHistory = run(bobProfile.path(), {QStringLiteral("history"), alice});
    const QJsonObject tombstone =
        QJsonDocument::fromJson(bobHistory.out.trimmed().split('\n').first()).object();
    QCOMPARE(tombstone.value(u"retracted").toBool(), true);
    QCOMPARE(tombstone.value(u"body").toString(), QString());
}

void tst_Cli::wrongPasswordIsRefusedAndNothingStored()
{
    TestProfile profile;
    const auto result = run(profile.path(),
                            QStringList{QStringLiteral("account"), QStringLiteral("add"),
                                        m_server.jid(QStringLiteral("alice")),
                                        QStringLiteral("--password-storage"), QStringLiteral("profile")} +
                                serverArgs(),
                            QStringLiteral("definitely-wrong"));
    QCOMPARE(result.exitCode, 2);
    QCOMPARE(result.errorJson().value(u"error").toString(), QStringLiteral("AuthenticationFailed"));
    QVERIFY(!profile.allFileContents().contains("definitely-wrong"));
    const auto listed = run(profile.path(), {QStringLiteral("account"), QStringLiteral("list")});
    QCOMPARE(listed.exitCode, 0);
    QVERIFY(listed.out.trimmed().isEmpty());
}

void tst_Cli::invalidJidIsRefused()
{
    TestProfile profile;
    const auto result =
        run(profile.path(),
            {QStringLiteral("account"), QStringLiteral("add"), QStringLiteral("no spaces@natter.test")},
            QStringLiteral("pw"));
    QCOMPARE(result.exitCode, 2);
    QCOMPARE(result.errorJson().value(u"error").toString(), QStringLiteral("InvalidJid"));
}

void tst_Cli::withoutKeychainThePasswordIsNotWritten()
{
    TestProfile profile;
    const auto password = m_server.account(QStringLiteral("carol")).password;
    const auto result = run(
        profile.path(),
        QStringList{QStringLiteral("account"), QStringLiteral("add"), m_server.jid(QStringLiteral("carol"))} +
            serverArgs(),
        password);
    QCOMPARE(result.exitCode, 2);
    const QString code = result.errorJson().value(u"error").toString();
    QVERIFY2(code == u"KeychainUnavailable" || code == u"KeychainFailed", result.err.constData());
    QVERIFY(result.err.contains("--password-storage profile"));
    QVERIFY(!profile.allFileContents().contains(password.toUtf8()));
}

void tst_Cli::unreachableServerIsReported()
{
    TestProfile profile;
    const auto result =
        run(profile.path(),
            {QStringLiteral("account"), QStringLiteral("add"), m_server.jid(QStringLiteral("alice")),
             QStringLiteral("--password-storage"), QStringLiteral("profile"), QStringLiteral("--ca-file"),
             m_server.caFile, QStringLiteral("--host"), QStringLiteral("127.0.0.1"), QStringLiteral("--port"),
             QString::number(TestServer::closedPort())},
            m_server.account(QStringLiteral("alice")).password);
    QCOMPARE(result.exitCode, 2);
    QCOMPARE(result.errorJson().value(u"error").toString(), QStringLiteral("HostUnreachable"));
}

void tst_Cli::unknownCertificateAuthorityIsReported()
{
    TestProfile profile;
    const auto result = run(profile.path(),
                            QStringList{QStringLiteral("account"), QStringLiteral("add"),
                                        QStringLiteral("alice@") + m_server.rogueDomain,
                                        QStringLiteral("--password-storage"), QStringLiteral("profile")} +
                                serverArgs(),
                            QStringLiteral("pw"));
    QCOMPARE(result.exitCode, 2);
    QCOMPARE(result.errorJson().value(u"error").toString(), QStringLiteral("CertificateRejected"));
    QCOMPARE(result.errorJson().value(u"certificateSha256").toString(), m_server.rogueFingerprint);
}

void tst_Cli::aProfileMovesWithExportAndImport()
{
    const auto user = m_server.registerAccount(QStringLiteral("clmover"));
    QVERIFY(user);
    TestProfile here;
    addAccount(here.path(), *user);
    // A peer of its own: messages to a shared fixture account would wait for it offline and reach other
    // tests.
    const auto peerUser = m_server.registerAccount(QStringLiteral("clmoverpeer"));
    QVERIFY(peerUser);
    const QString peer = m_server.jid(*peerUser);
    const QString text = QStringLiteral("written before the move");
    const auto sent =
        run(here.path(), {QStringLiteral("--ca-file"), m_server.caFile, QStringLiteral("send"), peer, text});
    QVERIFY2(sent.exitCode == 0, sent.err.constData());

    TestProfile carrier;
    const QString archive = QDir(carrier.path()).filePath(QStringLiteral("moving.natter"));
    const QString passphrase = QStringLiteral("a long passphrase for moving");
    const auto exported = run(
        here.path(),
        {QStringLiteral("profile"), QStringLiteral("export"), archive, QStringLiteral("--include-passwords")},
        {}, passphrase);
    QVERIFY2(exported.exitCode == 0, exported.err.constData());
    QCOMPARE(exported.lastJson().value(u"exported").toInt(), 1);
    // Nothing of the profile is readable in the file.
    QFile file(archive);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QVERIFY(!bytes.contains(text.toUtf8()));
    QVERIFY(!bytes.contains(m_server.account(*user).password.toUtf8()));
    QVERIFY(!bytes.contains("SQLite format"));

    // A wrong passphrase imports nothing.
    TestProfile wrong;
    const auto refused = run(wrong.path(), {QStringLiteral("profile"), QStringLiteral("import"), archive}, {},
                             QStringLiteral("not the passphrase"));
    QCOMPARE(refused.exitCode, 2);
    QCOMPARE(refused.errorJson().value(u"error").toString(), QStringLiteral("DecryptionFailed"));
    QVERIFY(QDir(wrong.path()).isEmpty());

    TestProfile there;
    const auto imported =
        run(there.path(), {QStringLiteral("profile"), QStringLiteral("import"), archive}, {}, passphrase);
    QVERIFY2(imported.exitCode == 0, imported.err.constData());
    QCOMPARE(imported.lastJson().value(u"imported").toArray(), QJsonArray{m_server.jid(*user)});
    // The history came along, and the password: the account sends from its new place.
    const auto history = run(there.path(), {QStringLiteral("history"), peer});
    QVERIFY2(history.exitCode == 0, history.err.constData());
    QCOMPARE(history.lastJson().value(u"body").toString(), text);
    const auto again =
        run(there.path(), {QStringLiteral("--ca-file"), m_server.caFile, QStringLiteral("send"), peer,
                           QStringLiteral("written after the move")});
    QVERIFY2(again.exitCode == 0, again.err.constData());
    // A second import into a profile that has one is refused.
    const auto twice =
        run(there.path(), {QStringLiteral("profile"), QStringLiteral("import"), archive}, {}, passphrase);
    QCOMPARE(twice.exitCode, 2);
    QCOMPARE(twice.errorJson().value(u"error").toString(), QStringLiteral("FileExists"));
}

QTEST_GUILESS_MAIN(tst_Cli)
namespace {

QList<QJsonObject> jsonLines(const QByteArray &out)
{
    QList<QJsonObject> lines;
    for (const QByteArray &line : out.trimmed().split('\n'))
        lines.append(QJsonDocument::fromJson(line).object());
    return lines;
}

bool hasLine(const QList<QJsonObject> &lines, const QString &kind, const QString &key, const QString &value)
{
    return std::any_of(lines.cbegin(), lines.cend(), [&](const QJsonObject &line) {
        return line.value(u"kind").toString() == kind && line.value(key).toString() == value;
    });
}

} // namespace

void tst_Cli::discoAndCommandsServeScripts()
{
    // The fixture's admin account may run the server's admin commands (XEP-0133 over XEP-0050).
    TestProfile profile;
    addAccount(profile.path(), QStringLiteral("admin"));
    const QStringList ca{QStringLiteral("--ca-file"), m_server.caFile};

    // disco: a line about the server itself, then a line per item (its components).
    const CliResult disco = run(profile.path(), ca + QStringList{QStringLiteral("disco"), m_server.domain});
    QVERIFY2(disco.exitCode == 0, disco.err.constData());
    const QList<QJsonObject> discoLines = jsonLines(disco.out);
    const QJsonObject info = discoLines.first();
    QCOMPARE(info.value(u"kind").toString(), QStringLiteral("info"));
    QCOMPARE(info.value(u"jid").toString(), m_server.domain);
    const QJsonArray identities = info.value(u"identities").toArray();
    QVERIFY(std::any_of(identities.cbegin(), identities.cend(), [](const QJsonValue &identity) {
        return identity[u"category"].toString() == u"server" && identity[u"type"].toString() == u"im";
    }));
    QVERIFY(
        info.value(u"features").toArray().contains(QStringLiteral("http://jabber.org/protocol/commands")));
    QVERIFY2(hasLine(discoLines, QStringLiteral("item"), QStringLiteral("jid"), m_server.mucService),
             disco.out.constData());

    // command JID: what may be run there.
    const QString addUser = QStringLiteral("http://jabber.org/protocol/admin#add-user");
    const CliResult list = run(profile.path(), ca + QStringList{QStringLiteral("command"), m_server.domain});
    QVERIFY2(list.exitCode == 0, list.err.constData());
    QVERIFY2(hasLine(jsonLines(list.out), QStringLiteral("command"), QStringLiteral("node"), addUser),
             list.out.constData());

    // Run without the answers its form needs: the server's error note is printed and the run fails.
    const QString newcomer = QStringLiteral("scripted-") +
                             QUuid::createUuid().toString(QUuid::Id128).left(10) + u'@' + m_server.domain;
    const CliResult incomplete =
        run(profile.path(), ca + QStringList{QStringLiteral("command"), m_server.domain, addUser});
    QVERIFY2(incomplete.exitCode == 2, (incomplete.out + incomplete.err).constData());
    const QList<QJsonObject> incompleteLines = jsonLines(incomplete.out);
    QVERIFY2(std::any_of(incompleteLines.cbegin(), incompleteLines.cend(),
                         [](const QJsonObject &line) {
                             return line.value(u"kind").toString() == u"note" &&
                                    line.value(u"type").toString() == u"error" &&
                                    line.value(u"text").toString().contains(u"accountjid");
                         }),
             incomplete.out.constData());

    // With them, through its forms to the end: the server's note, then the completed result.
    const QString password = QStringLiteral("Scripted-pw-9");
    const CliResult added =
        run(profile.path(),
            ca + QStringList{QStringLiteral("command"), m_server.domain, addUser, QStringLiteral("--field"),
                             QStringLiteral("accountjid=") + newcomer, QStringLiteral("--field"),
                             QStringLiteral("password=") + password, QStringLiteral("--field"),
                             QStringLiteral("password-verify=") + password});
    QVERIFY2(added.exitCode == 0, added.err.constData());
    const QList<QJsonObject> addedLines = jsonLines(added.out);
    QVERIFY(hasLine(addedLines, QStringLiteral("note"), QStringLiteral("type"), QStringLiteral("info")));
    QCOMPARE(addedLines.last().value(u"status").toString(), QStringLiteral("completed"));

    // The account exists: natter-cli adds it after logging in with its password.
    TestProfile newcomers;
    const CliResult loggedIn =
        run(newcomers.path(),
            QStringList{QStringLiteral("account"), QStringLiteral("add"), newcomer,
                        QStringLiteral("--password-storage"), QStringLiteral("profile")} +
                serverArgs(),
            password);
    QVERIFY2(loggedIn.exitCode == 0, loggedIn.err.constData());

    // And goes again (a multi-valued field answered from the command line).
    const CliResult deleted =
        run(profile.path(),
            ca + QStringList{QStringLiteral("command"), m_server.domain,
                             QStringLiteral("http://jabber.org/protocol/admin#delete-user"),
                             QStringLiteral("--field"), QStringLiteral("accountjids=") + newcomer});
    QVERIFY2(deleted.exitCode == 0, deleted.err.constData());
    QCOMPARE(jsonLines(deleted.out).last().value(u"status").toString(), QStringLiteral("completed"));
}

#include "tst_cli.moc"
