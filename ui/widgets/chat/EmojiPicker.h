// SPDX-License-Identifier: GPL-3.0-or-later
// A popup to choose an emoji: a search field over a grid of every emoji, by category. Enter or a click
// chooses; the popup closes itself.
#pragma once

#include <QFrame>

class QLineEdit;
class QListWidget;

namespace Natter::Ui {

class EmojiPicker : public QFrame
{
    Q_OBJECT
public:
    explicit EmojiPicker(QWidget *parent = nullptr);

    // Shows the popup with its bottom left corner at position (global coordinates), search field focused.
    void popUp(const QPoint &position);
    QLineEdit *searchField() const { return m_search; }
    QListWidget *grid() const { return m_grid; }

Q_SIGNALS:
    void emojiChosen(const QString &emoji);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void fill(const QString &filter);
    void choose(const QString &emoji);

    QLineEdit *m_search;
    QListWidget *m_grid;
};

} // namespace Natter::Ui
