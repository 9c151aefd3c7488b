// SPDX-License-Identifier: GPL-3.0-or-later
// A group chat bookmark of one account, as stored on the server (XEP-0402, or XEP-0048 as fallback).
#pragma once

#include <QMetaType>
#include <QString>

namespace Natter::Core {

struct RoomBookmark
{
    QString jid; // the room's bare JID, as the server stores it (the item id)
    QString name;
    QString nick;
    QString password;
    bool autojoin = false;
    bool minimise = false; // Gajim's <minimize xmlns='xmpp:gajim.org/bookmarks'/>
    // Extension elements other clients stored with the bookmark and we do not understand, serialised as XML
    // one after the other; written back unchanged whenever we rewrite the bookmark.
    QString extensionsXml;

    friend bool operator==(const RoomBookmark &, const RoomBookmark &) = default;
};

} // namespace Natter::Core

Q_DECLARE_METATYPE(Natter::Core::RoomBookmark)
