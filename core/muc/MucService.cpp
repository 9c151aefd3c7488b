// SPDX-License-Identifier: GPL-3.0-or-later
#include "MucService.h"

#include "BookmarkService.h"
#include "RoomMessage.h"
#include "common/JidValidator.h"
#include "common/Logging.h"
#include "common/XmppRequest.h"
#include "im/StanzaExtensions.h"
#include "messaging/MessageService.h"
#include "roster/PresenceService.h"
#include "sync/ArchiveQuery.h"
#include "sync/HistorySync.h"

#include <QDomDocument>
#include <QPromise>
#include <QXmppClient.h>
#include <QXmppDiscoveryIq.h>
#include <QXmppDiscoveryManager.h>
#include <QXmppElement.h>
#include <QXmppMessage.h>
#include <QXmppMucIq.h>
#include <QXmppPingIq.h>
#include <QXmppPresence.h>
#include <QXmppPromise.h>
#include <QXmppUtils.h>
#include <deque>

namespace Natter::Core {

namespace {

const QString NsMuc = QStringLiteral("http://jabber.org/protocol/muc");
const QString NsMucUser = QStringLiteral("http://jabber.org/protocol/muc#user");
const QString NsMucAdmin = QStringLiteral("http://jabber.org/protocol/muc#admin");
const QString NsMucOwner = QStringLiteral("http://jabber.org/protocol/muc#owner");
const QString NsConference = QStringLiteral("jabber:x:conference");
const QString NsOccupantId = QStringLiteral("urn:xmpp:occupant-id:0");
const QString NsMam = QStringLiteral("urn:xmpp:mam:2");
const QString NsModerate1 = QStringLiteral("urn:xmpp:message-moderate:1");
const QString NsModerate0 = QStringLiteral("urn:xmpp:message-moderate:0");
const QString NsDataForms = QStringLiteral("jabber:x:data");

// Without an archive the room itself sends this much history on join.
constexpr int RoomHistoryWithoutArchive = 50;
constexpr qsizetype MaxNickLength = 256;

QString escaped(const QString &text)
{
    return text.toHtmlEscaped();
}

// An IQ whose payload is xml (built by us, with user text escaped).
QXmppIq payloadIq(QXmppIq::Type type, const QString &to, const QString &xml)
{
    QDomDocument document;
    document.setContent(xml, QDomDocument::ParseOption::UseNamespaceProcessing);
    QXmppIq iq(type);
    iq.setTo(to);
    iq.setExtensions({QXmppElement(document.documentElement())});
    return iq;
}

MucRole roleOf(QXmppMucItem::Role role)
{
    switch (role) {
    case QXmppMucItem::VisitorRole:
        return MucRole::Visitor;
    case QXmppMucItem::ParticipantRole:
        return MucRole::Participant;
    case QXmppMucItem::ModeratorRole:
        return MucRole::Moderator;
    case QXmppMucItem::NoRole:
    case QXmppMucItem::UnspecifiedRole:
        break;
    }
    return MucRole::None;
}

MucAffiliation affiliationOf(QXmppMucItem::Affiliation affiliation)
{
    switch (affiliation) {
    case QXmppMucItem::OutcastAffiliation:
        return MucAffiliation::Outcast;
    case QXmppMucItem::MemberAffiliation:
        return MucAffiliation::Member;
    case QXmppMucItem::AdminAffiliation:
        return MucAffiliation::Admin;
    case QXmppMucItem::OwnerAffiliation:
        return MucAffiliation::Owner;
    case QXmppMucItem::NoAffiliation:
    case QXmppMucItem::UnspecifiedAffiliation:
        break;
    }
    return MucAffiliation::None;
}

// The namespace of a DOM element whether or not the parser processed namespaces.
QString namespaceOf(const QDomElement &element)
{
    const QString declared = element.attribute(QStringLiteral("xmlns"));
    return declared.isEmpty() ? element.namespaceURI() : declared;
}

// XEP-0045 status codes of a muc#user element.
QList<int> statusCodes(const QXmppStanza &stanza)
{
    QList<int> codes;
    const auto x = findExtension(stanza, QStringLiteral("x"), NsMucUser);
    if (!x)
        return codes;
    for (QXmppElement status = x->firstChildElement(QStringLiteral("status")); !status.isNull();
         status = status.nextSiblingElement(QStringLiteral("status")))
        codes.append(status.attribute(QStringLiteral("code")).toInt());
    return codes;
}

Error joinError(const QXmppStanza::Error &error)
{
    switch (error.condition()) {
    case QXmppStanza::Error::Conflict:
        return Error(Error::Code::NicknameInUse, error.text());
    case QXmppStanza::Error::NotAuthorized:
        return Error(Error::Code::RoomPasswordWrong, error.text());
    case QXmppStanza::Error::RegistrationRequired:
        return Error(Error::Code::RoomMembersOnly, error.text());
    case QXmppStanza::Error::Forbidden:
        return Error(Error::Code::RoomBanned, error.text());
    default:
        break;
    }
    return Error(Error::Code::RoomUnavailable, error.text());
}

} // namespace

struct MucService::Room
{
    QString jid;
    QString nick;
    QString password;
    RoomState state = RoomState::NotJoined;
    RoomInfo info;
    QString subject;
    QHash<QString, Occupant> occupants; // by nick
    std::optional<Occupant> self;
    QList<OccupantChange> pendingChanges;
    QList<QXmppPromise<Result<JoinResult>>> joinWaiters;
    QList<QXmppPromise<Result<Success>>> nickWaiters;
    bool created = false;
    bool leaving = false;
    QDateTime lastHeard;
    std::unique_ptr<HistorySync> history;
    // Messages waiting for an encrypted one before them to be read, in arrival order.
    struct Arrival
    {
        QXmppMessage message;
        bool hasSubject = false;
        bool ready = false;
    };
    std::deque<std::shared_ptr<Arrival>> arrivals;
    // Members, admins and owners as the room last listed them (nullopt: ask again).
    std::optional<QStringList> affiliated;
};

MucService::MucService(QString accountJid, MessageService &messages)
    : m_accountJid(std::move(accountJid))
    , m_messages(messages)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(0);
    connect(&m_flushTimer, &QTimer::timeout, this, &MucService::flushChanges);
    connect(&m_pingTimer, &QTimer::timeout, this, &MucService::pingIdleRooms);
    m_messages.setRoomLookup([this](const QString &jid) { return isRoom(jid); });
    qRegisterMetaType<OccupantChange>();
    qRegisterMetaType<QList<OccupantChange>>();
    qRegisterMetaType<RoomInvitation>();
    qRegisterMetaType<Removal>();
    qRegisterMetaType<RoomState>();
}

MucService::~MucService() = default;

void MucService::setClient(QXmppClient *client)
{
    QXmppClientExtension::setClient(client);
    if (!client) // removed from its client
        return;
    connect(client, &QXmppClient::connected, this, &MucService::handleConnected);
    connect(client, &QXmppClient::disconnected, this, &MucService::handleDisconnected);
}

void MucService::setStore(MessageRepository *messages, SyncStateRepository *syncState)
{
    m_store = messages;
    m_syncState = syncState;
    for (const auto &room : std::as_const(m_rooms)) {
        if (room->history)
            room->history->setStore(messages, syncState);
    }
}

void MucService::setBookmarks(BookmarkService *bookmarks)
{
    m_bookmarks = bookmarks;
    connect(bookmarks, &BookmarkService::bookmarksChanged, this, &MucService::followBookmarks);
}

void MucService::followBookmarks()
{
    if (!client()->isConnected())
        return;
    const QString defaultNick = m_accountJid.section(u'@', 0, 0);
    QHash<QString, bool> seen;
    for (const RoomBookmark &bookmark : m_bookmarks->bookmarks()) {
        seen.insert(bookmark.jid, bookmark.autojoin);
        const bool wasAutojoin = m_autojoinSeen.value(bookmark.jid, false);
        if (bookmark.autojoin && !m_rooms.contains(bookmark.jid)) {
            join(bookmark.jid, bookmark.nick.isEmpty() ? defaultNick : bookmark.nick, bookmark.password);
        } else if (!bookmark.autojoin && wasAutojoin && m_rooms.contains(bookmark.jid)) {
            // Another device left it (XEP-0402 §5.2).
            Room *r = room(bookmark.jid);
            r->leaving = true;
            leave(bookmark.jid);
        }
    }
    m_autojoinSeen = seen;
}

void MucService::rememberAutojoin(const QString &jid, bool autojoin)
{
    if (!m_bookmarks || !client()->isConnected())
        return;
    RoomBookmark bookmark = m_bookmarks->bookmark(jid).value_or(RoomBookmark{});
    const Room *r = room(jid);
    if (bookmark.jid.isEmpty()) {
        if (!autojoin)
            return;
        bookmark.jid = jid;
    }
    if (bookmark.autojoin == autojoin && (!r || bookmark.nick == r->nick))
        return;
    bookmark.autojoin = autojoin;
    if (r) {
        bookmark.nick = r->nick;
        bookmark.password = r->password;
        if (bookmark.name.isEmpty())
            bookmark.name = r->info.name;
    }
    m_bookmarks->save(bookmark).then(this, [jid](const Result<Success> &saved) {
        if (!isOk(saved))
            qCWarning(lcMessaging) << "cannot bookmark" << jid << errorOf(saved).detail;
    });
}

void MucService::setSelfPingInterval(int milliseconds)
{
    m_selfPingIntervalMs = milliseconds;
    if (m_pingTimer.isActive())
        m_pingTimer.start(std::max(1000, milliseconds / 2));
}

QStringList MucService::discoveryFeatures() const
{
    return {NsMuc, NsConference};
}

MucService::Room *MucService::room(const QString &jid) const
{
    const auto it = m_rooms.constFind(jid);
    return it == m_rooms.cend() ? nullptr : it->get();
}

QStringList MucService::rooms() const
{
    return m_rooms.keys();
}

MucService::RoomState MucService::state(const QString &jid) const
{
    const Room *r = room(jid);
    return r ? r->state : RoomState::NotJoined;
}

QString MucService::nick(const QString &jid) const
{
    const Room *r = room(jid);
    return r ? r->nick : QString();
}

QString MucService::subject(const QString &jid) const
{
    const Room *r = room(jid);
    return r ? r->subject : QString();
}

MucService::RoomInfo MucService::info(const QString &jid) const
{
    const Room *r = room(jid);
    return r ? r->info : RoomInfo{};
}

void MucService::setDecryptor(std::function<bool(const QXmppMessage &)> isEncrypted, Decryptor decryptor)
{
    m_isEncrypted = std::move(isEncrypted);
    m_decrypt = std::move(decryptor);
}

bool MucService::isPrivate(const QString &jid) const
{
    const Room *r = room(jid);
    return r && r->info.membersOnly && r->info.nonAnonymous;
}

QXmppTask<QStringList> MucService::readers(const QString &jid)
{
    QXmppPromise<QStringList> promise;
    auto task = promise.task();
    Room *r = room(jid);
    if (!r) {
        promise.finish(QStringList());
        return task;
    }
    auto present = [this, jid] {
        QStringList jids;
        if (const Room *current = room(jid)) {
            for (const Occupant &occupant : current->occupants)
                jids.append(JidValidator::normalizedBareJid(occupant.realJid));
        }
        return jids;
    };
    auto finish = [this, promise, present](QStringList jids) mutable {
        jids += present();
        jids.removeAll(QString());
        jids.removeAll(m_accountJid);
        jids.removeDuplicates();
        jids.sort();
        promise.finish(jids);
    };
    if (r->affiliated) {
        finish(*r->affiliated);
        return task;
    }
    // Members may not be allowed to list affiliations: then present occupants are who we know.
    auto listed = std::make_shared<QStringList>();
    auto pending = std::make_shared<int>(3);
    for (const auto affiliation : {MucAffiliation::Member, MucAffiliation::Admin, MucAffiliation::Owner}) {
        affiliations(jid, affiliation)
            .then(this, [this, jid, listed, pending, finish](Result<QList<AffiliationItem>> &&items) mutable {
                if (isOk(items)) {
                    for (const AffiliationItem &item : std::get<QList<AffiliationItem>>(items))
                        listed->append(item.jid);
                }
                if (--*pending > 0)
                    return;
                if (Room *current = room(jid))
                    current->affiliated = *listed;
                finish(*listed);
            });
    }
    return task;
}

QList<Occupant> MucService::occupants(const QString &jid) const
{
    const Room *r = room(jid);
    return r ? r->occupants.values() : QList<Occupant>();
}

std::optional<Occupant> MucService::occupant(const QString &jid, const QString &nick) const
{
    const Room *r = room(jid);
    if (!r)
        return std::nullopt;
    const auto it = r->occupants.constFind(nick);
    return it == r->occupants.cend() ? std::nullopt : std::optional<Occupant>(*it);
}

std::optional<Occupant> MucService::self(const QString &jid) const
{
    const Room *r = room(jid);
    return r ? r->self : std::nullopt;
}

HistorySync *MucService::history(const QString &jid) const
{
    const Room *r = room(jid);
    return r ? r->history.get() : nullptr;
}

QXmppTask<Result<MucService::JoinResult>> MucService::join(const QString &roomJid, const QString &nick,
                                                           const QString &password)
{
    QXmppPromise<Result<JoinResult>> promise;
    auto task = promise.task();
    const QString jid = JidValidator::normalizedBareJid(roomJid);
    if (jid.isEmpty() || jid.contains(u'/') || nick.trimmed().isEmpty() || nick.size() > MaxNickLength ||
        !(JidValidator::checkJid(jid + u'/' + nick) == JidValidator::Problem::None)) {
        promise.finish(Error(Error::Code::InvalidJid, roomJid + u'/' + nick));
        return task;
    }
    if (!client()->isConnected()) {
        promise.finish(Error(Error::Code::NotConnected, m_accountJid));
        return task;
    }
    auto &slot = m_rooms[jid];
    if (!slot) {
        slot = std::make_shared<Room>();
        slot->jid = jid;
    }
    Room &r = *slot;
    if (r.state == RoomState::Joined && r.nick == nick) {
        promise.finish(JoinResult{});
        return task;
    }
    r.nick = nick;
    r.password = password;
    r.leaving = false;
    r.joinWaiters.append(promise);
    if (r.state == RoomState::Joining)
        return task;
    r.state = RoomState::Joining;
    Q_EMIT roomStateChanged(jid, r.state);
    // What the room is decides how history comes (its archive or the join) and whom occupant-ids identify.
    roomInfo(jid).then(this, [this, jid](Result<RoomInfo> &&info) {
        Room *current = room(jid);
        if (!current || current->state != RoomState::Joining)
            return;
        if (const auto *known = std::get_if<RoomInfo>(&info)) {
            current->info = *known;
            Q_EMIT infoChanged(jid);
        }
        sendJoinPresence(*current);
    });
    return task;
}

void MucService::sendJoinPresence(Room &r)
{
    QXmppPresence presence;
    presence.setTo(r.jid + u'/' + r.nick);
    QString x = QStringLiteral("<x xmlns='%1'>").arg(NsMuc);
    if (!r.password.isEmpty())
        x += QStringLiteral("<password>%1</password>").arg(escaped(r.password));
    x += r.info.archived ? QStringLiteral("<history maxstanzas='0'/>")
                         : QStringLiteral("<history maxstanzas='%1'/>").arg(RoomHistoryWithoutArchive);
    x += QStringLiteral("</x>");
    QDomDocument document;
    document.setContent(x, QDomDocument::ParseOption::UseNamespaceProcessing);
    presence.setExtensions({QXmppElement(document.documentElement())});
    client()->send(std::move(presence));
}

void MucService::leave(const QString &jid, const QString &status)
{
    Room *r = room(jid);
    if (!r)
        return;
    r->leaving = true;
    if (client()->isConnected() && r->state != RoomState::NotJoined) {
        QXmppPresence presence(QXmppPresence::Unavailable);
        presence.setTo(r->jid + u'/' + r->nick);
        presence.setStatusText(status);
        client()->send(std::move(presence));
    }
    rememberAutojoin(jid, false);
    forget(jid, Removal::Left, {}, {});
}

QXmppTask<Result<Success>> MucService::changeNick(const QString &jid, const QString &nick)
{
    QXmppPromise<Result<Success>> promise;
    auto task = promise.task();
    Room *r = room(jid);
    if (!r || r->state != RoomState::Joined) {
        promise.finish(Error(Error::Code::NotConnected, jid));
        return task;
    }
    if (nick.trimmed().isEmpty() ||
        !(JidValidator::checkJid(jid + u'/' + nick) == JidValidator::Problem::None)) {
        promise.finish(Error(Error::Code::InvalidJid, nick));
        return task;
    }
    r->nickWaiters.append(promise);
    QXmppPresence presence;
    presence.setTo(jid + u'/' + nick);
    client()->send(std::move(presence));
    return task;
}

QXmppTask<Result<Success>> MucService::setSubject(const QString &jid, const QString &subject)
{
    QXmppPromise<Result<Success>> promise;
    auto task = promise.task();
    if (!room(jid) || !client()->isConnected()) {
        promise.finish(Error(Error::Code::NotConnected, jid));
        return task;
    }
    QXmppMessage message;
    message.setType(QXmppMessage::GroupChat);
    message.setTo(jid);
    message.setSubject(subject);
    client()->send(std::move(message)).then(this, [promise](QXmpp::SendResult &&result) mutable {
        if (const auto *error = std::get_if<QXmppError>(&result))
            promise.finish(Error(Error::Code::SendFailed, error->description));
        else
            promise.finish(Success{});
    });
    return task;
}

QXmppTask<Result<Success>> MucService::sendAdminItem(const QString &jid, const QString &itemXml)
{
    return askToDo(*client(), this,
                   payloadIq(QXmppIq::Set, jid,
                             QStringLiteral("<query xmlns='%1'>%2</query>").arg(NsMucAdmin, itemXml)));
}

QXmppTask<Result<Success>> MucService::setRole(const QString &jid, const QString &nick, MucRole role,
                                               const QString &reason)
{
    return sendAdminItem(jid, QStringLiteral("<item nick=\"%1\" role='%2'><reason>%3</reason></item>")
                                  .arg(escaped(nick), roleName(role), escaped(reason)));
}

QXmppTask<Result<Success>> MucService::kick(const QString &jid, const QString &nick, const QString &reason)
{
    return setRole(jid, nick, MucRole::None, reason);
}

QXmppTask<Result<Success>> MucService::setAffiliation(const QString &jid, const QString &userJid,
                                                      MucAffiliation affiliation, const QString &reason)
{
    const QString bare = JidValidator::normalizedBareJid(userJid);
    if (bare.isEmpty()) {
        QXmppPromise<Result<Success>> promise;
        promise.finish(Error(Error::Code::InvalidJid, userJid));
        return promise.task();
    }
    return sendAdminItem(jid, QStringLiteral("<item jid=\"%1\" affiliation='%2'><reason>%3</reason></item>")
                                  .arg(escaped(bare), affiliationName(affiliation), escaped(reason)));
}

QXmppTask<Result<Success>> MucService::ban(const QString &jid, const QString &userJid, const QString &reason)
{
    return setAffiliation(jid, userJid, MucAffiliation::Outcast, reason);
}

QXmppTask<Result<QList<AffiliationItem>>> MucService::affiliations(const QString &jid,
                                                                   MucAffiliation affiliation)
{
    return ask<QList<AffiliationItem>>(
        *client(), this,
        payloadIq(QXmppIq::Get, jid,
                  QStringLiteral("<query xmlns='%1'><item affiliation='%2'/></query>")
                      .arg(NsMucAdmin, affiliationName(affiliation))),
        [affiliation](const QDomElement &answer) {
            QList<AffiliationItem> items;
            const QDomElement query = answer.firstChildElement(QStringLiteral("query"));
            for (QDomElement item = query.firstChildElement(QStringLiteral("item")); !item.isNull();
                 item = item.nextSiblingElement(QStringLiteral("item"))) {
                const QString bare = JidValidator::normalizedBareJid(item.attribute(QStringLiteral("jid")));
                if (bare.isEmpty())
                    continue;
                items.append({bare, affiliation, item.attribute(QStringLiteral("nick")),
                              item.firstChildElement(QStringLiteral("reason")).text()});
            }
            return Result<QList<AffiliationItem>>(items);
        });
}

QXmppTask<Result<Success>> MucService::changeAffiliations(const QString &jid,
                                                          const QList<AffiliationItem> &items)
{
    // One request per item, in order: Prosody acts on the first item of a request only.
    QXmppPromise<Result<Success>> promise;
    auto task = promise.task();
    auto next = std::make_shared<std::function<void(qsizetype)>>();
    *next = [this, jid, items, promise, next](qsizetype index) mutable {
        if (index == items.size()) {
            promise.finish(Success{});
            *next = nullptr; // breaks the cycle
            return;
        }
        const AffiliationItem &item = items.at(index);
        setAffiliation(jid, item.jid, item.affiliation, item.reason)
            .then(this, [promise, next, index](Result<Success> &&result) mutable {
                if (!isOk(result)) {
                    promise.finish(std::move(result));
                    *next = nullptr;
                    return;
                }
                (*next)(index + 1);
            });
    };
    (*next)(0);
    return task;
}

QXmppTask<Result<Success>> MucService::moderate(const ChatMessage &message, const QString &reason)
{
    const QString jid = message.conversation.peer;
    const Room *r = room(jid);
    if (!message.conversation.isGroupChat() || message.stanzaId.isEmpty() || message.stanzaIdBy != jid) {
        QXmppPromise<Result<Success>> promise;
        promise.finish(Error(Error::Code::MessageNotEditable, message.id));
        return promise.task();
    }
    const int version = r ? r->info.moderationVersion : 1;
    if (version < 0) {
        QXmppPromise<Result<Success>> promise;
        promise.finish(Error(Error::Code::FeatureUnsupported, NsModerate1));
        return promise.task();
    }
    const QString reasonXml =
        reason.isEmpty() ? QString() : QStringLiteral("<reason>%1</reason>").arg(escaped(reason));
    const QString xml =
        version == 1
            ? QStringLiteral("<moderate xmlns='%1' id=\"%2\"><retract xmlns='urn:xmpp:message-retract:1'/>%3"
                             "</moderate>")
                  .arg(NsModerate1, escaped(message.stanzaId), reasonXml)
            : QStringLiteral("<apply-to xmlns='urn:xmpp:fasten:0' id=\"%2\"><moderate xmlns='%1'>"
                             "<retract xmlns='urn:xmpp:message-retract:0'/>%3</moderate></apply-to>")
                  .arg(NsModerate0, escaped(message.stanzaId), reasonXml);
    return askToDo(*client(), this, payloadIq(QXmppIq::Set, jid, xml));
}

QXmppTask<Result<QXmppDataForm>> MucService::configuration(const QString &jid)
{
    return ask<QXmppDataForm>(
        *client(), this, payloadIq(QXmppIq::Get, jid, QStringLiteral("<query xmlns='%1'/>").arg(NsMucOwner)),
        [](const QDomElement &answer) -> Result<QXmppDataForm> {
            QXmppMucOwnerIq iq;
            iq.parse(answer);
            if (iq.form().isNull())
                return Error(Error::Code::FeatureUnsupported, NsMucOwner);
            return iq.form();
        });
}

QXmppTask<Result<Success>> MucService::configure(const QString &jid, const QXmppDataForm &submitted)
{
    QXmppMucOwnerIq iq;
    iq.setType(QXmppIq::Set);
    iq.setTo(jid);
    QXmppDataForm form = submitted;
    form.setType(QXmppDataForm::Submit);
    iq.setForm(form);
    QXmppPromise<Result<Success>> promise;
    auto task = promise.task();
    askToDo(*client(), this, std::move(iq))
        .then(this, [this, jid, promise](Result<Success> &&result) mutable {
            if (isOk(result))
                refreshInfo(jid);
            promise.finish(std::move(result));
        });
    return task;
}

void MucService::refreshInfo(const QString &jid)
{
    roomInfo(jid).then(this, [this, jid](Result<RoomInfo> &&info) {
        if (Room *r = room(jid); r && isOk(info)) {
            r->info = std::get<RoomInfo>(info);
            Q_EMIT infoChanged(jid);
        }
    });
}

QXmppTask<Result<Success>> MucService::acceptDefaultConfiguration(const QString &jid)
{
    // XEP-0045 §10.1.2: an empty submitted form creates an instant room.
    return askToDo(*client(), this,
                   payloadIq(QXmppIq::Set, jid,
                             QStringLiteral("<query xmlns='%1'><x xmlns='%2' type='submit'/></query>")
                                 .arg(NsMucOwner, NsDataForms)));
}

QXmppTask<Result<Success>> MucService::destroy(const QString &jid, const QString &reason)
{
    return askToDo(
        *client(), this,
        payloadIq(QXmppIq::Set, jid,
                  QStringLiteral("<query xmlns='%1'><destroy><reason>%2</reason></destroy></query>")
                      .arg(NsMucOwner, escaped(reason))));
}

void MucService::invite(const QString &jid, const QString &invitee, const QString &reason)
{
    const QString bare = JidValidator::normalizedBareJid(invitee);
    if (bare.isEmpty() || !client()->isConnected())
        return;
    const Room *r = room(jid);
    QXmppMessage direct;
    direct.setType(QXmppMessage::Normal);
    direct.setTo(bare);
    direct.setMucInvitationJid(jid);
    direct.setMucInvitationReason(reason);
    if (r)
        direct.setMucInvitationPassword(r->password);
    client()->send(std::move(direct));
    // Mediated as well: a members-only room learns to let the invitee in, and clients without XEP-0249 see
    // it.
    QXmppMessage mediated;
    mediated.setType(QXmppMessage::Normal); // rooms refuse chat messages to their bare JID
    mediated.setTo(jid);
    QDomDocument document;
    document.setContent(QStringLiteral("<x xmlns='%1'><invite to=\"%2\"><reason>%3</reason></invite></x>")
                            .arg(NsMucUser, escaped(bare), escaped(reason)),
                        QDomDocument::ParseOption::UseNamespaceProcessing);
    mediated.setExtensions({QXmppElement(document.documentElement())});
    client()->send(std::move(mediated));
}

void MucService::declineInvitation(const RoomInvitation &invitation, const QString &reason)
{
    if (invitation.direct || !client()->isConnected())
        return; // XEP-0249 has no decline
    QXmppMessage decline;
    decline.setType(QXmppMessage::Normal);
    decline.setTo(invitation.room);
    QDomDocument document;
    document.setContent(QStringLiteral("<x xmlns='%1'><decline to=\"%2\"><reason>%3</reason></decline></x>")
                            .arg(NsMucUser, escaped(invitation.inviter), escaped(reason)),
                        QDomDocument::ParseOption::UseNamespaceProcessing);
    decline.setExtensions({QXmppElement(document.documentElement())});
    client()->send(std::move(decline));
}

QXmppTask<Result<QList<RoomListing>>> MucService::listRooms(const QString &service)
{
    QXmppPromise<Result<QList<RoomListing>>> promise;
    auto task = promise.task();
    auto *disco = client()->findExtension<QXmppDiscoveryManager>();
    const QString jid = JidValidator::normalizedBareJid(service);
    if (!disco || jid.isEmpty()) {
        promise.finish(Error(Error::Code::InvalidJid, service));
        return task;
    }
    disco->requestDiscoItems(jid).then(this, [promise](QXmppDiscoveryManager::ItemsResult &&result) mutable {
        if (const auto *error = std::get_if<QXmppError>(&result)) {
            promise.finish(requestError(*error));
            return;
        }
        QList<RoomListing> rooms;
        for (const auto &item : std::get<QList<QXmppDiscoveryIq::Item>>(result)) {
            const QString room = JidValidator::normalizedBareJid(item.jid());
            if (!room.isEmpty())
                rooms.append({room, item.name().left(200)});
        }
        promise.finish(rooms);
    });
    return task;
}

QXmppTask<Result<MucService::RoomInfo>> MucService::roomInfo(const QString &jid)
{
    QXmppPromise<Result<RoomInfo>> promise;
    auto task = promise.task();
    auto *disco = client()->findExtension<QXmppDiscoveryManager>();
    if (!disco) {
        promise.finish(Error(Error::Code::FeatureUnsupported));
        return task;
    }
    disco->requestDiscoInfo(jid).then(this, [promise,
                                             jid](QXmppDiscoveryManager::InfoResult &&result) mutable {
        RoomInfo info;
        info.jid = jid;
        if (const auto *error = std::get_if<QXmppError>(&result)) {
            // A room that does not exist yet is created by joining it.
            if (const auto stanzaError = error->value<QXmppStanza::Error>();
                stanzaError && (stanzaError->condition() == QXmppStanza::Error::ItemNotFound ||
                                stanzaError->condition() == QXmppStanza::Error::Gone)) {
                promise.finish(info);
                return;
            }
            promise.finish(requestError(*error));
            return;
        }
        const auto &iq = std::get<QXmppDiscoveryIq>(result);
        info.exists = true;
        const QStringList features = iq.features();
        info.membersOnly = features.contains(QStringLiteral("muc_membersonly"));
        info.nonAnonymous = features.contains(QStringLiteral("muc_nonanonymous"));
        info.persistent = features.contains(QStringLiteral("muc_persistent"));
        info.passwordProtected = features.contains(QStringLiteral("muc_passwordprotected"));
        info.moderated = features.contains(QStringLiteral("muc_moderated"));
        info.occupantIds = features.contains(NsOccupantId);
        info.archived = features.contains(NsMam);
        info.moderationVersion = features.contains(NsModerate1) ? 1 : features.contains(NsModerate0) ? 0 : -1;
        for (const auto &identity : iq.identities()) {
            if (identity.category() == u"conference" && !identity.name().isEmpty())
                info.name = identity.name().left(200);
        }
        for (const auto &field : iq.form().fields()) {
            if (field.key() == u"muc#roominfo_description")
                info.description = field.value().toString().left(2000);
            else if (field.key() == u"muc#roominfo_occupants")
                info.occupantCount = field.value().toString().toInt();
        }
        promise.finish(info);
    });
    return task;
}

QXmppTask<Result<MucService::PingResult>> MucService::selfPing(const QString &jid)
{
    QXmppPromise<Result<PingResult>> promise;
    auto task = promise.task();
    const Room *r = room(jid);
    if (!r || r->state != RoomState::Joined || !client()->isConnected()) {
        promise.finish(Error(Error::Code::NotConnected, jid));
        return task;
    }
    QXmppPingIq ping;
    ping.setTo(jid + u'/' + r->nick);
    client()
        ->sendIq(std::move(ping))
        .then(this, [this, promise, jid](QXmppClient::IqResult &&result) mutable {
            const auto *error = std::get_if<QXmppError>(&result);
            const auto stanzaError = error ? error->value<QXmppStanza::Error>() : std::nullopt;
            // XEP-0410 §3: these answers come from our own client through the room, so we are still in it.
            const bool stillIn =
                !error ||
                (stanzaError && (stanzaError->condition() == QXmppStanza::Error::ServiceUnavailable ||
                                 stanzaError->condition() == QXmppStanza::Error::FeatureNotImplemented ||
                                 stanzaError->condition() == QXmppStanza::Error::ItemNotFound));
            if (stillIn) {
                if (Room *current = room(jid))
                    current->lastHeard = QDateTime::currentDateTimeUtc();
                promise.finish(PingResult::Joined);
                return;
            }
            if (!stanzaError || stanzaError->condition() == QXmppStanza::Error::RemoteServerTimeout ||
                stanzaError->condition() == QXmppStanza::Error::RemoteServerNotFound) {
                promise.finish(PingResult::Unreachable);
                return;
            }
            // not-acceptable and the rest: the room no longer has us as an occupant.
            qCInfo(lcMessaging) << "room" << jid << "forgot us; joining again";
            if (Room *current = room(jid)) {
                current->state = RoomState::Joining;
                Q_EMIT roomStateChanged(jid, current->state);
                sendJoinPresence(*current);
            }
            promise.finish(PingResult::NotJoined);
        });
    return task;
}

void MucService::pingIdleRooms()
{
    const QDateTime idleSince = QDateTime::currentDateTimeUtc().addMSecs(-m_selfPingIntervalMs);
    for (const auto &r : std::as_const(m_rooms)) {
        if (r->state == RoomState::Joined && r->lastHeard < idleSince)
            selfPing(r->jid);
    }
}

void MucService::handleConnected()
{
    m_pingTimer.start(std::max(1000, m_selfPingIntervalMs / 2));
    // A resumed stream kept us in every room; ask them to be sure. A new stream starts without rooms.
    const bool resumed = client()->streamManagementState() == QXmppClient::ResumedStream;
    for (const auto &r : std::as_const(m_rooms)) {
        if (resumed && r->state == RoomState::Joined) {
            selfPing(r->jid);
            continue;
        }
        r->occupants.clear();
        r->self.reset();
        r->state = RoomState::Joining;
        Q_EMIT roomStateChanged(r->jid, r->state);
        roomInfo(r->jid).then(this, [this, jid = r->jid](Result<RoomInfo> &&info) {
            Room *current = room(jid);
            if (!current || current->state != RoomState::Joining)
                return;
            if (const auto *known = std::get_if<RoomInfo>(&info))
                current->info = *known;
            sendJoinPresence(*current);
        });
    }
}

void MucService::handleDisconnected()
{
    // The rooms stay as they are: a resumed stream is still in them, a new one joins them again.
    m_pingTimer.stop();
}

bool MucService::handleStanza(const QDomElement &element)
{
    const QString tag = element.tagName();
    if (tag != u"presence" && tag != u"message")
        return false;
    const QString from = element.attribute(QStringLiteral("from"));
    const QString bare = QXmppUtils::jidToBareJid(from);
    if (tag == u"presence") {
        if (!m_rooms.contains(bare))
            return false;
        QXmppPresence presence;
        presence.parse(element);
        // QXmpp keeps no trace of a destroyed room's notice (XEP-0045 §10.9).
        bool destroyed = false;
        QString newNick;
        for (QDomElement x = element.firstChildElement(QStringLiteral("x")); !x.isNull();
             x = x.nextSiblingElement(QStringLiteral("x"))) {
            if (namespaceOf(x) != NsMucUser)
                continue;
            destroyed = destroyed || !x.firstChildElement(QStringLiteral("destroy")).isNull();
            newNick = x.firstChildElement(QStringLiteral("item")).attribute(QStringLiteral("nick"));
        }
        handlePresence(presence, destroyed, newNick);
        return true;
    }
    if (element.attribute(QStringLiteral("type")) == u"groupchat") {
        if (!m_rooms.contains(bare))
            return false;
        QXmppMessage message;
        message.parse(element);
        return handleGroupChat(message, !element.firstChildElement(QStringLiteral("subject")).isNull());
    }
    // XEP-0045 §9.3: the room tells of an affiliation change of someone who is not in it.
    if (Room *r = room(bare); r && from == bare) {
        const QDomElement x = element.firstChildElement(QStringLiteral("x"));
        if (namespaceOf(x) == NsMucUser &&
            x.firstChildElement(QStringLiteral("item")).hasAttribute(QStringLiteral("affiliation")))
            r->affiliated.reset();
    }
    // Only invitations are ours among the other messages.
    bool invitation = false;
    for (QDomElement x = element.firstChildElement(QStringLiteral("x")); !x.isNull();
         x = x.nextSiblingElement(QStringLiteral("x")))
        invitation = invitation || namespaceOf(x) == NsConference || namespaceOf(x) == NsMucUser;
    if (!invitation || element.attribute(QStringLiteral("type")) == u"error")
        return false;
    QXmppMessage message;
    message.parse(element);
    return handleInvitation(message);
}

void MucService::handlePresence(const QXmppPresence &presence, bool destroyed, const QString &newNick)
{
    const QString bare = QXmppUtils::jidToBareJid(presence.from());
    Room *r = room(bare);
    if (!r)
        return;
    r->lastHeard = QDateTime::currentDateTimeUtc();
    if (presence.type() == QXmppPresence::Error) {
        handleJoinError(*r, presence);
        return;
    }
    const QString nick = QXmppUtils::jidToResource(presence.from());
    if (nick.isEmpty() || nick.size() > MaxNickLength)
        return;
    const QXmppMucItem item = presence.mucItem();
    const QList<int> codes = presence.mucStatusCodes();
    const bool isSelf = codes.contains(110);

    Occupant occupant;
    occupant.nick = nick;
    occupant.role = roleOf(item.role());
    occupant.affiliation = affiliationOf(item.affiliation());
    occupant.realJid = JidValidator::normalizedBareJid(QXmppUtils::jidToBareJid(item.jid()));
    occupant.show = presenceShowOf(presence);
    occupant.status = presence.statusText().left(1000);
    occupant.avatarHash = QString::fromLatin1(presence.photoHash().toHex());
    // Only a room that announces occupant-ids puts its own there (and removes any forged one).
    if (r->info.occupantIds) {
        if (const auto id = findExtension(presence, QStringLiteral("occupant-id"), NsOccupantId))
            occupant.occupantId = id->attribute(QStringLiteral("id")).left(256);
    }

    // The member lists encryption reads (readers()) are asked again once someone's affiliation differs.
    if (r->affiliated && !occupant.realJid.isEmpty()) {
        const bool affiliated = occupant.affiliation == MucAffiliation::Member ||
                                occupant.affiliation == MucAffiliation::Admin ||
                                occupant.affiliation == MucAffiliation::Owner;
        if (r->affiliated->contains(occupant.realJid) != affiliated)
            r->affiliated.reset();
    }

    if (presence.type() == QXmppPresence::Unavailable) {
        if (codes.contains(303) && !newNick.isEmpty() && newNick.size() <= MaxNickLength) {
            // A nickname change: the same person under a new name.
            Occupant renamed = r->occupants.take(nick);
            if (renamed.nick.isEmpty())
                renamed = occupant;
            renamed.nick = newNick;
            r->occupants.insert(renamed.nick, renamed);
            queueChange(*r, {OccupantChange::Kind::Renamed, renamed, nick});
            if (isSelf) {
                r->nick = renamed.nick;
                r->self = renamed;
                for (auto &waiter : r->nickWaiters)
                    waiter.finish(Success{});
                r->nickWaiters.clear();
                Q_EMIT nickChanged(r->jid, r->nick);
            }
            return;
        }
        r->occupants.remove(nick);
        queueChange(*r, {OccupantChange::Kind::Left, occupant, {}});
        if (!isSelf)
            return;
        flushChanges();
        const QString actor = item.actor();
        const QString reason = item.reason();
        Removal removal = Removal::Left;
        if (codes.contains(301))
            removal = Removal::Banned;
        else if (codes.contains(307))
            removal = Removal::Kicked;
        else if (codes.contains(321))
            removal = Removal::AffiliationChanged;
        else if (codes.contains(322))
            removal = Removal::MembersOnly;
        else if (codes.contains(332))
            removal = Removal::Shutdown;
        else if (destroyed)
            removal = Removal::Destroyed;
        if (!r->leaving)
            forget(r->jid, removal, actor, reason);
        return;
    }

    r->occupants.insert(nick, occupant);
    queueChange(*r, {OccupantChange::Kind::Joined, occupant, {}});
    if (isSelf)
        handleSelfPresence(*r, presence, occupant);
}

void MucService::handleSelfPresence(Room &r, const QXmppPresence &presence, const Occupant &occupant)
{
    r.self = occupant;
    r.nick = occupant.nick; // the room may have changed it (status 210)
    if (presence.mucStatusCodes().contains(201))
        r.created = true;
    if (r.state == RoomState::Joining)
        joined(r);
}

void MucService::joined(Room &r)
{
    flushChanges();
    r.state = RoomState::Joined;
    const JoinResult result{r.created};
    r.created = false;
    Q_EMIT roomStateChanged(r.jid, r.state);
    for (auto &waiter : r.joinWaiters)
        waiter.finish(result);
    r.joinWaiters.clear();
    rememberAutojoin(r.jid, true);
    if (!r.history) {
        r.history =
            std::make_unique<HistorySync>(*client(), *client()->findExtension<ArchiveQuery>(), m_accountJid);
        const QString jid = r.jid;
        r.history->setRoomArchive(jid,
                                  [this, jid](const QXmppMessage &message) -> std::optional<IncomingMessage> {
                                      const Room *current = room(jid);
                                      if (!current)
                                          return std::nullopt;
                                      return readFromRoom(*current, message);
                                  });
        r.history->setDecryptor(
            [this, jid](const QXmppMessage &message) { return decryptArchived(jid, message); });
        r.history->setStore(m_store, m_syncState);
        connect(r.history.get(), &HistorySync::messagesStored, this, &MucService::historyStored);
        connect(r.history.get(), &HistorySync::messagesChanged, this, &MucService::historyChanged);
    }
    if (r.info.archived || !r.info.exists)
        r.history->catchUp();
}

QStringList MucService::presentSender(const Room &r, const QXmppMessage &message) const
{
    const QString nick = QXmppUtils::jidToResource(message.from());
    QString occupantId;
    if (r.info.occupantIds) {
        if (const auto id = findExtension(message, QStringLiteral("occupant-id"), NsOccupantId))
            occupantId = id->attribute(QStringLiteral("id"));
    }
    if (occupantId.isEmpty() ? nick == r.nick : r.self && occupantId == r.self->occupantId)
        return {m_accountJid};
    for (const Occupant &occupant : r.occupants) {
        const bool same = occupantId.isEmpty() ? occupant.nick == nick : occupant.occupantId == occupantId;
        if (same && !occupant.realJid.isEmpty())
            return {QXmppUtils::jidToBareJid(occupant.realJid)};
    }
    return {};
}

QFuture<QXmppMessage> MucService::decryptArchived(const QString &jid, const QXmppMessage &message)
{
    const Room *r = room(jid);
    if (!r || !m_decrypt || !m_isEncrypted(message))
        return QtFuture::makeReadyValueFuture(message);
    // Who is here now is known by occupant-id (or nickname); who has left is one of the room's members.
    if (const QStringList sender = presentSender(*r, message); !sender.isEmpty())
        return m_decrypt(message, sender);
    auto promise = std::make_shared<QPromise<QXmppMessage>>();
    promise->start();
    readers(jid).then(this, [this, message, promise](QStringList &&candidates) {
        m_decrypt(message, candidates).then(this, [promise](const QXmppMessage &read) {
            promise->addResult(read);
            promise->finish();
        });
    });
    return promise->future();
}

void MucService::handleJoinError(Room &r, const QXmppPresence &presence)
{
    const Error error = joinError(presence.error());
    if (r.state == RoomState::Joined) {
        // A refused nickname change leaves us in the room under the old one.
        for (auto &waiter : r.nickWaiters)
            waiter.finish(error);
        r.nickWaiters.clear();
        return;
    }
    qCInfo(lcMessaging) << "cannot join" << r.jid << error.codeName() << error.detail;
    auto waiters = std::move(r.joinWaiters);
    const QString jid = r.jid;
    m_rooms.remove(jid);
    Q_EMIT roomStateChanged(jid, RoomState::NotJoined);
    Q_EMIT joinFailed(jid, error);
    for (auto &waiter : waiters)
        waiter.finish(error);
}

void MucService::forget(const QString &jid, Removal removal, const QString &actor, const QString &reason)
{
    auto it = m_rooms.find(jid);
    if (it == m_rooms.end())
        return;
    std::shared_ptr<Room> gone = *it;
    m_rooms.erase(it);
    for (auto &waiter : gone->joinWaiters)
        waiter.finish(Error(Error::Code::RoomUnavailable, jid));
    for (auto &waiter : gone->nickWaiters)
        waiter.finish(Error(Error::Code::RoomUnavailable, jid));
    Q_EMIT roomStateChanged(jid, RoomState::NotJoined);
    Q_EMIT removed(jid, removal, actor, reason);
}

void MucService::queueChange(Room &r, OccupantChange change)
{
    r.pendingChanges.append(std::move(change));
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void MucService::flushChanges()
{
    m_flushTimer.stop();
    for (const auto &r : std::as_const(m_rooms)) {
        if (r->pendingChanges.isEmpty())
            continue;
        const auto changes = std::exchange(r->pendingChanges, {});
        Q_EMIT occupantsChanged(r->jid, changes);
    }
}

std::optional<IncomingMessage> MucService::readFromRoom(const Room &r, const QXmppMessage &message) const
{
    RoomContext context;
    context.account = m_accountJid;
    context.room = r.jid;
    context.ownNick = r.nick;
    context.ownOccupantId = r.self ? r.self->occupantId : QString();
    context.trustsOccupantIds = r.info.occupantIds;
    context.realJidOf = [&r](const QString &nick) {
        const auto it = r.occupants.constFind(nick);
        return it == r.occupants.cend() ? QString() : it->realJid;
    };
    return readRoomMessage(message, context);
}

bool MucService::handleGroupChat(const QXmppMessage &message, bool hasSubject)
{
    const QString bare = QXmppUtils::jidToBareJid(message.from());
    Room *r = room(bare);
    if (!r)
        return false; // not from a room we are in: dropped by nobody else either
    r->lastHeard = QDateTime::currentDateTimeUtc();
    const QString nick = QXmppUtils::jidToResource(message.from());
    const auto sender = r->occupants.constFind(nick);
    // Our own echo was not encrypted for this device: the store matches it to what we sent by origin-id.
    const bool decryptable = m_decrypt && m_isEncrypted(message) && nick != r->nick &&
                             sender != r->occupants.cend() && !sender->realJid.isEmpty();
    if (!decryptable && r->arrivals.empty()) {
        readGroupChat(*r, message, hasSubject);
        return true;
    }
    auto arrival = std::make_shared<Room::Arrival>(Room::Arrival{message, hasSubject, !decryptable});
    r->arrivals.push_back(arrival);
    if (decryptable) {
        const QString realJid = QXmppUtils::jidToBareJid(sender->realJid);
        m_decrypt(message, {realJid}).then(this, [this, bare, arrival](const QXmppMessage &read) {
            arrival->message = read;
            arrival->ready = true;
            handleReadyGroupChats(bare);
        });
    }
    return true;
}

void MucService::handleReadyGroupChats(const QString &jid)
{
    Room *r = room(jid);
    while (r && !r->arrivals.empty() && r->arrivals.front()->ready) {
        const auto arrival = r->arrivals.front();
        r->arrivals.pop_front();
        readGroupChat(*r, arrival->message, arrival->hasSubject);
        r = room(jid); // reading may have left the room
    }
}

void MucService::readGroupChat(Room &r, const QXmppMessage &message, bool hasSubject)
{
    const QString nick = QXmppUtils::jidToResource(message.from());
    // XEP-0045 §8.1: a message with a subject and no body sets the subject (also the last one during a join).
    if (hasSubject && message.body().isEmpty()) {
        r.subject = message.subject().left(4000);
        Q_EMIT subjectChanged(r.jid, r.subject, nick);
        return;
    }
    if (nick.isEmpty() && statusCodes(message).contains(104))
        refreshInfo(r.jid);
    if (const auto incoming = readFromRoom(r, message))
        m_messages.ingest(*incoming);
}

bool MucService::handleInvitation(const QXmppMessage &message)
{
    const QString from = JidValidator::normalizedBareJid(QXmppUtils::jidToBareJid(message.from()));
    if (from.isEmpty())
        return false;
    // Mediated first: rooms add a XEP-0249 element to their own invitations for older clients.
    const auto x = findExtension(message, QStringLiteral("x"), NsMucUser);
    const QXmppElement invite = x ? x->firstChildElement(QStringLiteral("invite")) : QXmppElement();
    if (!invite.isNull()) {
        // From the room, naming who invites.
        const QString inviter = JidValidator::normalizedBareJid(
            QXmppUtils::jidToBareJid(invite.attribute(QStringLiteral("from"))));
        Q_EMIT invitationReceived({m_accountJid, from, inviter,
                                   invite.firstChildElement(QStringLiteral("reason")).value().left(1000),
                                   x->firstChildElement(QStringLiteral("password")).value(), false});
        return true;
    }
    if (const QString room = JidValidator::normalizedBareJid(message.mucInvitationJid()); !room.isEmpty()) {
        Q_EMIT invitationReceived({m_accountJid, room, from, message.mucInvitationReason().left(1000),
                                   message.mucInvitationPassword(), true});
        return true;
    }
    if (!x)
        return false;
    const QXmppElement decline = x->firstChildElement(QStringLiteral("decline"));
    if (!decline.isNull()) {
        Q_EMIT invitationDeclined(from, QXmppUtils::jidToBareJid(decline.attribute(QStringLiteral("from"))),
                                  decline.firstChildElement(QStringLiteral("reason")).value().left(1000));
        return true;
    }
    return false;
}

} // namespace Natter::Core
