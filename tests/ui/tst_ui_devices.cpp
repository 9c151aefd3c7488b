// SPDX-License-Identifier: GPL-3.0-or-later
// The OMEMO device dialogs and the chat's warning about undecided devices, with real widgets against the real
// Prosody and an independent OMEMO client (support/omemo_peer.py) as the contact. With NATTER_SCREENSHOT_DIR
// set, screenshots() also writes the documentation's pictures of an encrypted chat and a device list there.
#include "Application.h"
#include "Contacts.h"
#include "OmemoPeer.h"
#include "OnlineAccount.h"
#include "RunningApp.h"
#include "TestProfile.h"
#include "TestServer.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "crypto/DeviceTrustService.h"
#include "crypto/EncryptionService.h"
#include "crypto/Fingerprint.h"
#include "crypto/LegacyOmemoEngine.h"
#include "crypto/LegacyOmemoService.h"
#include "crypto/VerificationUri.h"
#include "models/MessageListModel.h"
#include "presenters/ErrorPresenter.h"
#include "roster/RosterService.h"
#include "roster/SubscriptionService.h"
#include "widgets/Composer.h"
#include "widgets/MainWindow.h"
#include "widgets/chat/EncryptionButton.h"
#include "widgets/crypto/DeviceListDialog.h"
#include "widgets/crypto/DevicePresenter.h"
#include "widgets/crypto/OwnQrCodeDialog.h"
#include "widgets/crypto/QrCodeView.h"
#include "widgets/crypto/QrScanDialog.h"
#include "widgets/crypto/UndecidedDeviceBanner.h"
#include "widgets/dialogs/AccountSettingsDialog.h"
#include "widgets/dialogs/ContactDetailsDialog.h"

#include <QAction>
#include <QCheckBox>
#include <QDir>
#include <QJsonArray>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace Natter;
using namespace Natter::Core;
using namespace Natter::Test;
using Natter::App::Application;
using Column = Ui::DeviceListDialog::Column;

namespace {
constexpr int NetworkTimeout = 30000;
constexpr int ScanTimeout = 20000;
const OmemoPeer::Options BothVersions{QStringLiteral("legacy,v2"), QStringLiteral("blind")};

template <typename T> T *child(QObject *parent, const char *name)
{
    return parent->findChild<T *>(QString::fromLatin1(name));
}

QString oneLine(QString text)
{
    return text.replace(u'\n', u' ');
}
} // namespace

class tst_UiDevices : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void contactDialogListsThePeersDeviceWithItsFingerprint();
    void distrustAndVerifyChangeTheRowAndTheCore();
    void scanningThePeersCodeVerifiesIt();
    void aCodeWithAnotherKeyShowsTheMismatchAndChangesNothing();
    void ownDialogShowsThisDeviceFirstAndTogglesManualTrust();
    void aNewUndecidedDeviceShowsTheBannerUntilDecided();
    void screenshots();

private:
    // Natter runs user's account; the contact is peerUser, played by omemo_peer.py.
    void startWith(const QString &user, const QString &peerUser);
    Ui::MainWindow &window() { return m_app->mainWindow(); }
    DeviceTrustService &trust() { return m_account->encryption()->deviceTrust(); }
    std::optional<OmemoDeviceInfo> coreDevice(const QString &jid, uint32_t id);
    // The dialog's row of the device once its key is known, or nullptr.
    static QTreeWidgetItem *waitForRow(Ui::DeviceListDialog *dialog, uint32_t id);
    static void clickRow(Ui::DeviceListDialog *dialog, QTreeWidgetItem *row);
    // The dialog's device list for peerJid, opened from the contact's details.
    Ui::DeviceListDialog *openFromContactDetails();
    // Renders uri as a QR code and has the dialog's "Scan QR code…" read the picture; false when the scanner
    // did not take it.
    bool scan(Ui::DeviceListDialog *dialog, const VerificationUri &uri);
    // Mutual presence subscription: device list changes reach us by PEP notification.
    bool becomeContacts(const QString &name = {});
    VerificationUri peerUri() const;
    // Whether the peer knows our device (it refreshes our device lists until it does).
    bool peerSeesUs();

    TestServer m_server;
    QTemporaryDir m_files;
    std::unique_ptr<TestProfile> m_profile;
    std::unique_ptr<Application> m_app;
    Account *m_account = nullptr;
    QString m_peerUser;
    QString m_peerJid;
    std::unique_ptr<OmemoPeer> m_peer;
};

void tst_UiDevices::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
    QVERIFY(m_files.isValid());
}

void tst_UiDevices::init()
{
    if (QByteArray(QTest::currentTestFunction()) == "screenshots") {
        // The fixture's own alice and bob read better in pictures; a fresh fixture has never seen them.
        if (!qEnvironmentVariableIsEmpty("NATTER_SCREENSHOT_DIR"))
            startWith(QStringLiteral("alice"), QStringLiteral("bob"));
        return;
    }
    const auto user = m_server.registerAccount(QStringLiteral("devui"));
    const auto peerUser = m_server.registerAccount(QStringLiteral("devpeer"));
    QVERIFY(user && peerUser);
    startWith(*user, *peerUser);
}

void tst_UiDevices::startWith(const QString &user, const QString &peerUser)
{
    auto running = startApp(m_server, user, NetworkTimeout);
    QVERIFY(running);
    m_profile = std::move(running->profile);
    m_app = std::move(running->app);
    m_account = running->account;
    QVERIFY(m_account->encryption());
    QTRY_VERIFY_WITH_TIMEOUT(m_account->encryption()->isReady(), NetworkTimeout);
    m_peerUser = peerUser;
    m_peerJid = m_server.jid(peerUser);
    m_peer = std::make_unique<OmemoPeer>(m_server, peerUser, BothVersions);
    QVERIFY2(m_peer->waitReady(), qPrintable(m_peer->errorOutput()));
}

void tst_UiDevices::cleanup()
{
    m_peer.reset();
    if (m_app)
        m_app->accountManager().disconnectAll();
    m_app.reset();
    m_profile.reset();
    m_account = nullptr;
}

std::optional<OmemoDeviceInfo> tst_UiDevices::coreDevice(const QString &jid, uint32_t id)
{
    const auto devices = waitFor(trust().devices(jid));
    if (!isOk(devices))
        return std::nullopt;
    for (const OmemoDeviceInfo &device : std::get<QList<OmemoDeviceInfo>>(devices)) {
        if (device.id == id)
            return device;
    }
    return std::nullopt;
}

QTreeWidgetItem *tst_UiDevices::waitForRow(Ui::DeviceListDialog *dialog, uint32_t id)
{
    const QString noKey = Ui::DevicePresenter::fingerprintLines(QString());
    QTreeWidgetItem *row = nullptr;
    [[maybe_unused]] const bool listed = QTest::qWaitFor(
        [&] {
            row = dialog->rowOf(id);
            return row && row->text(Column::FingerprintColumn) != noKey;
        },
        NetworkTimeout);
    return row && row->text(Column::FingerprintColumn) != noKey ? row : nullptr;
}

void tst_UiDevices::clickRow(Ui::DeviceListDialog *dialog, QTreeWidgetItem *row)
{
    QTreeWidget *list = dialog->deviceList();
    list->scrollToItem(row);
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(row).center());
}

Ui::DeviceListDialog *tst_UiDevices::openFromContactDetails()
{
    auto *details = new Ui::ContactDetailsDialog(*m_account, m_peerJid, &window());
    details->setAttribute(Qt::WA_DeleteOnClose);
    details->open();
    auto *button = child<QPushButton>(details, "encryptionDevicesButton");
    if (!button)
        return nullptr;
    QTest::mouseClick(button, Qt::LeftButton);
    auto *dialog = details->findChild<Ui::DeviceListDialog *>();
    return dialog && dialog->isVisible() ? dialog : nullptr;
}

VerificationUri tst_UiDevices::peerUri() const
{
    VerificationUri uri;
    uri.jid = m_peerJid;
    uri.devices.append(
        {m_peer->deviceId(), QByteArray::fromHex(m_peer->fingerprint(QStringLiteral("legacy")).toLatin1())});
    return uri;
}

bool tst_UiDevices::scan(Ui::DeviceListDialog *dialog, const VerificationUri &uri)
{
    const QString path =
        m_files.filePath(QStringLiteral("code-%1.png").arg(QDateTime::currentMSecsSinceEpoch()));
    if (!Ui::QrCodeView::render(uri.toString(), 8).save(path, "PNG"))
        return false;
    QTest::mouseClick(child<QPushButton>(dialog, "scanQrButton"), Qt::LeftButton);
    QPointer<Ui::QrScanDialog> scanner = dialog->findChild<Ui::QrScanDialog *>();
    if (!scanner || !scanner->isVisible())
        return false;
    // Opening starts the camera; there is none here. Its error comes first, then the picture is read.
    auto *status = child<QLabel>(scanner, "qrScanStatus");
    [[maybe_unused]] const bool noCamera =
        QTest::qWaitFor([status] { return status && status->isVisible(); }, 5000);
    scanner->scanImage(path);
    return QTest::qWaitFor([&scanner] { return !scanner || !scanner->isVisible(); }, ScanTimeout);
}

bool tst_UiDevices::peerSeesUs()
{
    const uint32_t ours = m_account->encryption()->legacy().engine()->deviceId();
    for (int attempt = 0; attempt < 20; ++attempt) {
        m_peer->command(
            {{QStringLiteral("cmd"), QStringLiteral("devices")}, {QStringLiteral("jid"), m_account->jid()}});
        const auto devices = m_peer->waitForEvent(QStringLiteral("devices"));
        if (!devices)
            return false;
        for (const QJsonValue &device : devices->value(QStringLiteral("devices")).toArray()) {
            if (uint32_t(device.toObject().value(QStringLiteral("id")).toInteger()) == ours)
                return true;
        }
        m_peer->command(
            {{QStringLiteral("cmd"), QStringLiteral("refresh")}, {QStringLiteral("jid"), m_account->jid()}});
        m_peer->waitForEvent(QStringLiteral("refreshed"));
    }
    return false;
}

bool tst_UiDevices::becomeContacts(const QString &name)
{
    if (!QTest::qWaitFor([this] { return m_account->roster().isLoaded(); }, NetworkTimeout))
        return false;
    if (!name.isEmpty())
        m_account->roster().add(m_peerJid, name, {});
    // The peer (slixmpp) approves and asks back on its own.
    m_account->subscriptions().requestSubscription(m_peerJid);
    m_account->subscriptions().preApprove(m_peerJid);
    return QTest::qWaitFor(
        [this] { return subscriptionOf(m_account, m_peerJid) == RosterItem::Subscription::Both; },
        NetworkTimeout);
}

void tst_UiDevices::contactDialogListsThePeersDeviceWithItsFingerprint()
{
    Ui::DeviceListDialog *dialog = openFromContactDetails();
    QVERIFY2(dialog, "the contact's details have no working \"Encryption devices…\" button");
    QVERIFY(!dialog->isOwnAccount());
    QVERIFY(!child<QPushButton>(dialog, "showOwnQrButton"));
    QVERIFY(!child<QCheckBox>(dialog, "manualTrustCheck"));

    QTreeWidgetItem *row = waitForRow(dialog, m_peer->deviceId());
    QVERIFY2(row, "the peer's device is not listed with its key");
    QCOMPARE(dialog->deviceList()->topLevelItemCount(), 1);
    // The fingerprint the peer reports, in two lines of four groups.
    const QString reported = m_peer->fingerprint(QStringLiteral("legacy"));
    QCOMPARE(reported.size(), 64);
    const QString grouped = Fingerprint::grouped(QByteArray::fromHex(reported.toLatin1()));
    QCOMPARE(row->text(Column::FingerprintColumn).count(u'\n'), 1);
    QCOMPARE(oneLine(row->text(Column::FingerprintColumn)), grouped);
    QCOMPARE(row->text(Column::VersionsColumn), QStringLiteral("OMEMO 2 and legacy OMEMO"));
    QCOMPARE(row->text(Column::DeviceColumn), QStringLiteral("Device %1").arg(m_peer->deviceId()));

    // The trust state in words is the core's: blind trust before verification makes it trusted automatically.
    const auto device = coreDevice(m_peerJid, m_peer->deviceId());
    QVERIFY(device);
    QCOMPARE(device->fingerprint(), grouped);
    QCOMPARE(device->trust, DeviceTrust::Trusted);
    QVERIFY(device->automatic);
    QTRY_COMPARE(dialog->rowOf(m_peer->deviceId())->text(Column::TrustColumn),
                 QStringLiteral("Trusted (automatic)"));
}

void tst_UiDevices::distrustAndVerifyChangeTheRowAndTheCore()
{
    // From the chat header's lock: its menu opens the contact's devices.
    window().openConversation({m_account->jid(), m_peerJid});
    auto *lock = child<Ui::EncryptionButton>(&window(), "encryptionButton");
    QVERIFY(lock->isVisible());
    QVERIFY(lock->devicesAction());
    QCOMPARE(lock->devicesAction()->text(), QStringLiteral("Devices and fingerprints…"));
    lock->devicesAction()->trigger();
    auto *dialog = window().findChild<Ui::DeviceListDialog *>();
    QVERIFY(dialog && dialog->isVisible());
    QVERIFY(dialog->windowTitle().contains(m_peerJid));

    const uint32_t id = m_peer->deviceId();
    QTreeWidgetItem *row = waitForRow(dialog, id);
    QVERIFY(row);
    clickRow(dialog, row);
    auto *distrust = child<QPushButton>(dialog, "distrustDeviceButton");
    QTRY_VERIFY(distrust->isEnabled());
    QTest::mouseClick(distrust, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->rowOf(id)->text(Column::TrustColumn), QStringLiteral("Untrusted"),
                              NetworkTimeout);
    auto device = coreDevice(m_peerJid, id);
    QVERIFY(device);
    QCOMPARE(device->trust, DeviceTrust::Untrusted);
    QVERIFY(!device->automatic);
    QVERIFY(!distrust->isEnabled());

    // Verify… asks first, showing the fingerprint to compare; cancelling changes nothing.
    auto *verify = child<QPushButton>(dialog, "verifyDeviceButton");
    QVERIFY(verify->isEnabled());
    QTest::mouseClick(verify, Qt::LeftButton);
    QPointer<QMessageBox> question = child<QMessageBox>(dialog, "verifyDeviceQuestion");
    QVERIFY(question && question->isVisible());
    const QStringList lines = Ui::DevicePresenter::fingerprintLines(*device).split(u'\n');
    QCOMPARE(lines.size(), 2);
    QVERIFY2(question->text().contains(lines.at(0)) && question->text().contains(lines.at(1)),
             qPrintable(question->text()));
    QVERIFY(question->text().contains(QStringLiteral("contact's device")));
    QTest::mouseClick(question->button(QMessageBox::Cancel), Qt::LeftButton);
    QTRY_VERIFY(!question);
    QCOMPARE(coreDevice(m_peerJid, id)->trust, DeviceTrust::Untrusted);

    QTest::mouseClick(verify, Qt::LeftButton);
    question = child<QMessageBox>(dialog, "verifyDeviceQuestion");
    QVERIFY(question && question->isVisible());
    QTest::mouseClick(child<QPushButton>(question, "confirmVerifyButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->rowOf(id)->text(Column::TrustColumn), QStringLiteral("Verified"),
                              NetworkTimeout);
    device = coreDevice(m_peerJid, id);
    QCOMPARE(device->trust, DeviceTrust::Verified);
    QVERIFY(!device->automatic);
    QVERIFY(!verify->isEnabled());
}

void tst_UiDevices::scanningThePeersCodeVerifiesIt()
{
    Ui::DeviceListDialog *dialog = openFromContactDetails();
    QVERIFY(dialog);
    const uint32_t id = m_peer->deviceId();
    QVERIFY(waitForRow(dialog, id));
    const auto before = coreDevice(m_peerJid, id);
    QVERIFY(before);
    QCOMPARE(before->trust, DeviceTrust::Trusted);

    QVERIFY2(scan(dialog, peerUri()), "the scanner did not take the peer's code");
    QTRY_COMPARE_WITH_TIMEOUT(dialog->rowOf(id)->text(Column::TrustColumn), QStringLiteral("Verified"),
                              NetworkTimeout);
    QCOMPARE(coreDevice(m_peerJid, id)->trust, DeviceTrust::Verified);
    QVERIFY2(dialog->statusText().contains(QStringLiteral("verified")), qPrintable(dialog->statusText()));
    QVERIFY(dialog->statusText().startsWith(u'1'));
    QVERIFY(!dialog->findChild<QMessageBox *>(QStringLiteral("fingerprintMismatchBox")));
}

void tst_UiDevices::aCodeWithAnotherKeyShowsTheMismatchAndChangesNothing()
{
    Ui::DeviceListDialog *dialog = openFromContactDetails();
    QVERIFY(dialog);
    const uint32_t id = m_peer->deviceId();
    QVERIFY(waitForRow(dialog, id));
    const auto before = coreDevice(m_peerJid, id);
    QVERIFY(before);
    // Rows are made anew at each reload: ask for the row again after the event loop ran.
    const QString shownBefore = dialog->rowOf(id)->text(Column::TrustColumn);

    VerificationUri forged = peerUri();
    forged.devices.first().identityKey[31] = char(forged.devices.first().identityKey.at(31) ^ 0x01);
    QVERIFY2(scan(dialog, forged), "the scanner did not take the forged code");
    QMessageBox *warning = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(
        (warning = dialog->findChild<QMessageBox *>(QStringLiteral("fingerprintMismatchBox"))) &&
            warning->isVisible(),
        NetworkTimeout);
    const QString mismatch = Ui::ErrorPresenter::describe(Error(Error::Code::FingerprintMismatch));
    QCOMPARE(warning->text(), mismatch);
    QCOMPARE(dialog->statusText(), mismatch);
    QVERIFY(mismatch.contains(QStringLiteral("does not match")));
    warning->close();

    const auto after = coreDevice(m_peerJid, id);
    QVERIFY(after);
    QCOMPARE(after->trust, before->trust);
    QCOMPARE(after->automatic, before->automatic);
    QCOMPARE(after->identityKey, before->identityKey);
    QCOMPARE(dialog->rowOf(id)->text(Column::TrustColumn), shownBefore);
}

void tst_UiDevices::ownDialogShowsThisDeviceFirstAndTogglesManualTrust()
{
    auto *settings = new Ui::AccountSettingsDialog(m_app->accountManager(), m_account, &window());
    settings->setAttribute(Qt::WA_DeleteOnClose);
    settings->open();
    auto *button = child<QPushButton>(settings, "ownDevicesButton");
    QVERIFY2(button, "the account settings have no \"My encryption devices…\" button");
    QTest::mouseClick(button, Qt::LeftButton);
    auto *dialog = settings->findChild<Ui::DeviceListDialog *>();
    QVERIFY(dialog && dialog->isVisible());
    QVERIFY(dialog->isOwnAccount());

    const uint32_t ours = m_account->encryption()->legacy().engine()->deviceId();
    QTreeWidget *list = dialog->deviceList();
    QTRY_VERIFY_WITH_TIMEOUT(list->topLevelItemCount() > 0, NetworkTimeout);
    QTreeWidgetItem *first = list->topLevelItem(0);
    QCOMPARE(first->data(Column::DeviceColumn, Ui::DeviceListDialog::DeviceIdRole).toUInt(), ours);
    QVERIFY2(first->text(Column::DeviceColumn).contains(QStringLiteral("this device")),
             qPrintable(first->text(Column::DeviceColumn)));
    QVERIFY(dialog->shownDevices().first().thisDevice);
    // Nothing to decide about this device.
    clickRow(dialog, first);
    QVERIFY(!child<QPushButton>(dialog, "trustDeviceButton")->isEnabled());
    QVERIFY(!child<QPushButton>(dialog, "distrustDeviceButton")->isEnabled());
    QVERIFY(!child<QPushButton>(dialog, "removeDeviceButton")->isEnabled());

    // The policy: off by default, and the check box changes what the core reads back.
    auto *manual = child<QCheckBox>(dialog, "manualTrustCheck");
    QVERIFY(manual);
    QVERIFY(child<QLabel>(dialog, "manualTrustExplanation")
                ->text()
                .contains(QStringLiteral("not encrypted for")));
    QTRY_VERIFY_WITH_TIMEOUT(manual->isEnabled(), NetworkTimeout);
    QVERIFY(!manual->isChecked());
    const QPoint onBox(manual->height() / 2, manual->height() / 2); // the box, not the empty width beside it
    QCOMPARE(std::get<bool>(waitFor(trust().manualOnly())), false);
    QTest::mouseClick(manual, Qt::LeftButton, {}, onBox);
    QVERIFY(manual->isChecked());
    QTRY_VERIFY_WITH_TIMEOUT(manual->isEnabled(), NetworkTimeout);
    QCOMPARE(std::get<bool>(waitFor(trust().manualOnly())), true);
    QTest::mouseClick(manual, Qt::LeftButton, {}, onBox);
    QTRY_VERIFY_WITH_TIMEOUT(manual->isEnabled(), NetworkTimeout);
    QCOMPARE(std::get<bool>(waitFor(trust().manualOnly())), false);

    // "Show my QR code": the code carries our URI, and our fingerprint is written under it.
    QTest::mouseClick(child<QPushButton>(dialog, "showOwnQrButton"), Qt::LeftButton);
    Ui::OwnQrCodeDialog *code = nullptr;
    QTRY_VERIFY((code = dialog->findChild<Ui::OwnQrCodeDialog *>()) && code->isVisible());
    const auto uri = waitFor(trust().ownVerificationUri());
    QVERIFY(isOk(uri));
    QCOMPARE(code->codeView()->text(), std::get<VerificationUri>(uri).toString());
    QCOMPARE(oneLine(child<QLabel>(code, "ownFingerprint")->text()),
             Fingerprint::grouped(m_account->encryption()->legacy().engine()->identityKey()));
}

void tst_UiDevices::aNewUndecidedDeviceShowsTheBannerUntilDecided()
{
    QVERIFY(becomeContacts());
    // The first device is known (and trusted blindly) before the policy turns manual.
    const auto first = coreDevice(m_peerJid, m_peer->deviceId());
    QVERIFY(first);
    QCOMPARE(first->trust, DeviceTrust::Trusted);
    QVERIFY(isOk(waitFor(trust().setManualOnly(true))));
    window().openConversation({m_account->jid(), m_peerJid});
    auto *banner = child<Ui::UndecidedDeviceBanner>(&window(), "undecidedDeviceBanner");
    QVERIFY(banner);

    // The contact adds a device: nobody decided on it, so it gets nothing and the chat says so.
    OmemoPeer second(m_server, m_peerUser, BothVersions);
    QVERIFY2(second.waitReady(), qPrintable(second.errorOutput()));
    QVERIFY(second.deviceId() != m_peer->deviceId());
    QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), NetworkTimeout);
    QCOMPARE(banner->text(),
             QStringLiteral("%1 has a new device you have not decided on. Messages are not encrypted for it.")
                 .arg(m_peerJid));
    const auto added = coreDevice(m_peerJid, second.deviceId());
    QVERIFY(added);
    QCOMPARE(added->trust, DeviceTrust::Undecided);

    // "Review devices" opens the contact's list; trusting the new device there ends the warning.
    QTest::mouseClick(child<QPushButton>(banner, "reviewDevicesButton"), Qt::LeftButton);
    auto *dialog = window().findChild<Ui::DeviceListDialog *>();
    QVERIFY(dialog && dialog->isVisible());
    QTreeWidgetItem *row = waitForRow(dialog, second.deviceId());
    QVERIFY(row);
    QCOMPARE(row->text(Column::TrustColumn), QStringLiteral("Undecided"));
    clickRow(dialog, row);
    auto *trustButton = child<QPushButton>(dialog, "trustDeviceButton");
    QVERIFY(trustButton->isEnabled());
    QTest::mouseClick(trustButton, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!banner->isVisible(), NetworkTimeout);
    QCOMPARE(coreDevice(m_peerJid, second.deviceId())->trust, DeviceTrust::Trusted);
    QCOMPARE(dialog->rowOf(second.deviceId())->text(Column::TrustColumn), QStringLiteral("Trusted"));
}

void tst_UiDevices::screenshots()
{
    const QString directory = qEnvironmentVariable("NATTER_SCREENSHOT_DIR");
    if (directory.isEmpty())
        QSKIP("set NATTER_SCREENSHOT_DIR to write the documentation's screenshots");
    QVERIFY(QDir().mkpath(directory));
    QVERIFY(becomeContacts(QStringLiteral("Bob")));

    // An encrypted conversation: the peer writes, we answer from the composer, the peer answers again.
    auto peerSays = [this](const QString &body) {
        m_peer->command({{QStringLiteral("cmd"), QStringLiteral("send")},
                         {QStringLiteral("to"), m_account->jid()},
                         {QStringLiteral("body"), body}});
        return m_peer->waitForEvent(QStringLiteral("sent")).has_value();
    };
    auto shown = [this](const QString &body) {
        return QTest::qWaitFor(
            [&] {
                Ui::MessageListModel *messages = window().currentMessages();
                return messages && messages->rowCount() > 0 &&
                       messages->index(messages->rowCount() - 1).data(Ui::MessageListModel::BodyRole) == body;
            },
            NetworkTimeout);
    };
    const QString hello = QStringLiteral("Hi Alice! Is this chat end-to-end encrypted now?");
    QVERIFY(peerSeesUs());
    QVERIFY2(peerSays(hello), qPrintable(m_peer->errorOutput()));
    window().resize(1100, 720);
    window().openConversation({m_account->jid(), m_peerJid});
    QVERIFY(shown(hello));
    auto *lock = child<Ui::EncryptionButton>(&window(), "encryptionButton");
    QTRY_COMPARE_WITH_TIMEOUT(lock->text(), QStringLiteral("Encrypted"), NetworkTimeout);
    const QString answer =
        QStringLiteral("Yes, with OMEMO: see the lock above. Let's compare fingerprints when we "
                       "meet on Saturday.");
    QPlainTextEdit *editor = window().composer()->editor();
    editor->setPlainText(answer);
    QTest::keyClick(editor, Qt::Key_Return);
    QVERIFY2(m_peer->waitForEvent(QStringLiteral("message")), qPrintable(m_peer->errorOutput()));
    const QString last = QStringLiteral("Deal. I'll bring my new phone too, so we can check both.");
    QVERIFY(peerSays(last));
    QVERIFY(shown(last));
    QTest::qWait(300); // delivery ticks and the read marker settle
    QVERIFY(window().grab().save(QDir(directory).filePath(QStringLiteral("encrypted-chat.png"))));

    // The contact's devices: the laptop verified, the new phone not decided on yet.
    QVERIFY(isOk(waitFor(trust().setTrust(m_peerJid, m_peer->deviceId(), DeviceTrust::Verified))));
    QVERIFY(isOk(waitFor(trust().setManualOnly(true))));
    OmemoPeer phone(m_server, m_peerUser, BothVersions);
    QVERIFY2(phone.waitReady(), qPrintable(phone.errorOutput()));
    auto *banner = child<Ui::UndecidedDeviceBanner>(&window(), "undecidedDeviceBanner");
    QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), NetworkTimeout);
    QTest::mouseClick(child<QPushButton>(banner, "reviewDevicesButton"), Qt::LeftButton);
    auto *dialog = window().findChild<Ui::DeviceListDialog *>();
    QVERIFY(dialog);
    QVERIFY(waitForRow(dialog, m_peer->deviceId()));
    QVERIFY(waitForRow(dialog, phone.deviceId()));
    QTRY_COMPARE(dialog->rowOf(m_peer->deviceId())->text(Column::TrustColumn), QStringLiteral("Verified"));
    QCOMPARE(dialog->rowOf(phone.deviceId())->text(Column::TrustColumn), QStringLiteral("Undecided"));
    clickRow(dialog, dialog->rowOf(phone.deviceId()));
    QTest::qWait(200);
    QVERIFY(dialog->grab().save(QDir(directory).filePath(QStringLiteral("device-verification.png"))));
}

QTEST_MAIN(tst_UiDevices)
#include "tst_ui_devices.moc"
