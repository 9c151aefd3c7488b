// SPDX-License-Identifier: GPL-3.0-or-later
#include "AccountPresenter.h"

#include <QCryptographicHash>
#include <QPainter>
#include <QPixmap>

namespace Natter::Ui {

QString AccountPresenter::name(const Core::AccountConfig &config)
{
    const QString chosen = config.displayName.trimmed();
    return chosen.isEmpty() ? config.jid : chosen;
}

QColor AccountPresenter::colour(const Core::AccountConfig &config)
{
    const QColor chosen = QColor::fromString(config.colour);
    return chosen.isValid() ? chosen : colourOf(config.jid);
}

QIcon AccountPresenter::swatch(const QColor &colour)
{
    QPixmap pixmap(16, 16);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(colour.darker(130));
    painter.setBrush(colour);
    painter.drawRoundedRect(QRectF(1.5, 1.5, 13, 13), 3, 3);
    return QIcon(pixmap);
}

QColor AccountPresenter::colourOf(const QString &jid)
{
    const QByteArray hash = QCryptographicHash::hash(jid.toUtf8(), QCryptographicHash::Sha1);
    const int angle = ((quint8(hash.at(0)) | (quint8(hash.at(1)) << 8)) * 360) / 65536;
    return QColor::fromHsl(angle, 140, 105);
}

} // namespace Natter::Ui
