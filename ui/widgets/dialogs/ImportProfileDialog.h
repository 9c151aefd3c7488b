// SPDX-License-Identifier: GPL-3.0-or-later
// Natter → Import profile…, offered while the profile holds no account: opens a file written by Export
// profile on another computer with its passphrase. A wrong passphrase or a damaged file is told here and
// changes nothing; once the file opens, the window hands the unpacked profile over to be put in place.
#pragma once

#include "ProfileFileDialog.h"
#include "profile/ProfileTransfer.h"

namespace Natter::Ui {

class ImportProfileDialog : public ProfileFileDialog
{
    Q_OBJECT
public:
    explicit ImportProfileDialog(const QString &profileDirectory, QWidget *parent = nullptr);

Q_SIGNALS:
    // incoming: a folder of the profile directory holding the unpacked profile.
    void unpacked(const QString &incoming, const Natter::Core::ProfileTransfer::Secrets &secrets);

private:
    QString chooseFile(const QString &current) override;
    void updateButton() override;
    void act() override;

    QString m_profileDirectory;
};

} // namespace Natter::Ui
