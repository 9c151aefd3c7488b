// SPDX-License-Identifier: GPL-3.0-or-later
// The OMEMO devices of a contact or of our own account: one row per device with its fingerprint, the
// versions it speaks and its trust state; verifying (by comparing fingerprints or scanning a QR code),
// trusting, distrusting and, for our own other devices, removing them. Our own account's dialog also shows
// our QR code and the "manual trust only" policy.
#pragma once

#include "crypto/DeviceTrustService.h"

#include <QDialog>
#include <QPointer>
#include <optional>

class QCheckBox;
class QLabel;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace Natter::Core {
class Account;
}

namespace Natter::Ui {

class DeviceListDialog : public QDialog
{
    Q_OBJECT
public:
    enum Column
    {
        DeviceColumn,
        FingerprintColumn,
        VersionsColumn,
        TrustColumn,
    };
    // Each row's device id, in DeviceColumn.
    static constexpr int DeviceIdRole = Qt::UserRole + 1;

    // bareJid: a contact's, or the account's own for "my devices".
    DeviceListDialog(Core::Account &account, const QString &bareJid, QWidget *parent = nullptr);

    bool isOwnAccount() const { return m_own; }
    QTreeWidget *deviceList() const { return m_list; }
    // The devices shown, in the order of the rows.
    QList<Core::OmemoDeviceInfo> shownDevices() const { return m_devices; }
    // The row of the device, or nullptr.
    QTreeWidgetItem *rowOf(uint32_t deviceId) const;
    // What the line under the list says (a result or an error); empty when it is hidden.
    QString statusText() const;

private:
    Core::DeviceTrustService *trustService() const;
    QWidget *createActions();
    QWidget *createPolicy();
    void reload();
    void showDevices(const QList<Core::OmemoDeviceInfo> &devices);
    void fillRow(QTreeWidgetItem *row, const Core::OmemoDeviceInfo &device);
    std::optional<Core::OmemoDeviceInfo> selectedDevice() const;
    void refreshActions();
    void confirmVerify();
    void setTrust(Core::DeviceTrust trust);
    void confirmRemove();
    void remove(uint32_t deviceId);
    void scan();
    void verifyScanned(const QString &text);
    void showOwnCode();
    void loadPolicy();
    void changePolicy(bool manual);
    void showStatus(const QString &text);
    void showError(const QString &text);

    QPointer<Core::Account> m_account;
    QString m_jid;
    bool m_own = false;
    QList<Core::OmemoDeviceInfo> m_devices;
    QTreeWidget *m_list;
    QLabel *m_status;
    QPushButton *m_verifyButton = nullptr;
    QPushButton *m_trustButton = nullptr;
    QPushButton *m_distrustButton = nullptr;
    QPushButton *m_removeButton = nullptr;
    QPushButton *m_scanButton = nullptr;
    QPushButton *m_ownCodeButton = nullptr;
    QCheckBox *m_manualOnly = nullptr;
};

} // namespace Natter::Ui
