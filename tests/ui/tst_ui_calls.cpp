// SPDX-License-Identifier: GPL-3.0-or-later
// Calls in the window, against a contact on the test server, with test sources instead of devices: the
// header's call buttons follow the contact's devices; an incoming video call rings in its own window and,
// once accepted, shows both pictures; mute and hang up work from the window; declined and missed calls end
// clearly; every call leaves its line in the chat's history.
#include "Contacts.h"
#include "RunningApp.h"
#include "Screenshot.h"
#include "account/Preferences.h"
#include "calls/CallService.h"
#include "calls/Ringtone.h"
#include "models/MessageListModel.h"
#include "platform/DesktopNotifier.h"
#include "widgets/MainWindow.h"
#include "widgets/calls/CallCenter.h"
#include "widgets/calls/CallWindow.h"
#include "widgets/calls/VideoView.h"
#include "widgets/chat/MessageBody.h"

#include <QApplication>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QSignalSpy>
#include <QToolButton>

using namespace Natter;
using namespace Natter::Core;
using namespace Natter::Core::Calls;
using namespace Natter::Test;

namespace {
constexpr int NetworkTimeout = 20000;

template <typename T> T *child(QWidget *parent, const QString &name)
{
    return parent ? parent->findChild<T *>(name) : nullptr;
}

QString statusOf(Ui::CallWindow *window)
{
    auto *status = child<QLabel>(window, QStringLiteral("callStatus"));
    return status ? status->text() : QString();
}
} // namespace

class tst_UiCalls : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void theCallButtonsFollowTheContactsDevices();
    void anIncomingVideoCallRingsAndIsAnswered();
    void anAudioCallFromTheHeaderIsDeclined();
    void aCallTakenBackIsMissed();

private:
    Ui::MainWindow &window() { return m_app.app->mainWindow(); }
    QWidget *headerButton(const QString &name) { return child<QToolButton>(&window(), name); }
    Ui::CallWindow *waitForCallWindow();
    // The text of the open chat's newest row.
    QString newestRowText();
    Call *peerCall(bool video);

    TestServer m_server;
    RunningApp m_app;
    std::unique_ptr<Account> m_peer;
    QString m_peerUser;
};

void tst_UiCalls::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
}

void tst_UiCalls::init()
{
    const QString user = m_server.registerAccount(QStringLiteral("callui")).value_or(QString());
    m_peerUser = m_server.registerAccount(QStringLiteral("callpeer")).value_or(QString());
    QVERIFY(!user.isEmpty() && !m_peerUser.isEmpty());
    auto running = startApp(m_server, user, NetworkTimeout);
    QVERIFY(running);
    m_app = std::move(*running);
    window().preferences().setValue(Preferences::Key::CallTestSources, true);
    QVERIFY(m_app.account->calls().mediaSettings().testSources);
    m_peer = onlineAccount(m_server, m_peerUser, QStringLiteral("phone"));
    QVERIFY(m_peer);
    MediaSession::Settings settings;
    settings.testSources = true;
    m_peer->calls().setMediaSettings(settings);
    QVERIFY(makeMutualContacts(m_app.account, m_peer.get()));
    QTRY_VERIFY_WITH_TIMEOUT(m_app.account->calls().canCall(m_peer->jid(), true), NetworkTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(m_peer->calls().canCall(m_app.account->jid(), true), NetworkTimeout);
    window().resize(1000, 680);
    window().show();
    window().openConversation({m_app.account->jid(), m_peer->jid()});
}

void tst_UiCalls::cleanup()
{
    for (QWidget *widget : QApplication::topLevelWidgets())
        if (widget->objectName() == u"callWindow")
            widget->close();
    m_peer.reset();
    if (m_app.app)
        m_app.app->accountManager().disconnectAll();
    m_app.app.reset();
    m_app.profile.reset();
}

Ui::CallWindow *tst_UiCalls::waitForCallWindow()
{
    Ui::CallWindow *found = nullptr;
    (void)QTest::qWaitFor(
        [&] {
            found = window().callCenter()->currentWindow();
            return found && found->isVisible();
        },
        NetworkTimeout);
    return found;
}

QString tst_UiCalls::newestRowText()
{
    auto *view = child<QListView>(&window(), QStringLiteral("chatView"));
    if (!view || !view->model() || view->model()->rowCount() == 0)
        return {};
    // What the chat view draws, not only what the model says.
    const auto message =
        view->model()->index(0, 0).data(Ui::MessageListModel::MessageRole).value<Core::ChatMessage>();
    return Ui::MessageBody(message, {}, view->font(), view->palette()).text();
}

Call *tst_UiCalls::peerCall(bool video)
{
    return m_peer->calls().call(m_app.account->jid(), video);
}

void tst_UiCalls::theCallButtonsFollowTheContactsDevices()
{
    QWidget *audio = headerButton(QStringLiteral("audioCallButton"));
    QWidget *video = headerButton(QStringLiteral("videoCallButton"));
    QVERIFY(audio && video);
    QVERIFY(audio->isVisible());
    QTRY_VERIFY(audio->isEnabled());
    QVERIFY(video->isEnabled());
    // The contact goes offline: nothing to call.
    m_peer->disconnectFromServer();
    QTRY_VERIFY_WITH_TIMEOUT(!audio->isEnabled(), NetworkTimeout);
    QVERIFY(!video->isEnabled());
    QVERIFY(audio->toolTip().contains(m_peer->jid()));
    m_peer->connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(audio->isEnabled(), NetworkTimeout);
}

void tst_UiCalls::anIncomingVideoCallRingsAndIsAnswered()
{
    QList<Ui::DesktopNotifier::Notification> notified;
    connect(window().notifier(), &Ui::DesktopNotifier::shown, this,
            [&notified](const Ui::DesktopNotifier::Notification &shown) { notified.append(shown); });
    QPointer<Call> outgoing = peerCall(true);
    QVERIFY(outgoing);
    QPointer<Ui::CallWindow> callWindow = waitForCallWindow();
    QVERIFY(callWindow);
    QTRY_COMPARE(statusOf(callWindow), u"Incoming video call");
    QVERIFY(window().callCenter()->ringtone().isPlaying());
    // A desktop notification too, for when Natter is out of sight.
    QTRY_COMPARE(notified.size(), 1);
    const auto notification = notified.first();
    QCOMPARE(notification.body, u"Incoming video call");
    QCOMPARE(notification.conversation.peer, m_peer->jid());
    auto *accept = child<QPushButton>(callWindow, QStringLiteral("callAcceptButton"));
    auto *hangUp = child<QPushButton>(callWindow, QStringLiteral("callHangUpButton"));
    QVERIFY(accept && accept->isVisible() && !hangUp->isVisible());
    callWindow->resize(720, 520);
    saveScreenshot(callWindow, QStringLiteral("incoming-call.png"));

    QTest::mouseClick(accept, Qt::LeftButton);
    QVERIFY(!window().callCenter()->ringtone().isPlaying());
    QTRY_VERIFY_WITH_TIMEOUT(statusOf(callWindow).startsWith(u"Connected"), NetworkTimeout);
    QVERIFY(hangUp->isVisible() && !accept->isVisible());
    auto *remote = child<Ui::VideoView>(callWindow, QStringLiteral("callRemoteVideo"));
    auto *self = child<Ui::VideoView>(callWindow, QStringLiteral("callSelfView"));
    QTRY_VERIFY_WITH_TIMEOUT(remote->hasFrame(), NetworkTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(self->hasFrame(), NetworkTimeout);
    QVERIFY(self->isVisible());
    QVERIFY(self->width() < remote->width());
    saveScreenshot(callWindow, QStringLiteral("video-call.png"));

    // Mute from the window: the contact's client hears of it.
    QSignalSpy remoteMute(outgoing.data(), &Call::remoteMuteChanged);
    QTest::mouseClick(child<QPushButton>(callWindow, QStringLiteral("callMuteButton")), Qt::LeftButton);
    QVERIFY(callWindow->call()->isMicrophoneMuted());
    QVERIFY(remoteMute.wait(5000));

    QSignalSpy peerEnded(outgoing.data(), &Call::ended);
    QTest::mouseClick(hangUp, Qt::LeftButton);
    QVERIFY(peerEnded.wait(10000));
    QCOMPARE(peerEnded.first().first().value<Call::EndReason>(), Call::EndReason::RemoteHungUp);
    QVERIFY(statusOf(callWindow).startsWith(u"Call ended · 0:"));
    QTRY_VERIFY2(newestRowText().startsWith(u"🎥 Video call · 0:"), qPrintable(newestRowText()));
    // The window goes by itself.
    QTRY_VERIFY_WITH_TIMEOUT(!window().callCenter()->currentWindow(), Ui::CallWindow::CloseDelayMs + 2000);
}

void tst_UiCalls::anAudioCallFromTheHeaderIsDeclined()
{
    QSignalSpy incoming(&m_peer->calls(), &CallService::incoming);
    QTRY_VERIFY(headerButton(QStringLiteral("audioCallButton"))->isEnabled());
    QTest::mouseClick(headerButton(QStringLiteral("audioCallButton")), Qt::LeftButton);
    QPointer<Ui::CallWindow> callWindow = waitForCallWindow();
    QVERIFY(callWindow);
    QVERIFY(!callWindow->call()->hasVideo());
    QVERIFY(!child<Ui::VideoView>(callWindow, QStringLiteral("callSelfView"))->isVisible());
    // While it rings, the header offers no second call.
    QTRY_VERIFY(!headerButton(QStringLiteral("audioCallButton"))->isEnabled());
    QVERIFY(incoming.wait(NetworkTimeout));
    QTRY_COMPARE(statusOf(callWindow), u"Ringing…");
    incoming.first().first().value<Call *>()->decline();
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(callWindow), u"The call was declined", NetworkTimeout);
    QTRY_COMPARE(newestRowText(), u"📞 Declined audio call");
    QTRY_VERIFY(headerButton(QStringLiteral("audioCallButton"))->isEnabled());
}

void tst_UiCalls::aCallTakenBackIsMissed()
{
    QPointer<Call> outgoing = peerCall(false);
    QVERIFY(outgoing);
    QPointer<Ui::CallWindow> callWindow = waitForCallWindow();
    QVERIFY(callWindow);
    QTRY_COMPARE(statusOf(callWindow), u"Incoming audio call");
    outgoing->hangUp();
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(callWindow), u"Missed call", NetworkTimeout);
    QVERIFY(!window().callCenter()->ringtone().isPlaying());
    QTRY_COMPARE(newestRowText(), u"📞 Missed audio call");
}

QTEST_MAIN(tst_UiCalls)
#include "tst_ui_calls.moc"
