// SPDX-License-Identifier: GPL-3.0-or-later
// Logs in once over a throw-away connection, to prove a JID and password before anything is stored.
#pragma once

#include "common/Error.h"
#include "domain/AccountConfig.h"

#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QTimer>
#include <chrono>

namespace Natter::Core {

class Account;

class LoginCheck : public QObject
{
    Q_OBJECT
public:
    LoginCheck(AccountConfig config, const QString &password,
               const QList<QSslCertificate> &additionalCaCertificates, std::chrono::milliseconds timeout,
               QObject *parent = nullptr);
    ~LoginCheck() override;

    void setProxyPassword(const QString &password);
    void start();
    // Stops the check; finished() is not emitted and the object deletes itself.
    void cancel();

Q_SIGNALS:
    // error.isError() is false when the login succeeded. The object deletes itself afterwards.
    void finished(const Natter::Core::Error &error);

private:
    void finishWith(const Error &error);
    void stop();

    QPointer<Account> m_probe;
    QTimer m_timeout;
    bool m_done = false;
};

} // namespace Natter::Core
