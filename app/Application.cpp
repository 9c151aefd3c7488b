// SPDX-License-Identifier: GPL-3.0-or-later
// The composition root of the desktop app: creates the account manager and the main window and wires them.
#include "Application.h"

#include "account/AccountManager.h"
#include "widgets/MainWindow.h"

namespace Natter::App {

using Core::Result;
using Core::Success;

Application::Application(const QString &profileDirectory, const QList<QSslCertificate> &caCertificates,
                         QObject *parent)
    : QObject(parent)
    , m_accounts(std::make_unique<Core::AccountManager>(profileDirectory))
{
    m_accounts->setAdditionalCaCertificates(caCertificates);
    m_window = std::make_unique<Ui::MainWindow>(*m_accounts);
}

Application::~Application()
{
    // Leave the servers cleanly before the window and the accounts go away.
    m_accounts->disconnectAll();
    m_window.reset();
}

QFuture<Result<Success>> Application::start()
{
    m_window->show();
    return m_accounts->open().then(this, [this](const Result<Success> &opened) {
        if (Core::isOk(opened))
            m_window->profileOpened();
        else
            m_window->profileFailed(Core::errorOf(opened));
        return opened;
    });
}

} // namespace Natter::App
