// SPDX-License-Identifier: GPL-3.0-or-later
// Direct file transfers of one account (Jingle File Transfer, XEP-0234): offers files to a contact's device
// and receives their offers. Bytes go over SOCKS5 (XEP-0260) straight between the devices or through the
// server's proxy (XEP-0065, found through service discovery), and in-band (XEP-0261) when neither
// connects. For files too large for the server's upload service.
#pragma once

#include "FileTransfer.h"
#include "Socks5.h"

#include <QHash>
#include <QPointer>
#include <QXmppClientExtension.h>
#include <functional>
#include <optional>

namespace Natter::Core {

class CapsService;
class PresenceService;

class FileTransferService : public QXmppClientExtension
{
    Q_OBJECT
public:
    struct Settings
    {
        // Direct connections tell the contact our addresses; without them the proxy (or the server, in-band)
        // carries the file.
        bool directConnections = true;
        bool useProxy = true;
    };

    FileTransferService(CapsService &caps, PresenceService &presence);
    ~FileTransferService() override;

    void setSettings(const Settings &settings) { m_settings = settings; }
    Settings settings() const { return m_settings; }
    // Behind the account's proxy no transfer connects anywhere but through the XMPP stream (in-band): a
    // direct or SOCKS5-proxy connection would leave the machine beside the proxy.
    void setProxied(bool proxied) { m_proxied = proxied; }
    // Who may offer us files (the others' offers are refused); everyone when not set.
    void setOfferFilter(std::function<bool(const QString &bareJid)> accepts)
    {
        m_accepts = std::move(accepts);
    }

    // The contact's online device that accepts direct transfers (the best one), or empty.
    QString receivingDevice(const QString &bareJid) const;
    // The server's SOCKS5 proxy, once found after connecting.
    std::optional<Jingle::Candidate> proxy() const { return m_proxy; }

    // Offers the file to a device (a full JID). The transfer reports its progress and end.
    FileTransfer *send(const QString &deviceJid, const QString &path);
    QList<FileTransfer *> transfers() const;

    QStringList discoveryFeatures() const override;
    bool handleStanza(const QDomElement &stanza) override;

Q_SIGNALS:
    // A contact offers a file; accept() or decline() it.
    void offered(Natter::Core::FileTransfer *transfer);
    // send() created an outgoing transfer.
    void started(Natter::Core::FileTransfer *transfer);
    // The proxy was found (or not) after connecting.
    void proxyChanged();

protected:
    void onRegistered(QXmppClient *client) override;

private:
    FileTransfer::Context context();
    QList<Jingle::Candidate> ourCandidates();
    void discoverProxy();
    void askProxy(const QString &jid, quint64 round);
    bool handleJingle(const QDomElement &iq, const QDomElement &jingle);
    bool handleInBand(const QDomElement &iq, const QDomElement &payload);
    void track(FileTransfer *transfer);
    void replyResult(const QDomElement &iq);
    void replyError(const QDomElement &iq, int condition, const QString &text = {});

    CapsService &m_caps;
    PresenceService &m_presence;
    Socks5::Listener m_listener;
    Settings m_settings;
    bool m_proxied = false;
    std::function<bool(const QString &)> m_accepts;
    QHash<QString, QPointer<FileTransfer>> m_sessions; // peer full JID + '\n' + sid
    std::optional<Jingle::Candidate> m_proxy;
    quint64 m_proxyRound = 0;
};

} // namespace Natter::Core
