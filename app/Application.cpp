// SPDX-License-Identifier: GPL-3.0-or-later
// The composition root of the desktop app: creates the account manager and the main window and wires them.
#include "Application.h"

#include "account/AccountManager.h"
#include "common/Paths.h"
#include "presenters/ErrorPresenter.h"
#include "widgets/MainWindow.h"

#include <QStatusBar>

namespace Natter::App {

using Core::Result;
using Core::Success;
namespace ProfileTransfer = Core::ProfileTransfer;

Application::Application(const QString &profileDirectory, const QList<QSslCertificate> &caCertificates,
                         QObject *parent)
    : QObject(parent)
    , m_profileDirectory(profileDirectory)
    , m_caCertificates(caCertificates)
{
    createProfile();
}

Application::~Application()
{
    // Leave the servers cleanly before the window and the accounts go away.
    m_accounts->disconnectAll();
    m_window.reset();
}

void Application::createProfile()
{
    m_accounts = std::make_unique<Core::AccountManager>(m_profileDirectory);
    m_accounts->setAdditionalCaCertificates(m_caCertificates);
    m_window = std::make_unique<Ui::MainWindow>(*m_accounts);
    connect(m_window.get(), &Ui::MainWindow::profileImportReady, this,
            [this](const QString &incoming, const ProfileTransfer::Secrets &secrets) {
                // Not from inside the window's own signal: the window is about to go.
                QMetaObject::invokeMethod(
                    this, [this, incoming, secrets] { adoptImportedProfile(incoming, secrets); },
                    Qt::QueuedConnection);
            });
}

QFuture<Result<Success>> Application::start()
{
    return open({});
}

QFuture<Result<Success>> Application::open(const ProfileTransfer::Secrets &secrets)
{
    m_window->show();
    return m_accounts->open()
        .then(this,
              [this, secrets](const Result<Success> &opened) {
                  if (!Core::isOk(opened)) {
                      m_window->profileFailed(Core::errorOf(opened));
                      return QtFuture::makeReadyValueFuture(opened);
                  }
                  if (secrets.isEmpty()) {
                      m_window->profileOpened();
                      return QtFuture::makeReadyValueFuture(opened);
                  }
                  // The imported passwords go where each account keeps its password before the accounts
                  // connect.
                  return ProfileTransfer::restorePasswords(*m_accounts, secrets)
                      .then(this, [this](const Result<Success> &restored) {
                          m_window->profileOpened();
                          // The accounts have their passwords for now; the next start asks for them.
                          if (!Core::isOk(restored))
                              m_window->statusBar()->showMessage(
                                  tr("The imported passwords could not be kept: %1")
                                      .arg(Ui::ErrorPresenter::describe(Core::errorOf(restored))));
                          return Result<Success>(Success{});
                      });
              })
        .unwrap();
}

void Application::adoptImportedProfile(const QString &incoming, const ProfileTransfer::Secrets &secrets)
{
    if (!m_accounts->accounts().isEmpty())
        return;
    const QRect geometry = m_window->geometry();
    m_window.reset();
    m_accounts.reset();
    const auto adopted =
        ProfileTransfer::adoptProfile(incoming, Core::Paths::profileDirectory(m_profileDirectory));
    createProfile();
    m_window->setGeometry(geometry);
    open(Core::isOk(adopted) ? secrets : ProfileTransfer::Secrets{});
    m_window->reportProfileImport(adopted);
}

} // namespace Natter::App
