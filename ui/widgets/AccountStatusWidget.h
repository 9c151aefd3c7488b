// SPDX-License-Identifier: GPL-3.0-or-later
// One account in the side bar: its JID, a coloured state dot, what is going on, and what the user can do.
#pragma once

#include "domain/ConnectionState.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QLabel;
class QToolButton;
class QPushButton;

namespace Natter::Core {
class Account;
}

namespace Natter::Ui {

class AccountStatusWidget : public QWidget
{
    Q_OBJECT
public:
    explicit AccountStatusWidget(Core::Account *account, QWidget *parent = nullptr);

    Core::Account *account() const;
    // What the status line says right now (for the banner and for tests).
    QString statusText() const;
    // The action the button offers in the current state.
    static QString actionText(const Core::Account &account);

Q_SIGNALS:
    void connectRequested(Natter::Core::Account *account);
    void disconnectRequested(Natter::Core::Account *account);
    void settingsRequested(Natter::Core::Account *account);

private:
    void refresh();
    void showName();
    void triggerAction();
    static QColor stateColour(Core::ConnectionState state);

    QPointer<Core::Account> m_account;
    QLabel *m_colour;
    QLabel *m_dot;
    QLabel *m_jid;
    QLabel *m_status;
    QPushButton *m_actionButton;
    QToolButton *m_settingsButton;
    QTimer m_countdown;
};

} // namespace Natter::Ui
