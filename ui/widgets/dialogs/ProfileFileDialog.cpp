// SPDX-License-Identifier: GPL-3.0-or-later
#include "ProfileFileDialog.h"

#include <QBoxLayout>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace Natter::Ui {

ProfileFileDialog::ProfileFileDialog(const QString &objectPrefix, const QString &intro,
                                     const QString &actionText, QWidget *parent)
    : QDialog(parent)
    , m_file(new QLineEdit(this))
    , m_passphrase(new QLineEdit(this))
    , m_actionButton(new QPushButton(actionText, this))
    , m_form(new QFormLayout)
    , m_status(new QLabel(this))
{
    setObjectName(objectPrefix + QStringLiteral("ProfileDialog"));
    m_file->setObjectName(objectPrefix + QStringLiteral("FileEdit"));
    m_passphrase->setObjectName(objectPrefix + QStringLiteral("PassphraseEdit"));
    m_passphrase->setEchoMode(QLineEdit::Password);
    m_status->setObjectName(objectPrefix + QStringLiteral("Status"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_actionButton->setObjectName(objectPrefix + QStringLiteral("Button"));
    m_actionButton->setDefault(true);

    auto *explanation = new QLabel(intro, this);
    explanation->setWordWrap(true);
    explanation->setTextFormat(Qt::PlainText);
    auto *choose = new QPushButton(tr("&Choose…"), this);
    choose->setObjectName(objectPrefix + QStringLiteral("ChooseButton"));
    connect(choose, &QPushButton::clicked, this, [this] {
        const QString chosen = chooseFile(m_file->text());
        if (!chosen.isEmpty())
            m_file->setText(chosen);
    });
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(choose);
    m_form->addRow(tr("File:"), fileRow);
    m_form->addRow(tr("Passphrase:"), m_passphrase);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_actionButton, QDialogButtonBox::AcceptRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_actionButton, &QPushButton::clicked, this, [this] { act(); });
    watch(m_file);
    watch(m_passphrase);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(explanation);
    layout->addLayout(m_form);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    setMinimumWidth(520);
}

QString ProfileFileDialog::statusText() const
{
    return m_status->text();
}

QString ProfileFileDialog::file() const
{
    return m_file->text().trimmed();
}

void ProfileFileDialog::setStatus(const QString &text)
{
    m_status->setText(text);
}

void ProfileFileDialog::watch(QLineEdit *edit)
{
    connect(edit, &QLineEdit::textChanged, this, [this] { updateButton(); });
}

} // namespace Natter::Ui
