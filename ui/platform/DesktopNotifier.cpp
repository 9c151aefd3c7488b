// SPDX-License-Identifier: GPL-3.0-or-later
#include "DesktopNotifier.h"

#include <QSystemTrayIcon>
#ifdef NATTER_HAVE_DBUS
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#endif

namespace Natter::Ui {

namespace {
const QString Service = QStringLiteral("org.freedesktop.Notifications");
const QString Path = QStringLiteral("/org/freedesktop/Notifications");
const QString Interface = QStringLiteral("org.freedesktop.Notifications");
} // namespace

DesktopNotifier::DesktopNotifier(QObject *parent)
    : QObject(parent)
{
#ifdef NATTER_HAVE_DBUS
    QDBusConnection bus = QDBusConnection::sessionBus();
    m_busAvailable = bus.isConnected();
    if (!m_busAvailable)
        return;
    bus.connect(Service, Path, Interface, QStringLiteral("ActionInvoked"), this,
                SLOT(actionInvoked(uint, QString)));
    bus.connect(Service, Path, Interface, QStringLiteral("NotificationReplied"), this,
                SLOT(notificationReplied(uint, QString)));
    bus.connect(Service, Path, Interface, QStringLiteral("NotificationClosed"), this,
                SLOT(notificationClosed(uint, uint)));
    // Asked without waiting: nothing blocks the window while a notification server is slow or absent.
    auto *watcher =
        new QDBusPendingCallWatcher(bus.asyncCall(QDBusMessage::createMethodCall(
                                        Service, Path, Interface, QStringLiteral("GetCapabilities"))),
                                    this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this](QDBusPendingCallWatcher *call) {
        const QDBusPendingReply<QStringList> reply = *call;
        if (reply.isError())
            m_busAvailable = false; // no notification server: the tray shows messages instead
        else
            m_inlineReply = reply.value().contains(QStringLiteral("inline-reply"));
        call->deleteLater();
    });
#endif
}

void DesktopNotifier::show(const Notification &notification)
{
    Q_EMIT shown(notification);
#ifdef NATTER_HAVE_DBUS
    if (m_busAvailable) {
        QStringList actions{QStringLiteral("default"), tr("Open")};
        actions << (m_inlineReply ? QStringLiteral("inline-reply") : QStringLiteral("reply")) << tr("Reply");
        actions << QStringLiteral("mark-read") << tr("Mark as read");
        QVariantMap hints{{QStringLiteral("desktop-entry"), QStringLiteral("natter")},
                          {QStringLiteral("category"), QStringLiteral("im.received")}};
        if (!notification.iconFile.isEmpty())
            hints.insert(QStringLiteral("image-path"), notification.iconFile);
        QDBusMessage call =
            QDBusMessage::createMethodCall(Service, Path, Interface, QStringLiteral("Notify"));
        call << QStringLiteral("Natter") << m_ids.value(notification.conversation, 0u) << QString()
             << notification.title << notification.body << actions << hints << int(-1);
        const Core::ConversationKey key = notification.conversation;
        auto *watcher = new QDBusPendingCallWatcher(QDBusConnection::sessionBus().asyncCall(call), this);
        connect(watcher, &QDBusPendingCallWatcher::finished, this,
                [this, key, notification](QDBusPendingCallWatcher *pending) {
                    const QDBusPendingReply<uint> reply = *pending;
                    pending->deleteLater();
                    if (reply.isError()) {
                        m_busAvailable = false;
                        showThroughTray(notification);
                        return;
                    }
                    m_ids.insert(key, reply.value());
                });
        return;
    }
#endif
    showThroughTray(notification);
}

void DesktopNotifier::showThroughTray(const Notification &notification)
{
    if (!m_tray || !m_tray->isVisible())
        return;
    m_trayConversation = notification.conversation;
    m_tray->showMessage(notification.title, notification.body, QSystemTrayIcon::Information);
}

void DesktopNotifier::setTrayFallback(QSystemTrayIcon *tray)
{
    m_tray = tray;
    // A tray shows one message at a time: a click opens the conversation of the last one.
    connect(tray, &QSystemTrayIcon::messageClicked, this,
            [this] { Q_EMIT openRequested(m_trayConversation); });
}

void DesktopNotifier::withdraw(const Core::ConversationKey &conversation)
{
    const uint id = m_ids.take(conversation);
#ifdef NATTER_HAVE_DBUS
    if (id != 0 && m_busAvailable)
        QDBusConnection::sessionBus().asyncCall(
            QDBusMessage::createMethodCall(Service, Path, Interface, QStringLiteral("CloseNotification"))
            << id);
#else
    Q_UNUSED(id)
#endif
}

std::optional<Core::ConversationKey> DesktopNotifier::conversationOf(uint id) const
{
    for (auto it = m_ids.cbegin(); it != m_ids.cend(); ++it)
        if (it.value() == id)
            return it.key();
    return std::nullopt;
}

void DesktopNotifier::actionInvoked(uint id, const QString &action)
{
    const auto conversation = conversationOf(id);
    if (!conversation)
        return; // another application's notification
    if (action == QLatin1String("default"))
        Q_EMIT openRequested(*conversation);
    else if (action == QLatin1String("reply"))
        Q_EMIT replyRequested(*conversation);
    else if (action == QLatin1String("mark-read"))
        Q_EMIT markReadRequested(*conversation);
}

void DesktopNotifier::notificationReplied(uint id, const QString &text)
{
    const auto conversation = conversationOf(id);
    if (conversation && !text.trimmed().isEmpty())
        Q_EMIT inlineReplied(*conversation, text);
}

void DesktopNotifier::notificationClosed(uint id, uint)
{
    if (const auto conversation = conversationOf(id))
        m_ids.remove(*conversation);
}

} // namespace Natter::Ui
