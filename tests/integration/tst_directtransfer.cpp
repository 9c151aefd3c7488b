// SPDX-License-Identifier: GPL-3.0-or-later
// Direct file transfers between two Natter profiles through the test server (Jingle File Transfer): 200 MB
// straight between the devices and through the server's SOCKS5 proxy, in-band when neither connects, each
// checked by hash; cancelling on either side, declining, a stranger's offer and a file that changed after it
// was offered and a folder that cannot be written, each ending clearly with nothing partial left behind.
#include "Contacts.h"
#include "StoredAccount.h"
#include "TestFiles.h"
#include "TestServer.h"
#include "account/Account.h"
#include "filetransfer/FileTransferService.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Natter::Core;
using namespace Natter::Test;

namespace {
constexpr qint64 LargeFile = 200 * 1024 * 1024;

// What one side of a transfer ended with.
struct Outcome
{
    std::optional<Result<QString>> result;
    QString route;
    QPointer<FileTransfer> transfer;
};

void watch(FileTransfer *transfer, Outcome &outcome)
{
    outcome.transfer = transfer;
    QObject::connect(transfer, &FileTransfer::stageChanged, transfer,
                     [transfer, &outcome] { outcome.route = transfer->route(); });
    QObject::connect(transfer, &FileTransfer::finished, transfer,
                     [&outcome](const Result<QString> &result) { outcome.result = result; });
}

QString describe(const Outcome &outcome)
{
    if (!outcome.result)
        return QStringLiteral("not finished after %1 bytes")
            .arg(outcome.transfer ? outcome.transfer->transferred() : -1);
    if (const auto *error = std::get_if<Error>(&*outcome.result))
        return error->codeName() + u' ' + error->detail;
    return std::get<QString>(*outcome.result);
}

// Every entry of folder, hidden ones too.
QStringList entriesOf(const QString &folder)
{
    return QDir(folder).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
}
} // namespace

class tst_DirectTransfer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void twoHundredMegabytesGoDirectly();
    void twoHundredMegabytesGoThroughTheProxy();
    void inBandWhenNoConnectionWorks();
    void theSenderCancelsMidway();
    void theReceiverCancelsMidway();
    void aDeclinedOfferEndsOnBothSides();
    void aStrangersOfferIsRefused();
    void aFileChangedAfterTheOfferIsNotSaved();
    void aFolderThatCannotBeWrittenEndsClearly();

private:
    // Sender offers path to the receiver's device; the receiver accepts into m_inbox as soon as it sees it.
    void transfer(const QString &path, Outcome &sent, Outcome &received, bool accept = true);
    void setRoutes(bool direct, bool proxy);

    TestServer m_server;
    QTemporaryDir m_files;
    std::unique_ptr<QTemporaryDir> m_inbox;
    std::unique_ptr<StoredAccount> m_sender;
    std::unique_ptr<StoredAccount> m_receiver;
    QString m_receiverDevice;
    QPointer<FileTransfer> m_incoming;
    QPointer<FileTransfer> m_outgoing;
};

void tst_DirectTransfer::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
    QVERIFY(m_files.isValid());
    m_sender = newOnlineUser(m_server, QStringLiteral("jft-sender"));
    m_receiver = newOnlineUser(m_server, QStringLiteral("jft-receiver"));
    QVERIFY(m_sender && m_receiver);
    QVERIFY(makeMutualContacts(m_sender->account(), m_receiver->account()));
    // The receiver's caps say it takes Jingle file transfers: that is how the sender finds its device.
    FileTransferService &transfers = m_sender->account()->directTransfers();
    QVERIFY(QTest::qWaitFor(
        [&] { return !(m_receiverDevice = transfers.receivingDevice(m_receiver->jid())).isEmpty(); }, 20000));
    QVERIFY(m_receiverDevice.startsWith(m_receiver->jid() + u'/'));
    // Both found the server's SOCKS5 proxy.
    QVERIFY(QTest::qWaitFor(
        [&] { return transfers.proxy() && m_receiver->account()->directTransfers().proxy(); }, 10000));
    QCOMPARE(transfers.proxy()->jid, m_server.proxy65Service);
    QCOMPARE(transfers.proxy()->port, m_server.proxy65Port);
}

void tst_DirectTransfer::init()
{
    m_inbox = std::make_unique<QTemporaryDir>();
    QVERIFY(m_inbox->isValid());
    setRoutes(true, true);
}

void tst_DirectTransfer::setRoutes(bool direct, bool proxy)
{
    for (StoredAccount *side : {m_sender.get(), m_receiver.get()})
        side->account()->directTransfers().setSettings({direct, proxy});
}

void tst_DirectTransfer::transfer(const QString &path, Outcome &sent, Outcome &received, bool accept)
{
    FileTransferService &incoming = m_receiver->account()->directTransfers();
    m_incoming = nullptr;
    const auto offered =
        connect(&incoming, &FileTransferService::offered, this, [&, accept](FileTransfer *transfer) {
            m_incoming = transfer;
            watch(transfer, received);
            if (accept)
                transfer->accept(m_inbox->path());
        });
    m_outgoing = m_sender->account()->directTransfers().send(m_receiverDevice, path);
    watch(m_outgoing, sent);
    (void)QTest::qWaitFor([&] { return m_incoming || sent.result; }, 30000);
    disconnect(offered);
}

void tst_DirectTransfer::twoHundredMegabytesGoDirectly()
{
    const QString path = randomFile(m_files.path(), QStringLiteral("holiday.mkv"), LargeFile);
    QVERIFY(!path.isEmpty());
    Outcome sent, received;
    transfer(path, sent, received);
    QVERIFY2(m_incoming, qPrintable(describe(sent)));
    QCOMPARE(m_incoming->file().name, QStringLiteral("holiday.mkv"));
    QCOMPARE(m_incoming->file().size, LargeFile);
    QCOMPARE(m_incoming->file().sha256, sha256Of(path));
    QVERIFY2(QTest::qWaitFor([&] { return sent.result && received.result; }, 120000),
             qPrintable(describe(sent) + QStringLiteral(" / ") + describe(received)));
    QVERIFY2(isOk(*received.result), qPrintable(describe(received)));
    QVERIFY2(isOk(*sent.result), qPrintable(describe(sent)));
    QCOMPARE(received.route, QStringLiteral("direct"));
    QCOMPARE(sent.route, QStringLiteral("direct"));
    const QString saved = std::get<QString>(*received.result);
    QCOMPARE(saved, QDir(m_inbox->path()).filePath(QStringLiteral("holiday.mkv")));
    QCOMPARE(QFileInfo(saved).size(), LargeFile);
    QCOMPARE(sha256Of(saved), sha256Of(path));
    QCOMPARE(entriesOf(m_inbox->path()), QStringList{QStringLiteral("holiday.mkv")});
    QFile::remove(path);
}

void tst_DirectTransfer::twoHundredMegabytesGoThroughTheProxy()
{
    setRoutes(false, true);
    const QString path = randomFile(m_files.path(), QStringLiteral("via proxy.bin"), LargeFile);
    QVERIFY(!path.isEmpty());
    Outcome sent, received;
    transfer(path, sent, received);
    QVERIFY2(m_incoming, qPrintable(describe(sent)));
    QVERIFY2(QTest::qWaitFor([&] { return sent.result && received.result; }, 180000),
             qPrintable(describe(sent) + QStringLiteral(" / ") + describe(received)));
    QVERIFY2(isOk(*received.result), qPrintable(describe(received)));
    QVERIFY2(isOk(*sent.result), qPrintable(describe(sent)));
    QCOMPARE(received.route, QStringLiteral("proxy"));
    QCOMPARE(sent.route, QStringLiteral("proxy"));
    const QString saved = std::get<QString>(*received.result);
    QCOMPARE(QFileInfo(saved).size(), LargeFile);
    QCOMPARE(sha256Of(saved), sha256Of(path));
    QFile::remove(path);
}

void tst_DirectTransfer::inBandWhenNoConnectionWorks()
{
    setRoutes(false, false);
    const QString path = randomFile(m_files.path(), QStringLiteral("small.pdf"), 300 * 1024 + 17);
    Outcome sent, received;
    transfer(path, sent, received);
    QVERIFY2(m_incoming, qPrintable(describe(sent)));
    QVERIFY2(QTest::qWaitFor([&] { return sent.result && received.result; }, 120000),
             qPrintable(describe(sent) + QStringLiteral(" / ") + describe(received)));
    QVERIFY2(isOk(*received.result), qPrintable(describe(received)));
    QVERIFY2(isOk(*sent.result), qPrintable(describe(sent)));
    QCOMPARE(received.route, QStringLiteral("in-band"));
    QCOMPARE(sent.route, QStringLiteral("in-band"));
    QCOMPARE(sha256Of(std::get<QString>(*received.result)), sha256Of(path));
}

void tst_DirectTransfer::theSenderCancelsMidway()
{
    setRoutes(false, true); // the proxy is the slower path: there is time to cancel
    const QString path = randomFile(m_files.path(), QStringLiteral("cancelled by sender.bin"), LargeFile);
    Outcome sent, received;
    transfer(path, sent, received);
    QVERIFY(m_incoming);
    QVERIFY(QTest::qWaitFor([&] { return m_incoming && m_incoming->transferred() > 1024 * 1024; }, 60000));
    QVERIFY(m_incoming->transferred() < LargeFile);
    m_outgoing->cancel();
    QVERIFY(QTest::qWaitFor([&] { return sent.result && received.result; }, 20000));
    QCOMPARE(errorOf(*sent.result).code, Error::Code::TransferCancelled);
    QCOMPARE(errorOf(*received.result).code, Error::Code::TransferCancelled);
    QCOMPARE(errorOf(*received.result).detail, QStringLiteral("peer"));
    QCOMPARE(entriesOf(m_inbox->path()), QStringList());
    QFile::remove(path);
}

void tst_DirectTransfer::theReceiverCancelsMidway()
{
    setRoutes(false, true);
    const QString path = randomFile(m_files.path(), QStringLiteral("cancelled by receiver.bin"), LargeFile);
    Outcome sent, received;
    transfer(path, sent, received);
    QVERIFY(m_incoming);
    QVERIFY(QTest::qWaitFor([&] { return m_incoming && m_incoming->transferred() > 1024 * 1024; }, 60000));
    m_incoming->cancel();
    QVERIFY(QTest::qWaitFor([&] { return sent.result && received.result; }, 20000));
    QCOMPARE(errorOf(*received.result).code, Error::Code::TransferCancelled);
    QCOMPARE(errorOf(*sent.result).code, Error::Code::TransferCancelled);
    QCOMPARE(errorOf(*sent.result).detail, QStringLiteral("peer"));
    QCOMPARE(entriesOf(m_inbox->path()), QStringList());
    QFile::remove(path);
}

void tst_DirectTransfer::aDeclinedOfferEndsOnBothSides()
{
    const QString path = randomFile(m_files.path(), QStringLiteral("unwanted.zip"), 4096);
    Outcome sent, received;
    transfer(path, sent, received, false);
    QVERIFY(m_incoming);
    QCOMPARE(m_incoming->stage(), FileTransfer::Stage::Offered);
    QCOMPARE(m_incoming->peerBareJid(), m_sender->jid());
    m_incoming->decline();
    QVERIFY(QTest::qWaitFor([&] { return sent.result && received.result; }, 20000));
    QCOMPARE(errorOf(*sent.result).code, Error::Code::RequestRefused);
    QCOMPARE(errorOf(*sent.result).detail, QStringLiteral("declined"));
    QCOMPARE(entriesOf(m_inbox->path()), QStringList());
}

void tst_DirectTransfer::aStrangersOfferIsRefused()
{
    auto stranger = newOnlineUser(m_server, QStringLiteral("jft-stranger"));
    QVERIFY(stranger);
    QSignalSpy offered(&m_receiver->account()->directTransfers(), &FileTransferService::offered);
    const QString path = randomFile(m_files.path(), QStringLiteral("spam.exe"), 1024);
    Outcome sent;
    watch(stranger->account()->directTransfers().send(m_receiverDevice, path), sent);
    QVERIFY(QTest::qWaitFor([&] { return sent.result.has_value(); }, 20000));
    QCOMPARE(errorOf(*sent.result).code, Error::Code::RequestRefused);
    QCOMPARE(offered.count(), 0);
}

void tst_DirectTransfer::aFileChangedAfterTheOfferIsNotSaved()
{
    const QString path = randomFile(m_files.path(), QStringLiteral("changing.txt"), 2 * 1024 * 1024);
    Outcome sent, received;
    transfer(path, sent, received, false);
    QVERIFY(m_incoming);
    // Same size, other bytes: what arrives is not what the offer's hash describes.
    QVERIFY(!randomFile(m_files.path(), QStringLiteral("changing.txt"), 2 * 1024 * 1024).isEmpty());
    m_incoming->accept(m_inbox->path());
    QVERIFY(QTest::qWaitFor([&] { return sent.result && received.result; }, 30000));
    QCOMPARE(errorOf(*received.result).code, Error::Code::HashMismatch);
    QCOMPARE(errorOf(*sent.result).code, Error::Code::HashMismatch);
    QCOMPARE(entriesOf(m_inbox->path()), QStringList());
}

void tst_DirectTransfer::aFolderThatCannotBeWrittenEndsClearly()
{
    // The downloads folder is "inside" a file: nothing can be created there (as a full disk would refuse).
    const QString blocker = randomFile(m_inbox->path(), QStringLiteral("not-a-folder"), 10);
    const QString path = randomFile(m_files.path(), QStringLiteral("nowhere.bin"), 64 * 1024);
    Outcome sent, received;
    transfer(path, sent, received, false);
    QVERIFY(m_incoming);
    m_incoming->accept(QDir(blocker).filePath(QStringLiteral("Downloads")));
    QVERIFY(QTest::qWaitFor([&] { return sent.result && received.result; }, 20000));
    QCOMPARE(errorOf(*received.result).code, Error::Code::FileWriteFailed);
    QCOMPARE(errorOf(*sent.result).code, Error::Code::TransferFailed);
    QVERIFY2(errorOf(*sent.result).detail.contains(QStringLiteral("cannot save")),
             qPrintable(errorOf(*sent.result).detail));
    QCOMPARE(entriesOf(m_inbox->path()), QStringList{QStringLiteral("not-a-folder")});
}

QTEST_GUILESS_MAIN(tst_DirectTransfer)
#include "tst_directtransfer.moc"
