// SPDX-License-Identifier: GPL-3.0-or-later
#include "DeleteAccountDialog.h"

#include "account/Account.h"
#include "account/AccountManager.h"
#include "presenters/ErrorPresenter.h"

#include <QBoxLayout>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace Natter::Ui {

DeleteAccountDialog::DeleteAccountDialog(Core::AccountManager &accounts, Core::Account &account,
                                         QWidget *parent)
    : QDialog(parent)
    , m_accounts(accounts)
    , m_account(&account)
    , m_jid(account.jid())
    , m_confirmation(new QLineEdit(this))
    , m_error(new QLabel(this))
{
    setObjectName(QStringLiteral("deleteAccountDialog"));
    setWindowTitle(tr("Delete %1 on the server").arg(m_jid));
    m_confirmation->setObjectName(QStringLiteral("deleteConfirmationEdit"));
    m_error->setObjectName(QStringLiteral("errorLabel"));
    auto *warning =
        new QLabel(tr("This deletes the account %1 on its server, for good: nobody can log in as "
                      "%1 any more, from any app, and the server forgets its contacts and the "
                      "messages it keeps. Natter then removes the account from this computer too.")
                       .arg(m_jid),
                   this);
    warning->setWordWrap(true);
    warning->setTextFormat(Qt::PlainText);
    auto *ask = new QLabel(tr("To confirm, type the address: %1").arg(m_jid), this);
    ask->setTextFormat(Qt::PlainText);
    ask->setBuddy(m_confirmation);
    m_confirmation->setPlaceholderText(m_jid);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_error->hide();
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_delete = buttons->addButton(tr("&Delete account"), QDialogButtonBox::DestructiveRole);
    m_delete->setObjectName(QStringLiteral("deleteAccountButton"));
    m_delete->setEnabled(false);
    buttons->button(QDialogButtonBox::Cancel)->setDefault(true);
    connect(m_confirmation, &QLineEdit::textChanged, this,
            [this](const QString &text) { m_delete->setEnabled(text.trimmed() == m_jid); });
    connect(m_delete, &QPushButton::clicked, this, &DeleteAccountDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(warning);
    layout->addSpacing(6);
    layout->addWidget(ask);
    layout->addWidget(m_confirmation);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    setMinimumWidth(440);
}

QString DeleteAccountDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void DeleteAccountDialog::showError(const QString &text)
{
    m_error->setText(text);
    m_error->setVisible(!text.isEmpty());
}

void DeleteAccountDialog::accept()
{
    if (m_confirmation->text().trimmed() != m_jid)
        return;
    if (!m_account || m_account->state() != Core::ConnectionState::Online)
        return showError(tr("Connect the account first: only a logged-in account can be deleted."));
    showError({});
    m_delete->setEnabled(false);
    m_confirmation->setEnabled(false);
    m_accounts.deleteAccountOnServer(m_jid).then(this, [this](const Core::Result<Core::Success> &deleted) {
        m_confirmation->setEnabled(true);
        m_delete->setEnabled(true);
        if (!Core::isOk(deleted))
            return showError(ErrorPresenter::describe(Core::errorOf(deleted)));
        QDialog::accept();
    });
}

} // namespace Natter::Ui
