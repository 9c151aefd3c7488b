// SPDX-License-Identifier: GPL-3.0-or-later
#include "RawStanza.h"

#include "console/RawElement.h"

#include <QDebug>
#include <QDomDocument>
#include <QXmppClient.h>

namespace Natter::Test {

bool sendRaw(QXmppClient &client, const QString &xml)
{
    QDomDocument document;
    const auto parsed = document.setContent(xml);
    if (!parsed) {
        qWarning() << "not well-formed:" << parsed.errorMessage << xml.left(200);
        return false;
    }
    return client.sendPacket(Core::Console::RawElement(document.documentElement()));
}

} // namespace Natter::Test
