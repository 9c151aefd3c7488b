// SPDX-License-Identifier: GPL-3.0-or-later
#include "ServerDetailsDialog.h"

#include "account/Account.h"
#include "presenters/ErrorPresenter.h"
#include "roster/ContactInfoService.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QListWidget>
#include <QVBoxLayout>
#include <QXmppUtils.h>

namespace Natter::Ui {

ServerDetailsDialog::ServerDetailsDialog(Core::Account &account, QWidget *parent)
    : QDialog(parent)
    , m_identities(new QListWidget(this))
    , m_features(new QListWidget(this))
    , m_status(new QLabel(tr("Asking the server…"), this))
{
    setObjectName(QStringLiteral("serverDetailsDialog"));
    const QString server = QXmppUtils::jidToDomain(account.jid());
    setWindowTitle(tr("Server %1").arg(server));
    m_status->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::accept);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("What it is:"), this));
    layout->addWidget(m_identities);
    layout->addWidget(new QLabel(tr("What it offers (features):"), this));
    layout->addWidget(m_features, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(520, 520);
    account.contactInfo().serviceInfo(server).then(this, [this](Core::Result<Core::ServiceInfo> &&result) {
        if (const auto *error = std::get_if<Core::Error>(&result)) {
            m_status->setText(ErrorPresenter::describe(*error));
            return;
        }
        const auto &info = std::get<Core::ServiceInfo>(result);
        for (const auto &identity : info.identities)
            m_identities->addItem(
                QStringLiteral("%1/%2 %3").arg(identity.category, identity.type, identity.name).trimmed());
        m_features->addItems(info.features);
        m_status->setText(tr("%n feature(s).", nullptr, int(info.features.size())));
    });
}

QString ServerDetailsDialog::statusText() const
{
    return m_status->text();
}

} // namespace Natter::Ui
