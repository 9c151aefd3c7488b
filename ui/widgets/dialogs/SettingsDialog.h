// SPDX-License-Identifier: GPL-3.0-or-later
// Natter → Preferences: privacy (typing notifications, read markers), notifications (on, previews) and the
// window (close to the tray). Each box applies and is saved at once.
#pragma once

#include "account/Preferences.h"

#include <QDialog>

class QCheckBox;

namespace Natter::Ui {

class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit SettingsDialog(Core::Preferences &preferences, QWidget *parent = nullptr);

    QCheckBox *box(Core::Preferences::Key key) const { return m_boxes.value(key); }

private:
    QCheckBox *addBox(Core::Preferences::Key key, const QString &text, const QString &help);

    Core::Preferences &m_preferences;
    QHash<Core::Preferences::Key, QCheckBox *> m_boxes;
};

} // namespace Natter::Ui
