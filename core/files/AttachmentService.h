// SPDX-License-Identifier: GPL-3.0-or-later
// The files of an account's messages on this machine: downloads them on request or, from contacts and up to
// a size the user chose, as they arrive (never from strangers); keeps where they were saved in the store and
// makes thumbnails of images off the UI thread. Front ends ask for a message's state and redraw on changed().
#pragma once

#include "common/Error.h"
#include "domain/ChatMessage.h"
#include "domain/SharedFile.h"
#include "files/Attachment.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>

namespace Natter::Core {

class FileDownload;
class FileRepository;
class HttpDownloader;
class MessageService;
class RosterService;
class Thumbnailer;

struct AttachmentState
{
    enum class Stage
    {
        Unknown,     // the store is being asked
        Remote,      // not on this machine: download on request
        Downloading, // received of total bytes (total -1 while unknown)
        Saved,       // at path
        Failed,      // error says why; downloading again is possible
        Missing,     // a direct transfer's file, moved or deleted since: there is nothing to download
    };
    Stage stage = Stage::Unknown;
    Attachment attachment;
    qint64 received = 0;
    qint64 total = -1;
    QString path;
    QString thumbnailPath; // set once a thumbnail of a saved image exists
    Error error;
    bool ours = false; // path is the user's own file that was sent
};

class AttachmentService : public QObject
{
    Q_OBJECT
public:
    struct Policy
    {
        bool autoDownload = true;
        qint64 autoDownloadLimit = 5 * 1024 * 1024; // bytes
        QString folder;                             // where downloads go
    };

    AttachmentService(HttpDownloader &downloads, MessageService &messages, RosterService &roster,
                      QObject *parent = nullptr);
    ~AttachmentService() override;

    // Without a store nothing is remembered and nothing is downloaded automatically.
    void setStore(FileRepository *store, Thumbnailer *thumbnails);
    void setPolicy(const Policy &policy) { m_policy = policy; }
    Policy policy() const { return m_policy; }

    // The state of the message's file; Unknown (and changed() later) the first time a stored message is asked
    // about. nullopt for a message without a file.
    std::optional<AttachmentState> state(const ChatMessage &message);
    // Downloads the message's file into the policy's folder, whatever its size.
    void download(const ChatMessage &message);
    void cancel(const ChatMessage &message);
    // The conversation was deleted: what was known of its messages' files goes (their rows, and so their
    // storage ids, may be used again).
    void forget(const ConversationKey &conversation);
    // Our own message shares the file at path, as described: it is shown from there.
    void recordSent(const ChatMessage &message, const QString &path, const FileMetadata &described);
    // A direct transfer's record: the file we sent from path, or the one we received and saved there.
    void recordTransferred(const ChatMessage &record, const QString &path, const FileMetadata &described);

Q_SIGNALS:
    // The file's stage, path or thumbnail changed.
    void changed(qint64 storageId);
    // Only the bytes received so far changed.
    void progressed(qint64 storageId);

private:
    struct Entry
    {
        AttachmentState state;
        ConversationKey conversation;
        QPointer<FileDownload> job;
        bool automatic = false;
    };
    void lookUpPending();
    void considerAutomaticDownload(const ChatMessage &message);
    void start(qint64 id, qint64 maxBytes, bool automatic);
    void saved(qint64 id, const QString &path);
    void makeThumbnail(qint64 id);
    void recordLocal(const ChatMessage &message, const QString &path, const FileMetadata &described,
                     bool downloaded);
    void update(qint64 id, const std::function<void(AttachmentState &)> &change, bool progressOnly = false);

    HttpDownloader &m_downloads;
    RosterService &m_roster;
    FileRepository *m_store = nullptr;
    Thumbnailer *m_thumbnails = nullptr;
    Policy m_policy;
    QHash<qint64, Entry> m_entries;
    QSet<qint64> m_pendingLookups;
    // Messages that arrived while the store was still being asked about them.
    QSet<qint64> m_autoDownloadAfterLookup;
};

} // namespace Natter::Core

Q_DECLARE_METATYPE(Natter::Core::AttachmentState)
