// SPDX-License-Identifier: GPL-3.0-or-later
// An existing account as a user manages it: its settings dialog, where its password lives, the password
// prompt at start, an unreachable server's countdown, removing the account, its name and colour, and a
// proxy (Tor).
#include "Application.h"
#include "Screenshot.h"
#include "TestProfile.h"
#include "TestProxy.h"
#include "TestServer.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "account/CredentialStore.h"
#include "common/Paths.h"
#include "presenters/ErrorPresenter.h"
#include "profile/ProfileTransfer.h"
#include "widgets/AccountStatusWidget.h"
#include "widgets/MainWindow.h"
#include "widgets/contacts/ContactListWidget.h"
#include "widgets/dialogs/AccountSettingsDialog.h"
#include "widgets/dialogs/AccountWizard.h"
#include "widgets/dialogs/CertificateDialog.h"
#include "widgets/dialogs/ExportProfileDialog.h"
#include "widgets/dialogs/ImportProfileDialog.h"
#include "widgets/dialogs/PasswordDialog.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QStatusBar>
#include <QTest>
#include <QToolButton>
#include <QXmppClient.h>
#include <QXmppConfiguration.h>
#include <cmath>
#include <memory>
#include <vector>

using namespace Natter;
using namespace Natter::Core;
using namespace Natter::Test;
using Natter::App::Application;

namespace {
constexpr int NetworkTimeout = 20000;
constexpr int DialogTimeout = 5000;

template <typename T> T *child(QObject *parent, const char *name)
{
    return parent->findChild<T *>(QString::fromLatin1(name));
}

// The visible one, when an earlier dialog of the same name is still waiting for its deletion.
template <typename T> T *visibleChild(QObject *parent, const char *name)
{
    const auto candidates = parent->findChildren<T *>(QString::fromLatin1(name));
    for (T *candidate : candidates) {
        if (candidate->isVisible())
            return candidate;
    }
    return nullptr;
}

QSslCertificate fixtureCertificate(const TestServer &server, const QString &stem)
{
    return QSslCertificate::fromPath(server.stateDirectory() + u'/' + stem + QStringLiteral(".pem")).value(0);
}

QString fingerprintOf(const QSslCertificate &certificate)
{
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
}

// The label's text on one line (the dialog splits fingerprints in two).
QString oneLine(QLabel *label)
{
    return label ? label->text().remove(u'\n') : QString();
}

// Leaves the server cleanly, so no session of this test lingers for the next one.
void disconnectEverything(AccountManager &accounts)
{
    // QXmppClient reports a socket that is still closing as disconnected: wait for its disconnected signal.
    std::vector<std::unique_ptr<QSignalSpy>> closing;
    for (Account *account : accounts.accounts()) {
        if (account->client().state() != QXmppClient::DisconnectedState)
            closing.push_back(std::make_unique<QSignalSpy>(&account->client(), &QXmppClient::disconnected));
    }
    accounts.disconnectAll();
    for (const auto &spy : closing) {
        if (spy->isEmpty() && !spy->wait(DialogTimeout))
            qWarning() << "an account did not disconnect in time";
    }
}
} // namespace

class tst_UiAccountSettings : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void settingsChangesArePersisted();
    void movingThePasswordToAskEachStartDeletesTheFile();
    void wrongPasswordInThePasswordDialogShowsTheError();
    void unreachableServerShowsRetryCountdown();
    void removingTheAccountAsksAndForgetsEverything();
    void nameColourAndTorAreSetInTheSettings();
    void aProxyPasswordIsKeptWithTheAccountPassword();
    void anUntrustedCertificateIsShownAndTrustedOnlyAfterConfirming();
    void theWizardTrustsACertificateForTheAccountItAdds();
    void theProfileIsExportedUnderAPassphrase();
    void theFirstWindowImportsAProfileFromAnotherComputer();

private:
    // Adds the account to the profile before the app starts, as an earlier run would have left it.
    bool addAccount(const TestProfile &profile, const AccountConfig &config, const QString &password);
    bool addAlice(const TestProfile &profile, AccountConfig::PasswordStorage storage);
    static bool start(Application &app);
    // Clicks the settings button in the account's status row and returns the dialog it opened.
    static Ui::AccountSettingsDialog *openSettings(Ui::MainWindow &window, const QString &jid);
    static QLabel *statusLabel(Ui::MainWindow &window, const QString &jid);
    QString aliceJid() const { return m_server.jid(QStringLiteral("alice")); }
    QString alicePassword() const { return m_server.account(QStringLiteral("alice")).password; }

    TestServer m_server;
};

void tst_UiAccountSettings::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
    QVERIFY(m_server.directTlsPort > 0);
}

bool tst_UiAccountSettings::addAccount(const TestProfile &profile, const AccountConfig &config,
                                       const QString &password)
{
    AccountManager accounts(profile.path());
    if (!isOk(waitFor(accounts.open())))
        return false;
    const auto added = waitFor(accounts.addAccount(config, password));
    if (!isOk(added))
        qWarning() << "could not add" << config.jid << errorOf(added).codeName();
    return isOk(added);
}

bool tst_UiAccountSettings::addAlice(const TestProfile &profile, AccountConfig::PasswordStorage storage)
{
    AccountConfig config = m_server.accountConfig(QStringLiteral("alice"));
    config.passwordStorage = storage;
    const bool asked = storage == AccountConfig::PasswordStorage::AskEachStart;
    return addAccount(profile, config, asked ? QString() : alicePassword());
}

bool tst_UiAccountSettings::start(Application &app)
{
    const auto opened = waitFor(app.start());
    if (!isOk(opened))
        qWarning() << "profile did not open:" << errorOf(opened).codeName();
    return isOk(opened);
}

Ui::AccountSettingsDialog *tst_UiAccountSettings::openSettings(Ui::MainWindow &window, const QString &jid)
{
    Ui::AccountStatusWidget *row = window.statusWidget(jid);
    if (!row)
        return nullptr;
    QTest::mouseClick(child<QToolButton>(row, "accountSettingsButton"), Qt::LeftButton);
    const auto opened = [&] {
        return visibleChild<Ui::AccountSettingsDialog>(&window, "accountSettingsDialog");
    };
    if (!QTest::qWaitFor([&] { return opened() != nullptr; }, DialogTimeout))
        return nullptr;
    return opened();
}

QLabel *tst_UiAccountSettings::statusLabel(Ui::MainWindow &window, const QString &jid)
{
    Ui::AccountStatusWidget *row = window.statusWidget(jid);
    return row ? child<QLabel>(row, "accountStatusText") : nullptr;
}

void tst_UiAccountSettings::settingsChangesArePersisted()
{
    TestProfile profile;
    QVERIFY(addAlice(profile, AccountConfig::PasswordStorage::ProfileFile));
    Application app(profile.path(), m_server.caCertificates());
    const auto leave = qScopeGuard([&] { disconnectEverything(app.accountManager()); });
    QVERIFY(start(app));
    Account *alice = app.accountManager().account(aliceJid());
    QVERIFY(alice);
    QTRY_COMPARE_WITH_TIMEOUT(alice->state(), ConnectionState::Online, NetworkTimeout);
    QCOMPARE(alice->config().tlsMode, AccountConfig::TlsMode::StartTls);

    QPointer<Ui::AccountSettingsDialog> dialog = openSettings(app.mainWindow(), aliceJid());
    QVERIFY2(dialog, "the settings button did not open the account settings");
    // No certificate is trusted for the account: nothing about one is shown.
    QVERIFY(!dialog->findChild<QWidget *>(QStringLiteral("pinnedCertificateBox")));
    auto *port = child<QLineEdit>(dialog, "portEdit");
    QCOMPARE(port->text(), QString::number(m_server.c2sPort));
    QTest::keyClick(port, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(port, QString::number(m_server.directTlsPort));
    QCOMPARE(port->text(), QString::number(m_server.directTlsPort));
    auto *directTls = child<QCheckBox>(dialog, "directTlsCheck");
    QVERIFY(!directTls->isChecked());
    QTest::keyClick(directTls, Qt::Key_Space);
    QVERIFY(directTls->isChecked());

    QSignalSpy reconnected(alice, &Account::connected);
    QSignalSpy failed(alice, &Account::errorOccurred);
    QTest::mouseClick(child<QPushButton>(dialog, "saveButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog || !dialog->isVisible(), DialogTimeout);
    QCOMPARE(alice->config().port, m_server.directTlsPort);
    QCOMPARE(alice->config().tlsMode, AccountConfig::TlsMode::DirectTls);
    QCOMPARE(alice->config().host, m_server.host);

    {
        AccountManager reloaded(profile.path());
        QVERIFY(isOk(waitFor(reloaded.open())));
        Account *stored = reloaded.account(aliceJid());
        QVERIFY(stored);
        QCOMPARE(stored->config().port, m_server.directTlsPort);
        QCOMPARE(stored->config().tlsMode, AccountConfig::TlsMode::DirectTls);
        QVERIFY(stored->config() == alice->config());
        QCOMPARE(stored->password(), alicePassword());
    }

    // The account was online, so the new settings are used at once.
    QTRY_COMPARE_WITH_TIMEOUT(reconnected.size(), 1, NetworkTimeout);
    // Straight to the new port: no failed attempt on the way (and no error flashing in the status row).
    QVERIFY2(failed.isEmpty(),
             failed.isEmpty() ? "" : qPrintable(failed.first().first().value<Error>().codeName()));
    QCOMPARE(alice->state(), ConnectionState::Online);
    QCOMPARE(alice->client().configuration().port(), m_server.directTlsPort);
    QCOMPARE(alice->client().configuration().streamSecurityMode(), QXmppConfiguration::LegacySSL);
    QCOMPARE(statusLabel(app.mainWindow(), aliceJid())->text(), QStringLiteral("Online"));
}

void tst_UiAccountSettings::movingThePasswordToAskEachStartDeletesTheFile()
{
    TestProfile profile;
    QVERIFY(addAlice(profile, AccountConfig::PasswordStorage::ProfileFile));
    QString passwordFile;
    {
        Application app(profile.path(), m_server.caCertificates());
        const auto leave = qScopeGuard([&] { disconnectEverything(app.accountManager()); });
        QVERIFY(start(app));
        Account *alice = app.accountManager().account(aliceJid());
        QVERIFY(alice);
        QTRY_COMPARE_WITH_TIMEOUT(alice->state(), ConnectionState::Online, NetworkTimeout);
        passwordFile = app.accountManager().credentials().profileFileFor(aliceJid());
        QVERIFY(QFile::exists(passwordFile));
        QVERIFY(profile.allFileContents().contains(alicePassword().toUtf8()));

        QPointer<Ui::AccountSettingsDialog> dialog = openSettings(app.mainWindow(), aliceJid());
        QVERIFY(dialog);
        auto *storage = child<QComboBox>(dialog, "passwordStorageCombo");
        QCOMPARE(storage->currentData().toInt(), int(AccountConfig::PasswordStorage::ProfileFile));
        QTest::keyClick(storage, Qt::Key_Down);
        QCOMPARE(storage->currentData().toInt(), int(AccountConfig::PasswordStorage::AskEachStart));
        QTest::mouseClick(child<QPushButton>(dialog, "saveButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog || !dialog->isVisible(), DialogTimeout);

        QCOMPARE(alice->config().passwordStorage, AccountConfig::PasswordStorage::AskEachStart);
        QVERIFY(!QFile::exists(passwordFile));
        QVERIFY(!profile.allFileContents().contains(alicePassword().toUtf8()));
    }

    {
        AccountManager reopened(profile.path());
        QVERIFY(isOk(waitFor(reopened.open())));
        Account *alice = reopened.account(aliceJid());
        QVERIFY(alice);
        QCOMPARE(alice->config().passwordStorage, AccountConfig::PasswordStorage::AskEachStart);
        QVERIFY(!alice->hasPassword());
    }

    Application app(profile.path(), m_server.caCertificates());
    const auto leave = qScopeGuard([&] { disconnectEverything(app.accountManager()); });
    QSignalSpy asked(&app.accountManager(), &AccountManager::passwordRequired);
    QVERIFY(start(app));
    Account *alice = app.accountManager().account(aliceJid());
    QVERIFY(alice);
    // The stored conversations are listed first, then the accounts connect (or ask).
    QTRY_COMPARE_WITH_TIMEOUT(asked.size(), 1, DialogTimeout);
    QCOMPARE(asked.first().first().value<Account *>(), alice);
    QPointer<Ui::PasswordDialog> prompt;
    QTRY_VERIFY_WITH_TIMEOUT((prompt = visibleChild<Ui::PasswordDialog>(&app.mainWindow(), "passwordDialog")),
                             DialogTimeout);
    QCOMPARE(prompt->account(), alice);
    QCOMPARE(alice->state(), ConnectionState::Offline);

    QTest::keyClicks(child<QLineEdit>(prompt, "passwordEdit"), alicePassword());
    QTest::mouseClick(child<QPushButton>(prompt, "connectButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!prompt || !prompt->isVisible(), DialogTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(alice->state(), ConnectionState::Online, NetworkTimeout);
    QVERIFY(!QFile::exists(passwordFile));
}

void tst_UiAccountSettings::wrongPasswordInThePasswordDialogShowsTheError()
{
    TestProfile profile;
    QVERIFY(addAlice(profile, AccountConfig::PasswordStorage::AskEachStart));
    Application app(profile.path(), m_server.caCertificates());
    const auto leave = qScopeGuard([&] { disconnectEverything(app.accountManager()); });
    QVERIFY(start(app));
    Account *alice = app.accountManager().account(aliceJid());
    QVERIFY(alice);
    QPointer<Ui::PasswordDialog> prompt;
    QTRY_VERIFY_WITH_TIMEOUT((prompt = visibleChild<Ui::PasswordDialog>(&app.mainWindow(), "passwordDialog")),
                             DialogTimeout);

    const QString wrongPassword = QStringLiteral("not-alices-password-0815");
    QTest::keyClicks(child<QLineEdit>(prompt, "passwordEdit"), wrongPassword);
    QTest::mouseClick(child<QPushButton>(prompt, "connectButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!prompt || !prompt->isVisible(), DialogTimeout);

    QTRY_COMPARE_WITH_TIMEOUT(alice->state(), ConnectionState::Error, NetworkTimeout);
    QCOMPARE(alice->lastError().code, Error::Code::AuthenticationFailed);
    const QString expected = Ui::ErrorPresenter::describe(Error(Error::Code::AuthenticationFailed));
    QVERIFY(!expected.isEmpty());
    QCOMPARE(statusLabel(app.mainWindow(), aliceJid())->text(), expected);

    QVERIFY(!QFile::exists(app.accountManager().credentials().profileFileFor(aliceJid())));
    const QDir passwords(profile.path() + QStringLiteral("/passwords"));
    QVERIFY(!passwords.exists() || passwords.isEmpty());
    QVERIFY(!profile.allFileContents().contains(wrongPassword.toUtf8()));
    AccountManager reopened(profile.path());
    QVERIFY(isOk(waitFor(reopened.open())));
    QVERIFY(reopened.account(aliceJid()));
    QVERIFY(!reopened.account(aliceJid())->hasPassword());
}

void tst_UiAccountSettings::unreachableServerShowsRetryCountdown()
{
    TestProfile profile;
    AccountConfig config = m_server.accountConfig(QStringLiteral("carol"));
    config.port = TestServer::closedPort();
    QVERIFY(addAccount(profile, config, m_server.account(QStringLiteral("carol")).password));
    Application app(profile.path(), m_server.caCertificates());
    const auto leave = qScopeGuard([&] { disconnectEverything(app.accountManager()); });
    const QString carolJid = m_server.jid(QStringLiteral("carol"));
    QVERIFY(start(app));
    Account *carol = app.accountManager().account(carolJid);
    QVERIFY(carol);
    QSignalSpy scheduled(carol, &Account::reconnectScheduled);
    QVERIFY(scheduled.wait(NetworkTimeout));

    // The row refreshed when the retry was scheduled, and counts down since: N lies between now and then.
    const qint64 scheduledIn = scheduled.first().first().toLongLong();
    const qint64 remaining = carol->nextAttemptIn();
    QCOMPARE(carol->state(), ConnectionState::Error);
    QCOMPARE(carol->lastError().code, Error::Code::HostUnreachable);
    QVERIFY(remaining >= 0);
    const QString unreachable = Ui::ErrorPresenter::describe(Error(Error::Code::HostUnreachable));
    QStringList possible;
    for (qint64 seconds = qint64(std::ceil(double(remaining) / 1000.0));
         seconds <= qint64(std::ceil(double(scheduledIn) / 1000.0)); ++seconds)
        possible.append(unreachable + u' ' + Ui::ErrorPresenter::describeRetry(seconds * 1000));
    const QString shown = statusLabel(app.mainWindow(), carolJid)->text();
    QVERIFY2(possible.contains(shown), qPrintable(shown));
    QVERIFY(!Ui::ErrorPresenter::describeRetry(remaining).isEmpty());

    auto *action = child<QPushButton>(app.mainWindow().statusWidget(carolJid), "accountActionButton");
    QCOMPARE(action->text(), QStringLiteral("Retry now"));
    QSignalSpy states(carol, &Account::stateChanged);
    scheduled.clear();
    QTest::mouseClick(action, Qt::LeftButton);
    // The click itself makes the attempt: the automatic one was still pending.
    QCOMPARE(states.size(), 1);
    QCOMPARE(states.first().first().value<ConnectionState>(), ConnectionState::Connecting);
    QVERIFY(scheduled.wait(NetworkTimeout));
    QCOMPARE(carol->lastError().code, Error::Code::HostUnreachable);
}

void tst_UiAccountSettings::removingTheAccountAsksAndForgetsEverything()
{
    TestProfile profile;
    QVERIFY(addAlice(profile, AccountConfig::PasswordStorage::ProfileFile));
    Application app(profile.path(), m_server.caCertificates());
    const auto leave = qScopeGuard([&] { disconnectEverything(app.accountManager()); });
    QVERIFY(start(app));
    Ui::MainWindow &window = app.mainWindow();
    QPointer<Account> alice = app.accountManager().account(aliceJid());
    QVERIFY(alice);
    QTRY_COMPARE_WITH_TIMEOUT(alice->state(), ConnectionState::Online, NetworkTimeout);
    const QString passwordFile = app.accountManager().credentials().profileFileFor(aliceJid());
    QVERIFY(QFile::exists(passwordFile));
    auto *statusArea = child<QWidget>(&window, "accountStatusArea");
    QCOMPARE(statusArea->findChildren<Ui::AccountStatusWidget *>().size(), 1);

    QPointer<Ui::AccountSettingsDialog> dialog = openSettings(window, aliceJid());
    QVERIFY(dialog);
    QTest::mouseClick(child<QPushButton>(dialog, "removeAccountButton"), Qt::LeftButton);
    QPointer<QMessageBox> question;
    QTRY_VERIFY_WITH_TIMEOUT((question = visibleChild<QMessageBox>(dialog, "removeAccountQuestion")),
                             DialogTimeout);
    QVERIFY(question->text().contains(aliceJid()));
    // Asking removes nothing yet.
    QCOMPARE(app.accountManager().accounts().size(), 1);
    QVERIFY(QFile::exists(passwordFile));

    QSignalSpy removed(&app.accountManager(), &AccountManager::accountRemoved);
    QTest::mouseClick(child<QPushButton>(question, "confirmRemoveButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(removed.size(), 1, DialogTimeout);
    QCOMPARE(removed.first().first().toString(), aliceJid());
    QTRY_VERIFY_WITH_TIMEOUT(!dialog || !dialog->isVisible(), DialogTimeout);

    QVERIFY(app.accountManager().accounts().isEmpty());
    QVERIFY(!app.accountManager().account(aliceJid()));
    QVERIFY(!window.statusWidget(aliceJid()));
    QVERIFY(statusArea->findChildren<Ui::AccountStatusWidget *>().isEmpty());
    QVERIFY(!QFile::exists(passwordFile));
    QVERIFY(!profile.allFileContents().contains(alicePassword().toUtf8()));
    QTRY_VERIFY_WITH_TIMEOUT(!alice, DialogTimeout);

    AccountManager reopened(profile.path());
    QVERIFY(isOk(waitFor(reopened.open())));
    QVERIFY(reopened.accounts().isEmpty());
}

void tst_UiAccountSettings::nameColourAndTorAreSetInTheSettings()
{
    // Stands in for the Tor daemon: a SOCKS5 proxy that reaches the server.
    TestProxy tor(TestProxy::Protocol::Socks5, {{m_server.host, m_server.host}});
    QVERIFY2(tor.waitReady(), qPrintable(tor.errorOutput()));
    TestProfile profile;
    QVERIFY(addAlice(profile, AccountConfig::PasswordStorage::ProfileFile));
    Application app(profile.path(), m_server.caCertificates());
    const auto leave = qScopeGuard([&] { disconnectEverything(app.accountManager()); });
    QVERIFY(start(app));
    Account *alice = app.accountManager().account(aliceJid());
    QVERIFY(alice);
    QTRY_COMPARE_WITH_TIMEOUT(alice->state(), ConnectionState::Online, NetworkTimeout);
    app.mainWindow().resize(1000, 700);
    app.mainWindow().show();

    QPointer<Ui::AccountSettingsDialog> dialog = openSettings(app.mainWindow(), aliceJid());
    QVERIFY(dialog);
    auto *name = child<QLineEdit>(dialog, "accountNameEdit");
    QCOMPARE(name->placeholderText(), aliceJid());
    QTest::keyClicks(name, QStringLiteral("Work"));
    auto *colour = child<QComboBox>(dialog, "accountColourCombo");
    QCOMPARE(colour->currentData().toString(), QString()); // automatic
    colour->setCurrentIndex(colour->findData(QStringLiteral("#00897b")));
    auto *proxy = child<QComboBox>(dialog, "proxyCombo");
    auto *proxyHost = child<QLineEdit>(dialog, "proxyHostEdit");
    auto *proxyPort = child<QLineEdit>(dialog, "proxyPortEdit");
    QVERIFY(!proxyHost->isVisible());
    // A password typed for another kind of proxy is not kept once Tor is chosen.
    proxy->setCurrentIndex(proxy->findData(int(AccountConfig::ProxyType::Socks5)));
    QTest::keyClicks(child<QLineEdit>(dialog, "proxyPasswordEdit"), QStringLiteral("left-over"));
    proxy->setCurrentIndex(proxy->findData(int(AccountConfig::ProxyType::Tor)));
    QVERIFY(proxyHost->isVisible());
    QCOMPARE(proxyHost->text(), QStringLiteral("127.0.0.1"));
    QCOMPARE(proxyPort->text(), QStringLiteral("9050"));
    QVERIFY(!child<QLineEdit>(dialog, "proxyUserEdit")->isVisible()); // Tor here takes no password
    QVERIFY(child<QLabel>(dialog, "proxyNote")->isVisible());
    saveScreenshot(dialog, QStringLiteral("account-settings-tor.png"));
    proxyPort->setText(QString::number(tor.port()));

    QSignalSpy reconnected(alice, &Account::connected);
    QTest::mouseClick(child<QPushButton>(dialog, "saveButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog || !dialog->isVisible(), DialogTimeout);
    QCOMPARE(alice->config().displayName, QStringLiteral("Work"));
    QCOMPARE(alice->config().colour, QStringLiteral("#00897b"));
    QCOMPARE(alice->config().proxyType, AccountConfig::ProxyType::Tor);
    QCOMPARE(alice->config().proxyPort, int(tor.port()));
    QVERIFY(alice->config().proxyUser.isEmpty());
    QVERIFY(alice->proxyPassword().isEmpty());

    // The account was online: it comes back through Tor at once, and says so.
    QTRY_COMPARE_WITH_TIMEOUT(reconnected.size(), 1, NetworkTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(statusLabel(app.mainWindow(), aliceJid())->text(),
                              QStringLiteral("Online, through Tor"), NetworkTimeout);
    const auto requests = tor.requests();
    QVERIFY(!requests.isEmpty());
    QCOMPARE(requests.last().port, m_server.c2sPort);
    QCOMPARE(requests.last().outcome, QStringLiteral("ok"));
    Ui::AccountStatusWidget *row = app.mainWindow().statusWidget(aliceJid());
    QCOMPARE(child<QLabel>(row, "accountName")->text(), QStringLiteral("Work"));
    QCOMPARE(child<QLabel>(row, "accountName")->toolTip(), aliceJid());
    QVERIFY(!child<QLabel>(row, "accountColour")->pixmap().isNull());
    saveScreenshot(&app.mainWindow(), QStringLiteral("account-named-through-tor.png"));

    AccountManager reloaded(profile.path());
    QVERIFY(isOk(waitFor(reloaded.open())));
    QVERIFY(reloaded.account(aliceJid()));
    QVERIFY(reloaded.account(aliceJid())->config() == alice->config());
}

void tst_UiAccountSettings::aProxyPasswordIsKeptWithTheAccountPassword()
{
    TestProxy proxy(TestProxy::Protocol::HttpConnect, {{m_server.host, m_server.host}},
                    QStringLiteral("natter"), QStringLiteral("proxy-secret"));
    QVERIFY2(proxy.waitReady(), qPrintable(proxy.errorOutput()));
    TestProfile profile;
    QVERIFY(addAlice(profile, AccountConfig::PasswordStorage::ProfileFile));
    {
        Application app(profile.path(), m_server.caCertificates());
        const auto leave = qScopeGuard([&] { disconnectEverything(app.accountManager()); });
        QVERIFY(start(app));
        Account *alice = app.accountManager().account(aliceJid());
        QVERIFY(alice);
        QPointer<Ui::AccountSettingsDialog> dialog = openSettings(app.mainWindow(), aliceJid());
        QVERIFY(dialog);
        auto *type = child<QComboBox>(dialog, "proxyCombo");
        type->setCurrentIndex(type->findData(int(AccountConfig::ProxyType::HttpConnect)));
        QVERIFY(child<QLineEdit>(dialog, "proxyUserEdit")->isVisible());
        // A proxy without a host is refused on the spot.
        QTest::mouseClick(child<QPushButton>(dialog, "saveButton"), Qt::LeftButton);
        QVERIFY(dialog->isVisible());
        QVERIFY(dialog->errorText().contains(QStringLiteral("proxy")));
        child<QLineEdit>(dialog, "proxyHostEdit")->setText(QStringLiteral("127.0.0.1"));
        child<QLineEdit>(dialog, "proxyPortEdit")->setText(QString::number(proxy.port()));
        child<QLineEdit>(dialog, "proxyUserEdit")->setText(QStringLiteral("natter"));
        QTest::keyClicks(child<QLineEdit>(dialog, "proxyPasswordEdit"), QStringLiteral("proxy-secret"));
        QTest::mouseClick(child<QPushButton>(dialog, "saveButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog || !dialog->isVisible(), DialogTimeout);
        QCOMPARE(alice->proxyPassword(), QStringLiteral("proxy-secret"));
        QTRY_COMPARE_WITH_TIMEOUT(statusLabel(app.mainWindow(), aliceJid())->text(),
                                  QStringLiteral("Online, through a proxy"), NetworkTimeout);
    }
    // Where the account's password is (here the profile file), and read back at the next start.
    AccountManager reloaded(profile.path());
    QVERIFY(isOk(waitFor(reloaded.open())));
    Account *alice = reloaded.account(aliceJid());
    QVERIFY(alice);
    QCOMPARE(alice->config().proxyUser, QStringLiteral("natter"));
    QCOMPARE(alice->proxyPassword(), QStringLiteral("proxy-secret"));
    QCOMPARE(alice->password(), alicePassword());
    const auto requests = proxy.requests();
    QVERIFY(std::any_of(requests.cbegin(), requests.cend(),
                        [](const TestProxy::Request &request) { return request.outcome == u"ok"; }));
    // Removing the account forgets the proxy password too.
    QVERIFY(isOk(waitFor(reloaded.removeAccount(aliceJid()))));
    QVERIFY(
        !QFile::exists(reloaded.credentials().profileFileFor(CredentialStore::proxySecretName(aliceJid()))));
}

void tst_UiAccountSettings::anUntrustedCertificateIsShownAndTrustedOnlyAfterConfirming()
{
    TestProfile profile;
    QVERIFY(addAlice(profile, AccountConfig::PasswordStorage::ProfileFile));
    const QSslCertificate served = fixtureCertificate(m_server, QStringLiteral("server"));
    QVERIFY(!served.isNull());
    {
        // Without the test CA, the server's certificate does not verify: as with a self-signed one.
        Application app(profile.path(), {});
        const auto leave = qScopeGuard([&] { disconnectEverything(app.accountManager()); });
        QVERIFY(start(app));
        Account *alice = app.accountManager().account(aliceJid());
        QVERIFY(alice);
        QTRY_COMPARE_WITH_TIMEOUT(alice->state(), ConnectionState::Error, NetworkTimeout);
        QCOMPARE(alice->lastError().code, Error::Code::CertificateRejected);
        QCOMPARE(alice->nextAttemptIn(), -1);

        Ui::MainWindow &window = app.mainWindow();
        auto *action = child<QPushButton>(window.statusWidget(aliceJid()), "accountActionButton");
        QVERIFY(action);
        QCOMPARE(action->text(), QStringLiteral("Show certificate…"));
        QTest::mouseClick(action, Qt::LeftButton);
        QPointer<Ui::CertificateDialog> dialog;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = visibleChild<Ui::CertificateDialog>(&window, "certificateDialog")),
                                 DialogTimeout);
        QCOMPARE(oneLine(child<QLabel>(dialog, "certificateFingerprint")), fingerprintOf(served));
        QVERIFY(child<QLabel>(dialog, "certificateSubject")->text().contains(m_server.domain));
        QVERIFY2(child<QLabel>(dialog, "certificateIssuer")->text().contains(u"Natter Test CA"),
                 qPrintable(child<QLabel>(dialog, "certificateIssuer")->text()));
        QVERIFY(!child<QLabel>(dialog, "certificateValidity")->text().isEmpty());
        QVERIFY(!child<QLabel>(dialog, "certificateProblems")->text().isEmpty());
        QVERIFY(!child<QLabel>(dialog, "previousFingerprint"));
        // Trusting takes an explicit confirmation.
        auto *trust = child<QPushButton>(dialog, "trustCertificateButton");
        QVERIFY(!trust->isEnabled());
        QTest::mouseClick(child<QCheckBox>(dialog, "certificateConfirmCheck"), Qt::LeftButton);
        QVERIFY(trust->isEnabled());
        saveScreenshot(dialog, QStringLiteral("certificate-dialog.png"));
        QTest::mouseClick(trust, Qt::LeftButton);

        QTRY_COMPARE_WITH_TIMEOUT(alice->state(), ConnectionState::Online, NetworkTimeout);
        QCOMPARE(alice->config().pinnedCertificate, served.toDer());

        // The account's settings show the trusted certificate, and can stop trusting it.
        Ui::AccountSettingsDialog *settings = openSettings(window, aliceJid());
        QVERIFY(settings);
        QVERIFY(child<QWidget>(settings, "pinnedCertificateBox")->isVisible());
        QCOMPARE(oneLine(child<QLabel>(settings, "pinnedCertificateFingerprint")), fingerprintOf(served));
        saveScreenshot(settings, QStringLiteral("account-trusted-certificate.png"));
        auto *forget = child<QCheckBox>(settings, "forgetCertificateCheck");
        QTest::mouseClick(forget, Qt::LeftButton, {}, QPoint(8, forget->height() / 2)); // on the box
        QVERIFY(forget->isChecked());
        QTest::mouseClick(child<QPushButton>(settings, "saveButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(alice->config().pinnedCertificate.isEmpty(), NetworkTimeout);
    }

    // Another certificate is trusted now (as if the server had had another before): at the next start the one
    // the server presents is refused again, with a warning naming both fingerprints.
    const QSslCertificate before = fixtureCertificate(m_server, QStringLiteral("rogue"));
    {
        AccountManager accounts(profile.path());
        QVERIFY(isOk(waitFor(accounts.open())));
        QVERIFY(accounts.account(aliceJid())->config().pinnedCertificate.isEmpty());
        AccountConfig config = accounts.account(aliceJid())->config();
        config.pinnedCertificate = before.toDer();
        QVERIFY(isOk(waitFor(accounts.updateAccount(config, std::nullopt))));
    }
    Application app(profile.path(), {});
    const auto leave = qScopeGuard([&] { disconnectEverything(app.accountManager()); });
    QVERIFY(start(app));
    Account *alice = app.accountManager().account(aliceJid());
    QTRY_COMPARE_WITH_TIMEOUT(alice->state(), ConnectionState::Error, NetworkTimeout);
    QCOMPARE(alice->lastError().code, Error::Code::CertificateChanged);
    Ui::MainWindow &window = app.mainWindow();
    QCOMPARE(statusLabel(window, aliceJid())->text(), Ui::ErrorPresenter::describe(alice->lastError()));
    QVERIFY(statusLabel(window, aliceJid())->text().contains(fingerprintOf(served)));
    QTest::mouseClick(child<QPushButton>(window.statusWidget(aliceJid()), "accountActionButton"),
                      Qt::LeftButton);
    QPointer<Ui::CertificateDialog> dialog;
    QTRY_VERIFY_WITH_TIMEOUT((dialog = visibleChild<Ui::CertificateDialog>(&window, "certificateDialog")),
                             DialogTimeout);
    QVERIFY(
        child<QLabel>(dialog, "certificateHeadline")->text().contains(u"not the certificate you trusted"));
    QCOMPARE(oneLine(child<QLabel>(dialog, "previousFingerprint")), fingerprintOf(before));
    QCOMPARE(oneLine(child<QLabel>(dialog, "certificateFingerprint")), fingerprintOf(served));
    saveScreenshot(dialog, QStringLiteral("certificate-changed.png"));
    // Declined: nothing changes, nothing connects.
    QTest::mouseClick(child<QPushButton>(dialog, "rejectCertificateButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog || !dialog->isVisible(), DialogTimeout);
    QTest::qWait(300);
    QCOMPARE(alice->state(), ConnectionState::Error);
    QCOMPARE(alice->config().pinnedCertificate, before.toDer());
}

void tst_UiAccountSettings::theWizardTrustsACertificateForTheAccountItAdds()
{
    qRegisterMetaType<Account *>();
    TestProfile profile;
    AccountManager accounts(profile.path()); // no test CA
    QVERIFY(isOk(waitFor(accounts.open())));
    const auto leave = qScopeGuard([&] { disconnectEverything(accounts); });
    Ui::AccountWizard wizard(accounts);
    wizard.show();
    QTest::keyClicks(child<QLineEdit>(&wizard, "jidEdit"), aliceJid());
    QTest::keyClicks(child<QLineEdit>(&wizard, "passwordEdit"), alicePassword());
    QTest::mouseClick(child<QToolButton>(&wizard, "advancedToggle"), Qt::LeftButton);
    QTest::keyClicks(child<QLineEdit>(&wizard, "hostEdit"), m_server.host);
    QTest::keyClicks(child<QLineEdit>(&wizard, "portEdit"), QString::number(m_server.c2sPort));
    QTest::mouseClick(child<QPushButton>(&wizard, "finishButton"), Qt::LeftButton);

    auto *showCertificate = child<QPushButton>(&wizard, "wizardCertificateButton");
    QTRY_VERIFY_WITH_TIMEOUT(showCertificate->isVisible(), NetworkTimeout);
    QVERIFY(accounts.accounts().isEmpty());
    QTest::mouseClick(showCertificate, Qt::LeftButton);
    QPointer<Ui::CertificateDialog> dialog;
    QTRY_VERIFY_WITH_TIMEOUT((dialog = visibleChild<Ui::CertificateDialog>(&wizard, "certificateDialog")),
                             DialogTimeout);
    const QSslCertificate served = fixtureCertificate(m_server, QStringLiteral("server"));
    QCOMPARE(oneLine(child<QLabel>(dialog, "certificateFingerprint")), fingerprintOf(served));
    QTest::mouseClick(child<QCheckBox>(dialog, "certificateConfirmCheck"), Qt::LeftButton);
    QSignalSpy added(&wizard, &Ui::AccountWizard::accountAdded);
    QTest::mouseClick(child<QPushButton>(dialog, "trustCertificateButton"), Qt::LeftButton);

    // The login goes on with that certificate; without a keychain the wizard asks where to keep the password.
    QMessageBox *question = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(
        !added.isEmpty() ||
            ((question = child<QMessageBox>(&wizard, "passwordStorageQuestion")) && question->isVisible()),
        NetworkTimeout);
    if (added.isEmpty()) {
        QTest::mouseClick(child<QPushButton>(question, "keepInProfileButton"), Qt::LeftButton);
        QVERIFY(added.wait(NetworkTimeout));
    }
    Account *alice = accounts.account(aliceJid());
    QVERIFY(alice);
    QCOMPARE(alice->config().pinnedCertificate, served.toDer());
}

void tst_UiAccountSettings::theProfileIsExportedUnderAPassphrase()
{
    TestProfile profile;
    QVERIFY(addAlice(profile, AccountConfig::PasswordStorage::ProfileFile));
    Application app(profile.path(), m_server.caCertificates());
    const auto leave = qScopeGuard([&] { disconnectEverything(app.accountManager()); });
    QVERIFY(start(app));
    Ui::MainWindow &window = app.mainWindow();
    auto *action = window.findChild<QAction *>(QStringLiteral("exportProfileAction"));
    QVERIFY(action);
    action->trigger();
    QPointer<Ui::ExportProfileDialog> dialog;
    QTRY_VERIFY_WITH_TIMEOUT((dialog = visibleChild<Ui::ExportProfileDialog>(&window, "exportProfileDialog")),
                             DialogTimeout);
    TestProfile carrier;
    const QString archive = QDir(carrier.path()).filePath(QStringLiteral("alice.natter"));
    auto *file = child<QLineEdit>(dialog, "exportFileEdit");
    file->clear();
    QTest::keyClicks(file, archive);
    auto *exportButton = child<QPushButton>(dialog, "exportButton");
    // A short passphrase, then two that differ, are not taken.
    QTest::keyClicks(child<QLineEdit>(dialog, "exportPassphraseEdit"), QStringLiteral("short"));
    QVERIFY(!exportButton->isEnabled());
    QVERIFY(dialog->statusText().contains(u"at least 12"));
    QTest::keyClicks(child<QLineEdit>(dialog, "exportPassphraseEdit"), QStringLiteral(" but long enough"));
    QTest::keyClicks(child<QLineEdit>(dialog, "exportRepeatEdit"), QStringLiteral("short but long"));
    QVERIFY(!exportButton->isEnabled());
    QVERIFY(dialog->statusText().contains(u"differ"));
    QTest::keyClicks(child<QLineEdit>(dialog, "exportRepeatEdit"), QStringLiteral(" enough"));
    QVERIFY(exportButton->isEnabled());
    QTest::mouseClick(child<QCheckBox>(dialog, "exportPasswordsCheck"), Qt::LeftButton);
    saveScreenshot(dialog, QStringLiteral("export-profile.png"));
    QTest::mouseClick(exportButton, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->statusText().startsWith(u"Exported"), NetworkTimeout);

    // What it wrote opens with that passphrase, with Alice and her password in it.
    TestProfile elsewhere;
    const auto imported = waitFor(
        ProfileTransfer::importProfile(archive, QStringLiteral("short but long enough"), elsewhere.path()));
    QVERIFY2(isOk(imported), qPrintable(errorOf(imported).detail));
    QCOMPARE(std::get<ProfileTransfer::Secrets>(imported).value(aliceJid()), alicePassword());
    AccountManager reopened(elsewhere.path());
    QVERIFY(isOk(waitFor(reopened.open())));
    QVERIFY(reopened.account(aliceJid()));
}

void tst_UiAccountSettings::theFirstWindowImportsAProfileFromAnotherComputer()
{
    // The old computer: Alice's profile, exported with her password.
    TestProfile old;
    QVERIFY(addAlice(old, AccountConfig::PasswordStorage::ProfileFile));
    TestProfile carrier;
    const QString archive = QDir(carrier.path()).filePath(QStringLiteral("moving.natter"));
    const QString passphrase = QStringLiteral("moving day, new desk");
    {
        AccountManager accounts(old.path());
        QVERIFY(isOk(waitFor(accounts.open())));
        QTRY_VERIFY(accounts.account(aliceJid()) && accounts.account(aliceJid())->hasPassword());
        QVERIFY(isOk(waitFor(ProfileTransfer::exportProfile(accounts, archive, passphrase, true))));
    }

    // The new computer: its first window's wizard offers the import.
    TestProfile fresh;
    auto app = std::make_unique<Application>(fresh.path(), m_server.caCertificates());
    const auto leave = qScopeGuard([&] {
        if (app)
            disconnectEverything(app->accountManager());
    });
    QVERIFY(start(*app));
    QPointer<Ui::AccountWizard> wizard;
    QTRY_VERIFY_WITH_TIMEOUT((wizard = visibleChild<Ui::AccountWizard>(&app->mainWindow(), "accountWizard")),
                             DialogTimeout);
    QVERIFY(child<QAction>(&app->mainWindow(), "importProfileAction")->isEnabled());
    auto *offer = child<QPushButton>(wizard, "wizardImportButton");
    QVERIFY(offer->isVisible());
    QTest::mouseClick(offer, Qt::LeftButton);
    QPointer<Ui::ImportProfileDialog> dialog;
    QTRY_VERIFY_WITH_TIMEOUT(
        (dialog = visibleChild<Ui::ImportProfileDialog>(&app->mainWindow(), "importProfileDialog")),
        DialogTimeout);
    QTRY_VERIFY(!wizard);
    auto *importButton = child<QPushButton>(dialog, "importButton");
    QVERIFY(!importButton->isEnabled());
    QTest::keyClicks(child<QLineEdit>(dialog, "importFileEdit"), archive);
    auto *passphraseEdit = child<QLineEdit>(dialog, "importPassphraseEdit");

    // A wrong passphrase is told, and changes nothing: the profile is still empty, nothing is left unpacked.
    QTest::keyClicks(passphraseEdit, QStringLiteral("moving day, old desk"));
    QTest::mouseClick(importButton, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->statusText().contains(u"passphrase is wrong"), NetworkTimeout);
    QVERIFY(app->accountManager().accounts().isEmpty());
    QVERIFY(
        QDir(fresh.path()).entryList({QStringLiteral(".incoming-*")}, QDir::Dirs | QDir::Hidden).isEmpty());

    // The right one: the profile is replaced by Alice's, whose account logs in with the password it carried.
    passphraseEdit->clear();
    QTest::keyClicks(passphraseEdit, passphrase);
    QVERIFY(dialog->statusText().isEmpty());
    saveScreenshot(dialog, QStringLiteral("import-profile.png"));
    QTest::mouseClick(importButton, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(app->accountManager().account(aliceJid()), NetworkTimeout);
    Account *alice = app->accountManager().account(aliceJid());
    QTRY_COMPARE_WITH_TIMEOUT(alice->state(), ConnectionState::Online, NetworkTimeout);
    QVERIFY(!child<QAction>(&app->mainWindow(), "importProfileAction")->isEnabled());
    // What the empty profile held is set aside inside it, not deleted, and the window says where.
    const QStringList setAside =
        QDir(fresh.path()).entryList({QStringLiteral("before-import-*")}, QDir::Dirs);
    QCOMPARE(setAside.size(), 1);
    QVERIFY(QFileInfo::exists(QDir(fresh.path())
                                  .filePath(setAside.first() + u'/' +
                                            QFileInfo(Paths::databaseFile(QStringLiteral("."))).fileName())));
    QVERIFY2(app->mainWindow().statusBar()->currentMessage().contains(setAside.first()),
             qPrintable(app->mainWindow().statusBar()->currentMessage()));
    saveScreenshot(&app->mainWindow(), QStringLiteral("profile-imported.png"));
    disconnectEverything(app->accountManager());
    app.reset();

    // The password was kept where the account keeps it: the next start logs in without asking.
    AccountManager reopened(fresh.path());
    QVERIFY(isOk(waitFor(reopened.open())));
    QVERIFY(reopened.account(aliceJid()));
    QTRY_VERIFY(reopened.account(aliceJid())->hasPassword());
    QCOMPARE(reopened.account(aliceJid())->password(), alicePassword());
}

QTEST_MAIN(tst_UiAccountSettings)
#include "tst_ui_account_settings.moc"
