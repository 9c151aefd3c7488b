// SPDX-License-Identifier: GPL-3.0-or-later
// :shortcode: completion in a text editor: after ":" and two letters a list of matching emoji appears under
// the cursor (Up/Down choose, Tab or Enter insert, Esc closes); a complete ":name:" becomes its emoji at
// once. Enter reaches the editor (which sends) whenever the list is hidden.
#pragma once

#include <QObject>

class QListWidget;
class QPlainTextEdit;

namespace Natter::Ui {

class ShortcodeCompleter : public QObject
{
    Q_OBJECT
public:
    explicit ShortcodeCompleter(QPlainTextEdit *editor);

    QListWidget *list() const { return m_list; }
    bool isShowing() const;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void textChanged();
    // The ":prefix" before the cursor: its start, or -1.
    int shortcodeStart(QString *prefix) const;
    void insertCurrent();

    QPlainTextEdit *m_editor;
    QListWidget *m_list;
    bool m_replacing = false;
};

} // namespace Natter::Ui
