// SPDX-License-Identifier: GPL-3.0-or-later
#include "ActivityMonitor.h"

#include "account/Account.h"
#include "account/AccountManager.h"

#include <QApplication>
#include <QEvent>
#include <QWidget>
#ifdef NATTER_HAVE_DBUS
#include <QDBusConnection>
#endif

namespace Natter::Ui {

namespace {
constexpr int DefaultInactiveDelayMs = 2000;
} // namespace

ActivityMonitor::ActivityMonitor(Core::AccountManager &accounts, QObject *parent)
    : QObject(parent)
    , m_accounts(accounts)
{
    m_inactiveDelay.setSingleShot(true);
    m_inactiveDelay.setInterval(DefaultInactiveDelayMs);
    connect(&m_inactiveDelay, &QTimer::timeout, this, [this] { apply(false); });
    // Focus moves in several steps (deactivate, hide, activate): look once they are done.
    m_settle.setSingleShot(true);
    m_settle.setInterval(0);
    connect(&m_settle, &QTimer::timeout, this, &ActivityMonitor::evaluate);
    connect(qApp, &QGuiApplication::focusWindowChanged, &m_settle, qOverload<>(&QTimer::start));
    connect(qApp, &QGuiApplication::applicationStateChanged, &m_settle, qOverload<>(&QTimer::start));
    connect(qApp, &QApplication::focusChanged, &m_settle, qOverload<>(&QTimer::start));
    qApp->installEventFilter(this);
    // A new account starts in the state the others are in.
    connect(&m_accounts, &Core::AccountManager::accountAdded, this,
            [this](Core::Account *account) { account->setActive(m_active); });
#ifdef NATTER_HAVE_DBUS
    // Absent on systems without a session bus or screen saver service: then only the focus counts.
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (bus.isConnected()) {
        for (const QString &service :
             {QStringLiteral("org.freedesktop.ScreenSaver"), QStringLiteral("org.gnome.ScreenSaver")})
            bus.connect(QString(), QStringLiteral("/") + QString(service).replace(u'.', u'/'), service,
                        QStringLiteral("ActiveChanged"), this, SLOT(screenLockChanged(bool)));
        bus.connect(QString(), QStringLiteral("/ScreenSaver"), QStringLiteral("org.freedesktop.ScreenSaver"),
                    QStringLiteral("ActiveChanged"), this, SLOT(screenLockChanged(bool)));
    }
#endif
    evaluate();
}

bool ActivityMonitor::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::WindowActivate:
    case QEvent::WindowDeactivate:
    case QEvent::ActivationChange:
    case QEvent::Hide:
    case QEvent::Show:
        if (watched->isWidgetType() && static_cast<QWidget *>(watched)->isWindow())
            m_settle.start();
        break;
    default:
        break;
    }
    return false;
}

void ActivityMonitor::screenLockChanged(bool locked)
{
    m_screenLocked = locked;
    evaluate();
}

void ActivityMonitor::evaluate()
{
    const QWidget *active = QApplication::activeWindow();
    // Qt has no active window while another application has the focus.
    const bool focused = active && active->isVisible();
    if (focused && !m_screenLocked) {
        m_inactiveDelay.stop();
        apply(true);
    } else if (m_screenLocked) {
        m_inactiveDelay.stop();
        apply(false);
    } else if (m_active && !m_inactiveDelay.isActive()) {
        m_inactiveDelay.start();
    }
}

void ActivityMonitor::apply(bool active)
{
    if (active == m_active)
        return;
    m_active = active;
    for (Core::Account *account : m_accounts.accounts())
        account->setActive(active);
    Q_EMIT userActiveChanged(active);
}

} // namespace Natter::Ui
