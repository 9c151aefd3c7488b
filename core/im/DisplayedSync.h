// SPDX-License-Identifier: GPL-3.0-or-later
// Displayed Markers synchronisation between our own devices (XEP-0490): the newest message we displayed in
// each chat is published, by its archive id, on a private PEP node; our other devices' publications move
// our unread counts forward. Used only when our server supports PEP publish-options.
#pragma once

#include "domain/ChatMessage.h"

#include <QXmppClientExtension.h>
#include <QXmppPubSubEventHandler.h>

namespace Natter::Core {

class MessageRepository;

// QXmppPubSubEventHandler has a non-virtual destructor; it is never deleted through that base.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
class DisplayedSync : public QXmppClientExtension, public QXmppPubSubEventHandler
{
    Q_OBJECT
public:
    explicit DisplayedSync(QString accountJid);

    void setStore(MessageRepository *store);
    // Looks up server support and reads what our other devices published (at every login).
    void start();
    bool isSupported() const { return m_supported; }

    // We displayed message (it must carry our server's archive id): publish it for our other devices.
    void publish(const ChatMessage &message);

    QStringList discoveryFeatures() const override;
    bool handlePubSubEvent(const QDomElement &element, const QString &pubSubService,
                           const QString &nodeName) override;

Q_SIGNALS:
    void supportChanged(bool supported);
    // Another device of ours displayed conversation up to a message: unread is what is left here.
    void displayedElsewhere(const Natter::Core::ConversationKey &conversation, int unread);
    // A publication finished (ok false: the server refused it).
    void published(const Natter::Core::ConversationKey &conversation, bool ok);

private:
    void apply(const QString &peer, const QString &stanzaId);
    void fetchAll();

    QString m_accountJid;
    MessageRepository *m_store = nullptr;
    bool m_supported = false;
    QHash<QString, QString> m_lastPublished; // peer → archive id
};
#pragma GCC diagnostic pop

} // namespace Natter::Core
