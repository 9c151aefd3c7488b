// SPDX-License-Identifier: GPL-3.0-or-later
#include "TestServer.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QUuid>

namespace Natter::Test {

TestServer TestServer::load()
{
    TestServer server;
    const QString path =
        qEnvironmentVariable("NATTER_TEST_SERVER_JSON", QStringLiteral(NATTER_TEST_SERVER_JSON));
    server.m_stateDirectory = QFileInfo(path).absolutePath();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        server.m_error = QStringLiteral("cannot read %1 (is the prosody fixture running?)").arg(path);
        return server;
    }
    const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
    server.domain = json.value(u"domain").toString();
    server.host = json.value(u"host").toString();
    server.c2sPort = json.value(u"c2s_port").toInt();
    server.directTlsPort = json.value(u"direct_tls_port").toInt();
    server.caFile = json.value(u"ca_file").toString();
    server.rogueDomain = json.value(u"rogue_domain").toString();
    server.invitesDomain = json.value(u"invites_domain").toString();
    server.captchaDomain = json.value(u"captcha_domain").toString();
    server.captchaAnswer = json.value(u"captcha_answer").toString();
    server.rogueFingerprint = json.value(u"rogue_fingerprint_sha256").toString();
    server.mucService = json.value(u"muc_service").toString();
    server.proxy65Service = json.value(u"proxy65_service").toString();
    server.proxy65Port = quint16(json.value(u"proxy65_port").toInt());
    server.turnPort = quint16(json.value(u"turn_port").toInt());
    for (const auto value : json.value(u"accounts").toArray()) {
        const QJsonObject account = value.toObject();
        server.accounts.append({account.value(u"jid").toString(), account.value(u"password").toString()});
    }
    server.m_valid = !server.domain.isEmpty() && server.c2sPort > 0 && !server.accounts.isEmpty();
    if (!server.m_valid)
        server.m_error = QStringLiteral("incomplete %1").arg(path);
    return server;
}

QList<QSslCertificate> TestServer::caCertificates() const
{
    return QSslCertificate::fromPath(caFile, QSsl::Pem);
}

TestAccount TestServer::account(const QString &user) const
{
    for (const TestAccount &account : accounts) {
        if (account.jid == jid(user))
            return account;
    }
    return {};
}

Core::AccountConfig TestServer::accountConfig(const QString &user) const
{
    Core::AccountConfig config;
    config.jid = jid(user);
    config.host = host;
    config.port = c2sPort;
    config.tlsMode = Core::AccountConfig::TlsMode::StartTls;
    config.passwordStorage = Core::AccountConfig::PasswordStorage::ProfileFile;
    return config;
}

int TestServer::closedPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    const int port = probe.serverPort();
    probe.close();
    return port;
}

std::optional<QString> TestServer::runFixture(const QStringList &arguments) const
{
    QProcess fixture;
    fixture.start(QStringLiteral(NATTER_PYTHON),
                  QStringList{QStringLiteral(NATTER_FIXTURE_SCRIPT), arguments.first(), m_stateDirectory} +
                      arguments.mid(1));
    if (!fixture.waitForFinished(30000) || fixture.exitStatus() != QProcess::NormalExit ||
        fixture.exitCode() != 0) {
        qWarning().noquote() << "the fixture's" << arguments.first()
                             << "failed:" << fixture.readAllStandardError();
        return std::nullopt;
    }
    return QString::fromUtf8(fixture.readAllStandardOutput()).trimmed();
}

std::optional<QString> TestServer::registerAccount(const QString &prefix, Listing listing)
{
    const QString user = prefix + QUuid::createUuid().toString(QUuid::Id128).left(10);
    const QString password = QUuid::createUuid().toString(QUuid::Id128);
    QStringList arguments{QStringLiteral("register"), user, password};
    if (listing == Listing::Unlisted)
        arguments.append(QStringLiteral("--unlisted"));
    if (!runFixture(arguments))
        return std::nullopt;
    accounts.append({jid(user), password});
    return user;
}

std::optional<QString> TestServer::createInvitation(const QString &host) const
{
    return runFixture({QStringLiteral("invite"), host});
}

} // namespace Natter::Test
