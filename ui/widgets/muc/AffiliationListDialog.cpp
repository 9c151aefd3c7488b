// SPDX-License-Identifier: GPL-3.0-or-later
// Edits a room's member, admin, owner and banned lists (XEP-0045 §9–§10) and applies only what changed.
#include "AffiliationListDialog.h"

#include "common/JidValidator.h"
#include "muc/MucService.h"
#include "presenters/ErrorPresenter.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHash>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSet>
#include <QTabWidget>
#include <QVBoxLayout>

namespace Natter::Ui {

using Core::AffiliationItem;
using Core::Error;
using Core::JidValidator;
using Core::MucAffiliation;
using Core::Result;

AffiliationListDialog::AffiliationListDialog(Core::MucService *service, const QString &room, QWidget *parent)
    : QDialog(parent)
    , m_service(service)
    , m_room(room)
    , m_tabs(new QTabWidget(this))
    , m_jid(new QLineEdit(this))
    , m_reason(new QLineEdit(this))
    , m_add(new QPushButton(tr("&Add"), this))
    , m_remove(new QPushButton(tr("&Remove"), this))
    , m_status(new QLabel(this))
    , m_error(new QLabel(this))
{
    setObjectName(QStringLiteral("affiliationListDialog"));
    setWindowTitle(tr("Members and bans of %1").arg(room));
    m_tabs->setObjectName(QStringLiteral("affiliationTabs"));
    const std::array order{MucAffiliation::Member, MucAffiliation::Admin, MucAffiliation::Owner,
                           MucAffiliation::Outcast};
    for (std::size_t i = 0; i < order.size(); ++i) {
        List &list = m_lists[i];
        list.affiliation = order[i];
        list.widget = new QListWidget(m_tabs);
        list.widget->setObjectName(QStringLiteral("affiliationList:") + Core::affiliationName(order[i]));
        list.widget->setSelectionMode(QAbstractItemView::ExtendedSelection);
        m_tabs->addTab(list.widget, listTitle(order[i]));
        connect(list.widget, &QListWidget::itemSelectionChanged, this, &AffiliationListDialog::updateState);
    }
    m_jid->setObjectName(QStringLiteral("affiliationJid"));
    m_jid->setPlaceholderText(tr("name@example.org"));
    m_reason->setObjectName(QStringLiteral("affiliationReason"));
    m_reason->setPlaceholderText(tr("Reason (optional)"));
    m_add->setObjectName(QStringLiteral("addAffiliation"));
    m_add->setAutoDefault(false);
    m_remove->setObjectName(QStringLiteral("removeAffiliation"));
    m_remove->setAutoDefault(false);
    m_status->setObjectName(QStringLiteral("affiliationStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_error->setObjectName(QStringLiteral("affiliationError"));
    m_error->setTextFormat(Qt::PlainText);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_error->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Apply | QDialogButtonBox::Close, this);
    m_apply = buttons->button(QDialogButtonBox::Apply);
    m_apply->setObjectName(QStringLiteral("applyAffiliations"));
    connect(m_apply, &QPushButton::clicked, this, &AffiliationListDialog::apply);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *addRow = new QHBoxLayout;
    addRow->addWidget(m_jid, 2);
    addRow->addWidget(m_reason, 2);
    addRow->addWidget(m_add);
    addRow->addWidget(m_remove);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs, 1);
    layout->addLayout(addRow);
    layout->addWidget(m_status);
    layout->addWidget(m_error);
    layout->addWidget(buttons);

    connect(m_add, &QPushButton::clicked, this,
            [this] { addToCurrentList(m_jid->text(), m_reason->text()); });
    connect(m_jid, &QLineEdit::returnPressed, m_add, &QPushButton::click);
    connect(m_jid, &QLineEdit::textEdited, this, [this] {
        m_inputError.clear();
        updateState();
    });
    connect(m_remove, &QPushButton::clicked, this, &AffiliationListDialog::removeSelected);
    connect(m_tabs, &QTabWidget::currentChanged, this, &AffiliationListDialog::updateState);
    resize(560, 480);
    refresh();
}

QString AffiliationListDialog::listTitle(MucAffiliation affiliation)
{
    switch (affiliation) {
    case MucAffiliation::Member:
        return tr("Members");
    case MucAffiliation::Admin:
        return tr("Administrators");
    case MucAffiliation::Owner:
        return tr("Owners");
    case MucAffiliation::Outcast:
        return tr("Banned");
    case MucAffiliation::None:
        break;
    }
    return {};
}

QString AffiliationListDialog::describeChange(const AffiliationItem &change)
{
    switch (change.affiliation) {
    case MucAffiliation::Member:
        return tr("%1 becomes a member").arg(change.jid);
    case MucAffiliation::Admin:
        return tr("%1 becomes an administrator").arg(change.jid);
    case MucAffiliation::Owner:
        return tr("%1 becomes an owner").arg(change.jid);
    case MucAffiliation::Outcast:
        return tr("%1 is banned").arg(change.jid);
    case MucAffiliation::None:
        break;
    }
    return tr("%1 is taken off the lists").arg(change.jid);
}

void AffiliationListDialog::refresh()
{
    const int generation = ++m_generation;
    m_pending = 0;
    for (List &list : m_lists) {
        list.loaded.clear();
        list.edited.clear();
        list.ready = false;
        list.error = {};
        list.widget->clear();
    }
    if (!m_service) {
        for (List &list : m_lists)
            list.error = Error(Error::Code::NotConnected);
        updateState();
        return;
    }
    for (qsizetype i = 0; i < qsizetype(m_lists.size()); ++i) {
        ++m_pending;
        m_service->affiliations(m_room, m_lists[i].affiliation)
            .then(this, [this, generation, i](Result<QList<AffiliationItem>> &&result) {
                if (generation != m_generation)
                    return;
                --m_pending;
                if (const auto *items = std::get_if<QList<AffiliationItem>>(&result))
                    listLoaded(i, *items);
                else
                    listFailed(i, Core::errorOf(result));
            });
    }
    updateState();
}

void AffiliationListDialog::listLoaded(qsizetype index, const QList<AffiliationItem> &items)
{
    List &list = m_lists[index];
    list.loaded = items;
    list.edited = items;
    list.ready = true;
    showList(list);
    updateState();
}

void AffiliationListDialog::listFailed(qsizetype index, const Error &error)
{
    m_lists[index].error = error;
    updateState();
}

void AffiliationListDialog::showList(const List &list)
{
    list.widget->clear();
    for (const AffiliationItem &item : list.edited) {
        QString text = item.nick.isEmpty() ? item.jid : tr("%1 (%2)").arg(item.jid, item.nick);
        if (!item.reason.isEmpty())
            text = tr("%1 — %2").arg(text, item.reason);
        auto *row = new QListWidgetItem(text, list.widget);
        row->setData(Qt::UserRole, item.jid);
    }
}

AffiliationListDialog::List &AffiliationListDialog::currentList()
{
    return m_lists[std::max(0, m_tabs->currentIndex())];
}

QStringList AffiliationListDialog::jids(MucAffiliation affiliation) const
{
    QStringList jids;
    for (const List &list : m_lists) {
        if (list.affiliation != affiliation)
            continue;
        for (const AffiliationItem &item : list.edited)
            jids.append(item.jid);
    }
    return jids;
}

QList<AffiliationItem> AffiliationListDialog::changes() const
{
    QHash<QString, MucAffiliation> before;
    for (const List &list : m_lists) {
        for (const AffiliationItem &item : list.loaded)
            before.insert(item.jid, list.affiliation);
    }
    QList<AffiliationItem> changes;
    QSet<QString> kept;
    for (const List &list : m_lists) {
        for (const AffiliationItem &item : list.edited) {
            kept.insert(item.jid);
            if (before.value(item.jid, MucAffiliation::None) != list.affiliation)
                changes.append({item.jid, list.affiliation, {}, item.reason});
        }
    }
    for (const List &list : m_lists) {
        for (const AffiliationItem &item : list.loaded) {
            if (!kept.contains(item.jid))
                changes.append({item.jid, MucAffiliation::None, {}, {}});
        }
    }
    return changes;
}

QString AffiliationListDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void AffiliationListDialog::addToCurrentList(const QString &jid, const QString &reason)
{
    const QString entered = jid.trimmed();
    // Whole servers may be banned too, so a domain alone is an address here.
    auto problem = JidValidator::checkJid(entered);
    if (problem == JidValidator::Problem::None && entered.contains(u'/'))
        problem = JidValidator::Problem::UnexpectedResource;
    m_inputError = problem == JidValidator::Problem::UnexpectedResource
                       ? tr("Enter an address without a device part (after “/”).")
                       : ErrorPresenter::describeJidProblem(problem);
    List &target = currentList();
    if (!m_inputError.isEmpty() || !target.ready) {
        updateState();
        m_jid->setFocus();
        return;
    }
    const QString bare = JidValidator::normalizedBareJid(entered);
    // A JID has one affiliation: adding it here takes it out of any other list.
    for (List &list : m_lists) {
        const auto removed =
            list.edited.removeIf([&bare](const AffiliationItem &item) { return item.jid == bare; });
        if (removed > 0 && &list != &target)
            showList(list);
    }
    target.edited.append({bare, target.affiliation, {}, reason.trimmed()});
    showList(target);
    m_jid->clear();
    m_reason->clear();
    updateState();
}

void AffiliationListDialog::removeSelected()
{
    List &list = currentList();
    QSet<QString> selected;
    for (const QListWidgetItem *row : list.widget->selectedItems())
        selected.insert(row->data(Qt::UserRole).toString());
    if (selected.isEmpty())
        return;
    list.edited.removeIf([&selected](const AffiliationItem &item) { return selected.contains(item.jid); });
    showList(list);
    updateState();
}

void AffiliationListDialog::apply()
{
    const QList<AffiliationItem> pending = changes();
    if (pending.isEmpty() || isLoading() || m_applying || !m_service)
        return;
    QStringList lines;
    for (const AffiliationItem &change : pending)
        lines.append(describeChange(change));
    auto *box = new QMessageBox(QMessageBox::Question, tr("Change members and bans"),
                                tr("Apply these changes to %1?").arg(m_room),
                                QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("confirmAffiliations"));
    box->setInformativeText(lines.join(u'\n'));
    box->setDefaultButton(QMessageBox::Yes);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, box, pending](QAbstractButton *button) {
        if (box->standardButton(button) == QMessageBox::Yes)
            sendChanges(pending);
    });
    box->open();
}

void AffiliationListDialog::sendChanges(const QList<AffiliationItem> &changes)
{
    if (!m_service || m_applying)
        return;
    m_applying = true;
    m_applyError.clear();
    updateState();
    m_service->changeAffiliations(m_room, changes).then(this, [this](Result<Core::Success> &&result) {
        m_applying = false;
        if (Core::isOk(result)) {
            Q_EMIT affiliationsChanged(m_room);
        } else {
            // The changes go one by one: some may have been made before the refusal.
            m_applyError =
                tr("Not every change was made. %1").arg(ErrorPresenter::describe(Core::errorOf(result)));
        }
        refresh();
    });
}

void AffiliationListDialog::updateState()
{
    const List &shown = currentList();
    const bool busy = isLoading() || m_applying;
    for (std::size_t i = 0; i < m_lists.size(); ++i)
        m_lists[i].widget->setEnabled(m_lists[i].ready && !m_applying);
    m_jid->setEnabled(shown.ready && !m_applying);
    m_reason->setEnabled(shown.ready && !m_applying);
    m_add->setEnabled(shown.ready && !m_applying);
    m_remove->setEnabled(shown.ready && !m_applying && !shown.widget->selectedItems().isEmpty());
    m_apply->setEnabled(!busy && !changes().isEmpty());

    if (m_applying)
        m_status->setText(tr("Applying the changes…"));
    else if (isLoading())
        m_status->setText(tr("Loading the lists…"));
    m_status->setVisible(busy);

    QStringList errors;
    if (!m_inputError.isEmpty())
        errors.append(m_inputError);
    if (!m_applyError.isEmpty())
        errors.append(m_applyError);
    for (const List &list : m_lists) {
        if (list.error.isError())
            errors.append(tr("%1 could not be loaded: %2")
                              .arg(listTitle(list.affiliation), ErrorPresenter::describe(list.error)));
    }
    m_error->setText(errors.join(u'\n'));
    m_error->setVisible(!errors.isEmpty());
}

} // namespace Natter::Ui
