// SPDX-License-Identifier: GPL-3.0-or-later
// What the export and the import of a profile share: an explanation, the file with a Choose… button, the
// passphrase, a status line and the one button that acts. Object names start with the given prefix
// ("exportFileEdit", "importStatus", …).
#pragma once

#include <QDialog>

class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;

namespace Natter::Ui {

class ProfileFileDialog : public QDialog
{
    Q_OBJECT
public:
    QString statusText() const;

protected:
    ProfileFileDialog(const QString &objectPrefix, const QString &intro, const QString &actionText,
                      QWidget *parent);

    // The file chooser's own dialog: an existing file to open, or where to write.
    virtual QString chooseFile(const QString &current) = 0;
    // Called on every edit: enables the button when the fields are complete, with the reason otherwise.
    virtual void updateButton() = 0;
    virtual void act() = 0;

    // Rows below the passphrase.
    QFormLayout *form() const { return m_form; }
    QString file() const;
    void setStatus(const QString &text);
    void watch(QLineEdit *edit);

    QLineEdit *m_file;
    QLineEdit *m_passphrase;
    QPushButton *m_actionButton;

private:
    QFormLayout *m_form;
    QLabel *m_status;
};

} // namespace Natter::Ui
