// SPDX-License-Identifier: GPL-3.0-or-later
#include "AvatarEditorDialog.h"

#include "account/Account.h"
#include "presenters/ErrorPresenter.h"
#include "roster/AvatarService.h"

#include <QBuffer>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace Natter::Ui {

namespace {
constexpr int PreviewSize = 128;
}

QByteArray AvatarEditorDialog::prepare(const QImage &image, QSize *size)
{
    if (image.isNull())
        return {};
    const int side = std::min(image.width(), image.height());
    const QImage square = image.copy((image.width() - side) / 2, (image.height() - side) / 2, side, side);
    const QImage scaled = side > MaximumSize ? square.scaled(MaximumSize, MaximumSize, Qt::IgnoreAspectRatio,
                                                             Qt::SmoothTransformation)
                                             : square;
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    if (!scaled.save(&buffer, "PNG"))
        return {};
    if (size)
        *size = scaled.size();
    return png;
}

AvatarEditorDialog::AvatarEditorDialog(Core::Account &account, QWidget *parent)
    : QDialog(parent)
    , m_account(account)
    , m_preview(new QLabel(this))
    , m_status(new QLabel(this))
    , m_publish(new QPushButton(tr("Publish"), this))
{
    setObjectName(QStringLiteral("avatarEditorDialog"));
    setWindowTitle(tr("Avatar of %1").arg(account.jid()));
    m_preview->setFixedSize(PreviewSize, PreviewSize);
    m_preview->setAlignment(Qt::AlignCenter);
    m_preview->setFrameShape(QFrame::StyledPanel);
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setObjectName(QStringLiteral("avatarStatus"));
    auto *chooseButton = new QPushButton(tr("Choose picture…"), this);
    auto *removeButton = new QPushButton(tr("Remove avatar"), this);
    removeButton->setObjectName(QStringLiteral("removeAvatarButton"));
    m_publish->setObjectName(QStringLiteral("publishAvatarButton"));
    m_publish->setEnabled(false);
    connect(chooseButton, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(
            this, tr("Choose a picture"), {}, tr("Pictures (*.png *.jpg *.jpeg *.gif *.webp *.bmp)"));
        if (!file.isEmpty() && !choose(file))
            m_status->setText(tr("This file is not a picture Natter can use."));
    });
    connect(removeButton, &QPushButton::clicked, this, &AvatarEditorDialog::removeAvatar);
    connect(m_publish, &QPushButton::clicked, this, &AvatarEditorDialog::publish);
    const QImage current(m_account.avatars().ownAvatarFile());
    showPreview(current);

    auto *buttons = new QVBoxLayout;
    buttons->addWidget(chooseButton);
    buttons->addWidget(m_publish);
    buttons->addWidget(removeButton);
    buttons->addStretch(1);
    auto *row = new QHBoxLayout;
    row->addWidget(m_preview);
    row->addLayout(buttons);
    auto *close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::accept);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(m_status);
    layout->addWidget(close);
}

QString AvatarEditorDialog::statusText() const
{
    return m_status->text();
}

bool AvatarEditorDialog::choose(const QString &file)
{
    QImageReader reader(file);
    reader.setAutoTransform(true); // a phone photo's rotation
    const QImage image = reader.read();
    m_png = prepare(image, &m_size);
    m_publish->setEnabled(!m_png.isEmpty());
    if (m_png.isEmpty())
        return false;
    showPreview(QImage::fromData(m_png));
    m_status->setText(tr("Publish to show it to your contacts."));
    return true;
}

void AvatarEditorDialog::showPreview(const QImage &image)
{
    if (image.isNull()) {
        m_preview->setText(tr("No avatar"));
        return;
    }
    m_preview->setPixmap(QPixmap::fromImage(
        image.scaled(PreviewSize, PreviewSize, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
}

void AvatarEditorDialog::publish()
{
    if (m_png.isEmpty())
        return;
    m_status->setText(tr("Publishing…"));
    m_account.avatars()
        .publishOwnAvatar(m_png, m_size.width(), m_size.height())
        .then(this, [this](Core::Result<Core::Success> &&result) {
            finished(Core::isOk(result),
                     Core::isOk(result) ? QString() : ErrorPresenter::describe(Core::errorOf(result)));
        });
}

void AvatarEditorDialog::removeAvatar()
{
    m_status->setText(tr("Removing…"));
    m_account.avatars().removeOwnAvatar().then(this, [this](Core::Result<Core::Success> &&result) {
        if (Core::isOk(result)) {
            m_png.clear();
            m_publish->setEnabled(false);
            showPreview({});
        }
        finished(Core::isOk(result),
                 Core::isOk(result) ? QString() : ErrorPresenter::describe(Core::errorOf(result)));
    });
}

void AvatarEditorDialog::finished(bool ok, const QString &failure)
{
    m_status->setText(ok ? tr("Done: your contacts see it now.") : failure);
}

} // namespace Natter::Ui
