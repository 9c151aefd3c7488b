// SPDX-License-Identifier: GPL-3.0-or-later
// Edits a room's member, admin, owner and banned lists (XEP-0045 §9–§10) and applies only what changed.
#pragma once

#include "common/Error.h"
#include "domain/Occupant.h"

#include <QDialog>
#include <QPointer>
#include <array>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTabWidget;

namespace Natter::Core {
class MucService;
}

namespace Natter::Ui {

class AffiliationListDialog : public QDialog
{
    Q_OBJECT
public:
    AffiliationListDialog(Core::MucService *service, const QString &room, QWidget *parent = nullptr);

    // Loads every list again from the room; edits not applied yet are dropped.
    void refresh();
    bool isLoading() const { return m_pending > 0; }
    bool isApplying() const { return m_applying; }
    // The JIDs a list holds now, edits included.
    QStringList jids(Core::MucAffiliation affiliation) const;
    // What Apply would send: every JID whose affiliation differs from the room's (None for a removal).
    QList<Core::AffiliationItem> changes() const;
    QString errorText() const;

    // Adds jid to the shown list (taking it out of any other) or removes the selected entries.
    void addToCurrentList(const QString &jid, const QString &reason = {});
    void removeSelected();
    // Asks for confirmation, then sends the changes and reloads the lists.
    void apply();

Q_SIGNALS:
    void affiliationsChanged(const QString &room);

private:
    struct List
    {
        Core::MucAffiliation affiliation = Core::MucAffiliation::None;
        QListWidget *widget = nullptr;
        QList<Core::AffiliationItem> loaded;
        QList<Core::AffiliationItem> edited;
        bool ready = false;
        Core::Error error;
    };

    List &currentList();
    void listLoaded(qsizetype index, const QList<Core::AffiliationItem> &items);
    void listFailed(qsizetype index, const Core::Error &error);
    void showList(const List &list);
    void sendChanges(const QList<Core::AffiliationItem> &changes);
    void updateState();
    static QString listTitle(Core::MucAffiliation affiliation);
    static QString describeChange(const Core::AffiliationItem &change);

    QPointer<Core::MucService> m_service;
    QString m_room;
    std::array<List, 4> m_lists;
    QTabWidget *m_tabs;
    QLineEdit *m_jid;
    QLineEdit *m_reason;
    QPushButton *m_add;
    QPushButton *m_remove;
    QPushButton *m_apply;
    QLabel *m_status;
    QLabel *m_error;
    QString m_inputError;
    QString m_applyError;
    int m_pending = 0;
    int m_generation = 0;
    bool m_applying = false;
};

} // namespace Natter::Ui
