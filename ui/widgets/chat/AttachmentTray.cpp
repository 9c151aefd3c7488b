// SPDX-License-Identifier: GPL-3.0-or-later
#include "AttachmentTray.h"

#include <QBoxLayout>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QScrollBar>
#include <QToolButton>

namespace Natter::Ui {

namespace {
// How many average characters of a file name a chip shows before it elides the middle (keeping the type).
constexpr int NameCharacters = 28;
} // namespace

AttachmentTray::AttachmentTray(QWidget *parent)
    : QScrollArea(parent)
    , m_content(new QWidget)
    , m_row(new QHBoxLayout(m_content))
{
    setObjectName(QStringLiteral("attachmentTray"));
    setAccessibleName(tr("Files to send"));
    setFrameShape(QFrame::NoFrame);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setWidgetResizable(true);
    viewport()->setAutoFillBackground(false);
    m_content->setAutoFillBackground(false);
    m_row->setContentsMargins(0, 0, 0, 0);
    m_row->addStretch(1);
    setWidget(m_content);
    hide();
}

void AttachmentTray::setFiles(const QStringList &paths)
{
    const QStringList gone = m_files;
    for (const QString &path : gone) {
        if (!paths.contains(path))
            dropChip(path);
    }
    m_files = paths;
    for (const QString &path : paths) {
        if (m_chips.contains(path))
            continue;
        QWidget *chip = makeChip(path);
        m_chips.insert(path, chip);
        m_row->insertWidget(m_row->count() - 1, chip); // before the stretch
    }
    setVisible(!m_files.isEmpty());
    updateHeight();
}

QWidget *AttachmentTray::makeChip(const QString &path)
{
    const QFileInfo info(path);
    auto *chip = new QFrame(m_content);
    chip->setObjectName(QStringLiteral("attachmentChip"));
    chip->setFrameShape(QFrame::StyledPanel);
    chip->setToolTip(QDir::toNativeSeparators(path));
    auto *name = new QLabel(chip);
    name->setObjectName(QStringLiteral("attachmentName"));
    name->setTextFormat(Qt::PlainText);
    const int nameWidth = name->fontMetrics().averageCharWidth() * NameCharacters;
    name->setText(name->fontMetrics().elidedText(info.fileName(), Qt::ElideMiddle, nameWidth));
    auto *size = new QLabel(QLocale().formattedDataSize(info.size()), chip);
    size->setObjectName(QStringLiteral("attachmentSize"));
    QPalette dimmed = size->palette();
    dimmed.setColor(QPalette::WindowText, dimmed.color(QPalette::PlaceholderText));
    size->setPalette(dimmed);
    auto *remove = new QToolButton(chip);
    remove->setObjectName(QStringLiteral("removeAttachment"));
    remove->setText(QStringLiteral("✕"));
    remove->setToolTip(tr("Remove"));
    remove->setAccessibleName(tr("Remove %1").arg(info.fileName()));
    remove->setAutoRaise(true);
    connect(remove, &QToolButton::clicked, this, [this, path] { Q_EMIT removeRequested(path); });
    auto *layout = new QHBoxLayout(chip);
    layout->setContentsMargins(6, 0, 0, 0);
    layout->setSpacing(6);
    layout->addWidget(name);
    layout->addWidget(size);
    layout->addWidget(remove);
    return chip;
}

void AttachmentTray::dropChip(const QString &path)
{
    QWidget *chip = m_chips.take(path);
    if (!chip)
        return;
    // The click that removes a chip comes from the chip's own button: the chip leaves the tray at once and
    // is deleted when that click is over.
    m_row->removeWidget(chip);
    chip->hide();
    chip->setParent(nullptr);
    chip->deleteLater();
}

void AttachmentTray::resizeEvent(QResizeEvent *event)
{
    QScrollArea::resizeEvent(event);
    updateHeight();
}

void AttachmentTray::updateHeight()
{
    // As tall as a row of chips, plus the scroll bar when they do not fit side by side.
    const QSize content = m_content->sizeHint();
    const int frame = 2 * frameWidth();
    const bool overflows = content.width() > width() - frame;
    setFixedHeight(content.height() + frame + (overflows ? horizontalScrollBar()->sizeHint().height() : 0));
}

} // namespace Natter::Ui
