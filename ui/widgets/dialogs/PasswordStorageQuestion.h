// SPDX-License-Identifier: GPL-3.0-or-later
// Asks where to keep a password when the system keychain cannot: in the profile, or nowhere (ask at each
// start).
#pragma once

#include "domain/AccountConfig.h"

#include <QMessageBox>

namespace Natter::Ui {

class PasswordStorageQuestion : public QMessageBox
{
    Q_OBJECT
public:
    explicit PasswordStorageQuestion(QWidget *parent = nullptr);

Q_SIGNALS:
    void storageChosen(Natter::Core::AccountConfig::PasswordStorage storage);
    void cancelled();

private:
    QAbstractButton *m_profileButton;
    QAbstractButton *m_askButton;
};

} // namespace Natter::Ui
