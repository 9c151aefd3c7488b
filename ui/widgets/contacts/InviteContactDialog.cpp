// SPDX-License-Identifier: GPL-3.0-or-later
#include "InviteContactDialog.h"

#include "account/Account.h"
#include "presenters/ErrorPresenter.h"
#include "roster/ContactInvite.h"
#include "widgets/crypto/QrCodeView.h"

#include <QBoxLayout>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QXmppClient.h>

namespace Natter::Ui {

InviteContactDialog::InviteContactDialog(Core::Account &account, QWidget *parent)
    : QDialog(parent)
    , m_account(account)
    , m_status(new QLabel(this))
    , m_link(new QLineEdit(this))
    , m_copy(new QPushButton(tr("&Copy link"), this))
    , m_code(new QrCodeView(this))
    , m_landingPage(new QLabel(this))
    , m_expires(new QLabel(this))
{
    setObjectName(QStringLiteral("inviteContactDialog"));
    setWindowTitle(tr("Invite a contact"));
    m_status->setObjectName(QStringLiteral("inviteStatus"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    m_link->setObjectName(QStringLiteral("inviteLinkEdit"));
    m_link->setReadOnly(true);
    m_copy->setObjectName(QStringLiteral("inviteCopyButton"));
    m_code->setObjectName(QStringLiteral("inviteQrCode"));
    m_code->setMinimumSize(240, 240);
    m_landingPage->setObjectName(QStringLiteral("inviteLandingPage"));
    m_landingPage->setTextFormat(Qt::RichText);
    m_landingPage->setOpenExternalLinks(true);
    m_landingPage->setWordWrap(true);
    m_expires->setObjectName(QStringLiteral("inviteExpires"));
    m_expires->setTextFormat(Qt::PlainText);
    connect(m_copy, &QPushButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(m_link->text()); });

    auto *linkRow = new QHBoxLayout;
    linkRow->addWidget(m_link, 1);
    linkRow->addWidget(m_copy);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::accept);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addLayout(linkRow);
    layout->addWidget(m_code, 1, Qt::AlignHCenter);
    layout->addWidget(m_landingPage);
    layout->addWidget(m_expires);
    layout->addWidget(buttons);
    setMinimumWidth(480);
    for (QWidget *part :
         {static_cast<QWidget *>(m_link), static_cast<QWidget *>(m_copy), static_cast<QWidget *>(m_code),
          static_cast<QWidget *>(m_landingPage), static_cast<QWidget *>(m_expires)})
        part->hide();
    request();
}

QString InviteContactDialog::link() const
{
    return m_link->text();
}

void InviteContactDialog::request()
{
    m_status->setText(tr("Asking %1 for an invitation…").arg(m_account.jid().section(u'@', 1)));
    Core::createContactInvite(m_account.client(), this, m_account.jid().section(u'@', 1))
        .then(this, [this](Core::Result<Core::ContactInvite> &&created) {
            if (!Core::isOk(created)) {
                const Core::Error error = Core::errorOf(created);
                m_status->setText(
                    error.code == Core::Error::Code::FeatureUnsupported
                        ? tr("Your server does not hand out invitations. Send your address, %1, "
                             "instead.")
                              .arg(m_account.jid())
                        : tr("No invitation: %1").arg(ErrorPresenter::describe(error)));
                return;
            }
            const auto &invite = std::get<Core::ContactInvite>(created);
            m_status->setText(tr("Whoever opens this link in an XMPP app, or scans the code, becomes your "
                                 "contact at once. Share it only with them."));
            m_link->setText(invite.uri);
            m_link->show();
            m_copy->show();
            m_code->setText(invite.uri);
            m_code->show();
            if (!invite.landingPage.isEmpty()) {
                m_landingPage->setText(tr("Without an XMPP app yet? Send them <a href=\"%1\">this page</a>.")
                                           .arg(invite.landingPage.toHtmlEscaped()));
                m_landingPage->show();
            }
            if (invite.expires.isValid()) {
                m_expires->setText(
                    tr("Valid until %1.")
                        .arg(QLocale().toString(invite.expires.toLocalTime(), QLocale::ShortFormat)));
                m_expires->show();
            }
        });
}

} // namespace Natter::Ui
