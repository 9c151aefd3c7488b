// SPDX-License-Identifier: GPL-3.0-or-later
// Edits one account: server, TLS, enabled, password and where it is kept; removes the account.
#include "AccountSettingsDialog.h"

#include "CertificateDialog.h"
#include "ConnectionSettingsWidget.h"
#include "DeleteAccountDialog.h"
#include "ServerPasswordDialog.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "presenters/AccountPresenter.h"
#include "presenters/ErrorPresenter.h"
#include "widgets/crypto/DeviceListDialog.h"

#include <QBoxLayout>
#include <QCheckBox>
#include <QColorDialog>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QIntValidator>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSslCertificate>
#include <optional>

namespace Natter::Ui {

namespace {
// The data of the colour list's last entry, which opens a colour picker (a colour's data is "#rrggbb").
const QString OtherColour = QStringLiteral("other");
} // namespace

using Core::Account;
using Core::AccountConfig;
using Core::ConnectionState;
using Core::Error;
using Core::Result;
using Core::Success;

AccountSettingsDialog::AccountSettingsDialog(Core::AccountManager &accounts, Account *account,
                                             QWidget *parent)
    : QDialog(parent)
    , m_accounts(accounts)
    , m_account(account)
    , m_nameEdit(new QLineEdit(this))
    , m_colourCombo(new QComboBox(this))
    , m_connection(new ConnectionSettingsWidget(this))
    , m_enabledCheck(new QCheckBox(tr("Connect this account when Natter starts"), this))
    , m_storageCombo(new QComboBox(this))
    , m_newPasswordEdit(new QLineEdit(this))
    , m_errorLabel(new QLabel(this))
{
    setObjectName(QStringLiteral("accountSettingsDialog"));
    setWindowTitle(tr("Settings of %1").arg(account->jid()));
    m_enabledCheck->setObjectName(QStringLiteral("enabledCheck"));
    m_nameEdit->setObjectName(QStringLiteral("accountNameEdit"));
    m_colourCombo->setObjectName(QStringLiteral("accountColourCombo"));
    m_storageCombo->setObjectName(QStringLiteral("passwordStorageCombo"));
    m_newPasswordEdit->setObjectName(QStringLiteral("newPasswordEdit"));
    m_errorLabel->setObjectName(QStringLiteral("errorLabel"));

    const AccountConfig &config = account->config();
    m_nameEdit->setText(config.displayName);
    m_nameEdit->setPlaceholderText(config.jid);
    m_nameEdit->setToolTip(tr("Shown instead of the address where your accounts are listed"));
    fillColours(config);
    m_connection->load(config, !account->proxyPassword().isEmpty());
    m_enabledCheck->setChecked(config.enabled);

    m_storageCombo->addItem(tr("In the system keychain"), int(AccountConfig::PasswordStorage::Keychain));
    m_storageCombo->addItem(tr("In the Natter profile (a file only your user can read)"),
                            int(AccountConfig::PasswordStorage::ProfileFile));
    m_storageCombo->addItem(tr("Nowhere: ask at each start"),
                            int(AccountConfig::PasswordStorage::AskEachStart));
    m_storageCombo->setCurrentIndex(m_storageCombo->findData(int(config.passwordStorage)));
    m_newPasswordEdit->setEchoMode(QLineEdit::Password);
    m_newPasswordEdit->setPlaceholderText(tr("unchanged"));

    auto *jid = new QLabel(account->jid(), this);
    jid->setTextFormat(Qt::PlainText);
    jid->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *identity = new QGroupBox(tr("Account"), this);
    auto *identityForm = new QFormLayout(identity);
    identityForm->addRow(tr("Address:"), jid);
    identityForm->addRow(tr("N&ame:"), m_nameEdit);
    identityForm->addRow(tr("&Colour:"), m_colourCombo);
    identityForm->addRow(QString(), m_enabledCheck);

    auto *connection = new QGroupBox(tr("Connection"), this);
    auto *connectionLayout = new QVBoxLayout(connection);
    connectionLayout->addWidget(m_connection);

    QGroupBox *certificate = config.pinnedCertificate.isEmpty() ? nullptr : createCertificateBox(config);

    auto *password = new QGroupBox(tr("Password"), this);
    auto *passwordForm = new QFormLayout(password);
    passwordForm->addRow(tr("&New password:"), m_newPasswordEdit);
    passwordForm->addRow(tr("&Keep it:"), m_storageCombo);

    m_errorLabel->setTextFormat(Qt::PlainText);
    m_errorLabel->setWordWrap(true);
    m_errorLabel->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_errorLabel->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_saveButton = buttons->button(QDialogButtonBox::Save);
    m_saveButton->setObjectName(QStringLiteral("saveButton"));
    m_removeButton = buttons->addButton(tr("&Remove account…"), QDialogButtonBox::DestructiveRole);
    m_removeButton->setObjectName(QStringLiteral("removeAccountButton"));
    connect(buttons, &QDialogButtonBox::accepted, this, &AccountSettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_removeButton, &QPushButton::clicked, this, &AccountSettingsDialog::confirmRemoval);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(identity);
    layout->addWidget(connection);
    if (certificate)
        layout->addWidget(certificate);
    layout->addWidget(password);
    if (account->encryption()) {
        auto *encryption = new QGroupBox(tr("End-to-end encryption"), this);
        auto *devices = new QPushButton(tr("My encryption &devices…"), encryption);
        devices->setObjectName(QStringLiteral("ownDevicesButton"));
        devices->setToolTip(tr("Your OMEMO devices, your QR code and how new devices are trusted"));
        connect(devices, &QPushButton::clicked, this, [this] {
            if (!m_account)
                return;
            auto *dialog = new DeviceListDialog(*m_account, m_account->jid(), this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            dialog->open();
        });
        auto *row = new QHBoxLayout(encryption);
        row->addWidget(devices);
        row->addStretch(1);
        layout->addWidget(encryption);
    }
    auto *onServer = new QGroupBox(tr("On the server"), this);
    auto *changePassword = new QPushButton(tr("C&hange password…"), onServer);
    changePassword->setObjectName(QStringLiteral("changeServerPasswordButton"));
    auto *deleteAccount = new QPushButton(tr("Delete &account on the server…"), onServer);
    deleteAccount->setObjectName(QStringLiteral("deleteOnServerButton"));
    connect(changePassword, &QPushButton::clicked, this, [this] {
        if (!m_account)
            return;
        auto *dialog = new ServerPasswordDialog(m_accounts, *m_account, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
    connect(deleteAccount, &QPushButton::clicked, this, [this] {
        if (!m_account)
            return;
        auto *dialog = new DeleteAccountDialog(m_accounts, *m_account, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        // The account is gone: nothing is left to edit.
        connect(dialog, &QDialog::accepted, this, &QDialog::reject);
        dialog->open();
    });
    auto *serverRow = new QHBoxLayout(onServer);
    serverRow->addWidget(changePassword);
    serverRow->addWidget(deleteAccount);
    serverRow->addStretch(1);
    layout->addWidget(onServer);
    layout->addWidget(m_errorLabel);
    layout->addWidget(buttons);
    setMinimumWidth(480);
}

QGroupBox *AccountSettingsDialog::createCertificateBox(const AccountConfig &config)
{
    // Form rows without word wrap: a wrapped label in a group box is cut off at its one-line height.
    const QSslCertificate pinned(config.pinnedCertificate, QSsl::Der);
    auto *box = new QGroupBox(tr("Trusted certificate (accepted although it does not verify)"), this);
    box->setObjectName(QStringLiteral("pinnedCertificateBox"));
    const auto plain = [box](const QString &text) {
        auto *label = new QLabel(text, box);
        label->setTextFormat(Qt::PlainText);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        return label;
    };
    const QString names = pinned.subjectInfo(QSslCertificate::CommonName).join(QStringLiteral(", "));
    auto *fingerprint = plain(CertificateDialog::fingerprintText(pinned));
    fingerprint->setObjectName(QStringLiteral("pinnedCertificateFingerprint"));
    fingerprint->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_forgetCertificateCheck = new QCheckBox(tr("Stop trusting it"), box);
    m_forgetCertificateCheck->setObjectName(QStringLiteral("forgetCertificateCheck"));
    m_forgetCertificateCheck->setToolTip(
        tr("Only exactly this certificate is accepted now. Without it, the server must present a certificate "
           "that verifies."));
    auto *form = new QFormLayout(box);
    form->addRow(tr("Issued to:"), plain(names));
    form->addRow(tr("Valid until:"),
                 plain(QLocale().toString(pinned.expiryDate().toLocalTime().date(), QLocale::LongFormat)));
    form->addRow(tr("SHA-256:"), fingerprint);
    form->addRow(QString(), m_forgetCertificateCheck);
    return box;
}

QString AccountSettingsDialog::errorText() const
{
    return m_errorLabel->isHidden() ? QString() : m_errorLabel->text();
}

void AccountSettingsDialog::showError(const QString &text)
{
    m_errorLabel->setText(text);
    m_errorLabel->setVisible(!text.isEmpty());
}

void AccountSettingsDialog::setBusy(bool busy)
{
    m_saveButton->setEnabled(!busy);
    m_removeButton->setEnabled(!busy);
}

void AccountSettingsDialog::fillColours(const AccountConfig &config)
{
    const QColor automatic = AccountPresenter::colourOf(config.jid);
    m_colourCombo->addItem(AccountPresenter::swatch(automatic), tr("Automatic (from the address)"),
                           QString());
    const std::pair<const char *, QString> presets[] = {
        {QT_TR_NOOP("Blue"), QStringLiteral("#1e88e5")},   {QT_TR_NOOP("Green"), QStringLiteral("#43a047")},
        {QT_TR_NOOP("Red"), QStringLiteral("#e53935")},    {QT_TR_NOOP("Orange"), QStringLiteral("#fb8c00")},
        {QT_TR_NOOP("Purple"), QStringLiteral("#8e24aa")}, {QT_TR_NOOP("Teal"), QStringLiteral("#00897b")},
        {QT_TR_NOOP("Brown"), QStringLiteral("#6d4c41")},  {QT_TR_NOOP("Grey"), QStringLiteral("#546e7a")},
    };
    for (const auto &[name, colour] : presets)
        m_colourCombo->addItem(AccountPresenter::swatch(QColor::fromString(colour)), tr(name), colour);
    if (!config.colour.isEmpty() && m_colourCombo->findData(config.colour) < 0)
        m_colourCombo->addItem(AccountPresenter::swatch(QColor::fromString(config.colour)), config.colour,
                               config.colour);
    m_colourCombo->addItem(tr("Other…"), OtherColour);
    m_colourCombo->setCurrentIndex(std::max(0, m_colourCombo->findData(config.colour)));
    m_lastColourIndex = m_colourCombo->currentIndex();
    connect(m_colourCombo, &QComboBox::activated, this, [this](int index) {
        if (m_colourCombo->itemData(index).toString() != OtherColour) {
            m_lastColourIndex = index;
            return;
        }
        m_colourCombo->setCurrentIndex(m_lastColourIndex);
        auto *picker = new QColorDialog(this);
        picker->setAttribute(Qt::WA_DeleteOnClose);
        picker->setObjectName(QStringLiteral("accountColourPicker"));
        connect(picker, &QColorDialog::colorSelected, this, [this](const QColor &colour) {
            const QString name = colour.name();
            int found = m_colourCombo->findData(name);
            if (found < 0) {
                found = m_colourCombo->count() - 1; // before "Other…"
                m_colourCombo->insertItem(found, AccountPresenter::swatch(colour), name, name);
            }
            m_colourCombo->setCurrentIndex(found);
            m_lastColourIndex = found;
        });
        picker->open();
    });
}

AccountConfig AccountSettingsDialog::configFromInput() const
{
    AccountConfig config = m_account->config();
    m_connection->apply(config);
    config.displayName = m_nameEdit->text().trimmed();
    config.colour = m_colourCombo->currentData().toString();
    config.enabled = m_enabledCheck->isChecked();
    config.passwordStorage = AccountConfig::PasswordStorage(m_storageCombo->currentData().toInt());
    if (m_forgetCertificateCheck && m_forgetCertificateCheck->isChecked())
        config.pinnedCertificate.clear();
    return config;
}

bool AccountSettingsDialog::validateInput()
{
    if (const auto problem = m_connection->problem()) {
        showError(problem->text);
        problem->field->setFocus();
        return false;
    }
    const auto storage = AccountConfig::PasswordStorage(m_storageCombo->currentData().toInt());
    const bool needsPassword = storage != AccountConfig::PasswordStorage::AskEachStart;
    if (needsPassword && !m_account->hasPassword() && m_newPasswordEdit->text().isEmpty()) {
        showError(tr("Enter the password so Natter can keep it."));
        return false;
    }
    return true;
}

void AccountSettingsDialog::accept()
{
    if (!m_account)
        return QDialog::reject();
    showError({});
    if (!validateInput())
        return;
    const AccountConfig before = m_account->config();
    const QString newPassword = m_newPasswordEdit->text();
    setBusy(true);
    m_accounts
        .updateAccount(configFromInput(),
                       newPassword.isEmpty() ? std::nullopt : std::optional<QString>(newPassword),
                       m_connection->proxyPassword())
        .then(this, [this, before](const Result<Success> &updated) {
            setBusy(false);
            if (!Core::isOk(updated)) {
                const Error error = Core::errorOf(updated);
                QString text = ErrorPresenter::describe(error);
                if (error.code == Error::Code::KeychainUnavailable ||
                    error.code == Error::Code::KeychainFailed)
                    text += u' ' + tr("Choose another place to keep the password.");
                return showError(text);
            }
            applySaved(before);
            QDialog::accept();
        });
}

void AccountSettingsDialog::applySaved(const AccountConfig &before)
{
    if (!m_account)
        return;
    const AccountConfig &after = m_account->config();
    const bool active = m_account->state() != ConnectionState::Offline;
    if (!after.enabled) {
        m_account->disconnectFromServer();
        return;
    }
    const bool proxyChanged = after.proxyType != before.proxyType || after.proxyHost != before.proxyHost ||
                              after.proxyPort != before.proxyPort || after.proxyUser != before.proxyUser ||
                              m_connection->proxyPassword();
    const bool connectionChanged = after.host != before.host || after.port != before.port ||
                                   after.pinnedCertificate != before.pinnedCertificate ||
                                   after.tlsMode != before.tlsMode || proxyChanged ||
                                   !m_newPasswordEdit->text().isEmpty();
    // Settings take effect at the next attempt: make that attempt now when the account is in use.
    if (active && connectionChanged)
        m_account->connectToServer();
}

void AccountSettingsDialog::confirmRemoval()
{
    auto *question = new QMessageBox(QMessageBox::Warning, tr("Remove account?"),
                                     tr("Remove %1 from Natter? Its settings and stored password are deleted "
                                        "from this computer. The account on the server stays.")
                                         .arg(m_account->jid()),
                                     QMessageBox::NoButton, this);
    question->setObjectName(QStringLiteral("removeAccountQuestion"));
    question->setTextFormat(Qt::PlainText);
    QPushButton *removeButton = question->addButton(tr("Remove"), QMessageBox::DestructiveRole);
    removeButton->setObjectName(QStringLiteral("confirmRemoveButton"));
    question->addButton(QMessageBox::Cancel);
    question->setDefaultButton(QMessageBox::Cancel);
    question->setAttribute(Qt::WA_DeleteOnClose);
    connect(question, &QMessageBox::buttonClicked, this, [this, removeButton](QAbstractButton *clicked) {
        if (clicked == removeButton)
            remove();
    });
    question->open();
}

void AccountSettingsDialog::remove()
{
    if (!m_account)
        return;
    setBusy(true);
    m_accounts.removeAccount(m_account->jid()).then(this, [this](const Result<Success> &removed) {
        setBusy(false);
        if (!Core::isOk(removed))
            return showError(ErrorPresenter::describe(Core::errorOf(removed)));
        QDialog::accept();
    });
}

} // namespace Natter::Ui
