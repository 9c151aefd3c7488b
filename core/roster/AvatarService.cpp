// SPDX-License-Identifier: GPL-3.0-or-later
#include "AvatarService.h"

#include <QDomElement>
#include <QXmppPromise.h>

namespace Natter::Core {

class AvatarService::Private
{
public:
    QString accountJid;
};

AvatarService::AvatarService(const QString &accountJid)
    : d(std::make_unique<Private>())
{
    d->accountJid = accountJid;
}

AvatarService::~AvatarService() = default;

void AvatarService::setStore(AvatarRepository *, const QString &) {}

QString AvatarService::avatarFile(const QString &) const
{
    return {};
}

QString AvatarService::ownAvatarFile() const
{
    return {};
}

QString AvatarService::avatarHash(const QString &) const
{
    return {};
}

QXmppTask<Result<Success>> AvatarService::publishOwnAvatar(const QByteArray &, int, int)
{
    QXmppPromise<Result<Success>> promise;
    promise.finish(Error(Error::Code::FeatureUnsupported));
    return promise.task();
}

QXmppTask<Result<Success>> AvatarService::removeOwnAvatar()
{
    QXmppPromise<Result<Success>> promise;
    promise.finish(Error(Error::Code::FeatureUnsupported));
    return promise.task();
}

void AvatarService::refresh(const QString &) {}

QStringList AvatarService::discoveryFeatures() const
{
    return {QStringLiteral("urn:xmpp:avatar:metadata+notify")};
}

bool AvatarService::handleStanza(const QDomElement &)
{
    return false;
}

bool AvatarService::handlePubSubEvent(const QDomElement &, const QString &, const QString &)
{
    return false;
}

void AvatarService::onRegistered(QXmppClient *client)
{
    QXmppClientExtension::onRegistered(client);
}

void AvatarService::onUnregistered(QXmppClient *client)
{
    QXmppClientExtension::onUnregistered(client);
}

} // namespace Natter::Core
