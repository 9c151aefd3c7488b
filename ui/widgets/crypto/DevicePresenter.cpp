// SPDX-License-Identifier: GPL-3.0-or-later
#include "DevicePresenter.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace Natter::Ui {

using Core::DeviceTrust;

namespace {

// A coloured disc with a white mark: a tick (verified, trusted), a question mark or a cross.
QPixmap trustPixmap(DeviceTrust trust, int size)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(DevicePresenter::trustColor(trust));
    painter.drawEllipse(QRectF(0.5, 0.5, size - 1.0, size - 1.0));
    const qreal s = size;
    painter.setPen(QPen(Qt::white, s * 0.13, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    painter.setBrush(Qt::NoBrush);
    switch (trust) {
    case DeviceTrust::Verified:
    case DeviceTrust::Trusted: {
        QPainterPath tick;
        tick.moveTo(s * 0.28, s * 0.52);
        tick.lineTo(s * 0.44, s * 0.68);
        tick.lineTo(s * 0.73, s * 0.34);
        painter.drawPath(tick);
        break;
    }
    case DeviceTrust::Undecided: {
        QPainterPath hook;
        hook.moveTo(s * 0.36, s * 0.38);
        hook.cubicTo(s * 0.36, s * 0.18, s * 0.66, s * 0.18, s * 0.65, s * 0.38);
        hook.cubicTo(s * 0.64, s * 0.52, s * 0.5, s * 0.5, s * 0.5, s * 0.62);
        painter.drawPath(hook);
        painter.setPen(Qt::NoPen);
        painter.setBrush(Qt::white);
        painter.drawEllipse(QPointF(s * 0.5, s * 0.79), s * 0.075, s * 0.075);
        break;
    }
    case DeviceTrust::Untrusted:
        painter.drawLine(QPointF(s * 0.33, s * 0.33), QPointF(s * 0.67, s * 0.67));
        painter.drawLine(QPointF(s * 0.67, s * 0.33), QPointF(s * 0.33, s * 0.67));
        break;
    }
    return pixmap;
}

} // namespace

QString DevicePresenter::name(const Core::OmemoDeviceInfo &device)
{
    const QString label = device.label.simplified();
    return label.isEmpty() ? tr("Device %1").arg(device.id) : label;
}

QString DevicePresenter::fingerprintLines(const Core::OmemoDeviceInfo &device)
{
    return fingerprintLines(device.fingerprint());
}

QString DevicePresenter::fingerprintLines(const QString &grouped)
{
    const QStringList groups = grouped.split(u' ', Qt::SkipEmptyParts);
    if (groups.isEmpty())
        return tr("key not received yet");
    const qsizetype half = (groups.size() + 1) / 2;
    return groups.mid(0, half).join(u' ') + u'\n' + groups.mid(half).join(u' ');
}

QString DevicePresenter::versions(const Core::OmemoDeviceInfo &device)
{
    if (device.omemo2 && device.legacy)
        return tr("OMEMO 2 and legacy OMEMO");
    if (device.omemo2)
        return tr("OMEMO 2");
    if (device.legacy)
        return tr("legacy OMEMO");
    return tr("none");
}

QString DevicePresenter::trustText(DeviceTrust trust)
{
    switch (trust) {
    case DeviceTrust::Verified:
        return tr("Verified");
    case DeviceTrust::Trusted:
        return tr("Trusted");
    case DeviceTrust::Undecided:
        return tr("Undecided");
    case DeviceTrust::Untrusted:
        return tr("Untrusted");
    }
    return {};
}

QString DevicePresenter::trustState(const Core::OmemoDeviceInfo &device)
{
    const QString text = trustText(device.trust);
    return device.automatic ? tr("%1 (automatic)").arg(text) : text;
}

QColor DevicePresenter::trustColor(DeviceTrust trust)
{
    switch (trust) {
    case DeviceTrust::Verified:
        return QColor(0x2e, 0x7d, 0x32); // green
    case DeviceTrust::Trusted:
        return QColor(0x15, 0x65, 0xc0); // blue
    case DeviceTrust::Undecided:
        return QColor(0xe6, 0x8a, 0x00); // amber
    case DeviceTrust::Untrusted:
        return QColor(0xc6, 0x28, 0x28); // red
    }
    return Qt::gray;
}

QIcon DevicePresenter::trustIcon(DeviceTrust trust)
{
    QIcon icon;
    // The same colours when selected: the style's tinted version turns amber and green into mud.
    for (const int size : {16, 24, 32, 48}) {
        const QPixmap pixmap = trustPixmap(trust, size);
        icon.addPixmap(pixmap, QIcon::Normal);
        icon.addPixmap(pixmap, QIcon::Selected);
    }
    return icon;
}

} // namespace Natter::Ui
