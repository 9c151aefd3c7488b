// SPDX-License-Identifier: GPL-3.0-or-later
// Adds an account: checks the address, logs in once to prove the password, then stores the account.
#include "AccountWizard.h"

#include "CertificateDialog.h"
#include "ConnectionSettingsWidget.h"
#include "PasswordStorageQuestion.h"
#include "RegistrationPage.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "common/JidValidator.h"
#include "presenters/ErrorPresenter.h"

#include <QBoxLayout>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStackedWidget>
#include <QToolButton>

namespace Natter::Ui {

using Core::Account;
using Core::AccountConfig;
using Core::Error;
using Core::JidValidator;
using Core::Result;

namespace {
constexpr auto LoginTimeout = std::chrono::seconds(45);
}

AccountWizard::AccountWizard(Core::AccountManager &accounts, QWidget *parent)
    : QDialog(parent)
    , m_accounts(accounts)
    , m_pages(new QStackedWidget(this))
    , m_loginPage(new QWidget(m_pages))
    , m_registrationPage(new RegistrationPage(accounts, m_pages))
    , m_switchButton(new QPushButton(this))
    , m_importButton(new QPushButton(tr("Moving from another computer? &Import a profile…"), this))
    , m_jidEdit(new QLineEdit(this))
    , m_passwordEdit(new QLineEdit(this))
    , m_advancedToggle(new QToolButton(this))
    , m_advanced(new QWidget(this))
    , m_connection(new ConnectionSettingsWidget(m_advanced))
    , m_progress(new QProgressBar(this))
    , m_statusLabel(new QLabel(this))
    , m_errorLabel(new QLabel(this))
    , m_certificateButton(new QPushButton(tr("Show &certificate…"), this))
{
    setObjectName(QStringLiteral("accountWizard"));
    setWindowTitle(tr("Add account"));
    m_jidEdit->setObjectName(QStringLiteral("jidEdit"));
    m_passwordEdit->setObjectName(QStringLiteral("passwordEdit"));
    m_advancedToggle->setObjectName(QStringLiteral("advancedToggle"));
    m_progress->setObjectName(QStringLiteral("loginProgress"));
    m_statusLabel->setObjectName(QStringLiteral("statusLabel"));
    m_errorLabel->setObjectName(QStringLiteral("errorLabel"));

    auto *intro = new QLabel(tr("Enter the address and password of your XMPP account. Natter logs in once to "
                                "check them before it saves anything."),
                             m_loginPage);
    intro->setWordWrap(true);

    m_jidEdit->setPlaceholderText(tr("name@example.org"));
    m_passwordEdit->setEchoMode(QLineEdit::Password);

    auto *form = new QFormLayout;
    form->addRow(tr("&Address:"), m_jidEdit);
    form->addRow(tr("&Password:"), m_passwordEdit);
    auto *loginLayout = new QVBoxLayout(m_loginPage);
    loginLayout->setContentsMargins(0, 0, 0, 0);
    loginLayout->addWidget(intro);
    loginLayout->addSpacing(6);
    loginLayout->addLayout(form);
    loginLayout->addStretch(1);
    m_pages->addWidget(m_loginPage);
    m_pages->addWidget(m_registrationPage);

    m_switchButton->setObjectName(QStringLiteral("switchModeButton"));
    m_switchButton->setFlat(true);
    connect(m_switchButton, &QPushButton::clicked, this, [this] {
        if (m_pages->currentWidget() == m_loginPage)
            return showRegistration();
        if (m_registrationPage->step() == RegistrationPage::Step::Form)
            return m_registrationPage->back();
        showLogin();
    });
    m_importButton->setObjectName(QStringLiteral("wizardImportButton"));
    m_importButton->setFlat(true);
    connect(m_importButton, &QPushButton::clicked, this, &AccountWizard::importProfileRequested);
    connect(m_registrationPage, &RegistrationPage::busyChanged, this, &AccountWizard::setBusy);
    connect(m_registrationPage, &RegistrationPage::errorOccurred, this, &AccountWizard::showError);
    connect(m_registrationPage, &RegistrationPage::stepChanged, this, [this] {
        showError({});
        updateButtons();
    });
    connect(m_registrationPage, &RegistrationPage::registered, this,
            [this](const QString &jid, const QString &password) {
                // The account exists on the server now: should saving it here fail or be cancelled, the
                // login page holds its address and password, so Log in adds it.
                showLogin();
                m_jidEdit->setText(jid);
                m_passwordEdit->setText(password);
                m_createdOnServer = true;
                m_config = configFromInput(jid);
                m_password = password;
                save(AccountConfig::PasswordStorage::Keychain);
            });

    m_advancedToggle->setText(tr("Advanced"));
    m_advancedToggle->setCheckable(true);
    m_advancedToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_advancedToggle->setArrowType(Qt::RightArrow);
    m_advancedToggle->setAutoRaise(true);
    auto *advancedLayout = new QVBoxLayout(m_advanced);
    advancedLayout->setContentsMargins(16, 0, 0, 0);
    advancedLayout->addWidget(m_connection);
    m_advanced->setVisible(false);
    connect(m_advancedToggle, &QToolButton::toggled, this, [this](bool open) {
        m_advanced->setVisible(open);
        m_advancedToggle->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
        adjustSize();
    });

    m_progress->setRange(0, 0);
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(6);
    m_progress->hide();
    m_statusLabel->setTextFormat(Qt::PlainText);
    m_statusLabel->hide();
    m_errorLabel->setTextFormat(Qt::PlainText);
    m_errorLabel->setWordWrap(true);
    m_errorLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errorLabel->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_errorLabel->hide();
    m_certificateButton->setObjectName(QStringLiteral("wizardCertificateButton"));
    m_certificateButton->hide();
    connect(m_certificateButton, &QPushButton::clicked, this, &AccountWizard::reviewCertificate);

    auto *buttons = new QDialogButtonBox(this);
    m_finishButton = buttons->addButton(tr("&Log in"), QDialogButtonBox::AcceptRole);
    m_finishButton->setObjectName(QStringLiteral("finishButton"));
    m_finishButton->setDefault(true);
    m_cancelButton = buttons->addButton(QDialogButtonBox::Cancel);
    m_cancelButton->setObjectName(QStringLiteral("cancelButton"));
    connect(m_finishButton, &QPushButton::clicked, this, &AccountWizard::finish);
    connect(m_cancelButton, &QPushButton::clicked, this, &AccountWizard::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_pages, 1);
    layout->addWidget(m_advancedToggle, 0, Qt::AlignLeft);
    layout->addWidget(m_advanced);
    layout->addSpacing(6);
    layout->addWidget(m_errorLabel);
    layout->addWidget(m_certificateButton, 0, Qt::AlignLeft);
    layout->addWidget(m_statusLabel);
    layout->addWidget(m_progress);
    layout->addWidget(m_switchButton, 0, Qt::AlignLeft);
    layout->addWidget(m_importButton, 0, Qt::AlignLeft);
    layout->addWidget(buttons);
    setMinimumWidth(460);
    updateButtons();
}

void AccountWizard::showRegistration()
{
    stopLoginCheck();
    setBusy(false);
    showError({});
    setWindowTitle(tr("Create an account"));
    m_pages->setCurrentWidget(m_registrationPage);
    updateButtons();
}

void AccountWizard::showRegistration(const QString &invitationLink)
{
    m_registrationPage->setInvitationLink(invitationLink);
    showRegistration();
}

void AccountWizard::showLogin()
{
    m_registrationPage->cancel();
    setBusy(false);
    showError({});
    setWindowTitle(tr("Add account"));
    m_pages->setCurrentWidget(m_loginPage);
    updateButtons();
}

void AccountWizard::updateButtons()
{
    m_importButton->setVisible(m_pages->currentWidget() == m_loginPage && m_accounts.accounts().isEmpty());
    if (m_pages->currentWidget() == m_loginPage) {
        m_finishButton->setText(tr("&Log in"));
        m_switchButton->setText(tr("No account yet? &Create one…"));
    } else if (m_registrationPage->step() == RegistrationPage::Step::Server) {
        m_finishButton->setText(tr("&Continue"));
        m_switchButton->setText(tr("I already have an account"));
    } else {
        m_finishButton->setText(tr("&Create account"));
        m_switchButton->setText(tr("Choose another server"));
    }
}

AccountWizard::~AccountWizard()
{
    stopLoginCheck();
}

QString AccountWizard::errorText() const
{
    return m_errorLabel->isHidden() ? QString() : m_errorLabel->text();
}

void AccountWizard::reject()
{
    stopLoginCheck();
    m_registrationPage->cancel();
    QDialog::reject();
}

void AccountWizard::showError(const QString &text, QWidget *focus)
{
    m_errorLabel->setText(text);
    m_errorLabel->setVisible(!text.isEmpty());
    m_certificateButton->hide();
    if (focus)
        focus->setFocus();
}

void AccountWizard::setBusy(bool busy, const QString &status)
{
    m_busy = busy;
    for (QWidget *field : {static_cast<QWidget *>(m_pages), static_cast<QWidget *>(m_advanced),
                           static_cast<QWidget *>(m_finishButton), static_cast<QWidget *>(m_switchButton)})
        field->setEnabled(!busy);
    m_progress->setVisible(busy);
    m_statusLabel->setText(status);
    m_statusLabel->setVisible(!status.isEmpty());
}

bool AccountWizard::validateInput()
{
    const auto problem = JidValidator::checkAccountJid(m_jidEdit->text().trimmed());
    if (problem != JidValidator::Problem::None) {
        showError(ErrorPresenter::describeJidProblem(problem), m_jidEdit);
        return false;
    }
    if (m_passwordEdit->text().isEmpty()) {
        showError(tr("Enter the password of the account."), m_passwordEdit);
        return false;
    }
    if (!validateConnection())
        return false;
    const QString jid = JidValidator::normalizedBareJid(m_jidEdit->text().trimmed());
    if (m_accounts.account(jid)) {
        showError(ErrorPresenter::describe(Error(Error::Code::AccountExists, jid)), m_jidEdit);
        return false;
    }
    return true;
}

bool AccountWizard::validateConnection()
{
    const auto problem = m_connection->problem();
    if (!problem)
        return true;
    m_advancedToggle->setChecked(true);
    showError(problem->text, problem->field);
    return false;
}

AccountConfig AccountWizard::configFromInput(const QString &jid) const
{
    AccountConfig config;
    config.jid = JidValidator::normalizedBareJid(jid);
    m_connection->apply(config);
    config.resource = Core::AccountManager::generateResource();
    config.passwordStorage = AccountConfig::PasswordStorage::Keychain;
    // Trusted for the server that presented it: another server typed since gets no exception.
    if (!m_trustedCertificate.isEmpty() && serverOf(config) == m_trustedCertificateServer)
        config.pinnedCertificate = m_trustedCertificate;
    return config;
}

void AccountWizard::finish()
{
    if (m_busy)
        return;
    showError({});
    if (m_pages->currentWidget() == m_registrationPage) {
        if (m_registrationPage->step() == RegistrationPage::Step::Server && !validateConnection())
            return;
        m_registrationPage->next(configFromInput(QString()),
                                 m_connection->proxyPassword().value_or(QString()));
        return;
    }
    if (!validateInput())
        return;
    m_config = configFromInput(m_jidEdit->text().trimmed());
    m_password = m_passwordEdit->text();
    startLogin(m_config);
}

void AccountWizard::startLogin(const AccountConfig &config)
{
    setBusy(true, tr("Logging in as %1…").arg(config.jid));
    // Nothing is stored before this login succeeded.
    m_check = m_accounts.checkLogin(config, m_password, LoginTimeout,
                                    m_connection->proxyPassword().value_or(QString()));
    connect(m_check, &Core::LoginCheck::finished, this, [this](const Error &error) {
        m_check = nullptr;
        if (error.isError())
            loginFailed(error);
        else
            loginSucceeded();
    });
}

void AccountWizard::stopLoginCheck()
{
    if (m_check)
        m_check->cancel();
    m_check = nullptr;
}

void AccountWizard::loginFailed(const Error &error)
{
    setBusy(false);
    showError(ErrorPresenter::describe(error),
              error.code == Error::Code::AuthenticationFailed ? m_passwordEdit : m_jidEdit);
    if (CertificateDialog::canShow(error)) {
        m_certificateError = error;
        m_certificateButton->show();
    }
}

QString AccountWizard::serverOf(const AccountConfig &config)
{
    return config.host.isEmpty() ? config.jid.section(u'@', 1) : config.host;
}

void AccountWizard::reviewCertificate()
{
    auto *dialog = new CertificateDialog(m_config.jid, m_certificateError, m_config.pinnedCertificate, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        m_trustedCertificate = dialog->certificate();
        m_trustedCertificateServer = serverOf(m_config);
        finish();
    });
    dialog->open();
}

void AccountWizard::loginSucceeded()
{
    save(AccountConfig::PasswordStorage::Keychain);
}

void AccountWizard::save(AccountConfig::PasswordStorage storage)
{
    setBusy(true, tr("Saving the account…"));
    AccountConfig config = m_config;
    config.passwordStorage = storage;
    m_accounts.addAccount(config, m_password, m_connection->proxyPassword().value_or(QString()))
        .then(this, [this, storage](const Result<Account *> &added) {
            if (const auto *account = std::get_if<Account *>(&added))
                return saved(*account);
            const Error error = Core::errorOf(added);
            const bool keychainMissing =
                error.code == Error::Code::KeychainUnavailable || error.code == Error::Code::KeychainFailed;
            if (keychainMissing && storage == AccountConfig::PasswordStorage::Keychain)
                return askWhereToKeepPassword();
            setBusy(false);
            showError(ErrorPresenter::describe(error));
        });
}

void AccountWizard::askWhereToKeepPassword()
{
    setBusy(true, tr("Waiting for your choice…"));
    auto *question = new PasswordStorageQuestion(this);
    question->setAttribute(Qt::WA_DeleteOnClose);
    connect(question, &PasswordStorageQuestion::storageChosen, this, &AccountWizard::save);
    connect(question, &PasswordStorageQuestion::cancelled, this, [this] {
        setBusy(false);
        QString text = tr("The account was not added: Natter keeps no password without your choice.");
        if (m_createdOnServer)
            text += u' ' + tr("It exists on the server: Log in adds it.");
        showError(text);
    });
    question->open();
}

void AccountWizard::saved(Account *account)
{
    setBusy(false);
    m_password.clear();
    m_passwordEdit->clear();
    Q_EMIT accountAdded(account);
    accept();
}

} // namespace Natter::Ui
