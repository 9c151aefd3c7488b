// SPDX-License-Identifier: GPL-3.0-or-later
// One one-to-one chat message, incoming or outgoing, as core hands it to front ends.
#pragma once

#include "SharedFile.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace Natter::Core {

// Stored as integers in the message store: never renumber.
enum class ConversationKind
{
    Chat = 0,      // one-to-one, with a contact or with a room occupant (private messages)
    GroupChat = 1, // a multi-user chat room (XEP-0045)
};

struct ConversationKey
{
    QString account; // bare JID of our account
    QString peer;    // bare JID of the contact or room; room/nick for a private message to an occupant
    ConversationKind kind = ConversationKind::Chat;

    bool isGroupChat() const { return kind == ConversationKind::GroupChat; }
    friend bool operator==(const ConversationKey &, const ConversationKey &) = default;
};

inline size_t qHash(const ConversationKey &key, size_t seed = 0)
{
    return qHashMulti(seed, key.account, key.peer, int(key.kind));
}

struct ChatMessage
{
    // Both are stored as integers in the message store: never renumber.
    enum class Direction
    {
        Incoming = 0,
        Outgoing = 1
    };
    enum class Delivery
    {
        Pending = 0,
        Sent = 1,
        Acknowledged = 2, // by our server
        Failed = 3,
        Received = 4,  // the peer's client confirmed it (XEP-0184 receipt or XEP-0333 received marker)
        Displayed = 5, // the peer saw it (XEP-0333 displayed marker)
    };
    enum class Removal
    {
        None = 0,
        Retracted = 1,      // its author deleted it for everyone (XEP-0424): a tombstone without text
        DeletedLocally = 2, // we deleted it on this device: not shown
        Moderated = 3,      // a room moderator removed it for everyone (XEP-0425): a tombstone without text
    };
    // What a row is: a message that travelled, or a record this device made of a direct file transfer
    // (XEP-0234) or a call, which never travels and never comes from the network. Stored as integers: never
    // renumber.
    enum class Kind
    {
        Message = 0,
        DirectTransfer = 1, // oobUrl is the file:// URL of the file sent or saved
        Call = 2,           // body is a Calls::CallRecord
    };
    // End-to-end encryption of the message as it travelled. Stored as integers: never renumber.
    enum class Encryption
    {
        None = 0,
        LegacyOmemo = 1, // OMEMO 0.3, eu.siacs.conversations.axolotl
        Omemo2 = 2,      // urn:xmpp:omemo:2
    };
    // The current reactions of one person to a message (XEP-0444).
    struct Reaction
    {
        QString reactor; // bare JID
        QStringList emojis;
        friend bool operator==(const Reaction &, const Reaction &) = default;
    };
    // One earlier text of a corrected message (XEP-0308).
    struct Version
    {
        QDateTime time;
        QString body;
    };

    // Bodies longer than this are cut (and marked truncated) before they are stored or shown.
    static constexpr qsizetype MaxBodyLength = 50000;

    // Whether a message in state to has come further than one in state from (Failed is like Pending).
    static bool isFurther(Delivery to, Delivery from) { return rank(to) > rank(from); }
    static int rank(Delivery delivery)
    {
        switch (delivery) {
        case Delivery::Pending:
        case Delivery::Failed:
            return 0;
        case Delivery::Sent:
            return 1;
        case Delivery::Acknowledged:
            return 2;
        case Delivery::Received:
            return 3;
        case Delivery::Displayed:
            return 4;
        }
        return 0;
    }

    // The id that replies, reactions and retractions of this message refer to (XEP-0461, XEP-0444).
    // In a room, the id the room assigned (its stanza-id), as XEP-0424, XEP-0444 and XEP-0461 require there.
    QString referenceId() const
    {
        if (conversation.isGroupChat() && !stanzaId.isEmpty())
            return stanzaId;
        return originId.isEmpty() ? id : originId;
    }
    // The nickname in a room (the resource of senderFullJid).
    QString senderNick() const { return senderFullJid.section(u'/', 1); }
    bool isEdited() const { return editedAt.isValid(); }

    ConversationKey conversation;
    Kind kind = Kind::Message;
    Direction direction = Direction::Incoming;
    Delivery delivery = Delivery::Pending;
    QString id;       // the stanza's id attribute
    QString originId; // XEP-0359 origin-id
    QString stanzaId; // XEP-0359 stanza-id, assigned by the archive stanzaIdBy (our server, or a room)
    QString stanzaIdBy;
    QString senderFullJid; // in a room: room/nick
    // In a room: the author's occupant-id (XEP-0421) and real bare JID when the room tells them.
    QString occupantId;
    QString senderRealJid;
    QString body;
    QDateTime timestamp;  // UTC; the sender's delayed-delivery stamp when present, else when it arrived
    QDateTime serverTime; // UTC; when the archive stored it, when known
    qint64 storageId = 0; // its row in the message store; 0 before it is stored

    // XEP-0461: the message this one answers, its author and the text it quoted (the XEP-0428 fallback, which
    // is not part of body).
    QString replyToId;
    QString replyToJid;
    QString replyQuote;
    // XEP-0066: a link sent as an attachment.
    QString oobUrl;
    QString oobDescription;
    // XEP-0447/XEP-0446: what the sender told about the shared file (name, size, type, hash, dimensions).
    // Empty when nothing was told. Stored apart from the message (message_files), not read back with it.
    FileMetadata file;
    bool markable = false;  // the sender asks for chat markers (XEP-0333)
    bool truncated = false; // body was cut at MaxBodyLength
    bool transient = false; // a no-store / no-permanent-store hint (XEP-0334): shown, never stored
    Removal removal = Removal::None;
    Encryption encryption = Encryption::None;
    // Set when an encrypted message could not be decrypted here (body is then empty): why, for the logs
    // and the notice shown in its place.
    QString cryptoError;
    QDateTime editedAt;        // when the shown body became the current correction; invalid when never edited
    QList<Version> history;    // earlier texts, oldest first (only for edited messages read from the store)
    QList<Reaction> reactions; // one entry per person who reacted
};

} // namespace Natter::Core

Q_DECLARE_METATYPE(Natter::Core::ChatMessage)
Q_DECLARE_METATYPE(Natter::Core::ConversationKey)
