// SPDX-License-Identifier: GPL-3.0-or-later
// Asks where to keep a password when the system keychain cannot: in the profile, or nowhere (ask at each
// start).
#include "PasswordStorageQuestion.h"

#include <QPushButton>

namespace Natter::Ui {

using Core::AccountConfig;

PasswordStorageQuestion::PasswordStorageQuestion(QWidget *parent)
    : QMessageBox(parent)
{
    setObjectName(QStringLiteral("passwordStorageQuestion"));
    setWindowTitle(tr("Where should Natter keep the password?"));
    setIcon(QMessageBox::Question);
    setTextFormat(Qt::PlainText);
    setText(tr("No system keychain is available. Keep the password in your Natter profile (a file only your "
               "user can read), or type it at each start?"));
    m_profileButton = addButton(tr("Keep in profile"), QMessageBox::AcceptRole);
    m_profileButton->setObjectName(QStringLiteral("keepInProfileButton"));
    m_askButton = addButton(tr("Ask at each start"), QMessageBox::AcceptRole);
    m_askButton->setObjectName(QStringLiteral("askEachStartButton"));
    QPushButton *cancel = addButton(QMessageBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    setDefaultButton(qobject_cast<QPushButton *>(m_profileButton));
    setEscapeButton(cancel);

    connect(this, &QMessageBox::buttonClicked, this, [this](QAbstractButton *button) {
        if (button == m_profileButton)
            Q_EMIT storageChosen(AccountConfig::PasswordStorage::ProfileFile);
        else if (button == m_askButton)
            Q_EMIT storageChosen(AccountConfig::PasswordStorage::AskEachStart);
        else
            Q_EMIT cancelled();
    });
    connect(this, &QDialog::rejected, this, [this] {
        if (!clickedButton())
            Q_EMIT cancelled();
    });
}

} // namespace Natter::Ui
