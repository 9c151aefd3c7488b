// SPDX-License-Identifier: GPL-3.0-or-later
// Runs one ad-hoc command (XEP-0050): its forms in the data forms renderer, Back, Next and Finish as the
// command allows, its notes, and its results when it completes.
#pragma once

#include "disco/AdHocCommand.h"

#include <QDialog>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace Natter::Core {
class Account;
}

namespace Natter::Ui {

class DataFormWidget;

class CommandDialog : public QDialog
{
    Q_OBJECT
public:
    CommandDialog(Core::Account &account, const Core::CommandItem &command, QWidget *parent = nullptr);
    ~CommandDialog() override;

    Core::AdHocCommand::Status status() const { return m_status; }
    QString notesText() const;
    QString resultText() const;
    void reject() override;

private:
    void start();
    void proceed(Core::AdHocCommand::Action action);
    void show(Core::Result<Core::AdHocCommand::Stage> &&result);
    void setBusy(bool busy);

    Core::AdHocCommand *m_command;
    Core::AdHocCommand::Stage m_stage;
    Core::AdHocCommand::Status m_status = Core::AdHocCommand::Status::Executing;
    QLabel *m_notes;
    DataFormWidget *m_form;
    QPlainTextEdit *m_result;
    QPushButton *m_backButton;
    QPushButton *m_nextButton;
    QPushButton *m_finishButton;
    QPushButton *m_closeButton;
    bool m_busy = false;
};

} // namespace Natter::Ui
