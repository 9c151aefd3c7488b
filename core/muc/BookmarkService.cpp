// SPDX-License-Identifier: GPL-3.0-or-later
// The account's group chat bookmarks over XEP-0402 (PEP) or XEP-0048 in XEP-0049 private XML storage.
#include "BookmarkService.h"

#include "common/JidValidator.h"
#include "common/Logging.h"
#include "common/XmppError.h"

#include <QDomDocument>
#include <QDomElement>
#include <QPromise>
#include <QXmlStreamWriter>
#include <QXmppClient.h>
#include <QXmppDiscoveryIq.h>
#include <QXmppDiscoveryManager.h>
#include <QXmppIq.h>
#include <QXmppPubSubBaseItem.h>
#include <QXmppPubSubManager.h>
#include <QXmppPubSubPublishOptions.h>
#include <QXmppStanza.h>

namespace Natter::Core {

namespace {

const QString Node = QStringLiteral("urn:xmpp:bookmarks:1");
const QString CompatFeature = QStringLiteral("urn:xmpp:bookmarks:1#compat");
const QString NsGajim = QStringLiteral("xmpp:gajim.org/bookmarks");
const QString NsPrivate = QStringLiteral("jabber:iq:private");
const QString NsLegacy = QStringLiteral("storage:bookmarks");
const QString NsPubSub = QStringLiteral("http://jabber.org/protocol/pubsub");
const QString NsXmlns = QStringLiteral("http://www.w3.org/2000/xmlns/");

using Promise = std::shared_ptr<QPromise<Result<Success>>>;

Promise startedPromise()
{
    auto promise = std::make_shared<QPromise<Result<Success>>>();
    promise->start();
    return promise;
}

void finish(const Promise &promise, Result<Success> result)
{
    promise->addResult(std::move(result));
    promise->finish();
}

// The key bookmarks are kept under; empty for anything that cannot be a room (rooms have a localpart and
// no resource).
QString roomKey(const QString &jid)
{
    if (JidValidator::checkAccountJid(jid) != JidValidator::Problem::None)
        return {};
    return JidValidator::normalizedBareJid(jid);
}

bool isTrue(const QString &value)
{
    return value == u"true" || value == u"1";
}

bool isItemNotFound(const QXmppError &error)
{
    const auto stanzaError = error.value<QXmppStanza::Error>();
    return stanzaError && stanzaError->condition() == QXmppStanza::Error::ItemNotFound;
}

QString localNameOf(const QDomNode &node)
{
    return node.localName().isEmpty() ? node.nodeName() : node.localName();
}

// Writes element as it came, with a default namespace declaration wherever its namespace changes.
void writeElement(QXmlStreamWriter &writer, const QDomElement &element, const QString &parentNamespace)
{
    writer.writeStartElement(localNameOf(element));
    if (element.namespaceURI() != parentNamespace)
        writer.writeDefaultNamespace(element.namespaceURI());
    const QDomNamedNodeMap attributes = element.attributes();
    for (int i = 0; i < attributes.count(); ++i) {
        const QDomAttr attribute = attributes.item(i).toAttr();
        if (attribute.namespaceURI() == NsXmlns || attribute.name().startsWith(u"xmlns"))
            continue;
        if (attribute.namespaceURI().isEmpty())
            writer.writeAttribute(localNameOf(attribute), attribute.value());
        else
            writer.writeAttribute(attribute.namespaceURI(), localNameOf(attribute), attribute.value());
    }
    for (QDomNode child = element.firstChild(); !child.isNull(); child = child.nextSibling()) {
        if (child.isElement())
            writeElement(writer, child.toElement(), element.namespaceURI());
        else if (child.isText())
            writer.writeCharacters(child.toText().data());
    }
    writer.writeEndElement();
}

QString serialised(const QDomElement &element)
{
    QString xml;
    QXmlStreamWriter writer(&xml);
    writeElement(writer, element, {});
    return xml;
}

void writeExtensionsXml(QXmlStreamWriter &writer, const QString &xml, const QString &parentNamespace)
{
    if (xml.isEmpty())
        return;
    QDomDocument document;
    if (!document.setContent(QStringLiteral("<x>") + xml + QStringLiteral("</x>"),
                             QDomDocument::ParseOption::UseNamespaceProcessing)) {
        qCWarning(lcXmpp) << "dropping bookmark extensions that are not well-formed XML";
        return;
    }
    for (QDomElement child = document.documentElement().firstChildElement(); !child.isNull();
         child = child.nextSiblingElement())
        writeElement(writer, child, parentNamespace);
}

void writeMinimise(QXmlStreamWriter &writer)
{
    writer.writeStartElement(QStringLiteral("minimize"));
    writer.writeDefaultNamespace(NsGajim);
    writer.writeEndElement();
}

void writeOptionalText(QXmlStreamWriter &writer, const QString &name, const QString &text)
{
    if (!text.isEmpty())
        writer.writeTextElement(name, text);
}

// Takes the minimise flag and every other element below parent except the skipped ones into bookmark.
void readExtensions(const QDomElement &parent, RoomBookmark &bookmark, const QStringList &skipped = {})
{
    for (QDomElement child = parent.firstChildElement(); !child.isNull();
         child = child.nextSiblingElement()) {
        if (child.namespaceURI() == parent.namespaceURI() && skipped.contains(localNameOf(child)))
            continue;
        if (child.namespaceURI() == NsGajim && localNameOf(child) == u"minimize")
            bookmark.minimise = true;
        else
            bookmark.extensionsXml += serialised(child);
    }
}

// <conference xmlns='urn:xmpp:bookmarks:1'/>, the item id the room's JID.
class BookmarkItem : public QXmppPubSubBaseItem
{
public:
    BookmarkItem() = default;
    explicit BookmarkItem(RoomBookmark bookmark)
        : QXmppPubSubBaseItem(bookmark.jid)
        , m_bookmark(std::move(bookmark))
        , m_hasPayload(true)
    {}

    // What the item says, or nothing for an item without a conference or with an id that is no room.
    std::optional<RoomBookmark> roomBookmark() const
    {
        if (!m_hasPayload || roomKey(id()).isEmpty())
            return std::nullopt;
        RoomBookmark bookmark = m_bookmark;
        bookmark.jid = id();
        return bookmark;
    }
    bool hasPayload() const { return m_hasPayload; }

protected:
    void parsePayload(const QDomElement &payload) override
    {
        if (localNameOf(payload) != u"conference" || payload.namespaceURI() != Node)
            return;
        m_hasPayload = true;
        m_bookmark.name = payload.attribute(QStringLiteral("name"));
        m_bookmark.autojoin = isTrue(payload.attribute(QStringLiteral("autojoin")));
        m_bookmark.nick = payload.firstChildElement(QStringLiteral("nick")).text();
        m_bookmark.password = payload.firstChildElement(QStringLiteral("password")).text();
        readExtensions(payload.firstChildElement(QStringLiteral("extensions")), m_bookmark);
    }
    void serializePayload(QXmlStreamWriter *writer) const override
    {
        writer->writeStartElement(QStringLiteral("conference"));
        writer->writeDefaultNamespace(Node);
        if (!m_bookmark.name.isEmpty())
            writer->writeAttribute(QStringLiteral("name"), m_bookmark.name);
        writer->writeAttribute(QStringLiteral("autojoin"),
                               m_bookmark.autojoin ? QStringLiteral("true") : QStringLiteral("false"));
        writeOptionalText(*writer, QStringLiteral("nick"), m_bookmark.nick);
        writeOptionalText(*writer, QStringLiteral("password"), m_bookmark.password);
        if (m_bookmark.minimise || !m_bookmark.extensionsXml.isEmpty()) {
            writer->writeStartElement(QStringLiteral("extensions"));
            if (m_bookmark.minimise)
                writeMinimise(*writer);
            writeExtensionsXml(*writer, m_bookmark.extensionsXml, Node);
            writer->writeEndElement();
        }
        writer->writeEndElement();
    }

private:
    RoomBookmark m_bookmark;
    bool m_hasPayload = false;
};

// XEP-0060 retraction with notify='true', which QXmpp 1.10's retractItem cannot ask for: without it
// Prosody tells none of our other devices.
class RetractIq : public QXmppIq
{
public:
    explicit RetractIq(QString itemId)
        : QXmppIq(QXmppIq::Set)
        , m_itemId(std::move(itemId))
    {}

protected:
    void toXmlElementFromChild(QXmlStreamWriter *writer) const override
    {
        writer->writeStartElement(QStringLiteral("pubsub"));
        writer->writeDefaultNamespace(NsPubSub);
        writer->writeStartElement(QStringLiteral("retract"));
        writer->writeAttribute(QStringLiteral("node"), Node);
        writer->writeAttribute(QStringLiteral("notify"), QStringLiteral("true"));
        writer->writeStartElement(QStringLiteral("item"));
        writer->writeAttribute(QStringLiteral("id"), m_itemId);
        writer->writeEndElement();
        writer->writeEndElement();
        writer->writeEndElement();
    }

private:
    QString m_itemId;
};

std::optional<RoomBookmark> legacyConference(const QDomElement &conference)
{
    if (localNameOf(conference) != u"conference" || conference.namespaceURI() != NsLegacy)
        return std::nullopt;
    RoomBookmark bookmark;
    bookmark.jid = conference.attribute(QStringLiteral("jid"));
    if (roomKey(bookmark.jid).isEmpty())
        return std::nullopt;
    bookmark.name = conference.attribute(QStringLiteral("name"));
    bookmark.autojoin = isTrue(conference.attribute(QStringLiteral("autojoin")));
    bookmark.nick = conference.firstChildElement(QStringLiteral("nick")).text();
    bookmark.password = conference.firstChildElement(QStringLiteral("password")).text();
    readExtensions(conference, bookmark, {QStringLiteral("nick"), QStringLiteral("password")});
    return bookmark;
}

void writeLegacyConference(QXmlStreamWriter &writer, const RoomBookmark &bookmark)
{
    writer.writeStartElement(QStringLiteral("conference"));
    writer.writeAttribute(QStringLiteral("jid"), bookmark.jid);
    if (!bookmark.name.isEmpty())
        writer.writeAttribute(QStringLiteral("name"), bookmark.name);
    writer.writeAttribute(QStringLiteral("autojoin"),
                          bookmark.autojoin ? QStringLiteral("true") : QStringLiteral("false"));
    writeOptionalText(writer, QStringLiteral("nick"), bookmark.nick);
    writeOptionalText(writer, QStringLiteral("password"), bookmark.password);
    if (bookmark.minimise)
        writeMinimise(writer);
    writeExtensionsXml(writer, bookmark.extensionsXml, NsLegacy);
    writer.writeEndElement();
}

// XEP-0049: an empty storage element asks for the stored one; a full one replaces it.
class PrivateBookmarksIq : public QXmppIq
{
public:
    PrivateBookmarksIq() = default;
    PrivateBookmarksIq(QList<QDomElement> kept, std::optional<RoomBookmark> added)
        : QXmppIq(QXmppIq::Set)
        , m_kept(std::move(kept))
        , m_added(std::move(added))
    {}

protected:
    void toXmlElementFromChild(QXmlStreamWriter *writer) const override
    {
        writer->writeStartElement(QStringLiteral("query"));
        writer->writeDefaultNamespace(NsPrivate);
        writer->writeStartElement(QStringLiteral("storage"));
        writer->writeDefaultNamespace(NsLegacy);
        for (const QDomElement &element : m_kept)
            writeElement(*writer, element, NsLegacy);
        if (m_added)
            writeLegacyConference(*writer, *m_added);
        writer->writeEndElement();
        writer->writeEndElement();
    }

private:
    QList<QDomElement> m_kept;
    std::optional<RoomBookmark> m_added;
};

QDomElement storageOf(const QDomElement &iq)
{
    const QDomElement query = iq.firstChildElement(QStringLiteral("query"));
    const QDomElement storage = query.firstChildElement(QStringLiteral("storage"));
    return query.namespaceURI() == NsPrivate && storage.namespaceURI() == NsLegacy ? storage : QDomElement();
}

} // namespace

BookmarkService::BookmarkService(QString accountJid)
    : m_accountJid(JidValidator::normalizedBareJid(accountJid))
{}

void BookmarkService::forceLegacyStorageForTesting()
{
    m_legacyForced = true;
    m_legacyStorage = true;
}

QStringList BookmarkService::discoveryFeatures() const
{
    return {Node + QStringLiteral("+notify")};
}

QList<RoomBookmark> BookmarkService::bookmarks() const
{
    return m_bookmarks.values();
}

std::optional<RoomBookmark> BookmarkService::bookmark(const QString &roomJid) const
{
    const auto found = m_bookmarks.constFind(roomKey(roomJid));
    if (found == m_bookmarks.cend())
        return std::nullopt;
    return *found;
}

void BookmarkService::fetch()
{
    const int generation = ++m_fetchGeneration;
    if (m_legacyForced) {
        fetchLegacy(generation);
        return;
    }
    auto *discovery = client()->findExtension<QXmppDiscoveryManager>();
    if (!discovery) {
        fail(Error(Error::Code::FeatureUnsupported, QStringLiteral("no service discovery")));
        return;
    }
    discovery->requestDiscoInfo(m_accountJid)
        .then(this, [this, generation](QXmppDiscoveryManager::InfoResult &&result) {
            if (generation != m_fetchGeneration)
                return;
            if (const auto *error = std::get_if<QXmppError>(&result)) {
                fail(requestError(*error));
                return;
            }
            // #compat: the server keeps private XML and PEP in step, so PEP is what every client sees.
            m_legacyStorage = !std::get<QXmppDiscoveryIq>(result).features().contains(CompatFeature);
            if (m_legacyStorage)
                fetchLegacy(generation);
            else
                fetchPep(generation);
        });
}

void BookmarkService::fetchPep(int generation)
{
    auto *pubsub = client()->findExtension<QXmppPubSubManager>();
    if (!pubsub) {
        fail(Error(Error::Code::FeatureUnsupported, QStringLiteral("no PubSub")));
        return;
    }
    pubsub->requestItems<BookmarkItem>(m_accountJid, Node)
        .then(this, [this, generation](QXmppPubSubManager::ItemsResult<BookmarkItem> &&result) {
            if (generation != m_fetchGeneration)
                return;
            if (const auto *error = std::get_if<QXmppError>(&result)) {
                // No node yet: nothing was ever bookmarked.
                if (isItemNotFound(*error))
                    replaceAll({});
                else
                    fail(requestError(*error));
                return;
            }
            QMap<QString, RoomBookmark> loaded;
            for (const BookmarkItem &item : std::get<QXmppPubSubManager::Items<BookmarkItem>>(result).items) {
                if (const auto bookmark = item.roomBookmark())
                    loaded.insert(roomKey(bookmark->jid), *bookmark);
            }
            replaceAll(std::move(loaded));
        });
}

void BookmarkService::fetchLegacy(int generation)
{
    client()->sendIq(PrivateBookmarksIq()).then(this, [this, generation](QXmppClient::IqResult &&result) {
        if (generation != m_fetchGeneration)
            return;
        if (const auto *error = std::get_if<QXmppError>(&result)) {
            fail(requestError(*error));
            return;
        }
        const QDomElement storage = storageOf(std::get<QDomElement>(result));
        QMap<QString, RoomBookmark> loaded;
        for (QDomElement child = storage.firstChildElement(); !child.isNull();
             child = child.nextSiblingElement()) {
            if (const auto bookmark = legacyConference(child))
                loaded.insert(roomKey(bookmark->jid), *bookmark);
        }
        replaceAll(std::move(loaded));
    });
}

QFuture<Result<Success>> BookmarkService::save(const RoomBookmark &bookmark)
{
    if (roomKey(bookmark.jid).isEmpty())
        return readyResult<Success>(Error(Error::Code::InvalidJid, bookmark.jid));
    if (m_legacyStorage)
        return rewriteLegacy(bookmark.jid, bookmark);
    return savePep(bookmark);
}

QFuture<Result<Success>> BookmarkService::remove(const QString &roomJid)
{
    if (roomKey(roomJid).isEmpty())
        return readyResult<Success>(Error(Error::Code::InvalidJid, roomJid));
    if (m_legacyStorage)
        return rewriteLegacy(roomJid, std::nullopt);
    return removePep(roomJid);
}

QFuture<Result<Success>> BookmarkService::savePep(const RoomBookmark &bookmark)
{
    auto *pubsub = client()->findExtension<QXmppPubSubManager>();
    if (!pubsub)
        return readyResult<Success>(Error(Error::Code::FeatureUnsupported, QStringLiteral("no PubSub")));
    // XEP-0402 §5: when the node is configured otherwise the server refuses (precondition-not-met). We never
    // publish again without these options: that could put our room passwords on an open node.
    QXmppPubSubPublishOptions options;
    options.setPersistItems(true);
    options.setMaxItems(QXmppPubSubNodeConfig::Max());
    options.setSendLastItem(QXmppPubSubNodeConfig::Never);
    options.setAccessModel(QXmppPubSubNodeConfig::Allowlist);
    auto promise = startedPromise();
    pubsub->publishItem(m_accountJid, Node, BookmarkItem(bookmark), options)
        .then(this, [this, promise, bookmark](QXmppPubSubManager::PublishItemResult &&result) {
            if (const auto *error = std::get_if<QXmppError>(&result)) {
                qCWarning(lcXmpp) << "cannot publish the bookmark of" << bookmark.jid << error->description;
                finish(promise, requestError(*error));
                return;
            }
            if (put(bookmark))
                Q_EMIT bookmarksChanged();
            finish(promise, Success{});
        });
    return promise->future();
}

QFuture<Result<Success>> BookmarkService::removePep(const QString &roomJid)
{
    // The item id is the JID as it was published, which another client may have spelt differently.
    const auto known = bookmark(roomJid);
    auto promise = startedPromise();
    client()
        ->sendGenericIq(RetractIq(known ? known->jid : roomJid))
        .then(this, [this, promise, roomJid](QXmppClient::EmptyResult &&result) {
            const auto *error = std::get_if<QXmppError>(&result);
            if (error && !isItemNotFound(*error)) {
                finish(promise, requestError(*error));
                return;
            }
            if (take(roomJid))
                Q_EMIT bookmarksChanged();
            finish(promise, Success{});
        });
    return promise->future();
}

QFuture<Result<Success>> BookmarkService::rewriteLegacy(const QString &roomJid,
                                                        const std::optional<RoomBookmark> &bookmark)
{
    auto promise = startedPromise();
    m_legacyQueue.append([this, promise, key = roomKey(roomJid), bookmark] {
        client()
            ->sendIq(PrivateBookmarksIq())
            .then(this, [this, promise, key, bookmark](QXmppClient::IqResult &&result) {
                if (const auto *error = std::get_if<QXmppError>(&result)) {
                    finishLegacy(promise, requestError(*error));
                    return;
                }
                QList<QDomElement> kept;
                QMap<QString, RoomBookmark> after;
                const QDomElement storage = storageOf(std::get<QDomElement>(result));
                for (QDomElement child = storage.firstChildElement(); !child.isNull();
                     child = child.nextSiblingElement()) {
                    const auto stored = legacyConference(child);
                    if (stored && roomKey(stored->jid) == key)
                        continue;
                    if (stored)
                        after.insert(roomKey(stored->jid), *stored);
                    kept.append(child);
                }
                if (bookmark)
                    after.insert(key, *bookmark);
                client()
                    ->sendGenericIq(PrivateBookmarksIq(kept, bookmark))
                    .then(this, [this, promise, after](QXmppClient::EmptyResult &&written) {
                        if (const auto *error = std::get_if<QXmppError>(&written)) {
                            finishLegacy(promise, requestError(*error));
                            return;
                        }
                        replaceAll(after);
                        finishLegacy(promise, Success{});
                    });
            });
    });
    if (m_legacyQueue.size() == 1)
        runNextLegacy();
    return promise->future();
}

void BookmarkService::finishLegacy(const std::shared_ptr<QPromise<Result<Success>>> &promise,
                                   Result<Success> result)
{
    finish(promise, std::move(result));
    m_legacyQueue.removeFirst();
    runNextLegacy();
}

void BookmarkService::runNextLegacy()
{
    if (m_legacyQueue.isEmpty())
        return;
    // A copy: the job may finish at once and remove itself from the queue.
    const auto job = m_legacyQueue.first();
    job();
}

bool BookmarkService::handlePubSubEvent(const QDomElement &element, const QString &pubSubService,
                                        const QString &nodeName)
{
    if (nodeName != Node)
        return false;
    // Only our own account's PEP service speaks for our devices; anyone else may send us such a message.
    const bool ours =
        pubSubService.isEmpty() ||
        (!pubSubService.contains(u'/') && JidValidator::normalizedBareJid(pubSubService) == m_accountJid);
    if (!ours) {
        qCWarning(lcXmpp) << "ignoring bookmark notification from" << pubSubService;
        return true;
    }
    if (!m_legacyStorage)
        applyEvent(element.firstChildElement(QStringLiteral("event")));
    return true;
}

void BookmarkService::applyEvent(const QDomElement &event)
{
    bool changed = false;
    if (!event.firstChildElement(QStringLiteral("purge")).isNull() ||
        !event.firstChildElement(QStringLiteral("delete")).isNull()) {
        changed = !m_bookmarks.isEmpty();
        m_bookmarks.clear();
    }
    bool incomplete = false;
    const QDomElement items = event.firstChildElement(QStringLiteral("items"));
    for (QDomElement child = items.firstChildElement(); !child.isNull(); child = child.nextSiblingElement()) {
        if (localNameOf(child) == u"retract") {
            changed |= take(child.attribute(QStringLiteral("id")));
        } else if (localNameOf(child) == u"item") {
            BookmarkItem item;
            item.parse(child);
            if (const auto bookmark = item.roomBookmark())
                changed |= put(*bookmark);
            incomplete |= !item.hasPayload() && !child.hasChildNodes();
        }
    }
    // A notification without payloads only says that something changed.
    if (incomplete)
        fetchPep(++m_fetchGeneration);
    else if (changed)
        Q_EMIT bookmarksChanged();
}

void BookmarkService::replaceAll(QMap<QString, RoomBookmark> bookmarks)
{
    m_bookmarks = std::move(bookmarks);
    Q_EMIT bookmarksChanged();
}

bool BookmarkService::put(const RoomBookmark &bookmark)
{
    const QString key = roomKey(bookmark.jid);
    const auto found = m_bookmarks.constFind(key);
    if (key.isEmpty() || (found != m_bookmarks.cend() && *found == bookmark))
        return false;
    m_bookmarks.insert(key, bookmark);
    return true;
}

bool BookmarkService::take(const QString &roomJid)
{
    return m_bookmarks.remove(roomKey(roomJid)) > 0;
}

void BookmarkService::fail(const Error &error)
{
    qCWarning(lcXmpp) << "cannot load bookmarks:" << error.detail;
    Q_EMIT errorOccurred(error);
}

} // namespace Natter::Core
