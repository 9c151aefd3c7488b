// SPDX-License-Identifier: GPL-3.0-or-later
// Asks for an account's password when none is stored (or the stored one was rejected).
#include "PasswordDialog.h"

#include "account/Account.h"

#include <QBoxLayout>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace Natter::Ui {

using Core::AccountConfig;

PasswordDialog::PasswordDialog(Core::Account *account, const QString &reason, QWidget *parent)
    : QDialog(parent)
    , m_account(account)
    , m_passwordEdit(new QLineEdit(this))
    , m_rememberCheck(new QCheckBox(this))
{
    setObjectName(QStringLiteral("passwordDialog"));
    setWindowTitle(tr("Password for %1").arg(account->jid()));
    m_passwordEdit->setObjectName(QStringLiteral("passwordEdit"));
    m_rememberCheck->setObjectName(QStringLiteral("rememberCheck"));

    auto *text = new QLabel(tr("Natter needs the password of %1 to connect.").arg(account->jid()), this);
    text->setTextFormat(Qt::PlainText);
    text->setWordWrap(true);
    auto *why = new QLabel(reason, this);
    why->setTextFormat(Qt::PlainText);
    why->setWordWrap(true);
    why->setVisible(!reason.isEmpty());
    m_passwordEdit->setEchoMode(QLineEdit::Password);
    m_passwordEdit->setAccessibleName(tr("Password"));

    switch (account->config().passwordStorage) {
    case AccountConfig::PasswordStorage::Keychain:
        m_rememberCheck->setText(tr("Remember it in the system keychain"));
        break;
    case AccountConfig::PasswordStorage::ProfileFile:
        m_rememberCheck->setText(tr("Remember it in the Natter profile (a file only your user can read)"));
        break;
    case AccountConfig::PasswordStorage::AskEachStart:
        // The user chose to type it at each start; the settings dialog changes that.
        m_rememberCheck->hide();
        break;
    }
    m_rememberCheck->setChecked(account->config().passwordStorage !=
                                AccountConfig::PasswordStorage::AskEachStart);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("connectButton"));
    buttons->button(QDialogButtonBox::Ok)->setText(tr("C&onnect"));
    buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    connect(m_passwordEdit, &QLineEdit::textChanged, this, [buttons](const QString &password) {
        buttons->button(QDialogButtonBox::Ok)->setEnabled(!password.isEmpty());
    });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(text);
    layout->addWidget(why);
    layout->addWidget(m_passwordEdit);
    layout->addWidget(m_rememberCheck);
    layout->addWidget(buttons);
    setMinimumWidth(380);
}

QString PasswordDialog::password() const
{
    return m_passwordEdit->text();
}

bool PasswordDialog::remember() const
{
    return !m_rememberCheck->isHidden() && m_rememberCheck->isChecked();
}

} // namespace Natter::Ui
