// SPDX-License-Identifier: GPL-3.0-or-later
// The account wizard's way to create an account: a server (suggested, or any) or an invitation link, then
// the server's own form (XEP-0077, with its CAPTCHA when it has one) in the data forms renderer.
#pragma once

#include "account/Registration.h"
#include "domain/AccountConfig.h"

#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QStackedWidget;

namespace Natter::Core {
class AccountManager;
}

namespace Natter::Ui {

class DataFormWidget;

class RegistrationPage : public QWidget
{
    Q_OBJECT
public:
    enum class Step
    {
        Server,
        Form,
    };
    Q_ENUM(Step)

    // Servers known to let anyone create an account from an app; the user may type any other.
    static QStringList suggestedServers();

    explicit RegistrationPage(Core::AccountManager &accounts, QWidget *parent = nullptr);
    ~RegistrationPage() override;

    Step step() const { return m_step; }
    // Asks the server for its form (connection: the host, port, TLS mode and proxy to use, its jid ignored),
    // or sends the answers.
    void next(const Core::AccountConfig &connection, const QString &proxyPassword = {});
    // Back to choosing a server.
    void back();
    void cancel();
    // Fills in an invitation link (as if pasted).
    void setInvitationLink(const QString &link);

Q_SIGNALS:
    void busyChanged(bool busy, const QString &status);
    void errorOccurred(const QString &text, QWidget *focus);
    void stepChanged(Natter::Ui::RegistrationPage::Step step);
    void registered(const QString &jid, const QString &password);

private:
    void requestForm(const Core::AccountConfig &connection, const QString &proxyPassword);
    void submit();
    void showForm(const Core::Registration::Form &form);
    void showRefusal(Core::Registration::Refusal refusal, const QString &serverText);
    void showFailure(const Core::Error &error);
    void invitationEdited(const QString &text);
    void setStep(Step step);
    QString answer(const QString &var) const;
    QWidget *field(const QString &var) const;

    Core::AccountManager &m_accounts;
    QPointer<Core::Registration> m_registration;
    QString m_domain;
    Step m_step = Step::Server;
    QStackedWidget *m_steps;
    QComboBox *m_server;
    QLineEdit *m_invitation;
    QLabel *m_invitationNote;
    QLabel *m_formTitle;
    QLabel *m_instructions;
    DataFormWidget *m_form;
};

} // namespace Natter::Ui
