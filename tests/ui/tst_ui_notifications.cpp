// SPDX-License-Identifier: GPL-3.0-or-later
// Desktop notifications through a test org.freedesktop.Notifications server on a private session bus (the
// test runs in dbus-run-session), with the real app and a real contact on the test server: what a
// notification says and shows, when there is none, and its actions (mark as read, inline reply).
#include "Application.h"
#include "Contacts.h"
#include "OnlineAccount.h"
#include "RunningApp.h"
#include "TestProfile.h"
#include "TestServer.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "account/Preferences.h"
#include "messaging/MessageService.h"
#include "models/ConversationListModel.h"
#include "roster/AvatarService.h"
#include "roster/PresenceService.h"
#include "roster/RosterService.h"
#include "roster/SubscriptionService.h"
#include "storage/Database.h"
#include "widgets/MainWindow.h"

#include <QBuffer>
#include <QDBusConnection>
#include <QImage>
#include <QSignalSpy>
#include <QTest>

using namespace Natter;
using namespace Natter::Core;
using namespace Natter::Test;
using Natter::App::Application;

namespace {
constexpr int NetworkTimeout = 20000;
}

// Records what Natter asks of the notification server and can answer like one.
class FakeNotificationServer : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    struct Call
    {
        QString app;
        uint replaces = 0;
        QString summary;
        QString body;
        QStringList actions;
        QVariantMap hints;
        uint id = 0;
    };
    QList<Call> calls;
    QList<uint> closed;

public Q_SLOTS:
    QStringList GetCapabilities()
    {
        return {QStringLiteral("body"), QStringLiteral("actions"), QStringLiteral("inline-reply")};
    }
    uint Notify(const QString &app, uint replaces, const QString &, const QString &summary,
                const QString &body, const QStringList &actions, const QVariantMap &hints, int)
    {
        const uint id = replaces != 0 ? replaces : ++m_next;
        calls.append({app, replaces, summary, body, actions, hints, id});
        return id;
    }
    void CloseNotification(uint id) { closed.append(id); }

Q_SIGNALS:
    void ActionInvoked(uint id, const QString &action);
    void NotificationReplied(uint id, const QString &text);
    void NotificationClosed(uint id, uint reason);

private:
    uint m_next = 0;
};

class tst_UiNotifications : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void messageFromAContactIsNotifiedWithNameAvatarAndActions();
    void noNotificationWhenMutedReadingOrDoNotDisturb();
    void previewsCanBeHidden();
    void markAsReadAndInlineReplyWork();

private:
    // Sends text from the peer and waits until Natter stored it.
    void receive(const QString &text);
    int unread() const;

    TestServer m_server;
    FakeNotificationServer m_notifications;
    std::unique_ptr<TestProfile> m_profile;
    std::unique_ptr<Application> m_app;
    std::unique_ptr<Account> m_peer;
    Account *m_account = nullptr;
    QByteArray m_avatar;
};

void tst_UiNotifications::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
    QDBusConnection bus = QDBusConnection::sessionBus();
    QVERIFY2(bus.isConnected(), "run inside dbus-run-session (tests/support/with-keyring.sh)");
    QVERIFY(bus.registerService(QStringLiteral("org.freedesktop.Notifications")));
    QVERIFY(bus.registerObject(QStringLiteral("/org/freedesktop/Notifications"), &m_notifications,
                               QDBusConnection::ExportAllSlots | QDBusConnection::ExportAllSignals));

    const QString user = m_server.registerAccount(QStringLiteral("notified")).value_or(QString());
    const QString peerUser = m_server.registerAccount(QStringLiteral("notifier")).value_or(QString());
    QVERIFY(!user.isEmpty() && !peerUser.isEmpty());
    auto running = startApp(m_server, user, NetworkTimeout);
    QVERIFY(running);
    m_profile = std::move(running->profile);
    m_app = std::move(running->app);
    m_account = running->account;
    m_peer = onlineAccount(m_server, peerUser);
    QVERIFY(m_peer);

    // Contacts both ways, so the peer's avatar reaches us; a name for the notification's title.
    QVERIFY(succeeded(m_account->roster().add(m_peer->jid(), QStringLiteral("Nora Notifier"), {})));
    QVERIFY(makeMutualContacts(m_account, m_peer.get(), NetworkTimeout));
    QTRY_VERIFY_WITH_TIMEOUT(m_account->presence().presence(m_peer->jid()).isOnline(), NetworkTimeout);
    QImage image(96, 96, QImage::Format_ARGB32);
    image.fill(QColor(0x2e, 0x9b, 0x5f));
    QBuffer buffer(&m_avatar);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    m_peer->avatars().publishOwnAvatar(m_avatar, 96, 96);
    QTRY_VERIFY_WITH_TIMEOUT(!m_account->avatars().avatarFile(m_peer->jid()).isEmpty(), NetworkTimeout);
}

void tst_UiNotifications::cleanupTestCase()
{
    if (m_app)
        m_app->accountManager().disconnectAll();
    m_peer.reset();
    m_app.reset();
}

void tst_UiNotifications::receive(const QString &text)
{
    QSignalSpy received(&m_account->messages(), &MessageService::messageReceived);
    auto composed = m_peer->messages().compose(m_account->jid(), text);
    QVERIFY(isOk(composed));
    QVERIFY(isOk(waitFor(m_peer->messages().send(std::get<ChatMessage>(composed)))));
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 1, NetworkTimeout);
    QTest::qWait(300); // the notification call is asynchronous, over the bus
}

int tst_UiNotifications::unread() const
{
    return m_app->mainWindow().findChild<Ui::ConversationListModel *>()->unreadCount(
        {m_account->jid(), m_peer->jid()});
}

void tst_UiNotifications::messageFromAContactIsNotifiedWithNameAvatarAndActions()
{
    receive(QStringLiteral("Hello, are you there?"));
    QTRY_COMPARE_WITH_TIMEOUT(m_notifications.calls.size(), 1, 5000);
    const auto call = m_notifications.calls.last();
    QCOMPARE(call.app, QStringLiteral("Natter"));
    QCOMPARE(call.summary, QStringLiteral("Nora Notifier"));
    QCOMPARE(call.body, QStringLiteral("Hello, are you there?"));
    QVERIFY(call.actions.contains(QStringLiteral("default")));
    QVERIFY(call.actions.contains(QStringLiteral("inline-reply"))); // the server offers it
    QVERIFY(call.actions.contains(QStringLiteral("mark-read")));
    QCOMPARE(call.hints.value(QStringLiteral("desktop-entry")).toString(), QStringLiteral("natter"));
    const QString image = call.hints.value(QStringLiteral("image-path")).toString();
    QFile avatar(image);
    QVERIFY2(avatar.open(QIODevice::ReadOnly), qPrintable(image));
    QCOMPARE(avatar.readAll(), m_avatar);

    // The next message of the same conversation replaces it.
    receive(QStringLiteral("Second message"));
    QTRY_COMPARE_WITH_TIMEOUT(m_notifications.calls.size(), 2, 5000);
    QCOMPARE(m_notifications.calls.last().replaces, call.id);
}

void tst_UiNotifications::noNotificationWhenMutedReadingOrDoNotDisturb()
{
    auto &conversations = *m_app->mainWindow().findChild<Ui::ConversationListModel *>();
    const ConversationKey key{m_account->jid(), m_peer->jid()};
    const qsizetype before = m_notifications.calls.size();

    conversations.setMuted(key, true);
    receive(QStringLiteral("muted"));
    QCOMPARE(m_notifications.calls.size(), before);
    conversations.setMuted(key, false);

    m_account->setOwnPresence({PresenceShow::DoNotDisturb, QString(), 0});
    receive(QStringLiteral("do not disturb"));
    QCOMPARE(m_notifications.calls.size(), before);
    m_account->setOwnPresence({PresenceShow::Available, QString(), 0});

    Ui::MainWindow &window = m_app->mainWindow();
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    window.openConversation(key);
    receive(QStringLiteral("read right away"));
    QCOMPARE(m_notifications.calls.size(), before);

    // Not reading it any more: notified again.
    window.openConversation({m_account->jid(), QStringLiteral("someone.else@") + m_server.domain});
    receive(QStringLiteral("now notified"));
    QTRY_COMPARE_WITH_TIMEOUT(m_notifications.calls.size(), before + 1, 5000);
}

void tst_UiNotifications::previewsCanBeHidden()
{
    m_app->mainWindow().preferences().setValue(Preferences::Key::NotificationPreviews, false);
    const qsizetype before = m_notifications.calls.size();
    receive(QStringLiteral("my secret text"));
    QTRY_COMPARE_WITH_TIMEOUT(m_notifications.calls.size(), before + 1, 5000);
    QVERIFY(!m_notifications.calls.last().body.contains(QStringLiteral("secret")));
    QVERIFY(!m_notifications.calls.last().body.isEmpty());
    m_app->mainWindow().preferences().setValue(Preferences::Key::NotificationPreviews, true);
}

void tst_UiNotifications::markAsReadAndInlineReplyWork()
{
    receive(QStringLiteral("please mark me read"));
    QTRY_VERIFY_WITH_TIMEOUT(unread() > 0, 5000);
    const uint id = m_notifications.calls.last().id;
    Q_EMIT m_notifications.ActionInvoked(id, QStringLiteral("mark-read"));
    QTRY_COMPARE_WITH_TIMEOUT(unread(), 0, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(m_notifications.closed.contains(id), 5000);

    receive(QStringLiteral("reply to me from the notification"));
    const uint second = m_notifications.calls.last().id;
    QSignalSpy atPeer(&m_peer->messages(), &MessageService::messageReceived);
    Q_EMIT m_notifications.NotificationReplied(second, QStringLiteral("Replied inline"));
    QTRY_COMPARE_WITH_TIMEOUT(atPeer.size(), 1, NetworkTimeout);
    QCOMPARE(atPeer.first().first().value<ChatMessage>().body, QStringLiteral("Replied inline"));
}

QTEST_MAIN(tst_UiNotifications)
#include "tst_ui_notifications.moc"
