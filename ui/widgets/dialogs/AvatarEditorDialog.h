// SPDX-License-Identifier: GPL-3.0-or-later
// Account → Avatar: choose a picture (cropped to a centred square, scaled to at most 192 px, sent as PNG) or
// remove the avatar. Published to PEP (XEP-0084) for the contacts.
#pragma once

#include <QDialog>
#include <QImage>

class QLabel;
class QPushButton;

namespace Natter::Core {
class Account;
}

namespace Natter::Ui {

class AvatarEditorDialog : public QDialog
{
    Q_OBJECT
public:
    static constexpr int MaximumSize = 192;

    explicit AvatarEditorDialog(Core::Account &account, QWidget *parent = nullptr);

    // The centred square of image, scaled down to MaximumSize at most, as PNG; empty for a null image.
    static QByteArray prepare(const QImage &image, QSize *size = nullptr);

    // Loads file as the new avatar (shown, not yet published); false when it is no picture.
    bool choose(const QString &file);
    void publish();
    void removeAvatar();
    QString statusText() const;

private:
    void showPreview(const QImage &image);
    void finished(bool ok, const QString &failure);

    Core::Account &m_account;
    QLabel *m_preview;
    QLabel *m_status;
    QPushButton *m_publish;
    QByteArray m_png;
    QSize m_size;
};

} // namespace Natter::Ui
