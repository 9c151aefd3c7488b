// SPDX-License-Identifier: GPL-3.0-or-later
// The account's group chat bookmarks: XEP-0402 on our own PEP service, or XEP-0048 in XEP-0049 private XML
// storage when the server does not convert between the two; kept in step with our other devices.
#pragma once

#include "common/Result.h"
#include "domain/RoomBookmark.h"

#include <QFuture>
#include <QMap>
#include <QPromise>
#include <QXmppClientExtension.h>
#include <QXmppPubSubEventHandler.h>
#include <functional>
#include <memory>
#include <optional>

class QDomElement;

namespace Natter::Core {

// QXmppPubSubEventHandler has a non-virtual destructor; it is never deleted through that base.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
class BookmarkService : public QXmppClientExtension, public QXmppPubSubEventHandler
{
    Q_OBJECT
public:
    explicit BookmarkService(QString accountJid);

    // Chooses the storage (server announces urn:xmpp:bookmarks:1#compat: PEP, else private XML) and loads
    // every bookmark; call after each connect. Ends with bookmarksChanged or errorOccurred.
    void fetch();

    QList<RoomBookmark> bookmarks() const;
    std::optional<RoomBookmark> bookmark(const QString &roomJid) const;
    // Adds or replaces the bookmark of bookmark.jid.
    QFuture<Result<Success>> save(const RoomBookmark &bookmark);
    QFuture<Result<Success>> remove(const QString &roomJid);

    bool usesLegacyStorage() const { return m_legacyStorage; }
    // Tests only: every server with XEP-0402 support (Prosody's included) announces #compat, so the XEP-0048
    // path can be exercised against it only by skipping the choice.
    void forceLegacyStorageForTesting();

    QStringList discoveryFeatures() const override;
    bool handlePubSubEvent(const QDomElement &element, const QString &pubSubService,
                           const QString &nodeName) override;

Q_SIGNALS:
    // After a fetch, and whenever the stored bookmarks changed (from here or from another of our devices).
    void bookmarksChanged();
    // A fetch failed (save and remove report their errors in their results).
    void errorOccurred(const Natter::Core::Error &error);

private:
    void fetchPep(int generation);
    void fetchLegacy(int generation);
    QFuture<Result<Success>> savePep(const RoomBookmark &bookmark);
    QFuture<Result<Success>> removePep(const QString &roomJid);
    // XEP-0048 knows only the whole list: read it, change one conference, write it back.
    QFuture<Result<Success>> rewriteLegacy(const QString &roomJid,
                                           const std::optional<RoomBookmark> &bookmark);
    void finishLegacy(const std::shared_ptr<QPromise<Result<Success>>> &promise, Result<Success> result);
    void runNextLegacy();
    void applyEvent(const QDomElement &event);
    void replaceAll(QMap<QString, RoomBookmark> bookmarks);
    // Whether that changed what we hold.
    bool put(const RoomBookmark &bookmark);
    bool take(const QString &roomJid);
    void fail(const Error &error);

    QString m_accountJid;
    bool m_legacyStorage = false;
    bool m_legacyForced = false;
    int m_fetchGeneration = 0;
    QMap<QString, RoomBookmark> m_bookmarks; // normalised room JID → bookmark
    // Private XML rewrites, one at a time: two overlapping read-modify-writes would lose one change.
    QList<std::function<void()>> m_legacyQueue;
};
#pragma GCC diagnostic pop

} // namespace Natter::Core
