// SPDX-License-Identifier: GPL-3.0-or-later
#include "UndecidedDeviceBanner.h"

#include "account/Account.h"
#include "crypto/DeviceTrustService.h"
#include "crypto/EncryptionService.h"
#include "roster/RosterService.h"

#include <QBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QToolButton>
#include <algorithm>

namespace Natter::Ui {

using Core::OmemoDeviceInfo;
using Core::Result;

UndecidedDeviceBanner::UndecidedDeviceBanner(QWidget *parent)
    : QFrame(parent)
    , m_text(new QLabel(this))
{
    setObjectName(QStringLiteral("undecidedDeviceBanner"));
    setStyleSheet(QStringLiteral("#undecidedDeviceBanner { background: #fff4e5; border-bottom: 1px solid "
                                 "#f5d5a8; } #undecidedDeviceBanner QLabel { color: #663c00; }"));
    m_text->setObjectName(QStringLiteral("undecidedDeviceText"));
    m_text->setTextFormat(Qt::PlainText);
    m_text->setWordWrap(true);
    auto *review = new QPushButton(tr("Review devices"), this);
    review->setObjectName(QStringLiteral("reviewDevicesButton"));
    connect(review, &QPushButton::clicked, this, [this] { Q_EMIT reviewRequested(m_subject); });
    auto *close = new QToolButton(this);
    close->setObjectName(QStringLiteral("closeDeviceBannerButton"));
    close->setAutoRaise(true);
    close->setIcon(QIcon::fromTheme(QStringLiteral("window-close")));
    if (close->icon().isNull())
        close->setText(QStringLiteral("✕"));
    close->setToolTip(tr("Hide this warning"));
    close->setAccessibleName(tr("Hide this warning"));
    connect(close, &QToolButton::clicked, this, &UndecidedDeviceBanner::dismiss);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(12, 6, 6, 6);
    layout->addWidget(m_text, 1);
    layout->addWidget(review);
    layout->addWidget(close);
    hide();
}

void UndecidedDeviceBanner::setConversation(Core::Account *account, const Core::ConversationKey &conversation)
{
    for (const auto &connection : std::as_const(m_connections))
        disconnect(connection);
    m_connections.clear();
    m_account = account;
    m_conversation = conversation;
    m_dismissed = false;
    ++m_generation;
    hide();
    const bool applies = account && account->encryption() && !conversation.isGroupChat() &&
                         !conversation.peer.isEmpty() && !conversation.peer.contains(u'/');
    if (!applies)
        return;
    Core::DeviceTrustService *trust = &account->encryption()->deviceTrust();
    m_connections.append(
        connect(trust, &Core::DeviceTrustService::undecidedDeviceAdded, this, [this](const QString &jid) {
            if (!concerns(jid))
                return;
            m_dismissed = false; // a new device warns again
            refresh();
        }));
    m_connections.append(
        connect(trust, &Core::DeviceTrustService::devicesChanged, this, [this](const QString &jid) {
            if (concerns(jid))
                refresh();
        }));
    refresh();
}

QString UndecidedDeviceBanner::text() const
{
    return isHidden() ? QString() : m_text->text();
}

bool UndecidedDeviceBanner::concerns(const QString &bareJid) const
{
    return bareJid == m_conversation.peer || bareJid == m_conversation.account;
}

void UndecidedDeviceBanner::refresh()
{
    if (!m_account || !m_account->encryption())
        return hide();
    const int generation = ++m_generation;
    m_account->encryption()->deviceTrust().manualOnly().then(
        this, [this, generation](const Result<bool> &manual) {
            if (generation != m_generation)
                return;
            if (!Core::isOk(manual) || !std::get<bool>(manual))
                return hide();
            checkDevices(m_conversation.peer, generation);
        });
}

// The contact first; then our own account (unless we are chatting with ourselves).
void UndecidedDeviceBanner::checkDevices(const QString &bareJid, int generation)
{
    if (!m_account || !m_account->encryption())
        return hide();
    m_account->encryption()->deviceTrust().devices(bareJid).then(
        this, [this, bareJid, generation](const Result<QList<OmemoDeviceInfo>> &devices) {
            if (generation != m_generation)
                return;
            const auto *list = std::get_if<QList<OmemoDeviceInfo>>(&devices);
            const bool undecided = list && std::any_of(list->cbegin(), list->cend(), [](const auto &device) {
                                       return device.active && !device.thisDevice &&
                                              device.trust == Core::DeviceTrust::Undecided;
                                   });
            if (undecided)
                return showFor(bareJid);
            if (bareJid == m_conversation.peer && m_conversation.peer != m_conversation.account)
                return checkDevices(m_conversation.account, generation);
            hide();
        });
}

void UndecidedDeviceBanner::showFor(const QString &bareJid)
{
    m_subject = bareJid;
    if (bareJid == m_conversation.account) {
        m_text->setText(tr("Your account %1 has a new device you have not decided on. Messages are not "
                           "encrypted for it.")
                            .arg(bareJid));
    } else {
        const auto contact = m_account->roster().item(bareJid);
        const QString name = contact && !contact->name.isEmpty() ? contact->name : bareJid;
        m_text->setText(
            tr("%1 has a new device you have not decided on. Messages are not encrypted for it.").arg(name));
    }
    setVisible(!m_dismissed);
}

void UndecidedDeviceBanner::dismiss()
{
    m_dismissed = true;
    hide();
}

} // namespace Natter::Ui
