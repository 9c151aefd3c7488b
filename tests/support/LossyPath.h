// SPDX-License-Identifier: GPL-3.0-or-later
// A lossy network path to one ICE agent: its trickled host candidates are rewritten to point at relays
// (LossyUdpRelay) that lose a share of what is sent to it.
#pragma once

#include "LossyUdpRelay.h"

#include <QList>
#include <QObject>

namespace Natter::Test {

// Rewrites a trickled "candidate:…" line so that it points at a relay on the same address: UDP host
// candidates are kept, the others give an empty string. The relay for each is made as needed.
class LossyPath : public QObject
{
    Q_OBJECT
public:
    QString rewrite(const QString &candidate);
    void setLoss(double fraction);
    quint64 dropped() const;
    // "port: relayed/dropped" of each relay, for messages.
    QString describe() const;

private:
    QList<LossyUdpRelay *> m_relays;
    double m_loss = 0;
};

} // namespace Natter::Test
