// SPDX-License-Identifier: GPL-3.0-or-later
#include "RegistrationPage.h"

#include "account/AccountManager.h"
#include "account/Invitation.h"
#include "common/JidValidator.h"
#include "presenters/ErrorPresenter.h"
#include "widgets/forms/DataFormWidget.h"

#include <QBoxLayout>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QStackedWidget>

namespace Natter::Ui {

using Core::Error;
using Core::Registration;

QStringList RegistrationPage::suggestedServers()
{
    return {QStringLiteral("yax.im"), QStringLiteral("trashserver.net"), QStringLiteral("jabber.de")};
}

RegistrationPage::RegistrationPage(Core::AccountManager &accounts, QWidget *parent)
    : QWidget(parent)
    , m_accounts(accounts)
    , m_steps(new QStackedWidget(this))
    , m_server(new QComboBox(this))
    , m_invitation(new QLineEdit(this))
    , m_invitationNote(new QLabel(this))
    , m_formTitle(new QLabel(this))
    , m_instructions(new QLabel(this))
    , m_form(new DataFormWidget(this))
{
    m_server->setObjectName(QStringLiteral("serverEdit"));
    m_invitation->setObjectName(QStringLiteral("invitationEdit"));
    m_invitationNote->setObjectName(QStringLiteral("invitationNote"));
    m_form->setObjectName(QStringLiteral("registrationForm"));
    m_formTitle->setObjectName(QStringLiteral("registrationTitle"));

    auto *serverStep = new QWidget(m_steps);
    auto *intro = new QLabel(tr("Choose a server for your new account, or paste an invitation link someone "
                                "sent you. Your address will be name@server."),
                             serverStep);
    intro->setWordWrap(true);
    m_server->setEditable(true);
    m_server->addItems(suggestedServers());
    m_server->setCurrentText(QString());
    m_server->lineEdit()->setPlaceholderText(tr("example.org"));
    m_invitation->setPlaceholderText(tr("xmpp:example.org?register;preauth=…"));
    m_invitation->setClearButtonEnabled(true);
    m_invitationNote->setWordWrap(true);
    m_invitationNote->hide();
    connect(m_invitation, &QLineEdit::textChanged, this, &RegistrationPage::invitationEdited);
    auto *serverForm = new QFormLayout;
    serverForm->addRow(tr("&Server:"), m_server);
    serverForm->addRow(tr("&Invitation:"), m_invitation);
    auto *serverLayout = new QVBoxLayout(serverStep);
    serverLayout->setContentsMargins(0, 0, 0, 0);
    serverLayout->addWidget(intro);
    serverLayout->addSpacing(6);
    serverLayout->addLayout(serverForm);
    serverLayout->addWidget(m_invitationNote);
    serverLayout->addStretch(1);

    auto *formStep = new QWidget(m_steps);
    QFont titleFont = m_formTitle->font();
    titleFont.setBold(true);
    m_formTitle->setFont(titleFont);
    m_formTitle->setTextFormat(Qt::PlainText);
    m_instructions->setTextFormat(Qt::PlainText);
    m_instructions->setWordWrap(true);
    auto *formLayout = new QVBoxLayout(formStep);
    formLayout->setContentsMargins(0, 0, 0, 0);
    formLayout->addWidget(m_formTitle);
    formLayout->addWidget(m_instructions);
    formLayout->addWidget(m_form, 1);

    m_steps->addWidget(serverStep);
    m_steps->addWidget(formStep);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_steps);
}

RegistrationPage::~RegistrationPage()
{
    cancel();
}

void RegistrationPage::setStep(Step step)
{
    m_step = step;
    m_steps->setCurrentIndex(step == Step::Server ? 0 : 1);
    Q_EMIT stepChanged(step);
}

void RegistrationPage::setInvitationLink(const QString &link)
{
    m_invitation->setText(link);
}

void RegistrationPage::invitationEdited(const QString &text)
{
    const auto invitation = Core::Invitation::parse(text);
    m_server->setEnabled(!invitation);
    if (invitation) {
        m_server->setCurrentText(invitation->domain);
        m_invitationNote->setText(
            invitation->inviter.isEmpty()
                ? tr("This invitation lets you create an account on %1.").arg(invitation->domain)
                : tr("%1 invites you to create an account on %2.")
                      .arg(invitation->inviter, invitation->domain));
    }
    m_invitationNote->setVisible(invitation.has_value());
}

void RegistrationPage::next(const Core::AccountConfig &connection, const QString &proxyPassword)
{
    if (m_step == Step::Server)
        requestForm(connection, proxyPassword);
    else
        submit();
}

void RegistrationPage::back()
{
    cancel();
    setStep(Step::Server);
}

void RegistrationPage::cancel()
{
    if (m_registration) {
        m_registration->cancel();
        m_registration->deleteLater();
    }
    m_registration = nullptr;
}

void RegistrationPage::requestForm(const Core::AccountConfig &connection, const QString &proxyPassword)
{
    const QString invitationText = m_invitation->text().trimmed();
    const auto invitation = Core::Invitation::parse(invitationText);
    if (!invitationText.isEmpty() && !invitation) {
        Q_EMIT errorOccurred(tr("This is not an invitation link Natter can use. It starts with “xmpp:” and "
                                "contains “preauth=”."),
                             m_invitation);
        return;
    }
    const QString domain = m_server->currentText().trimmed().toLower();
    if (domain.isEmpty() || domain.contains(u'@') || domain.contains(u'/') ||
        Core::JidValidator::checkJid(domain) != Core::JidValidator::Problem::None) {
        Q_EMIT errorOccurred(tr("Enter the server's name, such as example.org."), m_server);
        return;
    }
    cancel();
    m_domain = domain;
    Core::AccountConfig server = connection;
    server.jid = domain;
    m_registration = m_accounts.createRegistration(server, this);
    m_registration->setProxyPassword(proxyPassword);
    if (invitation)
        m_registration->setInvitationToken(invitation->token);
    connect(m_registration, &Registration::formReceived, this, &RegistrationPage::showForm);
    connect(m_registration, &Registration::refused, this, &RegistrationPage::showRefusal);
    connect(m_registration, &Registration::failed, this, &RegistrationPage::showFailure);
    connect(m_registration, &Registration::registered, this,
            [this](const QString &jid, const QString &password) {
                Q_EMIT busyChanged(false, {});
                Q_EMIT registered(jid, password);
            });
    Q_EMIT busyChanged(true, tr("Asking %1 for its sign-up form…").arg(domain));
    m_registration->requestForm();
}

void RegistrationPage::showForm(const Registration::Form &form)
{
    Q_EMIT busyChanged(false, {});
    m_formTitle->setText(tr("Your new account on %1").arg(m_domain));
    // Servers send their instructions twice, outside and inside the data form: shown once. The form's title
    // would repeat ours.
    m_instructions->setText(form.instructions);
    m_instructions->setVisible(!form.instructions.isEmpty() && form.form.instructions().isEmpty());
    m_form->setForm(form.form);
    m_form->setTitleVisible(false);
    const auto media = form.media;
    m_form->setMediaResolver([media](const QString &uri) { return media.value(uri); });
    setStep(Step::Form);
    m_form->focusFirstField();
}

QString RegistrationPage::answer(const QString &var) const
{
    return Core::RegisterForm::answerOf(m_form->submission(), var);
}

QWidget *RegistrationPage::field(const QString &var) const
{
    return m_form->findChild<QWidget *>(QStringLiteral("field:") + var);
}

void RegistrationPage::submit()
{
    if (!m_registration || !m_form->validate())
        return;
    const QString jid =
        Core::JidValidator::normalizedBareJid(answer(QStringLiteral("username")) + u'@' + m_domain);
    if (m_accounts.account(jid)) {
        Q_EMIT errorOccurred(ErrorPresenter::describe(Error(Error::Code::AccountExists, jid)),
                             field(QStringLiteral("username")));
        return;
    }
    Q_EMIT busyChanged(true, tr("Creating %1…").arg(jid));
    m_registration->submit(m_form->submission());
}

void RegistrationPage::showRefusal(Registration::Refusal refusal, const QString &serverText)
{
    Q_EMIT busyChanged(false, {});
    const QString said = serverText.isEmpty() ? QString() : tr(" The server said: “%1”").arg(serverText);
    switch (refusal) {
    case Registration::Refusal::UsernameTaken:
        return Q_EMIT errorOccurred(tr("The name “%1” is taken on %2. Choose another one.")
                                        .arg(answer(QStringLiteral("username")), m_domain),
                                    field(QStringLiteral("username")));
    case Registration::Refusal::AnswersRejected:
        return Q_EMIT errorOccurred(tr("%1 did not accept these answers.%2").arg(m_domain, said), nullptr);
    case Registration::Refusal::NotAllowed:
        return Q_EMIT errorOccurred(
            tr("%1 does not let anyone create an account here.%2").arg(m_domain, said), nullptr);
    case Registration::Refusal::InvitationInvalid:
        setStep(Step::Server);
        return Q_EMIT errorOccurred(
            tr("The invitation is not valid (any more): ask for a new one.%1").arg(said), m_invitation);
    case Registration::Refusal::Unsupported:
        setStep(Step::Server);
        return Q_EMIT errorOccurred(
            tr("%1 does not let accounts be created from an app. Its website may have a "
               "sign-up page.")
                .arg(m_domain),
            m_server);
    case Registration::Refusal::Other:
        break;
    }
    Q_EMIT errorOccurred(tr("%1 refused.%2").arg(m_domain, said), nullptr);
}

void RegistrationPage::showFailure(const Error &error)
{
    Q_EMIT busyChanged(false, {});
    setStep(Step::Server);
    Q_EMIT errorOccurred(ErrorPresenter::describe(error), m_server);
}

} // namespace Natter::Ui
