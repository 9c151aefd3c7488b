// SPDX-License-Identifier: GPL-3.0-or-later
// Natter → Preferences: privacy (typing notifications, read markers), notifications (on, previews), the
// window (close to the tray) and received files (automatic downloads and their limit, the folder). Each
// choice applies and is saved at once.
#pragma once

#include "account/Preferences.h"

#include <QDialog>

class QCheckBox;
class QGroupBox;
class QLineEdit;
class QSpinBox;

namespace Natter::Ui {

class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit SettingsDialog(Core::Preferences &preferences, QWidget *parent = nullptr);

    QCheckBox *box(Core::Preferences::Key key) const { return m_boxes.value(key); }
    QSpinBox *autoDownloadLimit() const { return m_limit; }
    // Where received files go (what the folder chooser sets).
    void setDownloadFolder(const QString &folder);

private:
    QCheckBox *addBox(Core::Preferences::Key key, const QString &text, const QString &help);
    QGroupBox *createFilesGroup();
    QGroupBox *createCallsGroup();

    Core::Preferences &m_preferences;
    QHash<Core::Preferences::Key, QCheckBox *> m_boxes;
    QSpinBox *m_limit = nullptr;
    QLineEdit *m_folder = nullptr;
};

} // namespace Natter::Ui
