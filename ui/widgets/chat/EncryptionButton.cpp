// SPDX-License-Identifier: GPL-3.0-or-later
#include "EncryptionButton.h"

#include "account/Account.h"
#include "crypto/EncryptionService.h"
#include "crypto/LegacyOmemoService.h"
#include "muc/MucService.h"

#include <QMenu>
#include <QPainter>
#include <QPainterPath>

namespace Natter::Ui {

using Core::EncryptionChoice;

namespace {

// A padlock for icon themes without object-locked / object-unlocked: green and closed, or grey and open.
QIcon drawnLock(bool locked)
{
    QIcon icon;
    for (const int size : {16, 22, 32}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        const qreal s = size;
        const QColor colour = locked ? QColor(0x2e, 0x7d, 0x32) : QColor(0x75, 0x75, 0x75);
        painter.setPen(QPen(colour, s * 0.11, Qt::SolidLine, Qt::FlatCap));
        QPainterPath shackle;
        const qreal left = locked ? s * 0.3 : s * 0.52;
        shackle.moveTo(left, s * 0.48);
        shackle.lineTo(left, s * 0.3);
        shackle.arcTo(QRectF(left, s * 0.08, s * 0.4, s * 0.4), 180, -180);
        shackle.lineTo(left + s * 0.4, locked ? s * 0.48 : s * 0.36);
        painter.drawPath(shackle);
        painter.setPen(Qt::NoPen);
        painter.setBrush(colour);
        painter.drawRoundedRect(QRectF(s * 0.16, s * 0.46, s * 0.68, s * 0.46), s * 0.08, s * 0.08);
        icon.addPixmap(pixmap);
    }
    return icon;
}

} // namespace

EncryptionButton::EncryptionButton(QWidget *parent)
    : QToolButton(parent)
{
    setObjectName(QStringLiteral("encryptionButton"));
    setCheckable(true);
    setAutoRaise(true);
    setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    connect(this, &QToolButton::clicked, this, &EncryptionButton::toggle);
    // The button itself toggles encryption; its arrow opens the menu.
    auto *menu = new QMenu(this);
    m_devicesAction =
        menu->addAction(tr("Devices and fingerprints…"), this, &EncryptionButton::devicesRequested);
    m_devicesAction->setObjectName(QStringLiteral("deviceListAction"));
    setMenu(menu);
    setPopupMode(QToolButton::MenuButtonPopup);
    hide();
}

void EncryptionButton::setConversation(Core::Account *account, const Core::ConversationKey &conversation)
{
    QObject::disconnect(m_devicesChanged);
    m_account = account;
    m_conversation = conversation;
    // Rooms can be encrypted when members-only and non-anonymous: then everyone who reads is known.
    const bool applies = account && account->encryption() && !conversation.peer.contains(u'/') &&
                         !conversation.peer.isEmpty() &&
                         (!conversation.isGroupChat() || account->rooms().isPrivate(conversation.peer));
    setVisible(applies);
    m_devicesAction->setEnabled(!conversation.isGroupChat());
    if (!applies)
        return;
    m_devicesChanged = connect(account->encryption(), &Core::EncryptionService::devicesChanged, this,
                               [this](const QString &jid) {
                                   if (jid == m_conversation.peer)
                                       refresh();
                               });
    refresh();
}

void EncryptionButton::refresh()
{
    if (!m_account || !m_account->encryption())
        return;
    const auto conversation = m_conversation;
    m_account->encryption()
        ->choice(conversation)
        .then(this, [this, conversation](const Core::Result<EncryptionChoice> &result) {
            if (conversation == m_conversation)
                show(Core::isOk(result) ? std::get<EncryptionChoice>(result) : EncryptionChoice::On);
        });
}

void EncryptionButton::show(EncryptionChoice choice)
{
    const auto devices = m_account->encryption()->legacy().deviceIds(m_conversation.peer);
    // A room is encrypted automatically only once every member has devices: shown as such after the first
    // encrypted message has made it sticky.
    const bool peerHasDevices = !m_conversation.isGroupChat() && devices && !devices->isEmpty();
    m_encrypting =
        choice == EncryptionChoice::On || (choice == EncryptionChoice::Automatic && peerHasDevices);
    setChecked(m_encrypting);
    setIcon(
        QIcon::fromTheme(m_encrypting ? QStringLiteral("object-locked") : QStringLiteral("object-unlocked"),
                         drawnLock(m_encrypting)));
    setText(m_encrypting ? tr("Encrypted") : tr("Not encrypted"));
    if (m_encrypting && m_conversation.isGroupChat())
        setToolTip(tr("Messages in this room are end-to-end encrypted with OMEMO for every member; if a member "
                      "cannot read them, they are not sent. Click to send without encryption."));
    else if (m_encrypting)
        setToolTip(tr("Messages to %1 are end-to-end encrypted with OMEMO; if that is not possible, they are "
                      "not sent. Click to send without encryption.")
                       .arg(m_conversation.peer));
    else if (m_conversation.isGroupChat() && choice == EncryptionChoice::Automatic)
        setToolTip(tr("Messages in this room are encrypted as soon as every member has OMEMO. Click to "
                      "insist on encryption."));
    else if (choice == EncryptionChoice::Off)
        setToolTip(
            tr("Encryption is off for this chat: the server can read these messages. Click to encrypt."));
    else
        setToolTip(tr("%1 has no OMEMO device we know of, so messages are sent without end-to-end "
                      "encryption. Click to insist on encryption.")
                       .arg(m_conversation.peer));
}

void EncryptionButton::toggle()
{
    if (!m_account || !m_account->encryption())
        return;
    const EncryptionChoice choice = m_encrypting ? EncryptionChoice::Off : EncryptionChoice::On;
    const auto conversation = m_conversation;
    m_account->encryption()
        ->setChoice(conversation, choice)
        .then(this, [this, conversation](const Core::Result<Core::Success> &) {
            if (conversation == m_conversation)
                refresh();
        });
}

} // namespace Natter::Ui
