// SPDX-License-Identifier: GPL-3.0-or-later
#include "TrayIcon.h"

#include "account/Account.h"
#include "account/AccountManager.h"
#include "presenters/PresencePresenter.h"
#include "roster/PresenceService.h"
#include "widgets/contacts/OwnStatusWidget.h"

#include <QPainter>
#include <QPainterPath>

namespace Natter::Ui {

QIcon TrayIcon::icon(int unread)
{
    QIcon icon;
    for (int size : {16, 22, 24, 32, 48, 64}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        // A speech bubble.
        const qreal s = size;
        QPainterPath bubble;
        bubble.addRoundedRect(QRectF(s * 0.06, s * 0.1, s * 0.88, s * 0.62), s * 0.2, s * 0.2);
        QPolygonF tail;
        tail << QPointF(s * 0.25, s * 0.66) << QPointF(s * 0.2, s * 0.92) << QPointF(s * 0.48, s * 0.7);
        bubble.addPolygon(tail);
        painter.setPen(Qt::NoPen);
        painter.setBrush(QColor(0x3b, 0x6f, 0xd4));
        painter.drawPath(bubble.simplified());
        if (unread > 0) {
            const QRectF badge(s * 0.42, 0, s * 0.58, s * 0.58);
            painter.setBrush(QColor(0xd0, 0x3b, 0x3b));
            painter.drawEllipse(badge);
            QFont font = painter.font();
            font.setBold(true);
            font.setPixelSize(std::max(7, int(s * (unread > 9 ? 0.3 : 0.4))));
            painter.setFont(font);
            painter.setPen(Qt::white);
            painter.drawText(badge, Qt::AlignCenter,
                             unread > 99 ? QStringLiteral("99+") : QString::number(unread));
        }
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

TrayIcon::TrayIcon(Core::AccountManager &accounts, QObject *parent)
    : QObject(parent)
    , m_accounts(accounts)
{
    m_menu.setObjectName(QStringLiteral("trayMenu"));
    m_toggle = m_menu.addAction(tr("Hide Natter"), this, &TrayIcon::toggleWindowRequested);
    m_toggle->setObjectName(QStringLiteral("toggleWindowAction"));
    m_menu.addSeparator();
    QMenu *status = m_menu.addMenu(tr("Status"));
    status->setObjectName(QStringLiteral("trayStatusMenu"));
    for (Core::PresenceShow show : OwnStatusWidget::choices()) {
        QAction *action = status->addAction(PresencePresenter::showText(show), this, [this, show] {
            // Each account keeps its status message and priority.
            for (Core::Account *account : m_accounts.accounts()) {
                Core::OwnPresence presence = account->presence().ownPresence();
                presence.show = show;
                account->setOwnPresence(presence);
            }
        });
        action->setData(int(show));
    }
    m_menu.addSeparator();
    QAction *quit = m_menu.addAction(tr("Quit Natter"), this, &TrayIcon::quitRequested);
    quit->setObjectName(QStringLiteral("quitAction"));
    m_tray.setContextMenu(&m_menu);
    connect(&m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger)
            Q_EMIT toggleWindowRequested();
    });
    setUnread(0);
}

void TrayIcon::setUnread(int unread)
{
    if (unread == m_unread)
        return;
    m_unread = unread;
    m_tray.setIcon(icon(unread));
    m_tray.setToolTip(unread > 0 ? tr("Natter: %n unread message(s)", nullptr, unread) : tr("Natter"));
}

void TrayIcon::setWindowVisible(bool visible)
{
    m_toggle->setText(visible ? tr("Hide Natter") : tr("Show Natter"));
}

} // namespace Natter::Ui
