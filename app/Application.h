// SPDX-License-Identifier: GPL-3.0-or-later
// The composition root of the desktop app: creates the account manager and the main window and wires them.
#pragma once

#include "common/Result.h"
#include "profile/ProfileTransfer.h"

#include <QFuture>
#include <QObject>
#include <QSslCertificate>
#include <memory>

namespace Natter::Core {
class AccountManager;
}

namespace Natter::Ui {
class MainWindow;
}

namespace Natter::App {

class Application : public QObject
{
    Q_OBJECT
public:
    // profileDirectory: empty for the default location. caCertificates: trusted in addition to the
    // system's (never instead of verification).
    Application(const QString &profileDirectory, const QList<QSslCertificate> &caCertificates,
                QObject *parent = nullptr);
    ~Application() override;

    // Shows the main window and opens the profile; the window then connects the accounts or, on the
    // first run, opens the account wizard. Resolves once the profile is open or failed to open.
    QFuture<Core::Result<Core::Success>> start();

    // These change when a profile is imported: the window and the accounts are made anew.

    Core::AccountManager &accountManager() { return *m_accounts; }
    Ui::MainWindow &mainWindow() { return *m_window; }

private:
    void createProfile();
    QFuture<Core::Result<Core::Success>> open(const Core::ProfileTransfer::Secrets &secrets);
    void adoptImportedProfile(const QString &incoming, const Core::ProfileTransfer::Secrets &secrets);

    QString m_profileDirectory;
    QList<QSslCertificate> m_caCertificates;
    // Declared first so it is destroyed last: the window refers to it.
    std::unique_ptr<Core::AccountManager> m_accounts;
    std::unique_ptr<Ui::MainWindow> m_window;
};

} // namespace Natter::App
