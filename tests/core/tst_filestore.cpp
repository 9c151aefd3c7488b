// SPDX-License-Identifier: GPL-3.0-or-later
// The files of messages in the store: what the sender described, where the file was saved (a download of
// ours or the user's own sent file), its thumbnail, paths that disappeared, and rows that go with their
// message when it is deleted on this device.
#include "TestProfile.h"
#include "TestStore.h"
#include "storage/ConversationRepository.h"
#include "storage/Database.h"
#include "storage/FileRepository.h"
#include "storage/MessageRepository.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace Natter::Core;
using Natter::Test::waitFor;

namespace {
const QString Alice = QStringLiteral("alice@example.org");
const QString Bob = QStringLiteral("bob@example.org");

ChatMessage fileMessage(int n, ChatMessage::Direction direction)
{
    ChatMessage m;
    m.conversation = {Alice, Bob};
    m.direction = direction;
    m.delivery = ChatMessage::Delivery::Acknowledged;
    m.id = QStringLiteral("file-%1").arg(n);
    m.originId = m.id;
    m.senderFullJid = direction == ChatMessage::Direction::Incoming ? Bob + QStringLiteral("/phone") : Alice;
    m.body = QStringLiteral("https://upload.example.org/%1/photo.jpg").arg(n);
    m.oobUrl = m.body;
    m.timestamp = QDateTime(QDate(2026, 12, 1), QTime(10, n), QTimeZone::UTC);
    return m;
}

QString touch(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write("x") == 1 ? path : QString();
}
} // namespace

class tst_FileStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void describedAndSavedFilesAreRemembered();
    void aFileThatDisappearedIsNoLongerSaved();
    void onlyOurDownloadsBelongToTheConversation();
    void rowsGoWithTheirMessage();
    void rowsGoWithTheirConversation();

private:
    qint64 store(const ChatMessage &message);

    std::unique_ptr<Natter::Test::TestStore> m_test;
    std::unique_ptr<MessageRepository> m_messages;
    std::unique_ptr<FileRepository> m_files;
    QTemporaryDir m_folder;
};

void tst_FileStore::init()
{
    m_test = std::make_unique<Natter::Test::TestStore>(Alice);
    QVERIFY(m_test->isOpen());
    m_messages = std::make_unique<MessageRepository>(m_test->database());
    m_files = std::make_unique<FileRepository>(m_test->database());
    QVERIFY(m_folder.isValid());
}

void tst_FileStore::cleanup()
{
    m_files.reset();
    m_messages.reset();
    m_test.reset();
}

qint64 tst_FileStore::store(const ChatMessage &message)
{
    const auto stored = waitFor(m_messages->ingest({message}));
    if (!isOk(stored) || std::get<QList<ChatMessage>>(stored).isEmpty())
        return 0;
    return std::get<QList<ChatMessage>>(stored).first().storageId;
}

void tst_FileStore::describedAndSavedFilesAreRemembered()
{
    const qint64 id = store(fileMessage(1, ChatMessage::Direction::Incoming));
    QVERIFY(id > 0);
    // With the sender's small preview (migration 9).
    const FileMetadata described{QStringLiteral("photo.jpg"),
                                 1234,
                                 QStringLiteral("image/jpeg"),
                                 QByteArray(32, '\x5a'),
                                 800,
                                 600,
                                 QByteArray("\x89PNG preview bytes", 19)};
    QVERIFY(isOk(waitFor(m_files->describe(id, described))));
    const QString path = touch(m_folder.filePath(QStringLiteral("photo.jpg")));
    const QString thumbnail = touch(m_folder.filePath(QStringLiteral("thumb.png")));
    QVERIFY(!path.isEmpty() && !thumbnail.isEmpty());
    QVERIFY(isOk(waitFor(m_files->setPath(id, path, true))));
    QVERIFY(isOk(waitFor(m_files->setThumbnail(id, thumbnail))));

    const auto found = waitFor(m_files->find({id, id + 1000}));
    QVERIFY(isOk(found));
    const auto files = std::get<QHash<qint64, StoredFile>>(found);
    QCOMPARE(files.size(), 1); // a message without a file has no row
    const StoredFile file = files.value(id);
    QCOMPARE(file.described, described);
    QCOMPARE(file.path, path);
    QVERIFY(file.downloaded);
    QCOMPARE(file.thumbnailPath, thumbnail);

    // A new file replaces the old one, whose thumbnail no longer fits.
    const QString again = touch(m_folder.filePath(QStringLiteral("photo (1).jpg")));
    QVERIFY(isOk(waitFor(m_files->setPath(id, again, true))));
    const auto replaced = std::get<QHash<qint64, StoredFile>>(waitFor(m_files->find({id}))).value(id);
    QCOMPARE(replaced.path, again);
    QVERIFY(replaced.thumbnailPath.isEmpty());
    QCOMPARE(replaced.described, described);
}

void tst_FileStore::aFileThatDisappearedIsNoLongerSaved()
{
    const qint64 id = store(fileMessage(2, ChatMessage::Direction::Incoming));
    const QString path = touch(m_folder.filePath(QStringLiteral("gone.jpg")));
    const QString thumbnail = touch(m_folder.filePath(QStringLiteral("gone.png")));
    QVERIFY(isOk(waitFor(m_files->setPath(id, path, true))));
    QVERIFY(isOk(waitFor(m_files->setThumbnail(id, thumbnail))));
    QVERIFY(QFile::remove(path));
    const auto file = std::get<QHash<qint64, StoredFile>>(waitFor(m_files->find({id}))).value(id);
    QVERIFY(file.path.isEmpty());
    QVERIFY(file.thumbnailPath.isEmpty());
}

void tst_FileStore::onlyOurDownloadsBelongToTheConversation()
{
    const qint64 received = store(fileMessage(3, ChatMessage::Direction::Incoming));
    const qint64 sent = store(fileMessage(4, ChatMessage::Direction::Outgoing));
    const QString download = touch(m_folder.filePath(QStringLiteral("download.jpg")));
    const QString own = touch(m_folder.filePath(QStringLiteral("own.jpg")));
    QVERIFY(isOk(waitFor(m_files->setPath(received, download, true))));
    QVERIFY(isOk(waitFor(m_files->setPath(sent, own, false))));

    const auto saved = waitFor(m_files->savedIn({Alice, Bob}));
    QVERIFY2(isOk(saved), qPrintable(errorOf(saved).detail));
    const auto files = std::get<QList<StoredFile>>(saved);
    QCOMPARE(files.size(), 1);
    QCOMPARE(files.first().path, download);
    const ConversationKey other{Alice, QStringLiteral("carol@example.org")};
    const auto none = waitFor(m_files->savedIn(other));
    QVERIFY(isOk(none));
    QVERIFY(std::get<QList<StoredFile>>(none).isEmpty());
    const auto ownFile = std::get<QHash<qint64, StoredFile>>(waitFor(m_files->find({sent}))).value(sent);
    QCOMPARE(ownFile.path, own);
    QVERIFY(!ownFile.downloaded);
}

void tst_FileStore::rowsGoWithTheirMessage()
{
    const qint64 id = store(fileMessage(5, ChatMessage::Direction::Incoming));
    FileMetadata described;
    described.name = QStringLiteral("a.jpg");
    QVERIFY(isOk(waitFor(m_files->describe(id, described))));
    QVERIFY(isOk(waitFor(m_messages->deleteLocally(id))));
    // Deleted on this device: what was known of its file is forgotten with it.
    const auto found = waitFor(m_files->find({id}));
    QVERIFY(isOk(found));
    const auto files = std::get<QHash<qint64, StoredFile>>(found);
    QVERIFY(!files.contains(id));
}

void tst_FileStore::rowsGoWithTheirConversation()
{
    const qint64 id = store(fileMessage(6, ChatMessage::Direction::Incoming));
    const QString path = touch(m_folder.filePath(QStringLiteral("kept.jpg")));
    QVERIFY(isOk(waitFor(m_files->setPath(id, path, true))));
    QVERIFY(isOk(waitFor(ConversationRepository(m_test->database()).remove({Alice, Bob}))));
    // Storage ids are handed out again after a deletion: nothing of the old file may stay behind.
    const auto found = waitFor(m_files->find({id}));
    QVERIFY(isOk(found));
    const auto files = std::get<QHash<qint64, StoredFile>>(found);
    QVERIFY(!files.contains(id));
    const qint64 next = store(fileMessage(7, ChatMessage::Direction::Incoming));
    QVERIFY(next > 0);
    const auto again = std::get<QHash<qint64, StoredFile>>(waitFor(m_files->find({next})));
    QVERIFY(!again.contains(next));
}

QTEST_GUILESS_MAIN(tst_FileStore)
#include "tst_filestore.moc"
