// SPDX-License-Identifier: GPL-3.0-or-later
#include "BlockedListDialog.h"

#include "account/Account.h"
#include "presenters/ErrorPresenter.h"
#include "roster/BlockingService.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace Natter::Ui {

BlockedListDialog::BlockedListDialog(Core::Account &account, QWidget *parent)
    : QDialog(parent)
    , m_account(account)
    , m_list(new QListWidget(this))
    , m_address(new QLineEdit(this))
    , m_unblock(new QPushButton(tr("Unblock"), this))
    , m_error(new QLabel(this))
{
    setObjectName(QStringLiteral("blockedListDialog"));
    setWindowTitle(tr("Blocked addresses of %1").arg(account.jid()));
    m_list->setObjectName(QStringLiteral("blockedList"));
    m_address->setObjectName(QStringLiteral("blockAddressEdit"));
    m_address->setPlaceholderText(tr("name@example.org or a whole domain"));
    auto *block = new QPushButton(tr("Block"), this);
    block->setObjectName(QStringLiteral("blockButton"));
    m_unblock->setObjectName(QStringLiteral("unblockButton"));
    m_error->setObjectName(QStringLiteral("errorLabel"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setStyleSheet(QStringLiteral("color: #c0392b"));
    m_error->hide();
    auto *explanation = new QLabel(
        tr("Nothing from these addresses reaches you: no messages, no presence, no requests."), this);
    explanation->setWordWrap(true);
    connect(block, &QPushButton::clicked, this, &BlockedListDialog::blockEntered);
    connect(m_address, &QLineEdit::returnPressed, this, &BlockedListDialog::blockEntered);
    connect(m_unblock, &QPushButton::clicked, this, &BlockedListDialog::unblockSelected);
    connect(m_list, &QListWidget::itemSelectionChanged, this,
            [this] { m_unblock->setEnabled(!m_list->selectedItems().isEmpty()); });
    connect(&m_account.blocking(), &Core::BlockingService::blockListChanged, this,
            &BlockedListDialog::refresh);

    auto *addRow = new QHBoxLayout;
    addRow->addWidget(m_address, 1);
    addRow->addWidget(block);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_unblock, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::accept);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(explanation);
    layout->addLayout(addRow);
    layout->addWidget(m_error);
    layout->addWidget(m_list, 1);
    layout->addWidget(buttons);
    refresh();
}

QString BlockedListDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void BlockedListDialog::refresh()
{
    m_list->clear();
    m_list->addItems(m_account.blocking().blockedJids());
    m_unblock->setEnabled(false);
}

void BlockedListDialog::showError(const QString &text)
{
    m_error->setText(text);
    m_error->setVisible(!text.isEmpty());
}

void BlockedListDialog::blockEntered()
{
    const QString address = m_address->text().trimmed();
    if (address.isEmpty())
        return;
    showError({});
    m_account.blocking().block(address).then(this, [this](Core::Result<Core::Success> &&result) {
        if (Core::isOk(result))
            m_address->clear();
        else
            showError(ErrorPresenter::describe(Core::errorOf(result)));
    });
}

void BlockedListDialog::unblockSelected()
{
    showError({});
    for (const QListWidgetItem *item : m_list->selectedItems())
        m_account.blocking().unblock(item->text()).then(this, [this](Core::Result<Core::Success> &&result) {
            if (!Core::isOk(result))
                showError(ErrorPresenter::describe(Core::errorOf(result)));
        });
}

} // namespace Natter::Ui
