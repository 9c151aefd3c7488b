// SPDX-License-Identifier: GPL-3.0-or-later
// One account in the side bar: its name and colour, a coloured state dot, what is going on, and what the user
// can do.
#include "AccountStatusWidget.h"

#include "account/Account.h"
#include "dialogs/CertificateDialog.h"
#include "presenters/AccountPresenter.h"
#include "presenters/ErrorPresenter.h"

#include <QBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>

namespace Natter::Ui {

using Core::Account;
using Core::ConnectionState;
using Core::Error;

namespace {
QPixmap dotPixmap(const QColor &colour, int size, qreal ratio)
{
    QPixmap pixmap(QSize(size, size) * ratio);
    pixmap.setDevicePixelRatio(ratio);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(colour);
    painter.drawEllipse(QRectF(1, 1, size - 2, size - 2));
    return pixmap;
}
} // namespace

AccountStatusWidget::AccountStatusWidget(Account *account, QWidget *parent)
    : QWidget(parent)
    , m_account(account)
    , m_colour(new QLabel(this))
    , m_dot(new QLabel(this))
    , m_jid(new QLabel(this))
    , m_status(new QLabel(this))
    , m_actionButton(new QPushButton(this))
    , m_settingsButton(new QToolButton(this))
{
    setObjectName(QStringLiteral("accountStatus_") + account->jid());
    m_status->setObjectName(QStringLiteral("accountStatusText"));
    m_actionButton->setObjectName(QStringLiteral("accountActionButton"));
    m_settingsButton->setObjectName(QStringLiteral("accountSettingsButton"));

    m_colour->setObjectName(QStringLiteral("accountColour"));
    m_jid->setObjectName(QStringLiteral("accountName"));
    m_jid->setTextFormat(Qt::PlainText);
    QFont bold = m_jid->font();
    bold.setBold(true);
    m_jid->setFont(bold);
    m_jid->setMinimumWidth(60);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    const QIcon gear =
        QIcon::fromTheme(QStringLiteral("configure"), QIcon::fromTheme(QStringLiteral("preferences-system")));
    m_settingsButton->setIcon(gear);
    // Without an icon theme the button shows a gear character (DejaVu and Noto have it).
    m_settingsButton->setText(gear.isNull() ? QStringLiteral("\u2699") : tr("Settings"));
    m_settingsButton->setToolButtonStyle(gear.isNull() ? Qt::ToolButtonTextOnly : Qt::ToolButtonIconOnly);
    if (gear.isNull()) {
        QFont gearFont = m_settingsButton->font();
        gearFont.setPointSizeF(gearFont.pointSizeF() * 1.4);
        m_settingsButton->setFont(gearFont);
    }
    m_settingsButton->setToolTip(tr("Account settings"));
    m_settingsButton->setAccessibleName(tr("Settings of %1").arg(account->jid()));
    m_settingsButton->setAutoRaise(true);

    auto *top = new QHBoxLayout;
    top->setSpacing(6);
    top->addWidget(m_colour);
    top->addWidget(m_dot);
    top->addWidget(m_jid, 1);
    top->addWidget(m_settingsButton);
    auto *bottom = new QHBoxLayout;
    bottom->setSpacing(6);
    bottom->addWidget(m_status, 1);
    bottom->addWidget(m_actionButton, 0, Qt::AlignTop);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->setSpacing(2);
    layout->addLayout(top);
    layout->addLayout(bottom);

    m_countdown.setInterval(1000);
    connect(&m_countdown, &QTimer::timeout, this, &AccountStatusWidget::refresh);
    connect(account, &Account::stateChanged, this, &AccountStatusWidget::refresh);
    connect(account, &Account::errorOccurred, this, &AccountStatusWidget::refresh);
    connect(account, &Account::reconnectScheduled, this, &AccountStatusWidget::refresh);
    connect(account, &Account::configChanged, this, &AccountStatusWidget::showName);
    showName();
    connect(m_actionButton, &QPushButton::clicked, this, &AccountStatusWidget::triggerAction);
    connect(m_settingsButton, &QToolButton::clicked, this, [this] {
        if (m_account)
            Q_EMIT settingsRequested(m_account);
    });
    refresh();
}

void AccountStatusWidget::showName()
{
    if (!m_account)
        return;
    const Core::AccountConfig &config = m_account->config();
    m_jid->setText(AccountPresenter::name(config));
    m_jid->setToolTip(config.jid);
    m_colour->setPixmap(AccountPresenter::swatch(AccountPresenter::colour(config)).pixmap(QSize(12, 12)));
    m_colour->setToolTip(tr("The colour of %1").arg(AccountPresenter::name(config)));
}

Account *AccountStatusWidget::account() const
{
    return m_account;
}

QColor AccountStatusWidget::stateColour(ConnectionState state)
{
    switch (state) {
    case ConnectionState::Online:
        return QColor(0x2e, 0x9e, 0x4f);
    case ConnectionState::Connecting:
        return QColor(0xe0, 0xa1, 0x00);
    case ConnectionState::Error:
        return QColor(0xc6, 0x28, 0x28);
    case ConnectionState::Offline:
        break;
    }
    return QColor(0x9e, 0x9e, 0x9e);
}

QString AccountStatusWidget::statusText() const
{
    Core::Account *account = m_account.data();
    if (!account)
        return {};
    switch (account->state()) {
    case ConnectionState::Offline:
        return account->config().enabled ? tr("Offline") : tr("Offline (disabled)");
    case ConnectionState::Connecting:
        return tr("Connecting…");
    case ConnectionState::Online:
        switch (account->config().proxyType) {
        case Core::AccountConfig::ProxyType::None:
            return tr("Online");
        case Core::AccountConfig::ProxyType::Tor:
            return tr("Online, through Tor");
        case Core::AccountConfig::ProxyType::Socks5:
        case Core::AccountConfig::ProxyType::HttpConnect:
            return tr("Online, through a proxy");
        }
        return tr("Online");
    case ConnectionState::Error:
        break;
    }
    const QString retry = ErrorPresenter::describeRetry(account->nextAttemptIn());
    const QString error = ErrorPresenter::describe(account->lastError());
    return retry.isEmpty() ? error : error + u' ' + retry;
}

QString AccountStatusWidget::actionText(const Account &account)
{
    switch (account.state()) {
    case ConnectionState::Offline:
        return tr("Connect");
    case ConnectionState::Connecting:
        return tr("Cancel");
    case ConnectionState::Online:
        return tr("Disconnect");
    case ConnectionState::Error:
        break;
    }
    if (account.lastError().code == Error::Code::AuthenticationFailed ||
        account.lastError().code == Error::Code::PasswordMissing)
        return tr("Enter password…");
    if (CertificateDialog::canShow(account.lastError()))
        return tr("Show certificate…");
    return account.nextAttemptIn() >= 0 ? tr("Retry now") : tr("Retry");
}

void AccountStatusWidget::refresh()
{
    Core::Account *account = m_account.data();
    if (!account)
        return;
    const ConnectionState state = account->state();
    m_dot->setPixmap(dotPixmap(stateColour(state), 12, devicePixelRatioF()));
    m_dot->setToolTip(statusText());
    m_status->setText(statusText());
    m_actionButton->setText(actionText(*account));
    const bool counting = state == ConnectionState::Error && account->nextAttemptIn() >= 0;
    if (counting && !m_countdown.isActive())
        m_countdown.start();
    else if (!counting)
        m_countdown.stop();
}

void AccountStatusWidget::triggerAction()
{
    Core::Account *account = m_account.data();
    if (!account)
        return;
    switch (account->state()) {
    case ConnectionState::Online:
    case ConnectionState::Connecting:
        Q_EMIT disconnectRequested(account);
        return;
    case ConnectionState::Offline:
    case ConnectionState::Error:
        Q_EMIT connectRequested(account);
        return;
    }
}

} // namespace Natter::Ui
