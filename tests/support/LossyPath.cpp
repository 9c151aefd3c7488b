// SPDX-License-Identifier: GPL-3.0-or-later
#include "LossyPath.h"

namespace Natter::Test {

QString LossyPath::rewrite(const QString &candidate)
{
    // candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> …
    QStringList fields = candidate.split(u' ');
    if (fields.size() < 8 || fields.at(2).compare(u"udp", Qt::CaseInsensitive) != 0 ||
        fields.at(7) != u"host")
        return {};
    const QHostAddress address(fields.at(4));
    if (address.isNull())
        return {};
    auto *relay = new LossyUdpRelay;
    relay->setParent(this);
    if (!relay->start(address, quint16(fields.at(5).toUInt()))) {
        delete relay;
        return {};
    }
    relay->setLoss(m_loss);
    m_relays.append(relay);
    fields[5] = QString::number(relay->port());
    return fields.join(u' ');
}

void LossyPath::setLoss(double fraction)
{
    m_loss = fraction;
    for (LossyUdpRelay *relay : std::as_const(m_relays))
        relay->setLoss(fraction);
}

quint64 LossyPath::dropped() const
{
    quint64 total = 0;
    for (const LossyUdpRelay *relay : m_relays)
        total += relay->dropped();
    return total;
}

QString LossyPath::describe() const
{
    QStringList relays;
    for (const LossyUdpRelay *relay : m_relays)
        relays.append(
            QStringLiteral("%1: %2/%3").arg(relay->port()).arg(relay->relayed()).arg(relay->dropped()));
    return relays.join(QStringLiteral(", "));
}

} // namespace Natter::Test
