// SPDX-License-Identifier: GPL-3.0-or-later
#include "AttachmentService.h"

#include "Thumbnailer.h"
#include "common/Logging.h"
#include "files/HttpDownload.h"
#include "messaging/MessageService.h"
#include "roster/RosterService.h"
#include "storage/FileRepository.h"

#include <QDateTime>
#include <QStandardPaths>
#include <QTimer>

namespace Natter::Core {

using Stage = AttachmentState::Stage;

namespace {
// Only people the user added to the contact list get files downloaded without asking.
bool isFromContact(const ChatMessage &message, const RosterService &roster)
{
    if (message.direction != ChatMessage::Direction::Incoming)
        return false;
    if (message.conversation.isGroupChat())
        return !message.senderRealJid.isEmpty() && roster.contains(message.senderRealJid.section(u'/', 0, 0));
    // A private message from a room occupant is from a stranger, whatever the nickname says.
    return !message.conversation.peer.contains(u'/') && roster.contains(message.conversation.peer);
}

void logFailure(const char *what, const Result<Success> &result)
{
    if (!isOk(result))
        qCWarning(lcFiles) << what << errorOf(result).detail;
}
} // namespace

AttachmentService::AttachmentService(HttpDownloader &downloads, MessageService &messages,
                                     RosterService &roster, QObject *parent)
    : QObject(parent)
    , m_downloads(downloads)
    , m_roster(roster)
{
    connect(&messages, &MessageService::messageReceived, this, &AttachmentService::considerAutomaticDownload);
}

AttachmentService::~AttachmentService() = default;

void AttachmentService::setStore(FileRepository *store, Thumbnailer *thumbnails)
{
    m_store = store;
    m_thumbnails = thumbnails;
}

std::optional<AttachmentState> AttachmentService::state(const ChatMessage &message)
{
    const auto attachment = attachmentOf(message);
    if (!attachment)
        return std::nullopt;
    const qint64 id = message.storageId;
    if (id == 0 || !m_store) {
        AttachmentState untracked;
        untracked.stage = attachment->direct ? Stage::Missing : Stage::Remote;
        untracked.attachment = *attachment;
        return untracked;
    }
    if (const auto entry = m_entries.constFind(id); entry != m_entries.cend())
        return entry->state;
    Entry &entry = m_entries[id];
    entry.state.attachment = *attachment;
    entry.conversation = message.conversation;
    if (m_pendingLookups.isEmpty())
        QTimer::singleShot(0, this, &AttachmentService::lookUpPending);
    m_pendingLookups.insert(id);
    return entry.state;
}

void AttachmentService::lookUpPending()
{
    const QList<qint64> ids = m_pendingLookups.values();
    m_pendingLookups.clear();
    if (ids.isEmpty() || !m_store)
        return;
    m_store->find(ids).then(this, [this, ids](const Result<QHash<qint64, StoredFile>> &found) {
        if (!isOk(found))
            qCWarning(lcFiles) << "cannot read the files of messages:" << errorOf(found).detail;
        const auto files =
            isOk(found) ? std::get<QHash<qint64, StoredFile>>(found) : QHash<qint64, StoredFile>{};
        for (const qint64 id : ids) {
            auto entry = m_entries.find(id);
            if (entry == m_entries.end() || entry->state.stage != Stage::Unknown)
                continue;
            AttachmentState &state = entry->state;
            const auto file = files.constFind(id);
            if (file != files.cend()) {
                const FileMetadata &described = file->described;
                if (!described.name.isEmpty())
                    state.attachment.described.name = described.name;
                if (!described.mediaType.isEmpty())
                    state.attachment.described.mediaType = described.mediaType;
                state.attachment.described.size = described.size;
                state.attachment.described.sha256 = described.sha256;
                state.attachment.described.width = described.width;
                state.attachment.described.height = described.height;
                state.attachment.described.thumbnail = described.thumbnail;
                state.path = file->path;
                state.thumbnailPath = file->thumbnailPath;
                state.ours = !file->path.isEmpty() && !file->downloaded;
            }
            state.stage = !state.path.isEmpty()     ? Stage::Saved
                          : state.attachment.direct ? Stage::Missing
                                                    : Stage::Remote;
            const Stage stage = state.stage;
            const bool needsThumbnail = stage == Stage::Saved && state.thumbnailPath.isEmpty();
            // Receivers may ask about other messages, which adds entries: state is not used after this.
            Q_EMIT changed(id);
            if (needsThumbnail)
                makeThumbnail(id);
            if (m_autoDownloadAfterLookup.remove(id) && stage == Stage::Remote)
                start(id, m_policy.autoDownloadLimit, true);
        }
    });
}

void AttachmentService::considerAutomaticDownload(const ChatMessage &message)
{
    if (!m_policy.autoDownload || !m_store || message.storageId == 0 || !isFromContact(message, m_roster))
        return;
    const auto current = state(message);
    if (!current)
        return;
    if (current->stage == Stage::Unknown)
        m_autoDownloadAfterLookup.insert(message.storageId);
    else if (current->stage == Stage::Remote)
        start(message.storageId, m_policy.autoDownloadLimit, true);
}

void AttachmentService::download(const ChatMessage &message)
{
    const auto current = state(message);
    if (!current || current->attachment.direct || message.storageId == 0 || !m_store)
        return;
    start(message.storageId, 0, false);
}

void AttachmentService::cancel(const ChatMessage &message)
{
    m_autoDownloadAfterLookup.remove(message.storageId);
    const auto entry = m_entries.constFind(message.storageId);
    if (entry != m_entries.cend() && entry->job)
        entry->job->cancel();
}

void AttachmentService::forget(const ConversationKey &conversation)
{
    for (auto entry = m_entries.begin(); entry != m_entries.end();) {
        if (!(entry->conversation == conversation)) {
            ++entry;
            continue;
        }
        if (entry->job)
            entry->job->cancel();
        m_pendingLookups.remove(entry.key());
        m_autoDownloadAfterLookup.remove(entry.key());
        entry = m_entries.erase(entry);
    }
}

void AttachmentService::start(qint64 id, qint64 maxBytes, bool automatic)
{
    auto entry = m_entries.find(id);
    if (entry == m_entries.end() || entry->job || entry->state.stage == Stage::Saved)
        return;
    const FileMetadata &described = entry->state.attachment.described;
    // The sender told its size: a file larger than wanted is not even started.
    if (maxBytes > 0 && described.size && *described.size > maxBytes)
        return;
    DownloadRequest request;
    request.link = entry->state.attachment.link;
    request.folder = m_policy.folder.isEmpty()
                         ? QStandardPaths::writableLocation(QStandardPaths::DownloadLocation)
                         : m_policy.folder;
    request.fileName = described.name;
    request.size = described.size;
    request.sha256 = described.sha256;
    request.maxBytes = maxBytes;
    FileDownload *job = m_downloads.download(request);
    entry->job = job;
    entry->automatic = automatic;
    update(id, [&described](AttachmentState &state) {
        state.stage = Stage::Downloading;
        state.received = 0;
        state.total = described.size.value_or(-1);
        state.error = {};
    });
    connect(job, &FileDownload::progress, this, [this, id](qint64 received, qint64 total) {
        update(
            id,
            [=](AttachmentState &state) {
                state.received = received;
                if (total >= 0)
                    state.total = total;
            },
            true);
    });
    connect(job, &FileDownload::finished, this, [this, id](const Result<QString> &result) {
        const auto finishing = m_entries.constFind(id);
        if (finishing == m_entries.cend())
            return;
        const bool wasAutomatic = finishing->automatic;
        if (isOk(result))
            return saved(id, std::get<QString>(result));
        const Error error = errorOf(result);
        // Larger than the automatic limit, or stopped by the user: still there to download on request.
        const bool waits = error.code == Error::Code::TransferCancelled ||
                           (wasAutomatic && error.code == Error::Code::FileTooLarge);
        if (!waits)
            qCInfo(lcFiles) << "download failed:" << error.codeName() << error.detail;
        update(id, [&](AttachmentState &state) {
            state.stage = waits ? Stage::Remote : Stage::Failed;
            state.error = waits ? Error{} : error;
        });
    });
}

void AttachmentService::saved(qint64 id, const QString &path)
{
    update(id, [&path](AttachmentState &state) {
        state.stage = Stage::Saved;
        state.path = path;
        state.thumbnailPath.clear();
        state.ours = false;
    });
    if (m_store)
        m_store->setPath(id, path, true).then(this, [](const Result<Success> &result) {
            logFailure("cannot remember a downloaded file:", result);
        });
    makeThumbnail(id);
}

void AttachmentService::recordSent(const ChatMessage &message, const QString &path,
                                   const FileMetadata &described)
{
    recordLocal(message, path, described, false);
}

void AttachmentService::recordTransferred(const ChatMessage &record, const QString &path,
                                          const FileMetadata &described)
{
    recordLocal(record, path, described, record.direction == ChatMessage::Direction::Incoming);
}

void AttachmentService::recordLocal(const ChatMessage &message, const QString &path,
                                    const FileMetadata &described, bool downloaded)
{
    const auto attachment = attachmentOf(message);
    if (!attachment || message.storageId == 0 || !m_store)
        return;
    Entry &entry = m_entries[message.storageId];
    entry.conversation = message.conversation;
    m_pendingLookups.remove(message.storageId);
    entry.state.attachment = *attachment;
    entry.state.attachment.described = described;
    entry.state.stage = Stage::Saved;
    entry.state.path = path;
    entry.state.ours = !downloaded;
    Q_EMIT changed(message.storageId);
    m_store->describe(message.storageId, described).then(this, [](const Result<Success> &result) {
        logFailure("cannot describe a sent file:", result);
    });
    m_store->setPath(message.storageId, path, downloaded).then(this, [](const Result<Success> &result) {
        logFailure("cannot remember a sent file:", result);
    });
    makeThumbnail(message.storageId);
}

void AttachmentService::makeThumbnail(qint64 id)
{
    const auto entry = m_entries.constFind(id);
    if (!m_thumbnails || entry == m_entries.cend() ||
        kindOf(entry->state.attachment.described) != FileKind::Image)
        return;
    const QString path = entry->state.path;
    // Never the name of an earlier thumbnail: storage ids of deleted conversations are used again.
    m_thumbnails->make(path, QStringLiteral("%1-%2.png").arg(id).arg(QDateTime::currentMSecsSinceEpoch()))
        .then(this, [this, id, path](const Result<Thumbnailer::Thumbnail> &made) {
            if (!isOk(made)) {
                qCInfo(lcFiles) << "no thumbnail of" << path << errorOf(made).codeName()
                                << errorOf(made).detail;
                return;
            }
            const QString thumbnail = std::get<Thumbnailer::Thumbnail>(made).path;
            const auto current = m_entries.constFind(id);
            // The file may have been replaced meanwhile.
            if (current == m_entries.cend() || current->state.path != path)
                return;
            update(id, [&thumbnail](AttachmentState &state) { state.thumbnailPath = thumbnail; });
            if (m_store)
                m_store->setThumbnail(id, thumbnail).then(this, [](const Result<Success> &result) {
                    logFailure("cannot remember a thumbnail:", result);
                });
        });
}

void AttachmentService::update(qint64 id, const std::function<void(AttachmentState &)> &change,
                               bool progressOnly)
{
    auto entry = m_entries.find(id);
    if (entry == m_entries.end())
        return;
    change(entry->state);
    if (progressOnly)
        Q_EMIT progressed(id);
    else
        Q_EMIT changed(id);
}

} // namespace Natter::Core
