// SPDX-License-Identifier: GPL-3.0-or-later
// Above the contact list: everyone who asked to see our presence, with Approve, Deny and Block.
#pragma once

#include "roster/SubscriptionService.h"

#include <QWidget>

class QVBoxLayout;

namespace Natter::Core {
class Account;
}

namespace Natter::Ui {

class SubscriptionRequestsWidget : public QWidget
{
    Q_OBJECT
public:
    explicit SubscriptionRequestsWidget(QWidget *parent = nullptr);

    void addAccount(Core::Account *account);
    int requestCount() const;

Q_SIGNALS:
    void blockRequested(Natter::Core::Account *account, const QString &jid);

private:
    void addRequest(Core::Account *account, const Core::SubscriptionRequest &request);
    void removeRequest(const QString &account, const QString &jid);

    QVBoxLayout *m_rows;
};

} // namespace Natter::Ui
