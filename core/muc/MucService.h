// SPDX-License-Identifier: GPL-3.0-or-later
// The group chats (XEP-0045) of one account: joining and leaving rooms, their occupants (batched, so that a
// room of thousands joins without a stall), subject, nicknames, invitations, moderation and configuration,
// room history from the room's archive (XEP-0313), and self-pings (XEP-0410) that find silent departures.
#pragma once

#include "common/Result.h"
#include "domain/ChatMessage.h"
#include "domain/Occupant.h"

#include <QDateTime>
#include <QFuture>
#include <QHash>
#include <QTimer>
#include <QXmppClientExtension.h>
#include <QXmppDataForm.h>
#include <QXmppMessage.h>
#include <QXmppTask.h>
#include <functional>
#include <memory>

class QXmppPresence;
class QXmppMessage;

namespace Natter::Core {

class BookmarkService;
class HistorySync;
class MessageRepository;
class MessageService;
class SyncStateRepository;
struct IncomingMessage;

class MucService : public QXmppClientExtension
{
    Q_OBJECT
public:
    enum class RoomState
    {
        NotJoined,
        Joining,
        Joined,
    };
    Q_ENUM(RoomState)

    // Why we are no longer in a room (XEP-0045 status codes 301, 307, 321, 322, 332, or a destroyed room).
    enum class Removal
    {
        Left,
        Kicked,
        Banned,
        AffiliationChanged,
        MembersOnly,
        Shutdown,
        Destroyed,
    };
    Q_ENUM(Removal)

    // What disco#info says about a room.
    struct RoomInfo
    {
        QString jid;
        QString name;
        QString description;
        bool exists = false;
        bool membersOnly = false;
        bool nonAnonymous = false;
        bool persistent = false;
        bool passwordProtected = false;
        bool moderated = false;
        bool occupantIds = false;  // XEP-0421
        bool archived = false;     // XEP-0313 on the room
        int moderationVersion = 0; // XEP-0425: 1 (message-moderate:1), 0 (:0) or -1 (none)
        int occupantCount = -1;
    };

    struct JoinResult
    {
        bool created = false; // a new room, locked until configure() or acceptDefaultConfiguration()
    };

    enum class PingResult
    {
        Joined,    // the room knows us
        NotJoined, // the room forgot us: rejoined
        Unreachable,
    };
    Q_ENUM(PingResult)

    MucService(QString accountJid, MessageService &messages);
    ~MucService() override;

    void setStore(MessageRepository *messages, SyncStateRepository *syncState);
    // Rooms follow the account's bookmarks (XEP-0402): autojoin ones are joined after every connect and when
    // another device adds one; join() bookmarks the room with autojoin, leave() clears autojoin, and a room
    // whose autojoin another device cleared is left here too.
    void setBookmarks(BookmarkService *bookmarks);
    // Reads an encrypted room message from one of senders (real bare JIDs: the occupant when known, else
    // everyone who may post): the message with its body, or as it was when it cannot be read. Live room
    // messages reach it in arrival order and are handled in that order once read; archived ones are read
    // before their page is stored.
    using Decryptor =
        std::function<QFuture<QXmppMessage>(const QXmppMessage &message, const QStringList &senders)>;
    // isEncrypted tells which messages need decryptor.
    void setDecryptor(std::function<bool(const QXmppMessage &)> isEncrypted, Decryptor decryptor);
    // Members-only and non-anonymous: the rooms where messages can be end-to-end encrypted.
    bool isPrivate(const QString &room) const;
    // Everyone who may read what is said in room: present occupants' real JIDs and, where the room tells
    // us, its members, admins and owners who are away. Without our own JID.
    QXmppTask<QStringList> readers(const QString &room);
    // Rooms are self-pinged after this long without a stanza from them (XEP-0410).
    void setSelfPingInterval(int milliseconds);

    // Joins (or creates) room as nick; resolves once the room has sent our own presence, with the complete
    // occupant list. History comes from the room's archive when it has one.
    QXmppTask<Result<JoinResult>> join(const QString &room, const QString &nick,
                                       const QString &password = {});
    void leave(const QString &room, const QString &status = {});
    QXmppTask<Result<Success>> changeNick(const QString &room, const QString &nick);
    QXmppTask<Result<Success>> setSubject(const QString &room, const QString &subject);

    // Moderation (XEP-0045 §8–§10): each resolves when the room accepted it.
    QXmppTask<Result<Success>> setRole(const QString &room, const QString &nick, MucRole role,
                                       const QString &reason = {});
    QXmppTask<Result<Success>> kick(const QString &room, const QString &nick, const QString &reason = {});
    QXmppTask<Result<Success>> setAffiliation(const QString &room, const QString &jid,
                                              MucAffiliation affiliation, const QString &reason = {});
    QXmppTask<Result<Success>> ban(const QString &room, const QString &jid, const QString &reason = {});
    QXmppTask<Result<QList<AffiliationItem>>> affiliations(const QString &room, MucAffiliation affiliation);
    QXmppTask<Result<Success>> changeAffiliations(const QString &room, const QList<AffiliationItem> &items);
    // XEP-0425: removes someone's message for everyone (we must be a moderator).
    QXmppTask<Result<Success>> moderate(const ChatMessage &message, const QString &reason = {});

    // Configuration (XEP-0045 §10.2) and destruction.
    QXmppTask<Result<QXmppDataForm>> configuration(const QString &room);
    QXmppTask<Result<Success>> configure(const QString &room, const QXmppDataForm &submitted);
    QXmppTask<Result<Success>> acceptDefaultConfiguration(const QString &room);
    QXmppTask<Result<Success>> destroy(const QString &room, const QString &reason = {});

    // Invitations: direct (XEP-0249) and mediated through the room, so every client understands one.
    void invite(const QString &room, const QString &jid, const QString &reason = {});
    void declineInvitation(const RoomInvitation &invitation, const QString &reason = {});

    // Discovery: the rooms a conference service lists, and what one room is.
    QXmppTask<Result<QList<RoomListing>>> listRooms(const QString &service);
    QXmppTask<Result<RoomInfo>> roomInfo(const QString &room);

    // Asks the room whether we are still in it (XEP-0410); rejoins when it forgot us.
    QXmppTask<Result<PingResult>> selfPing(const QString &room);

    QStringList rooms() const; // joined or joining
    bool isRoom(const QString &bareJid) const { return m_rooms.contains(bareJid); }
    RoomState state(const QString &room) const;
    QString nick(const QString &room) const;
    QString subject(const QString &room) const;
    RoomInfo info(const QString &room) const;
    QList<Occupant> occupants(const QString &room) const;
    std::optional<Occupant> occupant(const QString &room, const QString &nick) const;
    std::optional<Occupant> self(const QString &room) const;
    HistorySync *history(const QString &room) const;

    QStringList discoveryFeatures() const override;
    bool handleStanza(const QDomElement &stanza) override;

Q_SIGNALS:
    void roomStateChanged(const QString &room, Natter::Core::MucService::RoomState state);
    // In batches: a presence flood becomes a few signals.
    void occupantsChanged(const QString &room, const QList<Natter::Core::OccupantChange> &changes);
    void subjectChanged(const QString &room, const QString &subject, const QString &byNick);
    void nickChanged(const QString &room, const QString &nick);
    // What disco#info says about the room (name, features) was read again: after joining, after configuring.
    void infoChanged(const QString &room);
    void removed(const QString &room, Natter::Core::MucService::Removal removal, const QString &actor,
                 const QString &reason);
    void joinFailed(const QString &room, const Natter::Core::Error &error);
    void invitationReceived(const Natter::Core::RoomInvitation &invitation);
    void invitationDeclined(const QString &room, const QString &invitee, const QString &reason);
    // Room history from its archive (new to the store), and stored room messages that changed.
    void historyStored(const QList<Natter::Core::ChatMessage> &messages);
    void historyChanged(const QList<Natter::Core::ChatMessage> &messages);

protected:
    void setClient(QXmppClient *client) override;

private:
    struct Room;
    Room *room(const QString &jid) const;
    void sendJoinPresence(Room &room);
    void handlePresence(const QXmppPresence &presence, bool destroyed, const QString &newNick);
    void handleSelfPresence(Room &room, const QXmppPresence &presence, const Occupant &occupant);
    void handleJoinError(Room &room, const QXmppPresence &presence);
    bool handleGroupChat(const QXmppMessage &message, bool hasSubject);
    void readGroupChat(Room &r, const QXmppMessage &message, bool hasSubject);
    void handleReadyGroupChats(const QString &room);
    bool handleInvitation(const QXmppMessage &message);
    void queueChange(Room &room, OccupantChange change);
    void flushChanges();
    void joined(Room &room);
    void forget(const QString &room, Removal removal, const QString &actor, const QString &reason);
    void handleConnected();
    void handleDisconnected();
    void pingIdleRooms();
    void followBookmarks();
    void rememberAutojoin(const QString &room, bool autojoin);
    void refreshInfo(const QString &room);
    std::optional<IncomingMessage> readFromRoom(const Room &room, const QXmppMessage &message) const;
    // The real JID of who sent message, when they are in the room now (or it is us); empty otherwise.
    QStringList presentSender(const Room &room, const QXmppMessage &message) const;
    QFuture<QXmppMessage> decryptArchived(const QString &room, const QXmppMessage &message);
    QXmppTask<Result<Success>> sendAdminItem(const QString &room, const QString &itemXml);

    QString m_accountJid;
    MessageService &m_messages;
    MessageRepository *m_store = nullptr;
    SyncStateRepository *m_syncState = nullptr;
    BookmarkService *m_bookmarks = nullptr;
    // What the bookmarks themselves said last (never our own intent): a change to false is another device
    // leaving.
    QHash<QString, bool> m_autojoinSeen;
    QHash<QString, std::shared_ptr<Room>> m_rooms;
    std::function<bool(const QXmppMessage &)> m_isEncrypted;
    Decryptor m_decrypt;
    QTimer m_flushTimer;
    QTimer m_pingTimer;
    int m_selfPingIntervalMs = 5 * 60 * 1000;
};

} // namespace Natter::Core
