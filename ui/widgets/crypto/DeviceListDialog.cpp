// SPDX-License-Identifier: GPL-3.0-or-later
#include "DeviceListDialog.h"

#include "DevicePresenter.h"
#include "OwnQrCodeDialog.h"
#include "QrScanDialog.h"
#include "account/Account.h"
#include "crypto/EncryptionService.h"
#include "presenters/ErrorPresenter.h"
#include "roster/RosterService.h"

#include <QApplication>
#include <QBoxLayout>
#include <QCheckBox>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QTreeWidget>
#include <algorithm>

namespace Natter::Ui {

using Core::DeviceTrust;
using Core::Error;
using Core::OmemoDeviceInfo;
using Core::Result;
using Core::Success;

DeviceListDialog::DeviceListDialog(Core::Account &account, const QString &bareJid, QWidget *parent)
    : QDialog(parent)
    , m_account(&account)
    , m_jid(bareJid)
    , m_own(bareJid == account.jid())
    , m_list(new QTreeWidget(this))
    , m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("deviceListDialog"));
    const auto contact = account.roster().item(bareJid);
    const QString name = contact && !contact->name.isEmpty() ? contact->name : bareJid;
    setWindowTitle(m_own ? tr("My encryption devices (%1)").arg(bareJid)
                         : tr("Encryption devices of %1").arg(name));

    auto *intro = new QLabel(this);
    intro->setTextFormat(Qt::PlainText);
    intro->setWordWrap(true);
    intro->setText(
        m_own ? tr("These devices of yours can read your encrypted messages. Verify one by comparing "
                   "its fingerprint with the one it shows, or by scanning its QR code.")
              : tr("These devices of %1 can read the encrypted messages you send. Verify one by "
                   "comparing its fingerprint with the one shown on %1's device, or by scanning "
                   "its QR code.")
                    .arg(name));

    m_list->setObjectName(QStringLiteral("deviceList"));
    m_list->setRootIsDecorated(false);
    m_list->setAllColumnsShowFocus(true);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setHeaderLabels({tr("Device"), tr("Fingerprint"), tr("Encryption"), tr("Trust")});
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_list->header()->setStretchLastSection(true);
    m_list->setContextMenuPolicy(Qt::CustomContextMenu);
    m_list->setAccessibleName(tr("Devices"));
    // Two-line rows need air between them to read as separate devices.
    m_list->setStyleSheet(QStringLiteral("QTreeView::item { padding: 4px 2px; }"));
    connect(m_list, &QTreeWidget::currentItemChanged, this, &DeviceListDialog::refreshActions);
    connect(m_list, &QTreeWidget::customContextMenuRequested, this, [this](const QPoint &position) {
        const auto device = selectedDevice();
        if (!device || device->identityKey.isEmpty())
            return;
        QMenu menu(this);
        menu.addAction(tr("Copy fingerprint"), this, [fingerprint = device->fingerprint()] {
            QApplication::clipboard()->setText(fingerprint);
        });
        menu.exec(m_list->viewport()->mapToGlobal(position));
    });

    m_status->setObjectName(QStringLiteral("deviceStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_status->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::accept);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_list, 1);
    layout->addWidget(createActions());
    layout->addWidget(m_status);
    if (m_own)
        layout->addWidget(createPolicy());
    layout->addWidget(buttons);
    resize(780, 360);

    if (Core::DeviceTrustService *trust = trustService()) {
        connect(trust, &Core::DeviceTrustService::devicesChanged, this, [this](const QString &jid) {
            if (jid == m_jid)
                reload();
        });
        // Opened before the keys were loaded: the list comes once they are.
        connect(account.encryption(), &Core::EncryptionService::ready, this, &DeviceListDialog::reload);
        reload();
        if (m_own)
            loadPolicy();
    } else {
        showError(tr("End-to-end encryption is not set up for this account."));
        m_scanButton->setEnabled(false);
        if (m_ownCodeButton)
            m_ownCodeButton->setEnabled(false);
        if (m_manualOnly)
            m_manualOnly->setEnabled(false);
    }
    refreshActions();
}

Core::DeviceTrustService *DeviceListDialog::trustService() const
{
    if (!m_account || !m_account->encryption())
        return nullptr;
    return &m_account->encryption()->deviceTrust();
}

QWidget *DeviceListDialog::createActions()
{
    auto *actions = new QWidget(this);
    auto *row = new QHBoxLayout(actions);
    row->setContentsMargins(0, 0, 0, 0);
    auto addButton = [actions, row](const QString &text, const char *name) {
        auto *button = new QPushButton(text, actions);
        button->setObjectName(QString::fromLatin1(name));
        button->setAutoDefault(false);
        row->addWidget(button);
        return button;
    };
    m_verifyButton = addButton(tr("&Verify…"), "verifyDeviceButton");
    m_verifyButton->setToolTip(tr("Compare the fingerprint with the one the device shows"));
    m_trustButton = addButton(tr("&Trust"), "trustDeviceButton");
    m_trustButton->setToolTip(tr("Encrypt for this device without comparing fingerprints"));
    m_distrustButton = addButton(tr("&Distrust"), "distrustDeviceButton");
    m_distrustButton->setToolTip(tr("Do not encrypt for this device, and mark its messages"));
    connect(m_verifyButton, &QPushButton::clicked, this, &DeviceListDialog::confirmVerify);
    connect(m_trustButton, &QPushButton::clicked, this, [this] { setTrust(DeviceTrust::Trusted); });
    connect(m_distrustButton, &QPushButton::clicked, this, [this] { setTrust(DeviceTrust::Untrusted); });
    if (m_own) {
        m_removeButton = addButton(tr("&Remove…"), "removeDeviceButton");
        m_removeButton->setToolTip(tr("Take an old or lost device off your account"));
        connect(m_removeButton, &QPushButton::clicked, this, &DeviceListDialog::confirmRemove);
    }
    row->addStretch(1);
    m_scanButton = addButton(tr("&Scan QR code…"), "scanQrButton");
    m_scanButton->setToolTip(tr("Verify devices by scanning the QR code another client shows"));
    connect(m_scanButton, &QPushButton::clicked, this, &DeviceListDialog::scan);
    if (m_own) {
        m_ownCodeButton = addButton(tr("Show &my QR code"), "showOwnQrButton");
        m_ownCodeButton->setToolTip(
            tr("A code your contacts and your other devices scan to verify this one"));
        connect(m_ownCodeButton, &QPushButton::clicked, this, &DeviceListDialog::showOwnCode);
    }
    return actions;
}

QWidget *DeviceListDialog::createPolicy()
{
    auto *policy = new QWidget(this);
    m_manualOnly = new QCheckBox(tr("Manual trust only"), policy);
    m_manualOnly->setObjectName(QStringLiteral("manualTrustCheck"));
    m_manualOnly->setEnabled(false); // until the current policy is known
    auto *explanation = new QLabel(
        tr("New devices (yours and your contacts') are not encrypted for until you decide on them."), policy);
    explanation->setObjectName(QStringLiteral("manualTrustExplanation"));
    explanation->setTextFormat(Qt::PlainText);
    explanation->setWordWrap(true);
    QPalette dim = explanation->palette();
    dim.setColor(QPalette::WindowText, dim.color(QPalette::PlaceholderText));
    explanation->setPalette(dim);
    connect(m_manualOnly, &QCheckBox::toggled, this, &DeviceListDialog::changePolicy);
    auto *layout = new QVBoxLayout(policy);
    layout->setContentsMargins(0, 6, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_manualOnly);
    layout->addWidget(explanation);
    return policy;
}

QTreeWidgetItem *DeviceListDialog::rowOf(uint32_t deviceId) const
{
    for (int row = 0; row < m_list->topLevelItemCount(); ++row) {
        QTreeWidgetItem *item = m_list->topLevelItem(row);
        if (item->data(DeviceColumn, DeviceIdRole).toUInt() == deviceId)
            return item;
    }
    return nullptr;
}

QString DeviceListDialog::statusText() const
{
    return m_status->isHidden() ? QString() : m_status->text();
}

void DeviceListDialog::reload()
{
    Core::DeviceTrustService *trust = trustService();
    if (!trust)
        return;
    trust->devices(m_jid).then(this, [this](const Result<QList<OmemoDeviceInfo>> &loaded) {
        if (!Core::isOk(loaded))
            return showError(ErrorPresenter::describe(Core::errorOf(loaded)));
        showDevices(std::get<QList<OmemoDeviceInfo>>(loaded));
    });
}

void DeviceListDialog::showDevices(const QList<OmemoDeviceInfo> &devices)
{
    const auto selected = selectedDevice();
    m_devices = devices;
    // Devices no longer in use go last; the service's order (this device first) stays otherwise.
    std::stable_partition(m_devices.begin(), m_devices.end(),
                          [](const OmemoDeviceInfo &device) { return device.active; });
    m_list->clear();
    for (const OmemoDeviceInfo &device : std::as_const(m_devices))
        fillRow(new QTreeWidgetItem(m_list), device);
    if (QTreeWidgetItem *again = selected ? rowOf(selected->id) : nullptr)
        m_list->setCurrentItem(again);
    if (m_devices.isEmpty())
        showStatus(m_own ? tr("No OMEMO device of this account is known yet.")
                         : tr("%1 has no OMEMO device: messages to them cannot be encrypted.").arg(m_jid));
    refreshActions();
}

void DeviceListDialog::fillRow(QTreeWidgetItem *row, const OmemoDeviceInfo &device)
{
    QString name = DevicePresenter::name(device);
    if (device.thisDevice)
        name += u'\n' + tr("this device");
    else if (!device.active)
        name += u'\n' + tr("(no longer in use)");
    row->setText(DeviceColumn, name);
    row->setData(DeviceColumn, DeviceIdRole, device.id);
    row->setToolTip(DeviceColumn, tr("Device id %1").arg(device.id));
    row->setText(FingerprintColumn, DevicePresenter::fingerprintLines(device));
    row->setFont(FingerprintColumn, QFontDatabase::systemFont(QFontDatabase::FixedFont));
    row->setToolTip(FingerprintColumn, device.fingerprint());
    row->setText(VersionsColumn, DevicePresenter::versions(device));
    row->setText(TrustColumn, DevicePresenter::trustState(device));
    row->setIcon(TrustColumn, DevicePresenter::trustIcon(device.trust));
    if (device.thisDevice) {
        QFont bold = m_list->font();
        bold.setBold(true);
        row->setFont(DeviceColumn, bold);
    }
    if (!device.active) {
        const QColor grey = m_list->palette().color(QPalette::Disabled, QPalette::Text);
        for (int column = DeviceColumn; column <= TrustColumn; ++column)
            row->setForeground(column, grey);
    }
}

std::optional<OmemoDeviceInfo> DeviceListDialog::selectedDevice() const
{
    const QTreeWidgetItem *current = m_list->currentItem();
    if (!current)
        return std::nullopt;
    const uint32_t id = current->data(DeviceColumn, DeviceIdRole).toUInt();
    for (const OmemoDeviceInfo &device : m_devices) {
        if (device.id == id)
            return device;
    }
    return std::nullopt;
}

void DeviceListDialog::refreshActions()
{
    const auto device = selectedDevice();
    // Our own device needs no decision; without its key a device cannot be decided on yet.
    const bool decidable = device && !device->thisDevice && !device->identityKey.isEmpty() && trustService();
    m_verifyButton->setEnabled(decidable && device->trust != DeviceTrust::Verified);
    m_trustButton->setEnabled(decidable && (device->trust != DeviceTrust::Trusted || device->automatic));
    m_distrustButton->setEnabled(decidable && device->trust != DeviceTrust::Untrusted);
    if (m_removeButton)
        m_removeButton->setEnabled(device && !device->thisDevice && device->active && trustService());
}

void DeviceListDialog::confirmVerify()
{
    const auto device = selectedDevice();
    if (!device)
        return;
    const QString deviceName = DevicePresenter::name(*device).toHtmlEscaped();
    const QString where = m_own
                              ? tr("Compare it with the fingerprint your device “%1” shows in its encryption "
                                   "settings.")
                                    .arg(deviceName)
                              : tr("Compare it with the fingerprint shown on the contact's device “%1” (ask "
                                   "%2 to open their encryption settings, in person or in a call).")
                                    .arg(deviceName, m_jid.toHtmlEscaped());
    const QString fingerprint = DevicePresenter::fingerprintLines(*device).toHtmlEscaped();
    auto *question =
        new QMessageBox(QMessageBox::Question, tr("Verify device?"), QString(), QMessageBox::NoButton, this);
    question->setObjectName(QStringLiteral("verifyDeviceQuestion"));
    question->setTextFormat(Qt::RichText);
    question->setText(tr("<p>The fingerprint of this device is:</p><pre style=\"font-size: large\">%1</pre>"
                         "<p>%2</p><p>Mark it as verified only if every character matches.</p>")
                          .arg(fingerprint, where));
    QPushButton *confirm = question->addButton(tr("They match: verify"), QMessageBox::AcceptRole);
    confirm->setObjectName(QStringLiteral("confirmVerifyButton"));
    question->addButton(QMessageBox::Cancel);
    question->setDefaultButton(QMessageBox::Cancel);
    question->setAttribute(Qt::WA_DeleteOnClose);
    const uint32_t id = device->id;
    connect(question, &QMessageBox::buttonClicked, this, [this, confirm, id](QAbstractButton *clicked) {
        if (clicked != confirm)
            return;
        if (QTreeWidgetItem *row = rowOf(id))
            m_list->setCurrentItem(row);
        setTrust(DeviceTrust::Verified);
    });
    question->open();
}

void DeviceListDialog::setTrust(DeviceTrust trust)
{
    const auto device = selectedDevice();
    Core::DeviceTrustService *service = trustService();
    if (!device || !service)
        return;
    m_status->hide();
    service->setTrust(m_jid, device->id, trust).then(this, [this](const Result<Success> &done) {
        if (!Core::isOk(done))
            showError(ErrorPresenter::describe(Core::errorOf(done)));
        reload();
    });
}

void DeviceListDialog::confirmRemove()
{
    const auto device = selectedDevice();
    if (!device || device->thisDevice)
        return;
    auto *question =
        new QMessageBox(QMessageBox::Warning, tr("Remove device?"),
                        tr("Remove “%1” from your account? It will no longer get your encrypted messages. "
                           "An install that is still in use may add itself again when it connects.")
                            .arg(DevicePresenter::name(*device)),
                        QMessageBox::NoButton, this);
    question->setObjectName(QStringLiteral("removeDeviceQuestion"));
    question->setTextFormat(Qt::PlainText);
    QPushButton *confirm = question->addButton(tr("Remove"), QMessageBox::DestructiveRole);
    confirm->setObjectName(QStringLiteral("confirmRemoveDeviceButton"));
    question->addButton(QMessageBox::Cancel);
    question->setDefaultButton(QMessageBox::Cancel);
    question->setAttribute(Qt::WA_DeleteOnClose);
    connect(question, &QMessageBox::buttonClicked, this,
            [this, confirm, id = device->id](QAbstractButton *clicked) {
                if (clicked == confirm)
                    remove(id);
            });
    question->open();
}

void DeviceListDialog::remove(uint32_t deviceId)
{
    Core::DeviceTrustService *service = trustService();
    if (!service)
        return;
    m_status->hide();
    service->removeOwnDevice(deviceId).then(this, [this](const Result<Success> &done) {
        if (!Core::isOk(done))
            showError(ErrorPresenter::describe(Core::errorOf(done)));
        reload();
    });
}

void DeviceListDialog::scan()
{
    auto isVerificationCode = [](const QString &text) {
        return Core::VerificationUri::parse(text).has_value();
    };
    auto *scanner = new QrScanDialog(isVerificationCode, this);
    scanner->setAttribute(Qt::WA_DeleteOnClose);
    connect(scanner, &QDialog::accepted, this, [this, scanner] { verifyScanned(scanner->scannedText()); });
    scanner->open();
}

void DeviceListDialog::verifyScanned(const QString &text)
{
    const auto uri = Core::VerificationUri::parse(text);
    Core::DeviceTrustService *service = trustService();
    if (!uri || !service)
        return showError(tr("This QR code is not an OMEMO verification code. Nothing was verified."));
    if (uri->jid != m_jid)
        return showError(
            tr("This QR code belongs to %1, not to %2. Nothing was verified.").arg(uri->jid, m_jid));
    m_status->hide();
    service->verify(*uri).then(this, [this](const Result<int> &verified) {
        reload();
        if (!Core::isOk(verified)) {
            const Error error = Core::errorOf(verified);
            showError(ErrorPresenter::describe(error));
            if (error.code != Error::Code::FingerprintMismatch)
                return;
            auto *warning = new QMessageBox(QMessageBox::Critical, tr("Fingerprints do not match"),
                                            ErrorPresenter::describe(error), QMessageBox::Close, this);
            warning->setObjectName(QStringLiteral("fingerprintMismatchBox"));
            warning->setTextFormat(Qt::PlainText);
            warning->setAttribute(Qt::WA_DeleteOnClose);
            warning->open();
            return;
        }
        const int count = std::get<int>(verified);
        if (count == 0)
            showStatus(tr("None of the devices in this code is known here yet, so nothing was verified. Try "
                          "again once %1 has been online.")
                           .arg(m_jid));
        else
            showStatus(tr("%n device(s) verified.", nullptr, count));
    });
}

void DeviceListDialog::showOwnCode()
{
    Core::DeviceTrustService *service = trustService();
    if (!service)
        return;
    service->ownVerificationUri().then(this, [this](const Result<Core::VerificationUri> &uri) {
        if (!Core::isOk(uri))
            return showError(ErrorPresenter::describe(Core::errorOf(uri)));
        auto *dialog = new OwnQrCodeDialog(std::get<Core::VerificationUri>(uri), this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
}

void DeviceListDialog::loadPolicy()
{
    trustService()->manualOnly().then(this, [this](const Result<bool> &manual) {
        if (!Core::isOk(manual))
            return showError(ErrorPresenter::describe(Core::errorOf(manual)));
        const QSignalBlocker quiet(m_manualOnly);
        m_manualOnly->setChecked(std::get<bool>(manual));
        m_manualOnly->setEnabled(true);
    });
}

void DeviceListDialog::changePolicy(bool manual)
{
    Core::DeviceTrustService *service = trustService();
    if (!service)
        return;
    m_manualOnly->setEnabled(false);
    service->setManualOnly(manual).then(this, [this, manual](const Result<Success> &done) {
        m_manualOnly->setEnabled(true);
        if (Core::isOk(done))
            return;
        const QSignalBlocker quiet(m_manualOnly);
        m_manualOnly->setChecked(!manual);
        showError(ErrorPresenter::describe(Core::errorOf(done)));
    });
}

void DeviceListDialog::showStatus(const QString &text)
{
    m_status->setStyleSheet(QString());
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
}

void DeviceListDialog::showError(const QString &text)
{
    m_status->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
}

} // namespace Natter::Ui
