// SPDX-License-Identifier: GPL-3.0-or-later
// A search field with its results as you type (debounced, asked of the store off the UI thread), over
// every conversation or one; Enter or a click chooses a result.
#pragma once

#include "domain/ChatMessage.h"

#include <QTimer>
#include <QWidget>
#include <optional>

class QLineEdit;
class QListView;

namespace Natter::Core {
class MessageRepository;
}

namespace Natter::Ui {

class SearchResultsModel;

class SearchPanel : public QWidget
{
    Q_OBJECT
public:
    static constexpr int DebounceMs = 200;
    static constexpr int ResultLimit = 100;

    explicit SearchPanel(Core::MessageRepository &store, QWidget *parent = nullptr);

    // Limits the search to one conversation (nullopt: every conversation).
    void setScope(std::optional<Core::ConversationKey> conversation);
    void setPlaceholderText(const QString &text);
    void focusField();
    void clear();
    bool isActive() const;

    QLineEdit *field() const { return m_field; }
    QListView *resultsView() const { return m_results; }
    SearchResultsModel *results() const { return m_model; }

Q_SIGNALS:
    void messageChosen(const Natter::Core::ChatMessage &message);
    // The field went from empty to having text or back.
    void activeChanged(bool active);
    // Results for the current text arrived.
    void resultsShown();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void search();
    void choose(const QModelIndex &index);

    Core::MessageRepository &m_store;
    std::optional<Core::ConversationKey> m_scope;
    QLineEdit *m_field;
    QListView *m_results;
    SearchResultsModel *m_model;
    QTimer m_debounce;
    int m_generation = 0; // answers to an older text are dropped
    bool m_active = false;
};

} // namespace Natter::Ui
