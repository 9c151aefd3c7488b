// SPDX-License-Identifier: GPL-3.0-or-later
// Account → Server details: what the account's server says about itself (service discovery, XEP-0030).
#pragma once

#include <QDialog>

class QLabel;
class QListWidget;

namespace Natter::Core {
class Account;
}

namespace Natter::Ui {

class ServerDetailsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ServerDetailsDialog(Core::Account &account, QWidget *parent = nullptr);

    QListWidget *identities() const { return m_identities; }
    QListWidget *features() const { return m_features; }
    QString statusText() const;

private:
    QListWidget *m_identities;
    QListWidget *m_features;
    QLabel *m_status;
};

} // namespace Natter::Ui
