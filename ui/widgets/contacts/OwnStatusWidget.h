// SPDX-License-Identifier: GPL-3.0-or-later
// The bottom of the side bar: our status (available, away, extended away, do not disturb, offline) and
// status message for every account at once, and per account (with its priority) through "Per account…".
#pragma once

#include "domain/Presence.h"

#include <QWidget>

class QComboBox;
class QLineEdit;
class QToolButton;

namespace Natter::Core {
class AccountManager;
}

namespace Natter::Ui {

class OwnStatusWidget : public QWidget
{
    Q_OBJECT
public:
    explicit OwnStatusWidget(Core::AccountManager &accounts, QWidget *parent = nullptr);

    // The five states in menu order, for this widget and the tray's status menu.
    static QList<Core::PresenceShow> choices();
    // Applies show and message to every account, keeping each account's priority.
    static void applyToAll(Core::AccountManager &accounts, Core::PresenceShow show, const QString &message);

    QComboBox *showCombo() const { return m_show; }
    QLineEdit *messageField() const { return m_message; }
    void openPerAccountDialog();

private:
    void apply();
    void refreshFromAccounts();

    Core::AccountManager &m_accounts;
    QComboBox *m_show;
    QLineEdit *m_message;
    QToolButton *m_perAccount;
};

} // namespace Natter::Ui
