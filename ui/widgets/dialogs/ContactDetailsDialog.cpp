// SPDX-License-Identifier: GPL-3.0-or-later
#include "ContactDetailsDialog.h"

#include "account/Account.h"
#include "presenters/ErrorPresenter.h"
#include "presenters/PresencePresenter.h"
#include "roster/AvatarService.h"
#include "roster/ContactInfoService.h"
#include "roster/PresenceService.h"
#include "roster/RosterService.h"
#include "widgets/contacts/ContactDelegate.h"
#include "widgets/crypto/DeviceListDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Natter::Ui {

namespace {
constexpr int AvatarSize = 64;

QString durationText(qint64 seconds)
{
    if (seconds < 120)
        return ContactDetailsDialog::tr("just now");
    if (seconds < 7200)
        return ContactDetailsDialog::tr("%n minute(s) ago", nullptr, int(seconds / 60));
    if (seconds < 2 * 86400)
        return ContactDetailsDialog::tr("%n hour(s) ago", nullptr, int(seconds / 3600));
    return ContactDetailsDialog::tr("%n day(s) ago", nullptr, int(seconds / 86400));
}
} // namespace

ContactDetailsDialog::ContactDetailsDialog(Core::Account &account, const QString &jid, QWidget *parent)
    : QDialog(parent)
    , m_account(account)
    , m_jid(jid)
    , m_devices(new QTreeWidget(this))
    , m_lastSeen(new QLabel(this))
    , m_card(new QFormLayout)
    , m_cardStatus(new QLabel(tr("Asking…"), this))
{
    setObjectName(QStringLiteral("contactDetailsDialog"));
    const auto item = account.roster().item(jid);
    const QString name = item && !item->name.isEmpty() ? item->name : jid;
    setWindowTitle(tr("Details of %1").arg(name));

    QPixmap avatar(AvatarSize, AvatarSize);
    avatar.fill(Qt::transparent);
    {
        QPainter painter(&avatar);
        ContactDelegate::paintAvatar(&painter, avatar.rect(), account.avatars().avatarFile(jid), name, jid);
    }
    auto *picture = new QLabel(this);
    picture->setPixmap(avatar);
    auto *title = new QLabel(this);
    title->setTextFormat(Qt::PlainText);
    title->setText(name == jid ? jid : QStringLiteral("%1\n%2").arg(name, jid));
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
    auto *subscription =
        new QLabel(item ? PresencePresenter::subscriptionText(*item) : tr("Not in your contacts."), this);
    subscription->setWordWrap(true);
    auto *header = new QHBoxLayout;
    header->addWidget(picture);
    auto *names = new QVBoxLayout;
    names->addWidget(title);
    names->addWidget(subscription);
    names->addWidget(m_lastSeen);
    header->addLayout(names, 1);

    m_devices->setObjectName(QStringLiteral("devices"));
    m_devices->setRootIsDecorated(false);
    m_devices->setHeaderLabels(
        {tr("Device"), tr("Status"), tr("Priority"), tr("Software"), tr("Local time")});
    m_devices->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    auto *devicesBox = new QGroupBox(tr("Devices"), this);
    (new QVBoxLayout(devicesBox))->addWidget(m_devices);

    auto *cardBox = new QGroupBox(tr("Profile (vCard)"), this);
    auto *cardLayout = new QVBoxLayout(cardBox);
    m_cardStatus->setObjectName(QStringLiteral("cardStatus"));
    cardLayout->addLayout(m_card);
    cardLayout->addWidget(m_cardStatus);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::accept);
    if (account.encryption()) {
        QPushButton *encryption =
            buttons->addButton(tr("&Encryption devices…"), QDialogButtonBox::ActionRole);
        encryption->setObjectName(QStringLiteral("encryptionDevicesButton"));
        encryption->setToolTip(
            tr("The OMEMO devices of %1, their fingerprints and whether you trust them").arg(jid));
        connect(encryption, &QPushButton::clicked, this, [this] {
            auto *dialog = new DeviceListDialog(m_account, m_jid, this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            dialog->open();
        });
    }
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(devicesBox, 1);
    layout->addWidget(cardBox);
    layout->addWidget(buttons);
    resize(640, 460);

    fillDevices();
    askCard();
}

QString ContactDetailsDialog::cardField(const QString &label) const
{
    for (int row = 0; row < m_card->rowCount(); ++row) {
        auto *labelItem = m_card->itemAt(row, QFormLayout::LabelRole);
        auto *fieldItem = m_card->itemAt(row, QFormLayout::FieldRole);
        const auto *labelWidget = labelItem ? qobject_cast<QLabel *>(labelItem->widget()) : nullptr;
        const auto *fieldWidget = fieldItem ? qobject_cast<QLabel *>(fieldItem->widget()) : nullptr;
        if (labelWidget && fieldWidget && labelWidget->text() == label + u':')
            return fieldWidget->text();
    }
    return {};
}

QString ContactDetailsDialog::lastSeenText() const
{
    return m_lastSeen->text();
}

void ContactDetailsDialog::fillDevices()
{
    const Core::ContactPresence presence = m_account.presence().presence(m_jid);
    int row = 0;
    for (const Core::ResourcePresence &resource : presence.resources) {
        QString status = PresencePresenter::showText(resource.show);
        if (!resource.status.isEmpty())
            status += QStringLiteral(": ") + resource.status;
        auto *device =
            new QTreeWidgetItem(m_devices, {resource.resource, status, QString::number(resource.priority),
                                            tr("Asking…"), tr("Asking…")});
        Q_UNUSED(device)
        askDevice(resource.resource, row++);
    }
    if (presence.isOnline())
        m_lastSeen->setText(tr("Online now"));
    else
        askLastActivity();
}

void ContactDetailsDialog::askDevice(const QString &resource, int row)
{
    const QString fullJid = m_jid + u'/' + resource;
    auto set = [this, row](int column, const QString &text) {
        if (QTreeWidgetItem *device = m_devices->topLevelItem(row))
            device->setText(column, text);
    };
    m_account.contactInfo().softwareVersion(fullJid).then(
        this, [set](Core::Result<Core::SoftwareVersion> &&result) {
            if (const auto *version = std::get_if<Core::SoftwareVersion>(&result)) {
                QString text = QStringLiteral("%1 %2").arg(version->name, version->version).trimmed();
                if (!version->os.isEmpty())
                    text += QStringLiteral(" (%1)").arg(version->os);
                set(SoftwareColumn, text.isEmpty() ? tr("Not told") : text);
            } else {
                set(SoftwareColumn, tr("Not told"));
            }
        });
    m_account.contactInfo().entityTime(fullJid).then(this, [set](Core::Result<Core::EntityTime> &&result) {
        if (const auto *time = std::get_if<Core::EntityTime>(&result))
            set(TimeColumn, QLocale().toString(time->localTime().time(), QLocale::ShortFormat) +
                                QStringLiteral(" (UTC%1%2)")
                                    .arg(time->utcOffsetSeconds < 0 ? u'−' : u'+')
                                    .arg(QTime(0, 0)
                                             .addSecs(std::abs(time->utcOffsetSeconds))
                                             .toString(QStringLiteral("hh:mm"))));
        else
            set(TimeColumn, tr("Not told"));
    });
}

void ContactDetailsDialog::askLastActivity()
{
    m_lastSeen->setText(tr("Offline"));
    m_account.contactInfo().lastActivity(m_jid).then(this, [this](Core::Result<Core::LastActivity> &&result) {
        if (const auto *last = std::get_if<Core::LastActivity>(&result)) {
            QString text = tr("Offline, last seen %1").arg(durationText(last->seconds));
            if (!last->status.isEmpty())
                text += QStringLiteral(" – ") + last->status;
            m_lastSeen->setText(text);
        }
    });
}

void ContactDetailsDialog::askCard()
{
    m_account.contactInfo().card(m_jid).then(this, [this](Core::Result<Core::ContactCard> &&result) {
        if (const auto *error = std::get_if<Core::Error>(&result)) {
            m_cardStatus->setText(error->code == Core::Error::Code::RequestRefused
                                      ? tr("No profile published.")
                                      : ErrorPresenter::describe(*error));
            return;
        }
        const auto &card = std::get<Core::ContactCard>(result);
        if (card.isEmpty()) {
            m_cardStatus->setText(tr("No profile published."));
            return;
        }
        m_cardStatus->hide();
        auto add = [this](const QString &label, const QString &value) {
            if (value.isEmpty())
                return;
            auto *field = new QLabel(value, this);
            field->setTextFormat(Qt::PlainText); // never markup from the network
            field->setWordWrap(true);
            field->setTextInteractionFlags(Qt::TextSelectableByMouse);
            m_card->addRow(label + u':', field);
        };
        add(tr("Full name"), card.fullName);
        add(tr("Nickname"), card.nickName);
        add(tr("Email"), card.email);
        add(tr("Web"), card.url);
        add(tr("Birthday"),
            card.birthday.isValid() ? QLocale().toString(card.birthday, QLocale::LongFormat) : QString());
        add(tr("About"), card.description);
    });
}

} // namespace Natter::Ui
