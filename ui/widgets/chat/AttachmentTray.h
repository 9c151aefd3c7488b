// SPDX-License-Identifier: GPL-3.0-or-later
// The files waiting to be sent with the next message, above the composer's editor: one chip per file with
// its name, its size and a button that takes it off. A row that scrolls sideways; hidden while empty.
#pragma once

#include <QHash>
#include <QScrollArea>
#include <QStringList>

class QHBoxLayout;

namespace Natter::Ui {

class AttachmentTray : public QScrollArea
{
    Q_OBJECT
public:
    explicit AttachmentTray(QWidget *parent = nullptr);

    // Shows one chip per path, in this order (the composer only appends and removes).
    void setFiles(const QStringList &paths);
    QStringList files() const { return m_files; }

Q_SIGNALS:
    // A chip's remove button was clicked.
    void removeRequested(const QString &path);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    QWidget *makeChip(const QString &path);
    void dropChip(const QString &path);
    void updateHeight();

    QWidget *m_content;
    QHBoxLayout *m_row;
    QStringList m_files;
    QHash<QString, QWidget *> m_chips;
};

} // namespace Natter::Ui
