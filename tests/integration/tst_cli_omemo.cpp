// SPDX-License-Identifier: GPL-3.0-or-later
// natter-cli's OMEMO commands against a real Prosody and a scripted OMEMO peer (support/omemo_peer.py):
// listing fingerprints, verifying one, and sending only encrypted.
#include "OmemoPeer.h"
#include "OnlineAccount.h"
#include "TestProfile.h"
#include "TestServer.h"
#include "account/Account.h"
#include "crypto/Fingerprint.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QXmppClient.h>
#include <QXmppMessage.h>

using namespace Natter::Core;
using namespace Natter::Test;

namespace {

struct CliResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QList<QJsonObject> lines() const
    {
        QList<QJsonObject> objects;
        for (const QByteArray &line : out.split('\n')) {
            if (line.startsWith('{'))
                objects.append(QJsonDocument::fromJson(line).object());
        }
        return objects;
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

QStringList versionsOf(const QJsonObject &device)
{
    QStringList versions;
    for (const QJsonValue &version : device.value(u"versions").toArray())
        versions.append(version.toString());
    return versions;
}

} // namespace

class tst_CliOmemo : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void helpNamesTheOmemoCommands();
    void fingerprintsListOurDevicesAndAContacts();
    void trustVerifiesOnlyTheRightFingerprint();
    void sendEncryptedSendsNothingWithoutAnOmemoDevice();
    void sendEncryptedReachesTheContactsDevice();

private:
    CliResult run(const QString &profile, const QStringList &args);
    // A profile with a new account of its own (password kept in the profile); its JID.
    QString newProfileAccount(const TestProfile &profile, const QString &prefix);
    TestServer m_server;
    QHash<QString, QString> m_passwords; // profile path → password
};

void tst_CliOmemo::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
}

CliResult tst_CliOmemo::run(const QString &profile, const QStringList &args)
{
    QProcess process;
    auto environment = QProcessEnvironment::systemEnvironment();
    if (m_passwords.contains(profile))
        environment.insert(QStringLiteral("NATTER_PASSWORD"), m_passwords.value(profile));
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(NATTER_CLI_PATH), QStringList{QStringLiteral("--profile"), profile,
                                                               QStringLiteral("--ca-file"), m_server.caFile} +
                                                       args);
    process.closeWriteChannel();
    if (!process.waitForFinished(90000))
        process.kill();
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            process.readAllStandardOutput(), process.readAllStandardError()};
}

QString tst_CliOmemo::newProfileAccount(const TestProfile &profile, const QString &prefix)
{
    const auto user = m_server.registerAccount(prefix);
    if (!user)
        return {};
    m_passwords.insert(profile.path(), m_server.account(*user).password);
    const auto added =
        run(profile.path(),
            {QStringLiteral("account"), QStringLiteral("add"), m_server.jid(*user),
             QStringLiteral("--password-storage"), QStringLiteral("profile"), QStringLiteral("--host"),
             m_server.host, QStringLiteral("--port"), QString::number(m_server.c2sPort)});
    if (added.exitCode != 0) {
        qWarning() << "account add failed:" << added.err;
        return {};
    }
    return m_server.jid(*user);
}

void tst_CliOmemo::helpNamesTheOmemoCommands()
{
    TestProfile profile;
    const auto help = run(profile.path(), {QStringLiteral("--help")});
    QCOMPARE(help.exitCode, 0);
    QVERIFY2(help.out.contains("omemo fingerprints [JID]"), help.out.constData());
    QVERIFY(help.out.contains("omemo trust JID FINGERPRINT"));
    QVERIFY(help.out.contains("--encrypted"));
}

void tst_CliOmemo::fingerprintsListOurDevicesAndAContacts()
{
    TestProfile profile;
    const QString jid = newProfileAccount(profile, QStringLiteral("cli-omemo"));
    QVERIFY(!jid.isEmpty());

    const auto own = run(profile.path(), {QStringLiteral("omemo"), QStringLiteral("fingerprints")});
    QVERIFY2(own.exitCode == 0, own.err.constData());
    QVERIFY(!own.lines().isEmpty());
    const QJsonObject thisDevice = own.lines().first();
    QCOMPARE(thisDevice.value(u"thisDevice").toBool(), true);
    QCOMPARE(thisDevice.value(u"jid").toString(), jid);
    QCOMPARE(versionsOf(thisDevice), (QStringList{QStringLiteral("omemo2"), QStringLiteral("legacy")}));
    const QString ownFingerprint = thisDevice.value(u"fingerprint").toString();
    QCOMPARE(Fingerprint::grouped(Fingerprint::parse(ownFingerprint)), ownFingerprint);
    // The same device on the next run: the profile keeps its keys.
    const auto again = run(profile.path(), {QStringLiteral("--account"), jid, QStringLiteral("omemo"),
                                            QStringLiteral("fingerprints")});
    QVERIFY2(again.exitCode == 0, again.err.constData());
    QCOMPARE(again.lines().first().value(u"fingerprint").toString(), ownFingerprint);
    QCOMPARE(again.lines().first().value(u"id"), thisDevice.value(u"id"));

    const auto peerUser = m_server.registerAccount(QStringLiteral("cli-peer"));
    QVERIFY(peerUser);
    OmemoPeer peer(m_server, *peerUser);
    QVERIFY(peer.waitReady());
    const auto listed = run(
        profile.path(), {QStringLiteral("omemo"), QStringLiteral("fingerprints"), m_server.jid(*peerUser)});
    QVERIFY2(listed.exitCode == 0, listed.err.constData());
    QCOMPARE(listed.lines().size(), 1);
    const QJsonObject device = listed.lines().first();
    QCOMPARE(device.value(u"id").toInteger(), qint64(peer.deviceId()));
    QCOMPARE(
        device.value(u"fingerprint").toString(),
        Fingerprint::grouped(QByteArray::fromHex(peer.fingerprint(QStringLiteral("legacy")).toLatin1())));
    QCOMPARE(device.value(u"trust").toString(), QStringLiteral("trusted"));
    QCOMPARE(device.value(u"automatic").toBool(), true);
    QCOMPARE(versionsOf(device), (QStringList{QStringLiteral("omemo2"), QStringLiteral("legacy")}));
    QCOMPARE(device.value(u"thisDevice").toBool(), false);

    const auto invalid = run(profile.path(), {QStringLiteral("omemo"), QStringLiteral("fingerprints"),
                                              QStringLiteral("not a jid@@")});
    QCOMPARE(invalid.exitCode, 2);
    QCOMPARE(invalid.errorJson().value(u"error").toString(), QStringLiteral("InvalidJid"));
}

void tst_CliOmemo::trustVerifiesOnlyTheRightFingerprint()
{
    TestProfile profile;
    QVERIFY(!newProfileAccount(profile, QStringLiteral("cli-omemo")).isEmpty());
    const auto peerUser = m_server.registerAccount(QStringLiteral("cli-peer"));
    QVERIFY(peerUser);
    OmemoPeer peer(m_server, *peerUser);
    QVERIFY(peer.waitReady());
    const QString peerJid = m_server.jid(*peerUser);
    const QString fingerprint =
        Fingerprint::grouped(QByteArray::fromHex(peer.fingerprint(QStringLiteral("legacy")).toLatin1()));

    // Another valid key (RFC 8032's TEST 1 in Curve25519 form): not the peer's.
    const auto wrong =
        run(profile.path(), {QStringLiteral("omemo"), QStringLiteral("trust"), peerJid,
                             QStringLiteral("d85e07ec22b0ad881537c2f44d662d1a143cf830c57aca4305d"
                                            "85c7a90f6b62e")});
    QCOMPARE(wrong.exitCode, 2);
    QCOMPARE(wrong.errorJson().value(u"error").toString(), QStringLiteral("FingerprintMismatch"));
    QVERIFY2(wrong.err.contains("nothing was changed"), wrong.err.constData());
    auto listed = run(profile.path(), {QStringLiteral("omemo"), QStringLiteral("fingerprints"), peerJid});
    QVERIFY2(listed.exitCode == 0, listed.err.constData());
    QCOMPARE(listed.lines().first().value(u"trust").toString(), QStringLiteral("trusted"));

    const auto notAFingerprint = run(
        profile.path(), {QStringLiteral("omemo"), QStringLiteral("trust"), peerJid, QStringLiteral("1234")});
    QCOMPARE(notAFingerprint.exitCode, 1);

    const auto verified = run(
        profile.path(), {QStringLiteral("omemo"), QStringLiteral("trust"), peerJid, fingerprint.toUpper()});
    QVERIFY2(verified.exitCode == 0, verified.err.constData());
    QCOMPARE(verified.lines().first().value(u"trust").toString(), QStringLiteral("verified"));
    QCOMPARE(verified.lines().first().value(u"id").toInteger(), qint64(peer.deviceId()));
    listed = run(profile.path(), {QStringLiteral("omemo"), QStringLiteral("fingerprints"), peerJid});
    QVERIFY2(listed.exitCode == 0, listed.err.constData());
    QCOMPARE(listed.lines().first().value(u"trust").toString(), QStringLiteral("verified"));
    QCOMPARE(listed.lines().first().value(u"automatic").toBool(), false);
}

void tst_CliOmemo::sendEncryptedSendsNothingWithoutAnOmemoDevice()
{
    TestProfile profile;
    QVERIFY(!newProfileAccount(profile, QStringLiteral("cli-omemo")).isEmpty());
    // A contact whose client has no OMEMO at all.
    const auto plainUser = m_server.registerAccount(QStringLiteral("cli-plain"));
    QVERIFY(plainUser);
    auto plain = onlineAccount(m_server, *plainUser);
    QVERIFY(plain);
    QSignalSpy arrived(&plain->client(), &QXmppClient::messageReceived);
    const QString plainJid = m_server.jid(*plainUser);

    const auto refused = run(profile.path(), {QStringLiteral("send"), QStringLiteral("--encrypted"), plainJid,
                                              QStringLiteral("must stay secret")});
    QCOMPARE(refused.exitCode, 2);
    QCOMPARE(refused.errorJson().value(u"error").toString(), QStringLiteral("EncryptionUnavailable"));
    QVERIFY2(refused.err.contains("nothing was sent"), refused.err.constData());

    // Without --encrypted the conversation is as it was: a plain message goes, after the refused one.
    const auto sent =
        run(profile.path(), {QStringLiteral("send"), plainJid, QStringLiteral("plain on purpose")});
    QVERIFY2(sent.exitCode == 0, sent.err.constData());
    auto bodies = [&arrived] {
        QStringList received;
        for (const auto &arguments : arrived)
            received.append(arguments.first().value<QXmppMessage>().body());
        return received;
    };
    QTRY_VERIFY_WITH_TIMEOUT(bodies().contains(QStringLiteral("plain on purpose")), 10000);
    QVERIFY(!bodies().contains(QStringLiteral("must stay secret")));
    // Nothing of it stays to be sent later.
    const auto history = run(profile.path(), {QStringLiteral("history"), plainJid});
    QVERIFY2(history.exitCode == 0, history.err.constData());
    QVERIFY(!history.out.contains("must stay secret"));
}

void tst_CliOmemo::sendEncryptedReachesTheContactsDevice()
{
    TestProfile profile;
    QVERIFY(!newProfileAccount(profile, QStringLiteral("cli-omemo")).isEmpty());
    const auto peerUser = m_server.registerAccount(QStringLiteral("cli-peer"));
    QVERIFY(peerUser);
    OmemoPeer peer(m_server, *peerUser);
    QVERIFY(peer.waitReady());

    const auto sent =
        run(profile.path(), {QStringLiteral("send"), QStringLiteral("--encrypted"), m_server.jid(*peerUser),
                             QStringLiteral("encrypted from the CLI")});
    QVERIFY2(sent.exitCode == 0, sent.err.constData());
    QCOMPARE(sent.lines().last().value(u"body").toString(), QStringLiteral("encrypted from the CLI"));
    const auto received = peer.waitForEvent(QStringLiteral("message"));
    QVERIFY2(received, qPrintable(peer.errorOutput()));
    QCOMPARE(received->value(QStringLiteral("body")).toString(), QStringLiteral("encrypted from the CLI"));
    QVERIFY(received->value(QStringLiteral("encrypted")).toBool());
}

QTEST_GUILESS_MAIN(tst_CliOmemo)
#include "tst_cli_omemo.moc"
