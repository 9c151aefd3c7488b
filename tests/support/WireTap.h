// SPDX-License-Identifier: GPL-3.0-or-later
// Records what a client writes to its stream, so a test can check what went over the wire (for example
// that an encrypted message's text never did).
#pragma once

#include <QObject>
#include <QStringList>
#include <QXmppLogger.h>

class QXmppClient;

namespace Natter::Test {

class WireTap : public QObject
{
    Q_OBJECT
public:
    // Replaces client's logger until the tap goes.
    explicit WireTap(QXmppClient &client);
    ~WireTap() override;

    QStringList sent() const { return m_sent; }
    // Whether any stanza written so far contains text (as written: XML-escaped).
    bool sentContains(const QString &text) const;

private:
    QXmppClient &m_client;
    QXmppLogger m_logger;
    QStringList m_sent;
};

} // namespace Natter::Test
