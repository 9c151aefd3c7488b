// SPDX-License-Identifier: GPL-3.0-or-later
#include "ImportProfileDialog.h"

#include "presenters/ErrorPresenter.h"

#include <QDir>
#include <QFileDialog>
#include <QLineEdit>
#include <QPushButton>
#include <QUuid>

namespace Natter::Ui {

ImportProfileDialog::ImportProfileDialog(const QString &profileDirectory, QWidget *parent)
    : ProfileFileDialog(QStringLiteral("import"),
                        tr("Bring your accounts, history, encryption keys and trust decisions from another "
                           "computer: choose the file that “Export profile…” wrote there and type its "
                           "passphrase. Natter then continues as that computer's device, so stop using "
                           "Natter there."),
                        tr("&Import"), parent)
    , m_profileDirectory(profileDirectory)
{
    setWindowTitle(tr("Import profile"));
    m_file->setPlaceholderText(tr("The file exported on the other computer"));
    updateButton();
}

QString ImportProfileDialog::chooseFile(const QString &current)
{
    return QFileDialog::getOpenFileName(this, tr("Import profile"),
                                        current.isEmpty() ? QDir::homePath() : current,
                                        tr("Natter profiles (*.natter);;All files (*)"));
}

void ImportProfileDialog::updateButton()
{
    // What the last attempt came to no longer applies once the file or the passphrase changed.
    setStatus({});
    m_actionButton->setEnabled(!file().isEmpty() && !m_passphrase->text().isEmpty());
}

void ImportProfileDialog::act()
{
    // Unpacked beside the open profile first: a wrong passphrase or a damaged file leaves the profile alone.
    const QString incoming =
        QDir(m_profileDirectory)
            .filePath(QStringLiteral(".incoming-") + QUuid::createUuid().toString(QUuid::Id128).left(12));
    m_actionButton->setEnabled(false);
    setStatus(tr("Opening the file…"));
    Core::ProfileTransfer::importProfile(file(), m_passphrase->text(), incoming)
        .then(this, [this, incoming](const Core::Result<Core::ProfileTransfer::Secrets> &imported) {
            if (!Core::isOk(imported)) {
                QDir(incoming).removeRecursively();
                m_actionButton->setEnabled(true);
                const Core::Error &error = Core::errorOf(imported);
                setStatus(error.code == Core::Error::Code::DecryptionFailed
                              ? tr("Not imported: the passphrase is wrong, or the file is damaged.")
                              : tr("Not imported: %1").arg(ErrorPresenter::describe(error)));
                return;
            }
            setStatus(tr("Imported. Opening the profile…"));
            Q_EMIT unpacked(incoming, std::get<Core::ProfileTransfer::Secrets>(imported));
        });
}

} // namespace Natter::Ui
