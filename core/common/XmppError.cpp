// SPDX-License-Identifier: GPL-3.0-or-later
#include "XmppError.h"

#include <QMetaEnum>
#include <QXmppError.h>
#include <QXmppGlobal.h>
#include <QXmppStanza.h>

namespace Natter::Core {

Error requestError(const QXmppError &error)
{
    if (const auto stanzaError = error.value<QXmppStanza::Error>()) {
        const QString condition = QString::number(int(stanzaError->condition()));
        const QString text = stanzaError->text().isEmpty() ? error.description : stanzaError->text();
        return Error(Error::Code::RequestRefused, QStringLiteral("condition %1: %2").arg(condition, text));
    }
    if (error.holdsType<QXmpp::TimeoutError>())
        return Error(Error::Code::Timeout, error.description);
    return Error(Error::Code::NotConnected, error.description);
}

} // namespace Natter::Core
