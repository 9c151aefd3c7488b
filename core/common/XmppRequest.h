// SPDX-License-Identifier: GPL-3.0-or-later
// One IQ request whose answer read() turns into T; stanza errors, a missing connection and timeouts become
// Error values (see XmppError.h).
#pragma once

#include "Result.h"
#include "XmppError.h"

#include <QDomElement>
#include <QXmppClient.h>
#include <QXmppIq.h>
#include <QXmppPromise.h>
#include <QXmppTask.h>

namespace Natter::Core {

template <typename T, typename Read>
QXmppTask<Result<T>> ask(QXmppClient &client, QObject *context, QXmppIq &&request, Read read)
{
    QXmppPromise<Result<T>> promise;
    auto task = promise.task();
    if (!client.isConnected()) {
        promise.finish(Error(Error::Code::NotConnected));
        return task;
    }
    client.sendIq(std::move(request)).then(context, [promise, read](QXmppClient::IqResult &&result) mutable {
        if (const auto *error = std::get_if<QXmppError>(&result))
            promise.finish(requestError(*error));
        else
            promise.finish(read(std::get<QDomElement>(result)));
    });
    return task;
}

// The same for a set request whose answer carries nothing.
inline QXmppTask<Result<Success>> askToDo(QXmppClient &client, QObject *context, QXmppIq &&request)
{
    return ask<Success>(client, context, std::move(request), [](const QDomElement &) { return Success{}; });
}

} // namespace Natter::Core
