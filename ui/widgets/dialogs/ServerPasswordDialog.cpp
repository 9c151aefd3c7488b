// SPDX-License-Identifier: GPL-3.0-or-later
#include "ServerPasswordDialog.h"

#include "account/Account.h"
#include "account/AccountManager.h"
#include "presenters/ErrorPresenter.h"

#include <QBoxLayout>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace Natter::Ui {

ServerPasswordDialog::ServerPasswordDialog(Core::AccountManager &accounts, Core::Account &account,
                                           QWidget *parent)
    : QDialog(parent)
    , m_accounts(accounts)
    , m_account(&account)
    , m_password(new QLineEdit(this))
    , m_repeat(new QLineEdit(this))
    , m_error(new QLabel(this))
{
    setObjectName(QStringLiteral("serverPasswordDialog"));
    setWindowTitle(tr("Change password of %1").arg(account.jid()));
    m_password->setObjectName(QStringLiteral("serverPasswordEdit"));
    m_repeat->setObjectName(QStringLiteral("serverPasswordRepeatEdit"));
    m_error->setObjectName(QStringLiteral("errorLabel"));
    for (QLineEdit *edit : {m_password, m_repeat})
        edit->setEchoMode(QLineEdit::Password);
    auto *intro =
        new QLabel(tr("The new password replaces the old one on the server, for every app that logs "
                      "in as %1. Natter keeps the new one where it kept the old one.")
                       .arg(account.jid()),
                   this);
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::PlainText);
    auto *form = new QFormLayout;
    form->addRow(tr("&New password:"), m_password);
    form->addRow(tr("&Again:"), m_repeat);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_error->hide();
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_change = buttons->addButton(tr("&Change password"), QDialogButtonBox::AcceptRole);
    m_change->setObjectName(QStringLiteral("changePasswordButton"));
    m_change->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &ServerPasswordDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    setMinimumWidth(420);
}

QString ServerPasswordDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void ServerPasswordDialog::showError(const QString &text, QWidget *focus)
{
    m_error->setText(text);
    m_error->setVisible(!text.isEmpty());
    if (focus)
        focus->setFocus();
}

void ServerPasswordDialog::accept()
{
    if (!m_account)
        return QDialog::reject();
    const QString password = m_password->text();
    if (password.isEmpty())
        return showError(tr("Enter the new password."), m_password);
    if (password != m_repeat->text())
        return showError(tr("The two passwords differ. Type the same one twice."), m_repeat);
    if (m_account->state() != Core::ConnectionState::Online)
        return showError(
            tr("Connect the account first: the server changes the password of a logged-in account."));
    showError({});
    m_change->setEnabled(false);
    m_accounts.changePassword(m_account->jid(), password)
        .then(this, [this](const Core::Result<Core::Success> &changed) {
            m_change->setEnabled(true);
            if (!Core::isOk(changed))
                return showError(ErrorPresenter::describe(Core::errorOf(changed)));
            QDialog::accept();
        });
}

} // namespace Natter::Ui
