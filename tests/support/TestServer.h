// SPDX-License-Identifier: GPL-3.0-or-later
// What the Prosody test fixture started: its ports, test CA and accounts (read from server.json).
#pragma once

#include "domain/AccountConfig.h"

#include <QList>
#include <QSslCertificate>
#include <QString>
#include <optional>

namespace Natter::Test {

struct TestAccount
{
    QString jid;
    QString password;
};

class TestServer
{
public:
    // Loads the fixture's server.json; QFAIL-style: isValid() is false with errorString() when it is missing.
    static TestServer load();

    bool isValid() const { return m_valid; }
    QString errorString() const { return m_error; }

    QString domain;
    QString host;
    int c2sPort = 0;
    int directTlsPort = 0;
    QString caFile;
    QString rogueDomain;
    QString rogueFingerprint;
    QString invitesDomain; // registration only with an invitation (XEP-0401)
    QString captchaDomain; // registration with a CAPTCHA (XEP-0158) whose text is captchaAnswer
    QString captchaAnswer;
    QString mucService;     // the conference component (XEP-0045)
    QString proxy65Service; // the SOCKS5 bytestreams proxy (XEP-0065)
    quint16 proxy65Port = 0;
    quint16 turnPort = 0; // coturn (STUN and TURN), announced by the server's external services (XEP-0215)
    QList<TestAccount> accounts;

    QList<QSslCertificate> caCertificates() const;
    // An account config for user (e.g. "alice") that reaches this server over STARTTLS on loopback.
    Core::AccountConfig accountConfig(const QString &user) const;
    TestAccount account(const QString &user) const;
    QString jid(const QString &user) const { return user + u'@' + domain; }
    // Creates a new account named prefix plus a random suffix (an archive no other test has touched), adds
    // it to accounts and returns its user name; nullopt when the fixture refused.
    // Unlisted accounts stay out of server.json, which fixture_check logs in with: for tests that change
    // their password or delete them.
    enum class Listing
    {
        Listed,
        Unlisted,
    };
    std::optional<QString> registerAccount(const QString &prefix, Listing listing = Listing::Listed);
    // An invitation to create one account on host, as an xmpp: URI; nullopt when the fixture refused.
    std::optional<QString> createInvitation(const QString &host) const;
    // A port on 127.0.0.1 where nothing listens.
    static int closedPort();
    // Where the fixture keeps its state: certificates (server.pem, server.key), configuration, logs.
    QString stateDirectory() const { return m_stateDirectory; }

private:
    // Runs the fixture script's command (the first argument) on this server's state; its output.
    std::optional<QString> runFixture(const QStringList &arguments) const;

    QString m_stateDirectory;
    bool m_valid = false;
    QString m_error;
};

} // namespace Natter::Test
