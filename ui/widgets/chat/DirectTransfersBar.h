// SPDX-License-Identifier: GPL-3.0-or-later
// Files going straight between devices (Jingle), above the composer: a contact's offer with Accept and
// Decline, then its progress with Cancel; our own offers with their progress and Cancel; a received file
// with Show in folder until dismissed.
#pragma once

#include <QPointer>
#include <QWidget>

class QVBoxLayout;

namespace Natter::Core {
class Account;
class FileTransfer;
} // namespace Natter::Core

namespace Natter::Ui {

class DirectTransfersBar : public QWidget
{
    Q_OBJECT
public:
    explicit DirectTransfersBar(QWidget *parent = nullptr);

    // Shows the account's transfers from now on.
    void watch(Core::Account *account);
    // Rows shown (offers, transfers under way, received files not yet dismissed).
    int count() const;

Q_SIGNALS:
    // A user-facing message (already translated): a transfer ended, or why it did not work.
    void reported(const QString &text);

private:
    void addRow(Core::Account *account, Core::FileTransfer *transfer);

    QVBoxLayout *m_rows;
};

} // namespace Natter::Ui
