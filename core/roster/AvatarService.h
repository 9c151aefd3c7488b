// SPDX-License-Identifier: GPL-3.0-or-later
// Avatars of contacts and our own: XEP-0084 over PEP (XEP-0163), with the XEP-0153 photo hash in presence and
// vcard-temp (XEP-0054) as fallback. Images are cached on disk by their SHA-1; which contact has which
// hash is kept in the store. Scaling and cropping happen in the UI (core has no QtGui).
#pragma once

#include "common/Result.h"

#include <QHash>
#include <QPointer>
#include <QSet>
#include <QXmppClientExtension.h>
#include <QXmppPubSubEventHandler.h>
#include <QXmppTask.h>

class QXmppPresence;
class QXmppPubSubManager;

namespace Natter::Core {

class AvatarRepository;

// QXmppPubSubEventHandler has a non-virtual destructor; it is never deleted through that base.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
class AvatarService : public QXmppClientExtension, public QXmppPubSubEventHandler
{
    Q_OBJECT
public:
    enum class Source
    {
        Pep = 0,
        VCard = 1
    };

    explicit AvatarService(const QString &accountJid);
    ~AvatarService() override;

    // Where images are cached (`<profile>/avatars`) and which contact has which hash. Without a store the
    // service still works, from memory.
    void setStore(AvatarRepository *store, const QString &cacheDirectory);

    // Absolute path of the cached image of a contact, or empty when there is none (yet).
    QString avatarFile(const QString &bareJid) const;
    QString ownAvatarFile() const;
    // SHA-1 (hex) of a contact's avatar, empty when none is known.
    QString avatarHash(const QString &bareJid) const;

    // Publishes our avatar: data, then metadata (XEP-0084), readable by contacts with a presence
    // subscription. `image` must be PNG (ImageInvalid otherwise); width and height in pixels.
    QXmppTask<Result<Success>> publishOwnAvatar(const QByteArray &image, int width, int height);
    // Empty metadata: contacts drop our avatar.
    QXmppTask<Result<Success>> removeOwnAvatar();

    // Asks for a contact's avatar metadata now (e.g. when a details dialog opens).
    void refresh(const QString &bareJid);

    QStringList discoveryFeatures() const override;
    bool handleStanza(const QDomElement &stanza) override;
    bool handlePubSubEvent(const QDomElement &element, const QString &pubSubService,
                           const QString &nodeName) override;

Q_SIGNALS:
    // A contact's (or our own) avatar changed: a new file, or none any more.
    void avatarChanged(const QString &bareJid);

protected:
    void onRegistered(QXmppClient *client) override;
    void onUnregistered(QXmppClient *client) override;

private:
    void handlePresencePhoto(const QXmppPresence &presence);
    void applyMetadata(const QString &bareJid, const QString &hash, const QString &type);

    class Private;
    std::unique_ptr<Private> d;
    friend class Private;
};
#pragma GCC diagnostic pop

} // namespace Natter::Core
