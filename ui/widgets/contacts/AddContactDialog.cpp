// SPDX-License-Identifier: GPL-3.0-or-later
#include "AddContactDialog.h"

#include "common/JidValidator.h"
#include "presenters/ErrorPresenter.h"
#include "roster/ContactInvitation.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace Natter::Ui {

AddContactDialog::AddContactDialog(const QStringList &accountJids, QWidget *parent)
    : QDialog(parent)
    , m_account(new QComboBox(this))
    , m_jid(new QLineEdit(this))
    , m_name(new QLineEdit(this))
    , m_groups(new QLineEdit(this))
    , m_ask(new QCheckBox(tr("Ask to see their presence"), this))
    , m_share(new QCheckBox(tr("Let them see my presence"), this))
    , m_error(new QLabel(this))
    , m_invitationNote(new QLabel(this))
{
    setWindowTitle(tr("Add contact"));
    setObjectName(QStringLiteral("addContactDialog"));
    m_account->addItems(accountJids);
    m_account->setObjectName(QStringLiteral("accountCombo"));
    m_jid->setObjectName(QStringLiteral("contactJidEdit"));
    m_jid->setPlaceholderText(tr("name@example.org or an invitation link"));
    m_name->setObjectName(QStringLiteral("contactNameEdit"));
    m_groups->setObjectName(QStringLiteral("contactGroupsEdit"));
    m_groups->setPlaceholderText(tr("Friends, Work"));
    m_ask->setChecked(true);
    m_share->setChecked(true);
    m_error->setObjectName(QStringLiteral("errorLabel"));
    m_error->setTextFormat(Qt::PlainText);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c0392b"));
    m_error->hide();
    m_invitationNote->setObjectName(QStringLiteral("invitationNote"));
    m_invitationNote->setTextFormat(Qt::PlainText);
    m_invitationNote->setWordWrap(true);
    m_invitationNote->setText(tr("This is an invitation: they are added at once, without waiting for their "
                                 "approval."));
    m_invitationNote->hide();
    // A pasted link fills in the address and the name it suggests; its token goes with the request.
    connect(m_jid, &QLineEdit::textChanged, this, [this](const QString &text) {
        const auto invitation = Core::ContactInvitation::parse(text);
        m_token = invitation ? invitation->token : QString();
        m_invitationNote->setVisible(!m_token.isEmpty());
        if (invitation && m_name->text().isEmpty())
            m_name->setText(invitation->name);
    });

    auto *form = new QFormLayout;
    if (accountJids.size() > 1)
        form->addRow(tr("Account:"), m_account);
    else
        m_account->hide();
    form->addRow(tr("Address:"), m_jid);
    form->addRow(tr("Name:"), m_name);
    form->addRow(tr("Groups:"), m_groups);
    form->addRow(QString(), m_ask);
    form->addRow(QString(), m_share);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Add"));
    connect(buttons, &QDialogButtonBox::accepted, this, &AddContactDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &AddContactDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_invitationNote);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
}

QString AddContactDialog::accountJid() const
{
    return m_account->currentText();
}

QString AddContactDialog::name() const
{
    return m_name->text().trimmed();
}

QStringList AddContactDialog::groups() const
{
    QStringList groups;
    for (const QString &group : m_groups->text().split(u',', Qt::SkipEmptyParts))
        if (!group.trimmed().isEmpty() && !groups.contains(group.trimmed()))
            groups.append(group.trimmed());
    return groups;
}

bool AddContactDialog::askForPresence() const
{
    return m_ask->isChecked();
}

bool AddContactDialog::sharePresence() const
{
    return m_share->isChecked();
}

QString AddContactDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void AddContactDialog::accept()
{
    QString entered = m_jid->text().trimmed();
    // A pasted xmpp: link works too.
    if (entered.startsWith(QStringLiteral("xmpp:"), Qt::CaseInsensitive)) {
        const auto invitation = Core::ContactInvitation::parse(entered);
        if (!invitation) {
            m_error->setText(tr("This link does not name a contact to add."));
            m_error->show();
            m_jid->setFocus();
            return;
        }
        entered = invitation->jid;
    }
    const auto problem = Core::JidValidator::checkJid(entered);
    if (problem != Core::JidValidator::Problem::None || entered.contains(u'/')) {
        m_error->setText(entered.contains(u'/') ? tr("Enter an address without a device part (after “/”).")
                                                : ErrorPresenter::describeJidProblem(problem));
        m_error->show();
        m_jid->setFocus();
        return;
    }
    const QString normalized = Core::JidValidator::normalizedBareJid(entered);
    if (normalized == accountJid()) {
        m_error->setText(tr("That is your own address."));
        m_error->show();
        return;
    }
    m_contactJid = normalized;
    QDialog::accept();
}

} // namespace Natter::Ui
