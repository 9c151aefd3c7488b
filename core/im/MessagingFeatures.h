// SPDX-License-Identifier: GPL-3.0-or-later
// Announces in service discovery (and so in entity capabilities) the one-to-one messaging features Natter
// understands, so that other clients know they may send corrections, reactions, replies and the rest.
#pragma once

#include <QXmppClientExtension.h>

namespace Natter::Core {

class MessagingFeatures : public QXmppClientExtension
{
    Q_OBJECT
public:
    QStringList discoveryFeatures() const override;
};

} // namespace Natter::Core
