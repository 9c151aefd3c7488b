// SPDX-License-Identifier: GPL-3.0-or-later
#include "SubscriptionRequestsWidget.h"

#include "account/Account.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace Natter::Ui {

namespace {
QString rowName(const QString &account, const QString &jid)
{
    return QStringLiteral("request:") + account + u'/' + jid;
}
} // namespace

SubscriptionRequestsWidget::SubscriptionRequestsWidget(QWidget *parent)
    : QWidget(parent)
    , m_rows(new QVBoxLayout(this))
{
    setObjectName(QStringLiteral("subscriptionRequests"));
    m_rows->setContentsMargins(8, 4, 8, 4);
    m_rows->setSpacing(4);
    setVisible(false);
}

int SubscriptionRequestsWidget::requestCount() const
{
    return m_rows->count();
}

void SubscriptionRequestsWidget::addAccount(Core::Account *account)
{
    auto &subscriptions = account->subscriptions();
    connect(&subscriptions, &Core::SubscriptionService::requestReceived, this,
            [this, account](const Core::SubscriptionRequest &request) { addRequest(account, request); });
    connect(&subscriptions, &Core::SubscriptionService::requestSettled, this,
            [this, jid = account->jid()](const QString &contact) { removeRequest(jid, contact); });
    for (const Core::SubscriptionRequest &request : subscriptions.pendingRequests())
        addRequest(account, request);
}

void SubscriptionRequestsWidget::addRequest(Core::Account *account, const Core::SubscriptionRequest &request)
{
    if (findChild<QFrame *>(rowName(request.account, request.jid)))
        return;
    auto *row = new QFrame(this);
    row->setObjectName(rowName(request.account, request.jid));
    row->setFrameShape(QFrame::StyledPanel);
    auto *layout = new QVBoxLayout(row);
    layout->setContentsMargins(8, 6, 8, 6);
    const QString who =
        request.nickname.isEmpty() ? request.jid : tr("%1 (%2)").arg(request.nickname, request.jid);
    auto *text = new QLabel(tr("%1 wants to see when you are online.").arg(who), row);
    text->setTextFormat(Qt::PlainText);
    text->setWordWrap(true);
    layout->addWidget(text);
    if (!request.message.isEmpty()) {
        auto *message = new QLabel(QStringLiteral("“%1”").arg(request.message), row);
        message->setTextFormat(Qt::PlainText);
        message->setWordWrap(true);
        QFont italic = message->font();
        italic.setItalic(true);
        message->setFont(italic);
        layout->addWidget(message);
    }
    auto *buttons = new QHBoxLayout;
    auto *approve = new QPushButton(tr("Approve"), row);
    approve->setObjectName(QStringLiteral("approveButton"));
    approve->setToolTip(tr("Let them see your presence and ask to see theirs"));
    auto *deny = new QPushButton(tr("Deny"), row);
    deny->setObjectName(QStringLiteral("denyButton"));
    auto *block = new QPushButton(tr("Block"), row);
    block->setObjectName(QStringLiteral("blockButton"));
    block->setToolTip(tr("Deny, and receive nothing from this address any more"));
    buttons->addWidget(approve);
    buttons->addWidget(deny);
    buttons->addStretch(1);
    buttons->addWidget(block);
    layout->addLayout(buttons);
    const QString jid = request.jid;
    connect(approve, &QPushButton::clicked, this, [account, jid] { account->subscriptions().approve(jid); });
    connect(deny, &QPushButton::clicked, this, [account, jid] { account->subscriptions().deny(jid); });
    connect(block, &QPushButton::clicked, this, [this, account, jid] {
        account->subscriptions().deny(jid);
        Q_EMIT blockRequested(account, jid);
    });
    m_rows->addWidget(row);
    setVisible(true);
}

void SubscriptionRequestsWidget::removeRequest(const QString &account, const QString &jid)
{
    if (auto *row = findChild<QFrame *>(rowName(account, jid))) {
        m_rows->removeWidget(row);
        row->deleteLater();
    }
    setVisible(m_rows->count() > 0);
}

} // namespace Natter::Ui
