// SPDX-License-Identifier: GPL-3.0-or-later
#include "OwnStatusWidget.h"

#include "account/Account.h"
#include "account/AccountManager.h"
#include "presenters/PresencePresenter.h"
#include "roster/PresenceService.h"

#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QSpinBox>
#include <QToolButton>

namespace Natter::Ui {

using Core::OwnPresence;
using Core::PresenceShow;

namespace {

QIcon dotIcon(PresenceShow show)
{
    QPixmap pixmap(12, 12);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(PresencePresenter::showColor(show));
    painter.drawEllipse(1, 1, 10, 10);
    return QIcon(pixmap);
}

void fillShowCombo(QComboBox *combo)
{
    for (PresenceShow show : OwnStatusWidget::choices())
        combo->addItem(dotIcon(show), PresencePresenter::showText(show), int(show));
}

} // namespace

QList<PresenceShow> OwnStatusWidget::choices()
{
    return {PresenceShow::Available, PresenceShow::Away, PresenceShow::ExtendedAway,
            PresenceShow::DoNotDisturb, PresenceShow::Offline};
}

void OwnStatusWidget::applyToAll(Core::AccountManager &accounts, PresenceShow show, const QString &message)
{
    for (Core::Account *account : accounts.accounts()) {
        OwnPresence presence = account->presence().ownPresence();
        presence.show = show;
        presence.status = message;
        account->setOwnPresence(presence);
    }
}

OwnStatusWidget::OwnStatusWidget(Core::AccountManager &accounts, QWidget *parent)
    : QWidget(parent)
    , m_accounts(accounts)
    , m_show(new QComboBox(this))
    , m_message(new QLineEdit(this))
    , m_perAccount(new QToolButton(this))
{
    setObjectName(QStringLiteral("ownStatus"));
    m_show->setObjectName(QStringLiteral("ownShowCombo"));
    m_show->setAccessibleName(tr("Your status"));
    fillShowCombo(m_show);
    m_message->setObjectName(QStringLiteral("ownStatusMessage"));
    m_message->setPlaceholderText(tr("Status message"));
    m_message->setClearButtonEnabled(true);
    m_perAccount->setObjectName(QStringLiteral("perAccountStatusButton"));
    m_perAccount->setText(QStringLiteral("…"));
    m_perAccount->setToolTip(tr("Status and priority per account"));
    connect(m_show, &QComboBox::activated, this, &OwnStatusWidget::apply);
    connect(m_message, &QLineEdit::editingFinished, this, &OwnStatusWidget::apply);
    connect(m_perAccount, &QToolButton::clicked, this, &OwnStatusWidget::openPerAccountDialog);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->addWidget(m_show);
    layout->addWidget(m_message, 1);
    layout->addWidget(m_perAccount);

    auto follow = [this](Core::Account *account) {
        connect(&account->presence(), &Core::PresenceService::ownPresenceChanged, this,
                &OwnStatusWidget::refreshFromAccounts);
        refreshFromAccounts();
    };
    connect(&m_accounts, &Core::AccountManager::accountAdded, this, follow);
    for (Core::Account *account : m_accounts.accounts())
        follow(account);
}

void OwnStatusWidget::apply()
{
    const auto show = PresenceShow(m_show->currentData().toInt());
    const QString message = m_message->text().trimmed();
    applyToAll(m_accounts, show, message);
}

void OwnStatusWidget::refreshFromAccounts()
{
    if (m_accounts.accounts().isEmpty())
        return;
    // The first account speaks for the bar; per-account differences live in the dialog.
    const OwnPresence presence = m_accounts.accounts().first()->presence().ownPresence();
    m_show->setCurrentIndex(std::max(0, m_show->findData(int(presence.show))));
    if (!m_message->hasFocus())
        m_message->setText(presence.status);
}

void OwnStatusWidget::openPerAccountDialog()
{
    auto *dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("perAccountStatusDialog"));
    dialog->setWindowTitle(tr("Status per account"));
    auto *grid = new QGridLayout;
    grid->addWidget(new QLabel(tr("Account"), dialog), 0, 0);
    grid->addWidget(new QLabel(tr("Status"), dialog), 0, 1);
    grid->addWidget(new QLabel(tr("Message"), dialog), 0, 2);
    auto *priorityLabel = new QLabel(tr("Priority"), dialog);
    priorityLabel->setToolTip(tr("Messages to your address go to the device with the highest priority"));
    grid->addWidget(priorityLabel, 0, 3);
    struct RowWidgets
    {
        Core::Account *account;
        QComboBox *show;
        QLineEdit *message;
        QSpinBox *priority;
    };
    auto rows = std::make_shared<QList<RowWidgets>>();
    int row = 1;
    for (Core::Account *account : m_accounts.accounts()) {
        const OwnPresence presence = account->presence().ownPresence();
        RowWidgets widgets{account, new QComboBox(dialog), new QLineEdit(presence.status, dialog),
                           new QSpinBox(dialog)};
        fillShowCombo(widgets.show);
        widgets.show->setCurrentIndex(std::max(0, widgets.show->findData(int(presence.show))));
        widgets.priority->setRange(-128, 127);
        widgets.priority->setValue(presence.priority);
        widgets.priority->setObjectName(QStringLiteral("priority:") + account->jid());
        grid->addWidget(new QLabel(account->jid(), dialog), row, 0);
        grid->addWidget(widgets.show, row, 1);
        grid->addWidget(widgets.message, row, 2);
        grid->addWidget(widgets.priority, row, 3);
        rows->append(widgets);
        ++row;
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, dialog, [dialog, rows] {
        for (const RowWidgets &widgets : *rows)
            widgets.account->setOwnPresence({PresenceShow(widgets.show->currentData().toInt()),
                                             widgets.message->text().trimmed(), widgets.priority->value()});
        dialog->accept();
    });
    auto *layout = new QVBoxLayout(dialog);
    layout->addLayout(grid);
    layout->addWidget(buttons);
    dialog->open();
}

} // namespace Natter::Ui
