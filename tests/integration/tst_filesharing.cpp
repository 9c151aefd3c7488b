// SPDX-License-Identifier: GPL-3.0-or-later
// Sharing files in chats: encrypted with an independent OMEMO client (slixmpp-omemo, legacy OMEMO as
// Conversations speaks it) both ways, plain when the user turned encryption off or (on Automatic) the peer
// has no OMEMO or the room is open, and never a key in plain text.
#include "Contacts.h"
#include "OmemoPeer.h"
#include "OnlineAccount.h"
#include "Rooms.h"
#include "StoredAccount.h"
#include "TestFiles.h"
#include "TestServer.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "crypto/EncryptionService.h"
#include "crypto/LegacyOmemoService.h"
#include "files/FileSharing.h"
#include "files/HttpDownload.h"
#include "files/HttpUpload.h"
#include "messaging/MessageService.h"
#include "muc/MucService.h"
#include "storage/ConversationRepository.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Natter::Core;
using namespace Natter::Test;

class tst_FileSharing : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void encryptedFileReachesALegacyOmemoClient();
    void encryptedFileFromALegacyOmemoClientIsRead();
    void withEncryptionOffTheFileGoesPlainWithOutOfBandData();
    void anEncryptedFileIsNeverSentInPlainText();
    void automaticWithAPeerWithoutDevicesSharesAsTextWouldGo();
    void aFileInAnOpenRoomGoesAsTextWould();

private:
    QString makeFile(const QString &name, qint64 size);
    static Result<ChatMessage> shareAndWait(Account *account, const QString &peer, const QString &path,
                                            const QString &caption = {},
                                            ConversationKind kind = ConversationKind::Chat);
    static Result<QString> downloadAndWait(Account *account, const QString &link, const QString &folder);
    // An encrypted user and a legacy-OMEMO peer who sees its device: the chat Conversations users have.
    bool startChat();

    TestServer m_server;
    QTemporaryDir m_files;
    std::unique_ptr<StoredAccount> m_natter;
    std::unique_ptr<OmemoPeer> m_peer;
    QString m_peerJid;
};

void tst_FileSharing::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
    QVERIFY(m_files.isValid());
}

QString tst_FileSharing::makeFile(const QString &name, qint64 size)
{
    return randomFile(m_files.path(), name, size);
}

Result<ChatMessage> tst_FileSharing::shareAndWait(Account *account, const QString &peer, const QString &path,
                                                  const QString &caption, ConversationKind kind)
{
    if (!QTest::qWaitFor([&] { return account->uploads().service().has_value(); }, 10000))
        return Error(Error::Code::FeatureUnsupported, QStringLiteral("no upload service found"));
    FileShare *share = account->files().share({account->jid(), peer, kind}, path, caption);
    std::optional<Result<ChatMessage>> result;
    QObject::connect(share, &FileShare::finished, share, [&](const Result<ChatMessage> &r) { result = r; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 60000))
        return Error(Error::Code::Timeout);
    return *result;
}

Result<QString> tst_FileSharing::downloadAndWait(Account *account, const QString &link, const QString &folder)
{
    DownloadRequest request;
    request.link = link;
    request.folder = folder;
    FileDownload *download = account->downloads().download(request);
    std::optional<Result<QString>> result;
    QObject::connect(download, &FileDownload::finished, download,
                     [&](const Result<QString> &r) { result = r; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 60000))
        return Error(Error::Code::Timeout);
    return *result;
}

bool tst_FileSharing::startChat()
{
    const auto peerUser = m_server.registerAccount(QStringLiteral("files-peer"));
    m_natter = newEncryptedUser(m_server, QStringLiteral("files-natter"));
    if (!peerUser || !m_natter)
        return false;
    m_peerJid = m_server.jid(*peerUser);
    m_peer = std::make_unique<OmemoPeer>(
        m_server, *peerUser, OmemoPeer::Options{QStringLiteral("legacy"), QStringLiteral("blind")});
    if (!m_peer->waitReady())
        return false;
    return m_peer->seesDevice(m_natter->jid(),
                              m_natter->account()->encryption()->legacy().engine()->deviceId());
}

void tst_FileSharing::encryptedFileReachesALegacyOmemoClient()
{
    QVERIFY(startChat());
    const QString path = makeFile(QStringLiteral("beach.jpg"), 300 * 1024);
    const auto sent = shareAndWait(m_natter->account(), m_peerJid, path, QStringLiteral("from the holidays"));
    QVERIFY2(isOk(sent), qPrintable(errorOf(sent).codeName() + u' ' + errorOf(sent).detail));
    const auto &message = std::get<ChatMessage>(sent);
    QCOMPARE(message.encryption, ChatMessage::Encryption::LegacyOmemo);
    QVERIFY(message.body.startsWith(QStringLiteral("aesgcm://")));
    QCOMPARE(message.oobUrl, message.body);

    const auto received = m_peer->waitForEvent(QStringLiteral("message"), [](const QJsonObject &event) {
        return event.value(QStringLiteral("body")).toString().startsWith(QStringLiteral("aesgcm://"));
    });
    QVERIFY2(received, qPrintable(m_peer->errorOutput().right(2000)));
    QCOMPARE(received->value(QStringLiteral("version")).toString(), QStringLiteral("legacy"));
    m_peer->command({{QStringLiteral("cmd"), QStringLiteral("fetch_file")},
                     {QStringLiteral("link"), received->value(QStringLiteral("body")).toString()}});
    const auto fetched = m_peer->waitForEvent(QStringLiteral("file_fetched"));
    QVERIFY2(fetched, qPrintable(m_peer->errorOutput().right(2000)));
    QCOMPARE(fetched->value(QStringLiteral("sha256")).toString(),
             QString::fromLatin1(sha256Of(path).toHex()));
    QCOMPARE(fetched->value(QStringLiteral("size")).toInteger(), 300 * 1024);

    // The caption follows as a message of its own.
    const auto caption = m_peer->waitForEvent(QStringLiteral("message"));
    QVERIFY(caption);
    QCOMPARE(caption->value(QStringLiteral("body")).toString(), QStringLiteral("from the holidays"));
}

void tst_FileSharing::encryptedFileFromALegacyOmemoClientIsRead()
{
    QVERIFY(m_peer || startChat());
    QSignalSpy received(&m_natter->account()->messages(), &MessageService::messageReceived);
    m_peer->command({{QStringLiteral("cmd"), QStringLiteral("share_file")},
                     {QStringLiteral("to"), m_natter->jid()},
                     {QStringLiteral("size"), 123457},
                     {QStringLiteral("version"), QStringLiteral("legacy")}});
    const auto shared = m_peer->waitForEvent(QStringLiteral("file_shared"));
    const auto failed = m_peer->events(QStringLiteral("error"));
    QVERIFY2(shared, qPrintable(failed.isEmpty() ? m_peer->errorOutput().right(2000)
                                                 : failed.last().value(QStringLiteral("reason")).toString()));
    std::optional<ChatMessage> stored;
    QVERIFY(QTest::qWaitFor(
        [&] {
            stored = m_natter->message(m_peerJid, shared->value(QStringLiteral("id")).toString());
            return stored.has_value();
        },
        20000));
    QCOMPARE(stored->encryption, ChatMessage::Encryption::LegacyOmemo);
    QVERIFY(stored->oobUrl.startsWith(QStringLiteral("aesgcm://"))); // shown as a file, not as a link
    QCOMPARE(stored->body, stored->oobUrl);

    QTemporaryDir downloads;
    const auto saved = downloadAndWait(m_natter->account(), stored->oobUrl, downloads.path());
    QVERIFY2(isOk(saved), qPrintable(errorOf(saved).codeName() + u' ' + errorOf(saved).detail));
    QCOMPARE(QString::fromLatin1(sha256Of(std::get<QString>(saved)).toHex()),
             shared->value(QStringLiteral("sha256")).toString());
    QCOMPARE(QFileInfo(std::get<QString>(saved)).size(), 123457);
}

void tst_FileSharing::withEncryptionOffTheFileGoesPlainWithOutOfBandData()
{
    QVERIFY(m_peer || startChat());
    EncryptionService *encryption = m_natter->account()->encryption();
    const ConversationKey chat{m_natter->jid(), m_peerJid};
    QVERIFY(isOk(waitFor(encryption->setChoice(chat, EncryptionChoice::Off))));
    const QString path = makeFile(QStringLiteral("public notes.txt"), 5000);
    const auto sent = shareAndWait(m_natter->account(), m_peerJid, path);
    QVERIFY(isOk(waitFor(encryption->setChoice(chat, EncryptionChoice::On))));
    QVERIFY2(isOk(sent), qPrintable(errorOf(sent).codeName() + u' ' + errorOf(sent).detail));
    const auto &message = std::get<ChatMessage>(sent);
    QCOMPARE(message.encryption, ChatMessage::Encryption::None);
    QVERIFY(message.body.startsWith(QStringLiteral("https://")));

    const auto received = m_peer->waitForEvent(QStringLiteral("message"), [&](const QJsonObject &event) {
        return event.value(QStringLiteral("id")).toString() == message.id;
    });
    QVERIFY2(received, qPrintable(m_peer->errorOutput().right(2000)));
    QCOMPARE(received->value(QStringLiteral("body")).toString(), message.body);
    QCOMPARE(received->value(QStringLiteral("oob_url")).toString(), message.body);

    QTemporaryDir downloads;
    const auto saved = downloadAndWait(m_natter->account(), message.body, downloads.path());
    QVERIFY(isOk(saved));
    QCOMPARE(QFileInfo(std::get<QString>(saved)).fileName(), QStringLiteral("public notes.txt"));
    QCOMPARE(sha256Of(std::get<QString>(saved)), sha256Of(path));
}

void tst_FileSharing::anEncryptedFileIsNeverSentInPlainText()
{
    // A contact without OMEMO, in a chat the user set to encrypted: the encrypted file's link (which holds
    // its key) does not go at all.
    auto alice = newEncryptedUser(m_server, QStringLiteral("files-alice"));
    QVERIFY(alice);
    const auto bobUser = m_server.registerAccount(QStringLiteral("files-bob"));
    QVERIFY(bobUser);
    auto bob = onlineAccount(m_server, *bobUser);
    QVERIFY(bob);
    QVERIFY(isOk(waitFor(
        alice->account()->encryption()->setChoice({alice->jid(), bob->jid()}, EncryptionChoice::On))));
    QSignalSpy bobReceived(&bob->messages(), &MessageService::messageReceived);
    const auto sent = shareAndWait(alice->account(), bob->jid(), makeFile(QStringLiteral("key.pdf"), 1000));
    QCOMPARE(errorOf(sent).code, Error::Code::EncryptionUnavailable);
    QTest::qWait(1000);
    QCOMPARE(bobReceived.size(), 0);
    for (const ChatMessage &stored : alice->messagesWith(bob->jid()))
        QVERIFY2(!stored.body.contains(QStringLiteral("aesgcm")), qPrintable(stored.body));
}

void tst_FileSharing::automaticWithAPeerWithoutDevicesSharesAsTextWouldGo()
{
    // A chat left on Automatic with a contact who has no OMEMO is not encrypted: its text goes in plain
    // text, and so does a file, with out-of-band data, as Conversations and Dino do.
    auto carol = newEncryptedUser(m_server, QStringLiteral("files-carol"));
    QVERIFY(carol);
    const auto daveUser = m_server.registerAccount(QStringLiteral("files-dave"));
    QVERIFY(daveUser);
    auto dave = onlineAccount(m_server, *daveUser);
    QVERIFY(dave);
    QSignalSpy daveReceived(&dave->messages(), &MessageService::messageReceived);
    const auto sent = shareAndWait(carol->account(), dave->jid(), makeFile(QStringLiteral("menu.pdf"), 2000));
    QVERIFY2(isOk(sent), qPrintable(errorOf(sent).codeName() + u' ' + errorOf(sent).detail));
    const auto &message = std::get<ChatMessage>(sent);
    QCOMPARE(message.encryption, ChatMessage::Encryption::None);
    QVERIFY(message.body.startsWith(QStringLiteral("https://")));
    QTRY_COMPARE_WITH_TIMEOUT(daveReceived.size(), 1, 10000);
    QCOMPARE(daveReceived.first().first().value<ChatMessage>().oobUrl, message.body);
}

void tst_FileSharing::aFileInAnOpenRoomGoesAsTextWould()
{
    // Nobody's devices can be known in an open room: its text goes in plain text, and so does a file.
    auto erin = newEncryptedUser(m_server, QStringLiteral("files-erin"));
    QVERIFY(erin);
    const QString room = newRoomJid(m_server, QStringLiteral("files"));
    MucService &rooms = erin->account()->rooms();
    const auto joined = waitTask(rooms.join(room, QStringLiteral("erin")), 20000);
    QVERIFY(joined && isOk(*joined));
    if (std::get<MucService::JoinResult>(*joined).created)
        QVERIFY(succeeded(rooms.acceptDefaultConfiguration(room)));
    QVERIFY(!rooms.isPrivate(room));
    const auto sent = shareAndWait(erin->account(), room, makeFile(QStringLiteral("agenda.pdf"), 3000), {},
                                   ConversationKind::GroupChat);
    QVERIFY2(isOk(sent), qPrintable(errorOf(sent).codeName() + u' ' + errorOf(sent).detail));
    const auto &message = std::get<ChatMessage>(sent);
    QCOMPARE(message.encryption, ChatMessage::Encryption::None);
    QVERIFY(message.body.startsWith(QStringLiteral("https://")));
    QCOMPARE(message.oobUrl, message.body);
}

QTEST_GUILESS_MAIN(tst_FileSharing)
#include "tst_filesharing.moc"
