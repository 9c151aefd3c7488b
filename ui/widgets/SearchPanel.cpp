// SPDX-License-Identifier: GPL-3.0-or-later
// A search field with its results as you type (debounced, asked of the store off the UI thread), over
// every conversation or one; Enter or a click chooses a result.
#include "SearchPanel.h"

#include "SearchResultDelegate.h"
#include "models/SearchResultsModel.h"
#include "storage/MessageRepository.h"

#include <QBoxLayout>
#include <QKeyEvent>
#include <QLineEdit>
#include <QListView>

namespace Natter::Ui {

using Core::ChatMessage;

SearchPanel::SearchPanel(Core::MessageRepository &store, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_field(new QLineEdit(this))
    , m_results(new QListView(this))
    , m_model(new SearchResultsModel(this))
{
    m_field->setObjectName(QStringLiteral("searchField"));
    m_field->setClearButtonEnabled(true);
    m_field->setPlaceholderText(tr("Search messages"));
    m_field->setAccessibleName(tr("Search messages"));
    m_field->installEventFilter(this);

    m_results->setObjectName(QStringLiteral("searchResults"));
    m_results->setModel(m_model);
    m_results->setItemDelegate(new SearchResultDelegate(m_results));
    m_results->setUniformItemSizes(true);
    m_results->setSelectionMode(QAbstractItemView::SingleSelection);
    m_results->setMouseTracking(true);
    m_results->setFrameShape(QFrame::NoFrame);
    m_results->setAccessibleName(tr("Search results"));
    m_results->hide();
    connect(m_results, &QListView::activated, this, &SearchPanel::choose);
    connect(m_results, &QListView::clicked, this, &SearchPanel::choose);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(DebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &SearchPanel::search);
    connect(m_field, &QLineEdit::textChanged, this, [this](const QString &text) {
        const bool active = !text.trimmed().isEmpty();
        if (!active) {
            ++m_generation;
            m_debounce.stop();
            m_model->clear();
        } else {
            m_debounce.start();
        }
        m_results->setVisible(active);
        if (active != m_active) {
            m_active = active;
            Q_EMIT activeChanged(active);
        }
    });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_field);
    layout->addWidget(m_results, 1);
}

void SearchPanel::setScope(std::optional<Core::ConversationKey> conversation)
{
    if (m_scope == conversation)
        return;
    m_scope = std::move(conversation);
    if (isActive())
        m_debounce.start();
}

void SearchPanel::setPlaceholderText(const QString &text)
{
    m_field->setPlaceholderText(text);
    m_field->setAccessibleName(text);
}

void SearchPanel::focusField()
{
    m_field->setFocus(Qt::ShortcutFocusReason);
    m_field->selectAll();
}

void SearchPanel::clear()
{
    m_field->clear();
}

bool SearchPanel::isActive() const
{
    return m_active;
}

void SearchPanel::search()
{
    const QString text = m_field->text().trimmed();
    if (text.isEmpty())
        return;
    const int generation = ++m_generation;
    m_store.search(text, m_scope, ResultLimit)
        .then(this, [this, generation, text](const Core::Result<QList<ChatMessage>> &found) {
            if (generation != m_generation)
                return;
            m_model->setResults(text, Core::isOk(found) ? std::get<QList<ChatMessage>>(found)
                                                        : QList<ChatMessage>());
            if (m_model->rowCount() > 0)
                m_results->setCurrentIndex(m_model->index(0, 0));
            Q_EMIT resultsShown();
        });
}

void SearchPanel::choose(const QModelIndex &index)
{
    if (!index.isValid())
        return;
    Q_EMIT messageChosen(m_model->messageAt(index.row()));
}

bool SearchPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_field || event->type() != QEvent::KeyPress)
        return QWidget::eventFilter(watched, event);
    const auto *key = static_cast<QKeyEvent *>(event);
    switch (key->key()) {
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (m_debounce.isActive()) {
            // Enter right after typing: search now, then jump to the best result.
            m_debounce.stop();
            search();
            connect(
                this, &SearchPanel::resultsShown, this, [this] { choose(m_results->currentIndex()); },
                Qt::SingleShotConnection);
        } else {
            choose(m_results->currentIndex());
        }
        return true;
    case Qt::Key_Down:
    case Qt::Key_Up: {
        const int rows = m_model->rowCount();
        if (rows == 0)
            return true;
        const int current = m_results->currentIndex().row();
        const int next = std::clamp(current + (key->key() == Qt::Key_Down ? 1 : -1), 0, rows - 1);
        m_results->setCurrentIndex(m_model->index(next, 0));
        return true;
    }
    case Qt::Key_Escape:
        if (m_field->text().isEmpty())
            return false;
        clear();
        return true;
    default:
        return QWidget::eventFilter(watched, event);
    }
}

} // namespace Natter::Ui
