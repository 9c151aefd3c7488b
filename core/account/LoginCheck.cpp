// SPDX-License-Identifier: GPL-3.0-or-later
#include "LoginCheck.h"

#include "Account.h"
#include "AccountManager.h"

namespace Natter::Core {

LoginCheck::LoginCheck(AccountConfig config, const QString &password,
                       const QList<QSslCertificate> &additionalCaCertificates,
                       std::chrono::milliseconds timeout, QObject *parent)
    : QObject(parent)
{
    // Its own resource, so the real account's first session does not replace it on the server.
    config.resource = AccountManager::generateResource();
    m_probe = new Account(config, this);
    m_probe->setPassword(password);
    m_probe->setAdditionalCaCertificates(additionalCaCertificates);
    connect(m_probe, &Account::connected, this, [this] { finishWith({}); });
    connect(m_probe, &Account::errorOccurred, this, &LoginCheck::finishWith);
    m_timeout.setSingleShot(true);
    m_timeout.setInterval(timeout);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        const Error last = m_probe ? m_probe->lastError() : Error();
        finishWith(last.isError() ? last : Error(Error::Code::Timeout));
    });
}

LoginCheck::~LoginCheck()
{
    stop();
}

void LoginCheck::setProxyPassword(const QString &password)
{
    m_probe->setProxyPassword(password);
}

void LoginCheck::start()
{
    m_timeout.start();
    m_probe->connectToServer();
}

void LoginCheck::cancel()
{
    m_done = true;
    stop();
    deleteLater();
}

void LoginCheck::finishWith(const Error &error)
{
    if (m_done)
        return;
    m_done = true;
    stop();
    Q_EMIT finished(error);
    deleteLater();
}

void LoginCheck::stop()
{
    m_timeout.stop();
    if (!m_probe)
        return;
    m_probe->disconnect(this);
    m_probe->disconnectFromServer();
}

} // namespace Natter::Core
