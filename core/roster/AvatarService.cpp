// SPDX-License-Identifier: GPL-3.0-or-later
#include "AvatarService.h"

#include "common/Logging.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDomElement>
#include <QFile>
#include <QSaveFile>
#include <QStandardPaths>
#include <QXmlStreamWriter>
#include <QXmppClient.h>
#include <QXmppPresence.h>
#include <QXmppPromise.h>
#include <QXmppPubSubBaseItem.h>
#include <QXmppPubSubManager.h>
#include <QXmppPubSubNodeConfig.h>
#include <QXmppUtils.h>
#include <QXmppVCardIq.h>
#include <QXmppVCardManager.h>

namespace Natter::Core {

namespace {

const QString DataNode = QStringLiteral("urn:xmpp:avatar:data");
const QString MetadataNode = QStringLiteral("urn:xmpp:avatar:metadata");

// <data xmlns='urn:xmpp:avatar:data'>base64</data>
class AvatarDataItem : public QXmppPubSubBaseItem
{
public:
    explicit AvatarDataItem(const QString &id = {}, QByteArray data = {})
        : QXmppPubSubBaseItem(id)
        , bytes(std::move(data))
    {}
    QByteArray bytes;

protected:
    void parsePayload(const QDomElement &payload) override
    {
        bytes = QByteArray::fromBase64(payload.text().toLatin1());
    }
    void serializePayload(QXmlStreamWriter *writer) const override
    {
        writer->writeStartElement(QStringLiteral("data"));
        writer->writeDefaultNamespace(DataNode);
        writer->writeCharacters(QString::fromLatin1(bytes.toBase64()));
        writer->writeEndElement();
    }
};

// <metadata xmlns='urn:xmpp:avatar:metadata'><info …/></metadata>; no info: no avatar.
class AvatarMetadataItem : public QXmppPubSubBaseItem
{
public:
    explicit AvatarMetadataItem(const QString &id = {})
        : QXmppPubSubBaseItem(id)
    {}
    QString hash; // empty: the avatar was removed
    QString type;
    int bytes = 0;
    int width = 0;
    int height = 0;

protected:
    void parsePayload(const QDomElement &payload) override
    {
        const QDomElement info = payload.firstChildElement(QStringLiteral("info"));
        if (info.isNull())
            return;
        hash = info.attribute(QStringLiteral("id"));
        type = info.attribute(QStringLiteral("type"));
        bytes = info.attribute(QStringLiteral("bytes")).toInt();
    }
    void serializePayload(QXmlStreamWriter *writer) const override
    {
        writer->writeStartElement(QStringLiteral("metadata"));
        writer->writeDefaultNamespace(MetadataNode);
        if (!hash.isEmpty()) {
            writer->writeStartElement(QStringLiteral("info"));
            writer->writeAttribute(QStringLiteral("bytes"), QString::number(bytes));
            writer->writeAttribute(QStringLiteral("id"), hash);
            writer->writeAttribute(QStringLiteral("type"), type);
            writer->writeAttribute(QStringLiteral("width"), QString::number(width));
            writer->writeAttribute(QStringLiteral("height"), QString::number(height));
            writer->writeEndElement();
        }
        writer->writeEndElement();
    }
};

QString sha1Hex(const QByteArray &data)
{
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha1).toHex());
}

QString extensionFor(const QString &type)
{
    if (type == u"image/jpeg")
        return QStringLiteral("jpg");
    if (type == u"image/gif")
        return QStringLiteral("gif");
    if (type == u"image/webp")
        return QStringLiteral("webp");
    return QStringLiteral("png");
}

bool isPng(const QByteArray &data)
{
    static const QByteArray signature("\x89PNG\r\n\x1a\n", 8);
    return data.size() > signature.size() + 12 && data.startsWith(signature);
}

Error errorOf(const QXmppError &error)
{
    return Error(Error::Code::RequestRefused, error.description);
}

} // namespace

class AvatarService::Private
{
public:
    QString accountJid;
    QString cacheDirectory;
    AvatarRepository *store = nullptr;
    QHash<QString, QString> hashes; // bare JID → SHA-1
    QHash<QString, QString> files;  // SHA-1 → absolute file
    QSet<QString> fetching;         // SHA-1s being fetched

    QString fileFor(const QString &hash, const QString &type) const
    {
        return QDir(cacheDirectory).filePath(hash + u'.' + extensionFor(type));
    }

    // The cached file when it exists and its content has the hash; a corrupt one is removed.
    QString validFile(const QString &hash, const QString &type)
    {
        const QString path = files.value(hash, fileFor(hash, type));
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return {};
        if (sha1Hex(file.readAll()) != hash) {
            qCWarning(lcRoster) << "corrupt avatar cache file, fetching it again:" << path;
            file.close();
            QFile::remove(path);
            files.remove(hash);
            return {};
        }
        files.insert(hash, path);
        return path;
    }

    bool write(const QString &hash, const QString &type, const QByteArray &data)
    {
        QDir().mkpath(cacheDirectory);
        const QString path = fileFor(hash, type);
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit())
            return false;
        files.insert(hash, path);
        return true;
    }
};

AvatarService::AvatarService(const QString &accountJid)
    : d(std::make_unique<Private>())
{
    d->accountJid = QXmppUtils::jidToBareJid(accountJid);
    d->cacheDirectory = QDir(QStandardPaths::writableLocation(QStandardPaths::CacheLocation))
                            .filePath(QStringLiteral("avatars"));
}

AvatarService::~AvatarService() = default;

void AvatarService::setStore(AvatarRepository *store, const QString &cacheDirectory)
{
    d->store = store;
    if (!cacheDirectory.isEmpty())
        d->cacheDirectory = cacheDirectory;
}

QString AvatarService::avatarFile(const QString &bareJid) const
{
    const QString hash = d->hashes.value(bareJid);
    if (hash.isEmpty())
        return {};
    const QString path = d->files.value(hash);
    return QFile::exists(path) ? path : QString();
}

QString AvatarService::ownAvatarFile() const
{
    return avatarFile(d->accountJid);
}

QString AvatarService::avatarHash(const QString &bareJid) const
{
    return d->hashes.value(bareJid);
}

QXmppTask<Result<Success>> AvatarService::publishOwnAvatar(const QByteArray &image, int width, int height)
{
    QXmppPromise<Result<Success>> promise;
    auto task = promise.task();
    if (!isPng(image) || width <= 0 || height <= 0) {
        promise.finish(Error(Error::Code::ImageInvalid));
        return task;
    }
    auto *pubsub = client() ? client()->findExtension<QXmppPubSubManager>() : nullptr;
    if (!pubsub) {
        promise.finish(Error(Error::Code::FeatureUnsupported));
        return task;
    }
    const QString hash = sha1Hex(image);
    QXmppPubSubPublishOptions options;
    options.setAccessModel(QXmppPubSubNodeConfig::Presence);
    AvatarMetadataItem metadata(hash);
    metadata.hash = hash;
    metadata.type = QStringLiteral("image/png");
    metadata.bytes = int(image.size());
    metadata.width = width;
    metadata.height = height;
    pubsub->publishOwnPepItem(DataNode, AvatarDataItem(hash, image), options)
        .then(this, [this, pubsub, promise, metadata, options, image,
                     hash](QXmppPubSubManager::PublishItemResult &&result) mutable {
            if (auto *error = std::get_if<QXmppError>(&result)) {
                promise.finish(errorOf(*error));
                return;
            }
            pubsub->publishOwnPepItem(MetadataNode, metadata, options)
                .then(this, [this, promise, image,
                             hash](QXmppPubSubManager::PublishItemResult &&metadataResult) mutable {
                    if (auto *error = std::get_if<QXmppError>(&metadataResult)) {
                        promise.finish(errorOf(*error));
                        return;
                    }
                    d->write(hash, QStringLiteral("image/png"), image);
                    d->hashes.insert(d->accountJid, hash);
                    Q_EMIT avatarChanged(d->accountJid);
                    promise.finish(Success());
                });
        });
    return task;
}

QXmppTask<Result<Success>> AvatarService::removeOwnAvatar()
{
    QXmppPromise<Result<Success>> promise;
    auto task = promise.task();
    auto *pubsub = client() ? client()->findExtension<QXmppPubSubManager>() : nullptr;
    if (!pubsub) {
        promise.finish(Error(Error::Code::FeatureUnsupported));
        return task;
    }
    QXmppPubSubPublishOptions options;
    options.setAccessModel(QXmppPubSubNodeConfig::Presence);
    pubsub->publishOwnPepItem(MetadataNode, AvatarMetadataItem(QStringLiteral("current")), options)
        .then(this, [this, promise](QXmppPubSubManager::PublishItemResult &&result) mutable {
            if (auto *error = std::get_if<QXmppError>(&result)) {
                promise.finish(errorOf(*error));
                return;
            }
            if (d->hashes.remove(d->accountJid))
                Q_EMIT avatarChanged(d->accountJid);
            promise.finish(Success());
        });
    return task;
}

void AvatarService::refresh(const QString &bareJid)
{
    auto *pubsub = client() ? client()->findExtension<QXmppPubSubManager>() : nullptr;
    if (!pubsub)
        return;
    pubsub->requestItems<AvatarMetadataItem>(bareJid, MetadataNode)
        .then(this, [this, bareJid](QXmppPubSubManager::ItemsResult<AvatarMetadataItem> &&result) {
            auto *items = std::get_if<QXmppPubSubManager::Items<AvatarMetadataItem>>(&result);
            if (!items || items->items.isEmpty())
                return;
            const AvatarMetadataItem &item = items->items.constLast();
            applyMetadata(bareJid, item.hash, item.type);
        });
}

void AvatarService::applyMetadata(const QString &bareJid, const QString &hash, const QString &type)
{
    if (hash.isEmpty()) {
        if (d->hashes.remove(bareJid))
            Q_EMIT avatarChanged(bareJid);
        return;
    }
    if (!d->validFile(hash, type).isEmpty()) {
        if (d->hashes.value(bareJid) != hash) {
            d->hashes.insert(bareJid, hash);
            Q_EMIT avatarChanged(bareJid);
        }
        return;
    }
    auto *pubsub = client() ? client()->findExtension<QXmppPubSubManager>() : nullptr;
    if (!pubsub || d->fetching.contains(bareJid + u'/' + hash))
        return;
    d->fetching.insert(bareJid + u'/' + hash);
    pubsub->requestItems<AvatarDataItem>(bareJid, DataNode, {hash})
        .then(this, [this, bareJid, hash, type](QXmppPubSubManager::ItemsResult<AvatarDataItem> &&result) {
            d->fetching.remove(bareJid + u'/' + hash);
            auto *items = std::get_if<QXmppPubSubManager::Items<AvatarDataItem>>(&result);
            if (!items) {
                qCWarning(lcRoster) << "avatar data of" << bareJid
                                    << "not available:" << std::get<QXmppError>(result).description;
                return;
            }
            for (const AvatarDataItem &item : std::as_const(items->items)) {
                if (sha1Hex(item.bytes) != hash) {
                    qCWarning(lcRoster) << "avatar data of" << bareJid << "does not match its hash; ignored";
                    continue;
                }
                if (!d->write(hash, type, item.bytes))
                    return;
                d->hashes.insert(bareJid, hash);
                Q_EMIT avatarChanged(bareJid);
                return;
            }
        });
}

QStringList AvatarService::discoveryFeatures() const
{
    return {MetadataNode + QStringLiteral("+notify")};
}

bool AvatarService::handleStanza(const QDomElement &)
{
    return false;
}

bool AvatarService::handlePubSubEvent(const QDomElement &element, const QString &pubSubService,
                                      const QString &nodeName)
{
    if (nodeName != MetadataNode)
        return false;
    const QString bareJid = QXmppUtils::jidToBareJid(pubSubService.isEmpty() ? d->accountJid : pubSubService);
    const QDomElement items =
        element.firstChildElement(QStringLiteral("event")).firstChildElement(QStringLiteral("items"));
    // The newest item is the last one.
    QDomElement item = items.lastChildElement(QStringLiteral("item"));
    if (item.isNull())
        return true;
    AvatarMetadataItem metadata;
    metadata.parse(item);
    applyMetadata(bareJid, metadata.hash, metadata.type);
    return true;
}

void AvatarService::onRegistered(QXmppClient *client)
{
    QXmppClientExtension::onRegistered(client);
    connect(client, &QXmppClient::presenceReceived, this, &AvatarService::handlePresencePhoto);
}

void AvatarService::handlePresencePhoto(const QXmppPresence &presence)
{
    // XEP-0153: an older client (or a server converting, XEP-0398) announces its vCard photo's SHA-1.
    // An empty <photo/> says nothing about a PEP avatar, so only a hash counts.
    if (presence.vCardUpdateType() != QXmppPresence::VCardUpdateValidPhoto || presence.photoHash().isEmpty())
        return;
    const QString bareJid = QXmppUtils::jidToBareJid(presence.from()).toLower();
    const QString hash = QString::fromLatin1(presence.photoHash().toHex());
    if (bareJid.isEmpty() || bareJid == d->accountJid || d->hashes.value(bareJid) == hash)
        return;
    if (!d->validFile(hash, QStringLiteral("image/png")).isEmpty()) {
        d->hashes.insert(bareJid, hash);
        Q_EMIT avatarChanged(bareJid);
        return;
    }
    auto *vCards = client()->findExtension<QXmppVCardManager>();
    if (!vCards || d->fetching.contains(bareJid + u'/' + hash))
        return;
    d->fetching.insert(bareJid + u'/' + hash);
    vCards->fetchVCard(bareJid).then(this, [this, bareJid, hash](QXmppVCardManager::VCardIqResult &&result) {
        d->fetching.remove(bareJid + u'/' + hash);
        const auto *card = std::get_if<QXmppVCardIq>(&result);
        if (!card || sha1Hex(card->photo()) != hash) {
            qCInfo(lcRoster) << "the vCard photo of" << bareJid << "is missing or does not match its hash";
            return;
        }
        // Stored as PNG-named only when it is one; the type the vCard gives otherwise.
        const QString type = isPng(card->photo()) ? QStringLiteral("image/png") : card->photoType();
        if (!d->write(hash, type, card->photo()))
            return;
        d->hashes.insert(bareJid, hash);
        Q_EMIT avatarChanged(bareJid);
    });
}

void AvatarService::onUnregistered(QXmppClient *client)
{
    QXmppClientExtension::onUnregistered(client);
}

} // namespace Natter::Core
