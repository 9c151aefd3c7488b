// SPDX-License-Identifier: GPL-3.0-or-later
// A dialog that shows a data form and only closes with OK once the answers are valid.
#pragma once

#include <QDialog>
#include <QXmppDataForm.h>

namespace Natter::Ui {

class DataFormWidget;

class DataFormDialog : public QDialog
{
    Q_OBJECT
public:
    explicit DataFormDialog(const QXmppDataForm &form, QWidget *parent = nullptr);

    DataFormWidget *formWidget() const { return m_formWidget; }
    QXmppDataForm submission() const;

    void accept() override;

private:
    DataFormWidget *m_formWidget;
};

} // namespace Natter::Ui
