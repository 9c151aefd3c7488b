// SPDX-License-Identifier: GPL-3.0-or-later
// The tray on a real X display with a system tray (tests/support/with-tray.sh): closing the window keeps
// Natter running there when the user chose so, the tray brings the window back, and Quit really quits.
#include "TestProfile.h"
#include "account/AccountManager.h"
#include "account/Preferences.h"
#include "platform/TrayIcon.h"
#include "widgets/MainWindow.h"

#include <QApplication>
#include <QSignalSpy>
#include <QTest>

using namespace Natter;
using namespace Natter::Core;
using namespace Natter::Test;

class tst_UiTray : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void closingKeepsNatterInTheTrayWhenChosen();
};

void tst_UiTray::closingKeepsNatterInTheTrayWhenChosen()
{
    QVERIFY2(QSystemTrayIcon::isSystemTrayAvailable(), "run inside tests/support/with-tray.sh");
    TestProfile profile;
    AccountManager accounts(profile.path());
    QVERIFY(isOk(waitFor(accounts.open())));
    Ui::MainWindow window(accounts);
    QVERIFY(window.tray()->trayIcon().isVisible());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    // Not chosen: closing closes.
    QSignalSpy quitting(qApp, &QCoreApplication::aboutToQuit);
    window.preferences().setValue(Preferences::Key::CloseToTray, false);
    QVERIFY(QGuiApplication::quitOnLastWindowClosed());
    window.preferences().setValue(Preferences::Key::CloseToTray, true);
    QVERIFY(!QGuiApplication::quitOnLastWindowClosed()); // a dialog closed while hidden must not quit
    QVERIFY(!window.close());                            // the close event was ignored
    QVERIFY(!window.isVisible());
    QCOMPARE(quitting.size(), 0);
    QVERIFY(window.tray()->trayIcon().isVisible());

    // The tray's "Show Natter" brings it back.
    Q_EMIT window.tray()->toggleWindowRequested();
    QTRY_VERIFY(window.isVisible());

    window.preferences().setValue(Preferences::Key::CloseToTray, false);
    QVERIFY(window.close());
    QVERIFY(!window.isVisible());
}

QTEST_MAIN(tst_UiTray)
#include "tst_ui_tray.moc"
