// SPDX-License-Identifier: GPL-3.0-or-later
#include "Registration.h"

#include "CertificateGuard.h"
#include "ClientConfiguration.h"
#include "Invitation.h"
#include "common/JidValidator.h"
#include "common/Logging.h"
#include "common/PayloadIq.h"

#include <QDomElement>
#include <QSslConfiguration>
#include <QXmppClient.h>
#include <QXmppError.h>
#include <QXmppRegisterIq.h>
#include <QXmppRegistrationManager.h>
#include <QXmppTask.h>

namespace Natter::Core {

namespace {

Registration::Refusal refusalOf(QXmppStanza::Error::Condition condition)
{
    using Condition = QXmppStanza::Error::Condition;
    switch (condition) {
    case Condition::Conflict:
        return Registration::Refusal::UsernameTaken;
    case Condition::NotAcceptable:
    case Condition::BadRequest:
    case Condition::JidMalformed:
        return Registration::Refusal::AnswersRejected;
    case Condition::NotAllowed:
    case Condition::Forbidden:
    case Condition::RegistrationRequired:
        return Registration::Refusal::NotAllowed;
    case Condition::FeatureNotImplemented:
    case Condition::ServiceUnavailable:
        return Registration::Refusal::Unsupported;
    default:
        return Registration::Refusal::Other;
    }
}

} // namespace

Registration::Registration(AccountConfig server, const QList<QSslCertificate> &additionalCaCertificates,
                           std::chrono::milliseconds timeout, QObject *parent)
    : QObject(parent)
    , m_server(std::move(server))
    , m_trusted(QSslConfiguration::systemCaCertificates() + additionalCaCertificates)
{
    m_timeout.setSingleShot(true);
    m_timeout.setInterval(timeout);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        stop();
        Q_EMIT failed(Error(Error::Code::Timeout, m_server.jid));
    });
}

Registration::~Registration()
{
    stop();
}

void Registration::requestForm()
{
    m_pendingAnswers.reset();
    connectToServer();
}

void Registration::connectToServer()
{
    stop();
    m_client = new QXmppClient(QXmppClient::NoExtensions, this);
    m_manager = m_client->addNewExtension<QXmppRegistrationManager>();
    m_manager->setRegisterOnConnectEnabled(true);
    m_formShown = false;
    connect(m_manager, &QXmppRegistrationManager::registrationFormReceived, this, &Registration::handleForm);
    connect(m_manager, &QXmppRegistrationManager::registrationSucceeded, this, [this] {
        const QString jid = JidValidator::normalizedBareJid(m_username + u'@' + m_server.jid);
        const QString password = m_password;
        m_password.clear();
        stop();
        Q_EMIT registered(jid, password);
    });
    connect(m_manager, &QXmppRegistrationManager::registrationFailed, this,
            [this](const QXmppStanza::Error &error) {
                m_timeout.stop();
                m_awaitingResult = false;
                const Refusal refusal = refusalOf(error.condition());
                qCInfo(lcAccount) << "registration on" << m_server.jid << "refused:" << refusal
                                  << error.text();
                // Refused before a form was shown: there is nothing to correct, the connection goes.
                if (!m_formShown)
                    stop();
                Q_EMIT refused(refusal, error.text());
            });
    m_certificates = new CertificateGuard(*m_client, m_client);
    m_certificates->setPinned(m_server.pinnedCertificate);
    connect(m_client, &QXmppClient::errorOccurred, this, &Registration::handleClientError);
    connect(m_client, &QXmppClient::disconnected, this,
            [this] { handleConnectionEnd(Error(Error::Code::ConnectionLost, m_server.jid)); });
    m_timeout.start();
    m_client->connectToServer(
        clientConfiguration(m_server, m_trusted, networkProxy(m_server, m_proxyPassword)));
}

void Registration::handleClientError(const QXmppError &error)
{
    const Error classified = m_certificates->classify(error);
    qCInfo(lcAccount) << "registration on" << m_server.jid << "connection error:" << classified.codeName()
                      << classified.detail;
    handleConnectionEnd(classified);
}

void Registration::handleConnectionEnd(const Error &error)
{
    // A server that closes the stream while the form is being filled in is only noticed at submit(), which
    // connects again; while connecting or waiting for an answer, it is a failure.
    const bool quietly = m_formShown && !m_awaitingResult;
    stop();
    if (!quietly)
        Q_EMIT failed(error);
}

void Registration::handleForm(const QXmppRegisterIq &iq)
{
    const Form form = RegisterForm::fromIq(iq);
    m_fixedFields = form.fixedFields;
    if (m_token.isEmpty())
        return showForm(form);
    // The server validates the invitation for this stream before it takes the answers (XEP-0401).
    m_client->sendIq(PayloadIq(m_server.jid, preauthElement(m_token)))
        .then(this, [this, form](QXmppClient::IqResult &&result) {
            if (const auto *error = std::get_if<QXmppError>(&result)) {
                const auto stanzaError = error->value<QXmppStanza::Error>();
                stop();
                if (stanzaError)
                    Q_EMIT refused(Refusal::InvitationInvalid, stanzaError->text());
                else
                    Q_EMIT failed(Error(Error::Code::ConnectionLost, error->description));
                return;
            }
            showForm(form);
        });
}

void Registration::showForm(const Form &form)
{
    m_timeout.stop();
    m_formShown = true;
    // Answers waiting for a new connection go out at once, unless the new form has a new CAPTCHA.
    if (m_pendingAnswers && form.media.isEmpty())
        return sendAnswers();
    m_pendingAnswers.reset();
    Q_EMIT formReceived(form);
}

void Registration::submit(const QXmppDataForm &answers)
{
    m_pendingAnswers = answers;
    if (m_client && m_formShown && m_client->state() != QXmppClient::DisconnectedState)
        sendAnswers();
    else
        connectToServer();
}

void Registration::sendAnswers()
{
    const QXmppDataForm answers = *m_pendingAnswers;
    m_pendingAnswers.reset();
    m_username = RegisterForm::answerOf(answers, QStringLiteral("username"));
    m_password = RegisterForm::answerOf(answers, QStringLiteral("password"));
    if (m_fixedFields) {
        QXmppRegisterIq iq;
        iq.setUsername(m_username);
        iq.setPassword(m_password);
        const QString email = RegisterForm::answerOf(answers, QStringLiteral("email"));
        if (!email.isEmpty())
            iq.setEmail(email);
        m_manager->setRegistrationFormToSend(iq);
    } else {
        m_manager->setRegistrationFormToSend(answers);
    }
    m_timeout.start();
    m_awaitingResult = true;
    m_manager->sendCachedRegistrationForm();
}

void Registration::cancel()
{
    m_pendingAnswers.reset();
    stop();
}

void Registration::stop()
{
    m_timeout.stop();
    m_formShown = false;
    m_awaitingResult = false;
    if (!m_client)
        return;
    m_client->disconnect(this);
    m_manager->disconnect(this);
    if (m_client->state() != QXmppClient::DisconnectedState)
        m_client->disconnectFromServer();
    m_client->deleteLater();
    m_client = nullptr;
    m_manager = nullptr;
}

} // namespace Natter::Core
