// SPDX-License-Identifier: GPL-3.0-or-later
#include "ExportProfileDialog.h"

#include "account/AccountManager.h"
#include "presenters/ErrorPresenter.h"
#include "profile/ProfileTransfer.h"

#include <QBoxLayout>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace Natter::Ui {

namespace {
// Shorter passphrases are refused: the file may travel where others can copy it and guess at leisure.
constexpr int MinimumPassphrase = 12;
} // namespace

ExportProfileDialog::ExportProfileDialog(Core::AccountManager &accounts, QWidget *parent)
    : QDialog(parent)
    , m_accounts(accounts)
    , m_file(new QLineEdit(this))
    , m_passphrase(new QLineEdit(this))
    , m_repeat(new QLineEdit(this))
    , m_passwords(new QCheckBox(tr("Include the accounts' passwords"), this))
    , m_status(new QLabel(this))
    , m_exportButton(new QPushButton(tr("&Export"), this))
{
    setObjectName(QStringLiteral("exportProfileDialog"));
    setWindowTitle(tr("Export profile"));
    m_file->setObjectName(QStringLiteral("exportFileEdit"));
    m_file->setText(QDir::home().filePath(QStringLiteral("natter-profile.natter")));
    m_passphrase->setObjectName(QStringLiteral("exportPassphraseEdit"));
    m_passphrase->setEchoMode(QLineEdit::Password);
    m_repeat->setObjectName(QStringLiteral("exportRepeatEdit"));
    m_repeat->setEchoMode(QLineEdit::Password);
    m_passwords->setObjectName(QStringLiteral("exportPasswordsCheck"));
    m_status->setObjectName(QStringLiteral("exportStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_exportButton->setObjectName(QStringLiteral("exportButton"));
    m_exportButton->setDefault(true);

    auto *intro =
        new QLabel(tr("Everything of this profile goes into one file: accounts and their settings, "
                      "history, encryption keys and trust decisions, avatars. On the other computer, "
                      "import it with “natter-cli profile import”, then stop using this one: two "
                      "computers must not be the same device."),
                   this);
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::PlainText);
    auto *choose = new QPushButton(tr("&Choose…"), this);
    choose->setObjectName(QStringLiteral("exportChooseButton"));
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(choose);
    auto *form = new QFormLayout;
    form->addRow(tr("File:"), fileRow);
    form->addRow(tr("Passphrase:"), m_passphrase);
    form->addRow(tr("Repeat it:"), m_repeat);
    form->addRow(QString(), m_passwords);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_exportButton, QDialogButtonBox::AcceptRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_exportButton, &QPushButton::clicked, this, &ExportProfileDialog::startExport);
    connect(choose, &QPushButton::clicked, this, &ExportProfileDialog::chooseFile);
    for (QLineEdit *edit : {m_file, m_passphrase, m_repeat})
        connect(edit, &QLineEdit::textChanged, this, &ExportProfileDialog::updateButton);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    setMinimumWidth(520);
    updateButton();
}

QString ExportProfileDialog::statusText() const
{
    return m_status->text();
}

void ExportProfileDialog::chooseFile()
{
    const QString file = QFileDialog::getSaveFileName(this, tr("Export profile"), m_file->text(),
                                                      tr("Natter profiles (*.natter)"));
    if (!file.isEmpty())
        m_file->setText(file);
}

void ExportProfileDialog::updateButton()
{
    QString problem;
    if (m_passphrase->text().size() < MinimumPassphrase)
        problem = tr("The passphrase needs at least %n characters.", nullptr, MinimumPassphrase);
    else if (m_repeat->text() != m_passphrase->text())
        problem = tr("The two passphrases differ.");
    else if (m_file->text().trimmed().isEmpty())
        problem = tr("Choose where the file goes.");
    m_status->setText(problem);
    m_exportButton->setEnabled(problem.isEmpty());
}

void ExportProfileDialog::startExport()
{
    const QString file = m_file->text().trimmed();
    m_exportButton->setEnabled(false);
    m_status->setText(tr("Exporting…"));
    Core::ProfileTransfer::exportProfile(m_accounts, file, m_passphrase->text(), m_passwords->isChecked())
        .then(this, [this, file](const Core::Result<Core::Success> &written) {
            m_exportButton->setEnabled(true);
            if (!Core::isOk(written)) {
                m_status->setText(
                    tr("Not exported: %1").arg(ErrorPresenter::describe(Core::errorOf(written))));
                return;
            }
            m_status->setText(tr("Exported to %1.").arg(file));
            Q_EMIT exported(file);
        });
}

} // namespace Natter::Ui
