// SPDX-License-Identifier: GPL-3.0-or-later
// Choosing call devices in the window, with a private PulseAudio server for the sound card (a speaker and a
// microphone, and a headset plugged in and out): the call window's device menu lists each kind with the
// device in use checked and switches during the call; the choice is remembered for the next calls; the
// settings dialog chooses the devices of the next calls, follows devices as they come and go, and keeps a
// chosen device that is unplugged.
#include "Contacts.h"
#include "RunningApp.h"
#include "Screenshot.h"
#include "SoundServer.h"
#include "account/Preferences.h"
#include "calls/CallService.h"
#include "calls/DeviceMonitor.h"
#include "calls/MediaSession.h"
#include "widgets/MainWindow.h"
#include "widgets/calls/CallCenter.h"
#include "widgets/calls/CallWindow.h"
#include "widgets/calls/DeviceChooser.h"
#include "widgets/calls/DeviceMenu.h"

#include <QApplication>
#include <QDialog>
#include <QPushButton>
#include <QSignalSpy>
#include <QTimer>
#include <QToolButton>

using namespace Natter;
using namespace Natter::Core;
using namespace Natter::Core::Calls;
using namespace Natter::Test;

namespace {
constexpr int NetworkTimeout = 20000;
const QString Speaker = QStringLiteral("NatterTestSpeaker");
const QString Microphone = QStringLiteral("NatterTestMicrophone");
const QString Headset = QStringLiteral("NatterTestHeadset");

using Kind = DeviceMonitor::Kind;

// The menu's sections with their entries, as "Section: entry, *checked entry, …".
QStringList describe(const QMenu &menu)
{
    QStringList sections;
    for (QAction *action : menu.actions()) {
        if (action->isSeparator()) {
            sections.append(action->text() + u':');
            continue;
        }
        if (!sections.isEmpty())
            sections.last() += (sections.last().endsWith(u':') ? QStringLiteral(" ") : QStringLiteral(", ")) +
                               (action->isChecked() ? QStringLiteral("*") : QString()) + action->text();
    }
    return sections;
}

QAction *entry(const QMenu &menu, const QString &section, const QString &text)
{
    QString current;
    for (QAction *action : menu.actions()) {
        if (action->isSeparator())
            current = action->text();
        else if (current == section && action->text() == text)
            return action;
    }
    return nullptr;
}
} // namespace

class tst_UiCallDevices : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void theDeviceMenuChecksTheDeviceInUse();
    void theSettingsChooseTheDevicesOfTheNextCalls();
    void aDeviceSwitchedToDuringACallIsRemembered();

private:
    Ui::MainWindow &window() { return m_app.app->mainWindow(); }
    bool plugInHeadset();

    std::unique_ptr<SoundServer> m_sound;
    QString m_headsetModule;
    TestServer m_server;
    RunningApp m_app;
    std::unique_ptr<Account> m_peer;
};

void tst_UiCallDevices::initTestCase()
{
    m_sound = std::make_unique<SoundServer>(
        QStringList{SoundServer::nullSink(QStringLiteral("speaker"), Speaker),
                    SoundServer::nullSource(QStringLiteral("microphone"), Microphone)});
    QVERIFY2(m_sound->isRunning(), qPrintable(m_sound->errorString()));
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
    const QString user = m_server.registerAccount(QStringLiteral("devicesui")).value_or(QString());
    const QString peerUser = m_server.registerAccount(QStringLiteral("devicespeer")).value_or(QString());
    QVERIFY(!user.isEmpty() && !peerUser.isEmpty());
    auto running = startApp(m_server, user, NetworkTimeout);
    QVERIFY(running);
    m_app = std::move(*running);
    m_peer = onlineAccount(m_server, peerUser, QStringLiteral("phone"));
    QVERIFY(m_peer);
    MediaSession::Settings settings;
    settings.testSources = true;
    m_peer->calls().setMediaSettings(settings);
    QVERIFY(makeMutualContacts(m_app.account, m_peer.get()));
    QTRY_VERIFY_WITH_TIMEOUT(m_app.account->calls().canCall(m_peer->jid(), false), NetworkTimeout);
}

void tst_UiCallDevices::cleanup()
{
    if (!m_headsetModule.isEmpty())
        m_sound->pactl({QStringLiteral("unload-module"), m_headsetModule});
    m_headsetModule.clear();
}

bool tst_UiCallDevices::plugInHeadset()
{
    const auto module = m_sound->pactl(QStringList{QStringLiteral("load-module")} +
                                       SoundServer::nullSink(QStringLiteral("headset"), Headset).split(u' '));
    if (module)
        m_headsetModule = module->trimmed();
    return module.has_value();
}

void tst_UiCallDevices::theDeviceMenuChecksTheDeviceInUse()
{
    DeviceMonitor monitor;
    QTRY_VERIFY_WITH_TIMEOUT(monitor.devices(Kind::Speaker).contains(Speaker), 10000);
    const auto inUse = [](Kind kind) { return kind == Kind::Microphone ? Microphone : QString(); };
    Ui::DeviceMenu menu(&monitor, {Kind::Microphone, Kind::Speaker, Kind::Camera}, inUse);
    // No camera here: the system's default is all there is.
    QCOMPARE(describe(menu), (QStringList{QStringLiteral("Microphone: System default, *") + Microphone,
                                          QStringLiteral("Speaker: *System default, ") + Speaker,
                                          QStringLiteral("Camera: *System default")}));
    QSignalSpy chosen(&menu, &Ui::DeviceMenu::chosen);
    QAction *speaker = entry(menu, QStringLiteral("Speaker"), Speaker);
    QVERIFY(speaker);
    speaker->trigger();
    QCOMPARE(chosen.size(), 1);
    QCOMPARE(chosen.first().at(0).value<Kind>(), Kind::Speaker);
    QCOMPARE(chosen.first().at(1).toString(), Speaker);
    // One device of a kind at a time.
    QVERIFY(speaker->isChecked());
    QVERIFY(!entry(menu, QStringLiteral("Speaker"), QStringLiteral("System default"))->isChecked());
    QVERIFY(entry(menu, QStringLiteral("Microphone"), Microphone)->isChecked());
}

void tst_UiCallDevices::theSettingsChooseTheDevicesOfTheNextCalls()
{
    Preferences &preferences = window().preferences();
    // Natter → Preferences…
    const QList<QAction *> actions = window().findChildren<QAction *>();
    const auto open = std::find_if(actions.cbegin(), actions.cend(),
                                   [](QAction *action) { return action->text() == u"&Preferences…"; });
    QVERIFY(open != actions.cend());
    (*open)->trigger();
    QDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window().findChild<QDialog *>(QStringLiteral("settingsDialog"))) &&
                dialog->isVisible());
    auto *speakers = dialog->findChild<Ui::DeviceChooser *>(QStringLiteral("callSpeaker"));
    auto *microphones = dialog->findChild<Ui::DeviceChooser *>(QStringLiteral("callMicrophone"));
    QVERIFY(speakers && microphones && dialog->findChild<Ui::DeviceChooser *>(QStringLiteral("callCamera")));
    QTRY_VERIFY_WITH_TIMEOUT(speakers->findText(Speaker) >= 0, 10000);
    QCOMPARE(speakers->currentText(), u"System default");
    QVERIFY(microphones->findText(Microphone) >= 0);

    // A headset plugged in while the dialog is open appears in it; choosing it is kept for the next calls.
    QVERIFY(plugInHeadset());
    QTRY_VERIFY_WITH_TIMEOUT(speakers->findText(Headset) >= 0, 10000);
    speakers->setFocus();
    while (speakers->currentText() != Headset && speakers->currentIndex() < speakers->count() - 1)
        QTest::keyClick(speakers, Qt::Key_Down);
    QCOMPARE(speakers->currentText(), Headset);
    QCOMPARE(preferences.text(Preferences::Text::CallSpeaker), Headset);
    QCOMPARE(m_app.account->calls().mediaSettings().speaker, Headset);
    QCOMPARE(m_app.account->calls().mediaSettings().microphone, QString());
    saveScreenshot(dialog, QStringLiteral("settings-call-devices.png"));

    // Unplugged, it stays the choice and says it is not there.
    m_sound->pactl({QStringLiteral("unload-module"), m_headsetModule});
    m_headsetModule.clear();
    QTRY_COMPARE_WITH_TIMEOUT(speakers->currentText(), Headset + QStringLiteral(" (not connected)"), 10000);
    QCOMPARE(speakers->device(), Headset);
    QCOMPARE(preferences.text(Preferences::Text::CallSpeaker), Headset);

    QTest::keyClick(speakers, Qt::Key_Home);
    QCOMPARE(speakers->currentText(), u"System default");
    QCOMPARE(preferences.text(Preferences::Text::CallSpeaker), QString());
    QCOMPARE(m_app.account->calls().mediaSettings().speaker, QString());
    dialog->close();
    // What the next start reads: the system's default again, not the headset saved before.
    m_app.app->accountManager().database().waitForIdle();
    Preferences reloaded(m_app.app->accountManager().database());
    QVERIFY(isOk(waitFor(reloaded.load())));
    QCOMPARE(reloaded.text(Preferences::Text::CallSpeaker), QString());
}

void tst_UiCallDevices::aDeviceSwitchedToDuringACallIsRemembered()
{
    QVERIFY(plugInHeadset());
    QSignalSpy incoming(&m_peer->calls(), &CallService::incoming);
    QVERIFY(window().callCenter()->call(m_app.account, m_peer->jid(), false));
    QVERIFY(incoming.wait(NetworkTimeout));
    incoming.first().first().value<Call *>()->accept();
    QPointer<Ui::CallWindow> callWindow;
    QTRY_VERIFY_WITH_TIMEOUT((callWindow = window().callCenter()->currentWindow()) &&
                                 callWindow->call()->state() == Call::State::Connected,
                             NetworkTimeout);
    QVERIFY(callWindow->call()->media());
    auto *devices = callWindow->findChild<QPushButton *>(QStringLiteral("callDevicesButton"));
    QVERIFY(devices && devices->isVisible() && devices->isEnabled());

    // The menu opens from the button; the headset is picked in it.
    QStringList seen;
    QTimer::singleShot(0, this, [&] {
        QTRY_VERIFY(qobject_cast<QMenu *>(QApplication::activePopupWidget()));
        auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
        seen = describe(*menu);
        entry(*menu, QStringLiteral("Speaker"), Headset)->trigger();
        menu->close();
    });
    QTest::mouseClick(devices, Qt::LeftButton);
    QTRY_VERIFY(!seen.isEmpty());
    // An audio call: no camera section.
    QCOMPARE(seen.size(), 2);
    QVERIFY2(seen.at(1).startsWith(u"Speaker: *System default, "), qPrintable(seen.at(1)));
    QVERIFY(seen.at(1).contains(Headset));
    QCOMPARE(callWindow->call()->media()->device(Kind::Speaker), Headset);
    QCOMPARE(window().preferences().text(Preferences::Text::CallSpeaker), Headset);
    QCOMPARE(m_app.account->calls().mediaSettings().speaker, Headset);

    // Opened again, the menu shows the headset in use.
    QTimer::singleShot(0, this, [&] {
        QTRY_VERIFY(qobject_cast<QMenu *>(QApplication::activePopupWidget()));
        auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
        seen = describe(*menu);
        saveScreenshot(menu, QStringLiteral("call-devices-menu.png"));
        menu->close();
    });
    seen.clear();
    QTest::mouseClick(devices, Qt::LeftButton);
    QTRY_VERIFY(!seen.isEmpty());
    QVERIFY2(seen.at(1).contains(QStringLiteral("*") + Headset), qPrintable(seen.at(1)));
    callWindow->call()->hangUp();
    QTRY_VERIFY_WITH_TIMEOUT(!m_app.account->calls().currentCall(), 10000);
    window().preferences().setText(Preferences::Text::CallSpeaker, QString());
}

QTEST_MAIN(tst_UiCallDevices)
#include "tst_ui_calldevices.moc"
