// SPDX-License-Identifier: GPL-3.0-or-later
// Direct transfers in the real main window, with a contact's Natter device on the other side: a file over
// the server's upload limit is offered for a direct transfer (after asking) and arrives whole; a contact's
// offer shows with Accept and Decline, and once accepted the file is saved in the downloads folder. With
// NATTER_SCREENSHOT_DIR set, the tests also write the documentation's screenshots.
#include "Application.h"
#include "Contacts.h"
#include "FileTestBench.h"
#include "OnlineAccount.h"
#include "RunningApp.h"
#include "Screenshot.h"
#include "TestFiles.h"
#include "TestProfile.h"
#include "TestServer.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "account/Preferences.h"
#include "files/AttachmentService.h"
#include "files/HttpUpload.h"
#include "filetransfer/FileTransferService.h"
#include "models/MessageListModel.h"
#include "storage/FileRepository.h"
#include "widgets/Composer.h"
#include "widgets/MainWindow.h"
#include "widgets/chat/ChatController.h"
#include "widgets/chat/DirectTransfersBar.h"
#include "widgets/chat/UploadsBar.h"

#include <QDir>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QXmppClient.h>

using namespace Natter;
using namespace Natter::Core;
using namespace Natter::Test;
using Natter::App::Application;

namespace {
constexpr int NetworkTimeout = 20000;

QWidget *rowNamed(QWidget *bar, const QString &name)
{
    const auto rows = bar->findChildren<QWidget *>(name);
    return rows.isEmpty() ? nullptr : rows.first();
}
} // namespace

class tst_UiDirectTransfer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void aFileOverTheUploadLimitIsOfferedForADirectTransfer();
    void aContactsOfferIsAcceptedInTheWindow();
    void aContactsOfferIsDeclinedInTheWindow();

private:
    Ui::MainWindow &window() { return m_bench.app->mainWindow(); }
    // The peer offers a file of size bytes to our device; its outgoing transfer.
    FileTransfer *offerFromPeer(const QString &name, qint64 size);
    // The offer's row once the window shows it, or nullptr.
    QWidget *waitForOfferRow();
    // The state of the file of the open chat's last row that has one, once there is such a row.
    std::optional<AttachmentState> lastFileInChat();

    TestServer m_server;
    FileTestBench m_bench;
};

void tst_UiDirectTransfer::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
}

void tst_UiDirectTransfer::init()
{
    const QString failed = m_bench.start(m_server, QStringLiteral("jftui"), QStringLiteral("jftpeer"),
                                         QStringLiteral("laptop"), NetworkTimeout);
    QVERIFY2(failed.isEmpty(), qPrintable(failed));
    QVERIFY(makeMutualContacts(m_bench.account, m_bench.peer.get()));
    QTRY_VERIFY_WITH_TIMEOUT(
        !m_bench.account->directTransfers().receivingDevice(m_bench.peer->jid()).isEmpty(), NetworkTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(
        !m_bench.peer->directTransfers().receivingDevice(m_bench.account->jid()).isEmpty(), NetworkTimeout);
    window().resize(1100, 720);
    window().show();
    window().openConversation({m_bench.account->jid(), m_bench.peer->jid()});
}

void tst_UiDirectTransfer::cleanup()
{
    m_bench.stop();
}

FileTransfer *tst_UiDirectTransfer::offerFromPeer(const QString &name, qint64 size)
{
    const QString path = randomFile(m_bench.files->path(), name, size);
    const QString device = m_bench.peer->directTransfers().receivingDevice(m_bench.account->jid());
    return device.isEmpty() || path.isEmpty() ? nullptr : m_bench.peer->directTransfers().send(device, path);
}

QWidget *tst_UiDirectTransfer::waitForOfferRow()
{
    QWidget *row = nullptr;
    (void)QTest::qWaitFor(
        [&] { return (row = rowNamed(window().directTransfers(), QStringLiteral("incomingTransferRow"))); },
        NetworkTimeout);
    return row;
}

std::optional<AttachmentState> tst_UiDirectTransfer::lastFileInChat()
{
    std::optional<AttachmentState> found;
    (void)QTest::qWaitFor(
        [&] {
            Ui::MessageListModel *model = window().currentMessages();
            for (int row = model ? model->rowCount() - 1 : -1; row >= 0; --row) {
                const QVariant state = model->index(row).data(Ui::MessageListModel::AttachmentRole);
                if (state.isValid() &&
                    state.value<AttachmentState>().stage != AttachmentState::Stage::Unknown) {
                    found = state.value<AttachmentState>();
                    return true;
                }
            }
            return false;
        },
        NetworkTimeout);
    return found;
}

void tst_UiDirectTransfer::aFileOverTheUploadLimitIsOfferedForADirectTransfer()
{
    const qint64 limit = m_bench.account->uploads().service()->maxFileSize;
    QVERIFY(limit > 0);
    const QString video =
        randomFile(m_bench.files->path(), QStringLiteral("concert.mp4"), limit + 1024 * 1024);
    QPointer<FileTransfer> incoming;
    std::optional<Result<QString>> received;
    QTemporaryDir peerFolder;
    connect(
        &m_bench.peer->directTransfers(), &FileTransferService::offered, this, [&](FileTransfer *transfer) {
            incoming = transfer;
            connect(transfer, &FileTransfer::finished, this, [&](const Result<QString> &r) { received = r; });
            transfer->accept(peerFolder.path());
        });

    Ui::Composer *composer = window().composer();
    composer->addAttachments({video});
    composer->editor()->setFocus();
    QTest::keyClick(composer->editor(), Qt::Key_Return);
    // Not uploaded: the server would refuse it. The window asks instead.
    QCOMPARE(window().uploads()->count(), 0);
    QMessageBox *question = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(
        (question = window().findChild<QMessageBox *>(QStringLiteral("directTransferQuestion"))) != nullptr,
        5000);
    QVERIFY(question->text().contains(QStringLiteral("concert.mp4")));
    QVERIFY(question->informativeText().contains(QStringLiteral("not end-to-end encrypted")));
    auto *send = question->findChild<QPushButton *>(QStringLiteral("sendDirectly"));
    QVERIFY(send);
    send->click();

    Ui::DirectTransfersBar *bar = window().directTransfers();
    QTRY_VERIFY_WITH_TIMEOUT(rowNamed(bar, QStringLiteral("outgoingTransferRow")), 5000);
    QVERIFY(bar->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(received.has_value(), 120000);
    QVERIFY2(isOk(*received), qPrintable(errorOf(*received).detail));
    QCOMPARE(sha256Of(std::get<QString>(*received)), sha256Of(video));
    // The row goes once the contact has the file.
    QTRY_COMPARE_WITH_TIMEOUT(bar->count(), 0, NetworkTimeout);
    QVERIFY(bar->isHidden());

    // The history keeps a record of it, shown from the file that was sent.
    const auto record = lastFileInChat();
    QVERIFY(record);
    QVERIFY(record->attachment.direct);
    QCOMPARE(record->stage, AttachmentState::Stage::Saved);
    QCOMPARE(record->path, video);
    QVERIFY(record->ours);
    QCOMPARE(record->attachment.described.name, QStringLiteral("concert.mp4"));
}

void tst_UiDirectTransfer::aContactsOfferIsAcceptedInTheWindow()
{
    const qint64 size = 3 * 1024 * 1024 + 5;
    QPointer<FileTransfer> outgoing = offerFromPeer(QStringLiteral("slides.pdf"), size);
    QVERIFY(outgoing);
    std::optional<Result<QString>> sent;
    connect(outgoing, &FileTransfer::finished, this, [&](const Result<QString> &r) { sent = r; });
    Ui::DirectTransfersBar *bar = window().directTransfers();
    QWidget *row = waitForOfferRow();
    QVERIFY(row);
    auto *label = row->findChild<QLabel *>(QStringLiteral("transferLabel"));
    QVERIFY(label->text().contains(QStringLiteral("slides.pdf")));
    QVERIFY(label->text().contains(m_bench.peer->jid()));
    saveScreenshot(&window(), QStringLiteral("direct-transfer-offer.png"));
    // Nothing is saved before the user says so.
    QTest::qWait(500);
    QVERIFY(QDir(m_bench.downloads->path()).isEmpty());

    auto *accept = row->findChild<QToolButton *>(QStringLiteral("acceptTransfer"));
    QVERIFY(accept && accept->isVisible());
    accept->click();
    auto *showFolder = row->findChild<QToolButton *>(QStringLiteral("showTransferredFile"));
    QTRY_VERIFY_WITH_TIMEOUT(showFolder->isVisible(), 60000);
    QTRY_VERIFY_WITH_TIMEOUT(sent.has_value(), NetworkTimeout);
    QVERIFY(isOk(*sent));
    const QString saved = QDir(m_bench.downloads->path()).filePath(QStringLiteral("slides.pdf"));
    QCOMPARE(QFileInfo(saved).size(), size);
    QCOMPARE(sha256Of(saved), sha256Of(m_bench.files->filePath(QStringLiteral("slides.pdf"))));
    QVERIFY(label->text().contains(QStringLiteral("Received")));
    saveScreenshot(&window(), QStringLiteral("direct-transfer-received.png"));
    row->findChild<QToolButton *>(QStringLiteral("dismissTransfer"))->click();
    QTRY_COMPARE(bar->count(), 0);

    // The chat keeps it as a received file, kept in the store: not a message anyone can react or reply to.
    const auto record = lastFileInChat();
    QVERIFY(record);
    QVERIFY(record->attachment.direct);
    QCOMPARE(record->stage, AttachmentState::Stage::Saved);
    QCOMPARE(record->path, saved);
    QVERIFY(!record->ours);
    Ui::MessageListModel *model = window().currentMessages();
    const int recordRow = model->rowCount() - 1;
    const ChatMessage message = model->messageAt(recordRow);
    QCOMPARE(message.kind, ChatMessage::Kind::DirectTransfer);
    QCOMPARE(message.direction, ChatMessage::Direction::Incoming);
    QVERIFY(message.storageId > 0);
    std::unique_ptr<QMenu> menu(window().chatController()->menuFor(recordRow, &window()));
    QVERIFY(!menu->findChild<QAction *>(QStringLiteral("replyAction")));
    QVERIFY(!menu->findChild<QMenu *>(QStringLiteral("reactMenu")));
    QVERIFY(menu->findChild<QAction *>(QStringLiteral("showInFolderAction")));
    const auto stored = waitFor(m_bench.app->accountManager().fileStore().find({message.storageId}));
    QVERIFY(isOk(stored));
    const StoredFile file = std::get<QHash<qint64, StoredFile>>(stored).value(message.storageId);
    QCOMPARE(file.path, saved);
    QVERIFY(file.downloaded); // offered for deletion with the conversation
    saveScreenshot(&window(), QStringLiteral("direct-transfer-in-history.png"));

    // Moved away since: the record says so, and a click downloads nothing.
    QVERIFY(QFile::remove(saved));
    m_bench.account->attachments().forget({m_bench.account->jid(), m_bench.peer->jid()});
    QTRY_COMPARE_WITH_TIMEOUT(m_bench.account->attachments().state(message)->stage,
                              AttachmentState::Stage::Missing, NetworkTimeout);
    window().chatController()->activateAttachment(recordRow);
    QTest::qWait(300);
    QCOMPARE(m_bench.account->attachments().state(message)->stage, AttachmentState::Stage::Missing);
    QVERIFY(QDir(m_bench.downloads->path()).isEmpty());
}

void tst_UiDirectTransfer::aContactsOfferIsDeclinedInTheWindow()
{
    QPointer<FileTransfer> outgoing = offerFromPeer(QStringLiteral("unwanted.iso"), 64 * 1024);
    QVERIFY(outgoing);
    std::optional<Result<QString>> sent;
    connect(outgoing, &FileTransfer::finished, this, [&](const Result<QString> &r) { sent = r; });
    Ui::DirectTransfersBar *bar = window().directTransfers();
    QWidget *row = waitForOfferRow();
    QVERIFY(row);
    row->findChild<QToolButton *>(QStringLiteral("declineTransfer"))->click();
    QTRY_VERIFY_WITH_TIMEOUT(sent.has_value(), NetworkTimeout);
    QCOMPARE(errorOf(*sent).code, Error::Code::RequestRefused);
    QCOMPARE(errorOf(*sent).detail, QStringLiteral("declined"));
    QTRY_COMPARE(bar->count(), 0);
    QVERIFY(QDir(m_bench.downloads->path()).isEmpty());
}

QTEST_MAIN(tst_UiDirectTransfer)
#include "tst_ui_directtransfer.moc"
