// SPDX-License-Identifier: GPL-3.0-or-later
// Account → Server details: what the account's server says about itself: how we are connected (TLS version
// and cipher), whom to contact (XEP-0157), upload limit, archive, push, and its identities and features
// (service discovery, XEP-0030).
#pragma once

#include <QDialog>
#include <optional>

class QFormLayout;
class QLabel;
class QListWidget;

namespace Natter::Core {
class Account;
struct ServerDetails;
} // namespace Natter::Core

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
    void showDetails(const Core::ServerDetails &details);
    void showUpload(const QString &service, std::optional<qint64> limit);
    QLabel *addValue(const QString &label, const char *name);

    QFormLayout *m_summary;
    QLabel *m_connection;
    QLabel *m_contacts;
    QLabel *m_upload;
    QLabel *m_archive;
    QLabel *m_push;
    QListWidget *m_identities;
    QListWidget *m_features;
    QLabel *m_status;
};

} // namespace Natter::Ui
