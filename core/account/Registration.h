// SPDX-License-Identifier: GPL-3.0-or-later
// Creates an account on a server that allows In-Band Registration (XEP-0077), over a throw-away connection
// with the same strict TLS as an account. It asks for the server's form (a data form, with a CAPTCHA's image
// when it has one, XEP-0158; or the old fixed fields, turned into a data form), sends the answers and reports
// the new account's address and password. An invitation's token (XEP-0401) is handed over first.
#pragma once

#include "RegisterForm.h"
#include "common/Error.h"
#include "domain/AccountConfig.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QSslError>
#include <QTimer>
#include <QXmppDataForm.h>
#include <chrono>
#include <optional>

class QXmppClient;
class QXmppError;
class QXmppRegisterIq;
class QXmppRegistrationManager;

namespace Natter::Core {

class CertificateGuard;

class Registration : public QObject
{
    Q_OBJECT
public:
    using Form = RegisterForm;

    // Why the server said no.
    enum class Refusal
    {
        UsernameTaken,     // conflict
        AnswersRejected,   // not-acceptable, bad-request, jid-malformed: the text says which field
        NotAllowed,        // not-allowed, forbidden: the server wants an invitation, or refuses new accounts
        InvitationInvalid, // the token is unknown, used or expired
        Unsupported,       // no In-Band Registration on this server
        Other,
    };
    Q_ENUM(Refusal)

    // server.jid is the server's domain; host, port and TLS mode as for an account.
    Registration(AccountConfig server, const QList<QSslCertificate> &additionalCaCertificates,
                 std::chrono::milliseconds timeout = std::chrono::seconds(45), QObject *parent = nullptr);
    ~Registration() override;

    QString domain() const { return m_server.jid; }
    void setInvitationToken(const QString &token) { m_token = token; }
    // For a proxy with a user name (the server's AccountConfig names the proxy).
    void setProxyPassword(const QString &password) { m_proxyPassword = password; }

    // Connects and asks for the form: formReceived() or failed()/refused().
    void requestForm();
    // Sends the answers to the last form (fields "username" and "password" name the account): registered()
    // or refused() (the same form can be sent again, corrected) or failed(). When the server closed the
    // connection meanwhile, it connects again and sends them with a fresh form, unless that form has a new
    // CAPTCHA: then formReceived() shows it.
    void submit(const QXmppDataForm &answers);
    void cancel();

Q_SIGNALS:
    void formReceived(const Natter::Core::Registration::Form &form);
    void registered(const QString &jid, const QString &password);
    void refused(Natter::Core::Registration::Refusal refusal, const QString &serverText);
    // The connection failed (server unreachable, certificate refused, timeout).
    void failed(const Natter::Core::Error &error);

private:
    void connectToServer();
    void handleForm(const QXmppRegisterIq &iq);
    void showForm(const Form &form);
    void sendAnswers();
    void handleClientError(const QXmppError &error);
    void handleConnectionEnd(const Error &error);
    void stop();

    AccountConfig m_server;
    QList<QSslCertificate> m_trusted;
    QString m_proxyPassword;
    QString m_token;
    QXmppClient *m_client = nullptr;
    QXmppRegistrationManager *m_manager = nullptr;
    QTimer m_timeout;
    CertificateGuard *m_certificates = nullptr;
    bool m_fixedFields = false;
    bool m_formShown = false;
    bool m_awaitingResult = false;
    std::optional<QXmppDataForm> m_pendingAnswers;
    QString m_username;
    QString m_password;
};

} // namespace Natter::Core
