// SPDX-License-Identifier: GPL-3.0-or-later
// The contact list of every account: group rows and contact rows (a contact in several groups appears in
// each), filtered as the user types and by account. Presence updates are coalesced and change only the rows
// they touch, so thousands of contacts and presence storms stay cheap.
#pragma once

#include "domain/Contact.h"
#include "domain/Presence.h"

#include <QAbstractListModel>
#include <QHash>
#include <QPointer>
#include <QSet>
#include <QTimer>

namespace Natter::Core {
class Account;
}

namespace Natter::Ui {

class ContactListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum class RowKind
    {
        Group,
        Contact
    };
    enum Role
    {
        KindRole = Qt::UserRole + 1, // RowKind as int
        AccountRole,
        JidRole,
        NameRole, // the roster name, else the JID
        GroupRole,
        ShowRole, // Core::PresenceShow as int
        StatusRole,
        SubscriptionRole, // Core::RosterItem::Subscription as int
        AskingRole,       // our request to see their presence waits
        OnlineCountRole,  // group rows: contacts online in the group
        TotalCountRole,   // group rows: contacts in the group
        CollapsedRole,    // group rows
        AvatarRole,       // the cached avatar file, or empty
    };

    explicit ContactListModel(QObject *parent = nullptr);
    ~ContactListModel() override;

    void addAccount(Core::Account *account);
    void removeAccount(const QString &accountJid);

    // Case-insensitive, on names and addresses.
    void setFilterText(const QString &text);
    // Only this account's contacts; empty for all.
    void setAccountFilter(const QString &accountJid);
    void setShowOffline(bool show);
    bool showsOffline() const { return m_showOffline; }
    void setGroupCollapsed(const QString &group, bool collapsed);

    // Distinct contacts shown, and those of them online (a contact in two groups counts once).
    int contactCount() const { return m_shownContacts; }
    int onlineCount() const { return m_shownOnline; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    static QString ungroupedName();

private:
    struct Contact
    {
        Core::RosterItem item;
        Core::ContactPresence presence;
        QString sortKey; // case-folded display name
    };
    struct Row
    {
        RowKind kind = RowKind::Contact;
        QString group;
        QString key; // contact rows: m_contacts key
        int online = 0;
        int total = 0;
    };

    static QString keyOf(const QString &account, const QString &jid) { return account + u'\n' + jid; }
    void resetAccount(Core::Account *account);
    void upsertItem(const Core::RosterItem &item);
    void removeItem(const QString &account, const QString &jid);
    void updatePresence(const Core::ContactPresence &presence);
    void clearPresence(const QString &account);
    void markChanged(const QString &account, const QString &jid);
    bool isShown(const Contact &contact) const;
    void scheduleRebuild();
    void rebuild();
    void flushChanges();
    QString toolTip(const Contact &contact) const;

    QHash<QString, Contact> m_contacts;
    QList<QPointer<Core::Account>> m_accounts;
    QHash<QString, QPointer<Core::Account>> m_accountByJid;
    QList<Row> m_rows;
    QMultiHash<QString, int> m_rowsOfContact;
    QHash<QString, int> m_groupRow;
    QSet<QString> m_changedContacts;
    QString m_filter;
    QString m_accountFilter;
    QSet<QString> m_collapsed;
    bool m_showOffline = true;
    int m_shownContacts = 0;
    int m_shownOnline = 0;
    QTimer m_rebuildTimer;
    QTimer m_flushTimer;
};

} // namespace Natter::Ui
