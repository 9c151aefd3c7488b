// SPDX-License-Identifier: GPL-3.0-or-later
// A contact's details: name and address, subscription, each device (status, priority, software, local time),
// last seen, and their vCard. Asked from the network when the dialog opens; fields fill as answers come.
#pragma once

#include <QDialog>

class QFormLayout;
class QLabel;
class QTreeWidget;

namespace Natter::Core {
class Account;
}

namespace Natter::Ui {

class ContactDetailsDialog : public QDialog
{
    Q_OBJECT
public:
    enum DeviceColumn
    {
        DeviceColumn,
        StatusColumn,
        PriorityColumn,
        SoftwareColumn,
        TimeColumn,
    };

    ContactDetailsDialog(Core::Account &account, const QString &jid, QWidget *parent = nullptr);

    QTreeWidget *devices() const { return m_devices; }
    // The vCard field shown for label (e.g. "Full name"), or empty.
    QString cardField(const QString &label) const;
    QString lastSeenText() const;

private:
    void fillDevices();
    void askDevice(const QString &resource, int row);
    void askCard();
    void askLastActivity();

    Core::Account &m_account;
    QString m_jid;
    QTreeWidget *m_devices;
    QLabel *m_lastSeen;
    QFormLayout *m_card;
    QLabel *m_cardStatus;
};

} // namespace Natter::Ui
