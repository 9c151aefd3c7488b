// SPDX-License-Identifier: GPL-3.0-or-later
// Asks for the address of a contact (and the account to use) to start a conversation.
#include "NewChatDialog.h"

#include "common/JidValidator.h"
#include "presenters/ErrorPresenter.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace Natter::Ui {

using Core::JidValidator;

NewChatDialog::NewChatDialog(const QStringList &accountJids, QWidget *parent)
    : QDialog(parent)
    , m_accountCombo(new QComboBox(this))
    , m_peerEdit(new QLineEdit(this))
    , m_errorLabel(new QLabel(this))
{
    setObjectName(QStringLiteral("newChatDialog"));
    setWindowTitle(tr("New chat"));
    m_accountCombo->setObjectName(QStringLiteral("accountCombo"));
    m_peerEdit->setObjectName(QStringLiteral("peerJidEdit"));
    m_errorLabel->setObjectName(QStringLiteral("errorLabel"));

    m_accountCombo->addItems(accountJids);
    m_peerEdit->setPlaceholderText(tr("contact@example.org"));
    m_errorLabel->setTextFormat(Qt::PlainText);
    m_errorLabel->setWordWrap(true);
    m_errorLabel->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_errorLabel->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_startButton = buttons->addButton(tr("&Start chat"), QDialogButtonBox::AcceptRole);
    m_startButton->setObjectName(QStringLiteral("startChatButton"));
    m_startButton->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &NewChatDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *form = new QFormLayout(this);
    if (accountJids.size() > 1)
        form->addRow(tr("&Account:"), m_accountCombo);
    else
        m_accountCombo->hide();
    form->addRow(tr("&Contact address:"), m_peerEdit);
    form->addRow(m_errorLabel);
    form->addRow(buttons);
    setMinimumWidth(420);
}

QString NewChatDialog::accountJid() const
{
    return m_accountCombo->currentText();
}

QString NewChatDialog::errorText() const
{
    return m_errorLabel->isHidden() ? QString() : m_errorLabel->text();
}

void NewChatDialog::accept()
{
    const QString text = m_peerEdit->text().trimmed();
    auto problem = JidValidator::checkJid(text);
    if (problem == JidValidator::Problem::None && text.contains(u'/'))
        problem = JidValidator::Problem::UnexpectedResource;
    if (problem != JidValidator::Problem::None) {
        m_errorLabel->setText(ErrorPresenter::describeJidProblem(problem));
        m_errorLabel->show();
        m_peerEdit->setFocus();
        return;
    }
    if (accountJid().isEmpty()) {
        m_errorLabel->setText(tr("Add an account first."));
        m_errorLabel->show();
        return;
    }
    m_peerJid = JidValidator::normalizedBareJid(text);
    QDialog::accept();
}

} // namespace Natter::Ui
