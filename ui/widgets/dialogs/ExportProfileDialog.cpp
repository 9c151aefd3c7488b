// SPDX-License-Identifier: GPL-3.0-or-later
#include "ExportProfileDialog.h"

#include "account/AccountManager.h"
#include "presenters/ErrorPresenter.h"
#include "profile/ProfileTransfer.h"

#include <QCheckBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QLineEdit>
#include <QPushButton>

namespace Natter::Ui {

namespace {
// Shorter passphrases are refused: the file may travel where others can copy it and guess at leisure.
constexpr int MinimumPassphrase = 12;
} // namespace

ExportProfileDialog::ExportProfileDialog(Core::AccountManager &accounts, QWidget *parent)
    : ProfileFileDialog(QStringLiteral("export"),
                        tr("Everything of this profile goes into one file: accounts and their settings, "
                           "history, encryption keys and trust decisions, avatars. On the other computer, "
                           "import it into a new Natter (“Import profile…”, or “natter-cli profile "
                           "import”), then stop using this one: two computers must not be the same device."),
                        tr("&Export"), parent)
    , m_accounts(accounts)
    , m_repeat(new QLineEdit(this))
    , m_passwords(new QCheckBox(tr("Include the accounts' passwords"), this))
{
    setWindowTitle(tr("Export profile"));
    m_repeat->setObjectName(QStringLiteral("exportRepeatEdit"));
    m_repeat->setEchoMode(QLineEdit::Password);
    m_passwords->setObjectName(QStringLiteral("exportPasswordsCheck"));
    form()->addRow(tr("Repeat it:"), m_repeat);
    form()->addRow(QString(), m_passwords);
    watch(m_repeat);
    m_file->setText(QDir::home().filePath(QStringLiteral("natter-profile.natter")));
    updateButton();
}

QString ExportProfileDialog::chooseFile(const QString &current)
{
    return QFileDialog::getSaveFileName(this, tr("Export profile"), current,
                                        tr("Natter profiles (*.natter)"));
}

void ExportProfileDialog::updateButton()
{
    QString problem;
    if (m_passphrase->text().size() < MinimumPassphrase)
        problem = tr("The passphrase needs at least %n characters.", nullptr, MinimumPassphrase);
    else if (m_repeat->text() != m_passphrase->text())
        problem = tr("The two passphrases differ.");
    else if (file().isEmpty())
        problem = tr("Choose where the file goes.");
    setStatus(problem);
    m_actionButton->setEnabled(problem.isEmpty());
}

void ExportProfileDialog::act()
{
    const QString target = file();
    m_actionButton->setEnabled(false);
    setStatus(tr("Exporting…"));
    Core::ProfileTransfer::exportProfile(m_accounts, target, m_passphrase->text(), m_passwords->isChecked())
        .then(this, [this, target](const Core::Result<Core::Success> &written) {
            m_actionButton->setEnabled(true);
            if (!Core::isOk(written)) {
                setStatus(tr("Not exported: %1").arg(ErrorPresenter::describe(Core::errorOf(written))));
                return;
            }
            setStatus(tr("Exported to %1.").arg(target));
            Q_EMIT exported(target);
        });
}

} // namespace Natter::Ui
