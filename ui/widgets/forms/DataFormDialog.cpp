// SPDX-License-Identifier: GPL-3.0-or-later
// A dialog that shows a data form and only closes with OK once the answers are valid.
#include "DataFormDialog.h"

#include "DataFormWidget.h"

#include <QDialogButtonBox>
#include <QVBoxLayout>

namespace Natter::Ui {

DataFormDialog::DataFormDialog(const QXmppDataForm &form, QWidget *parent)
    : QDialog(parent)
    , m_formWidget(new DataFormWidget(this))
{
    setObjectName(QStringLiteral("dataFormDialog"));
    setWindowTitle(form.title().trimmed().isEmpty() ? tr("Form") : form.title().trimmed());
    m_formWidget->setForm(form);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &DataFormDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_formWidget, 1);
    layout->addWidget(buttons);
    resize(560, 640);
    m_formWidget->focusFirstField();
}

QXmppDataForm DataFormDialog::submission() const
{
    return m_formWidget->submission();
}

void DataFormDialog::accept()
{
    if (!m_formWidget->validate())
        return;
    QDialog::accept();
}

} // namespace Natter::Ui
