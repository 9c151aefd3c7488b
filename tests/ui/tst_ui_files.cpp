// SPDX-License-Identifier: GPL-3.0-or-later
// Files in the real main window against a real server (Prosody's http_file_share), with a peer on the
// other side: an image from a contact downloads by itself and shows inline as a thumbnail; files from
// strangers, and files over the automatic limit, wait for a click and leave nothing behind; files from the
// composer go out with their caption after them and show from where they were sent; a cancelled upload
// sends nothing. With NATTER_SCREENSHOT_DIR set, the tests also write the documentation's screenshots.
#include "Application.h"
#include "Contacts.h"
#include "FileTestBench.h"
#include "OnlineAccount.h"
#include "RawStanza.h"
#include "RunningApp.h"
#include "Screenshot.h"
#include "TestFiles.h"
#include "TestProfile.h"
#include "TestServer.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "account/Preferences.h"
#include "files/AttachmentService.h"
#include "files/FileSharing.h"
#include "files/HttpUpload.h"
#include "files/Thumbnailer.h"
#include "messaging/MessageService.h"
#include "models/ConversationListModel.h"
#include "models/MessageListModel.h"
#include "storage/FileRepository.h"
#include "widgets/ChatView.h"
#include "widgets/Composer.h"
#include "widgets/MainWindow.h"
#include "widgets/MessageDelegate.h"
#include "widgets/chat/ChatController.h"
#include "widgets/chat/ConversationDeletion.h"
#include "widgets/chat/UploadsBar.h"

#include <QCheckBox>
#include <QDir>
#include <QImage>
#include <QLabel>
#include <QMessageBox>
#include <QMimeData>
#include <QPainter>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QXmppClient.h>
#include <QXmppFileMetadata.h>
#include <QXmppHash.h>
#include <QXmppMessage.h>
#include <QXmppThumbnail.h>

using namespace Natter;
using namespace Natter::Core;
using namespace Natter::Test;
using Natter::App::Application;
using Role = Ui::MessageListModel::Role;
using Stage = AttachmentState::Stage;

namespace {
constexpr int NetworkTimeout = 20000;

// A photo-like picture: a sky, a sun and a hill.
QString writePicture(const QString &path, QSize size)
{
    QImage image(size, QImage::Format_RGB32);
    QPainter painter(&image);
    painter.fillRect(image.rect(), QColor(0x7e, 0xc8, 0xf0));
    painter.setBrush(QColor(0xff, 0xd5, 0x4f));
    painter.setPen(Qt::NoPen);
    painter.drawEllipse(QPoint(size.width() * 3 / 4, size.height() / 4), size.height() / 8,
                        size.height() / 8);
    painter.setBrush(QColor(0x4c, 0xaf, 0x50));
    painter.drawEllipse(QPoint(size.width() / 3, size.height() * 5 / 4), size.width() * 2 / 3,
                        size.height() * 2 / 3);
    painter.end();
    return image.save(path) ? path : QString();
}

} // namespace

class tst_UiFiles : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void imageFromAContactIsDownloadedAndShownInline();
    void anAnimatedGifPlaysInline();
    void filesFromStrangersWaitForAClick();
    void anImageNotDownloadedShowsItsSendersPreview();
    void largerThanTheLimitWaitsForAClick();
    void filesFromTheComposerGoOutWithTheirCaption();
    void aCancelledUploadSendsNothing();
    void aFailedUploadCanBeRetried();
    void droppedFilesGoToTheComposer();
    void metadataIsSentAndItsHashChecked();
    void deletingAConversationOffersToDeleteItsFiles();

private:
    Ui::MainWindow &window() { return m_bench.app->mainWindow(); }
    Ui::MessageListModel *messages() { return window().currentMessages(); }
    // peer shares the file at path with our account; true once it went out.
    bool share(Account *peer, const QString &path);
    // Opens the chat with jid and waits for a row with a file; its row, or -1.
    int openFileRow(const QString &jid);
    std::optional<AttachmentState> stateAt(int row);
    // Clicks the file's card in row.
    bool clickCard(int row);
    QStringList downloaded() const;

    TestServer m_server;
    FileTestBench m_bench;
};

void tst_UiFiles::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
}

void tst_UiFiles::init()
{
    const QString failed = m_bench.start(m_server, QStringLiteral("fileui"), QStringLiteral("filepeer"),
                                         QStringLiteral("phone"), NetworkTimeout);
    QVERIFY2(failed.isEmpty(), qPrintable(failed));
}

void tst_UiFiles::cleanup()
{
    m_bench.stop();
}

bool tst_UiFiles::share(Account *peer, const QString &path)
{
    FileShare *shared = peer->files().share({peer->jid(), m_bench.account->jid()}, path);
    QSignalSpy finished(shared, &FileShare::finished);
    return finished.wait(NetworkTimeout) && isOk(finished.first().first().value<Result<ChatMessage>>());
}

int tst_UiFiles::openFileRow(const QString &jid)
{
    window().openConversation({m_bench.account->jid(), jid});
    int row = -1;
    (void)QTest::qWaitFor(
        [&] {
            Ui::MessageListModel *model = messages();
            for (int i = model ? model->rowCount() - 1 : -1; i >= 0; --i) {
                if (model->index(i).data(Role::AttachmentRole).isValid()) {
                    row = i;
                    return true;
                }
            }
            return false;
        },
        NetworkTimeout);
    return row;
}

std::optional<AttachmentState> tst_UiFiles::stateAt(int row)
{
    const QVariant state = messages()->index(row).data(Role::AttachmentRole);
    return state.isValid() ? std::optional(state.value<AttachmentState>()) : std::nullopt;
}

bool tst_UiFiles::clickCard(int row)
{
    Ui::ChatView *view = window().chatView();
    view->scrollToBottom();
    QApplication::processEvents();
    const QModelIndex index = messages()->index(row);
    QStyleOptionViewItem option;
    option.initFrom(view);
    option.rect = view->visualRect(index);
    option.font = view->font();
    for (int y = option.rect.top(); y < option.rect.bottom(); y += 2) {
        for (int x = option.rect.left(); x < option.rect.left() + 200; x += 4) {
            if (view->messageDelegate()->hitAt(option, index, QPoint(x, y)).kind ==
                Ui::MessageDelegate::Hit::Kind::Attachment) {
                QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, QPoint(x, y));
                return true;
            }
        }
    }
    return false;
}

QStringList tst_UiFiles::downloaded() const
{
    return QDir(m_bench.downloads->path()).entryList(QDir::Files | QDir::Hidden | QDir::System);
}

void tst_UiFiles::imageFromAContactIsDownloadedAndShownInline()
{
    QVERIFY(makeMutualContacts(m_bench.account, m_bench.peer.get()));
    const QString picture =
        writePicture(m_bench.files->filePath(QStringLiteral("holiday.png")), QSize(1600, 1200));
    QVERIFY(!picture.isEmpty());
    window().resize(1100, 720);
    window().show();
    QVERIFY(share(m_bench.peer.get(), picture));
    const int row = openFileRow(m_bench.peer->jid());
    QVERIFY(row >= 0);

    // Downloaded without a click, saved under its name, and shown as a thumbnail in proportion.
    QTRY_VERIFY_WITH_TIMEOUT(stateAt(row) && stateAt(row)->stage == Stage::Saved, NetworkTimeout);
    const AttachmentState state = *stateAt(row);
    QCOMPARE(QFileInfo(state.path).fileName(), QStringLiteral("holiday.png"));
    QCOMPARE(QFileInfo(state.path).absolutePath(), QFileInfo(m_bench.downloads->path()).absoluteFilePath());
    QCOMPARE(sha256Of(state.path), sha256Of(picture));
    QVERIFY(!state.ours);
    QTRY_VERIFY_WITH_TIMEOUT(!messages()->index(row).data(Role::ThumbnailRole).value<QImage>().isNull(),
                             NetworkTimeout);
    const QImage thumbnail = messages()->index(row).data(Role::ThumbnailRole).value<QImage>();
    QCOMPARE(thumbnail.size(), QSize(Thumbnailer::MaxEdge, Thumbnailer::MaxEdge * 3 / 4));
    // The row grew to hold the picture.
    QVERIFY(window().chatView()->visualRect(messages()->index(row)).height() > thumbnail.height());

    // The store remembers the download and its thumbnail.
    const qint64 id = messages()->messageAt(row).storageId;
    const auto stored = waitFor(m_bench.app->accountManager().fileStore().find({id}));
    QVERIFY(isOk(stored));
    const StoredFile file = std::get<QHash<qint64, StoredFile>>(stored).value(id);
    QCOMPARE(file.path, state.path);
    QVERIFY(file.downloaded);
    QTRY_VERIFY(QFileInfo::exists(stateAt(row)->thumbnailPath));
    // The conversation list names the file instead of showing its link.
    const QModelIndex conversation = window().conversations()->index(0);
    QCOMPARE(conversation.data(Ui::ConversationListModel::PreviewRole).toString(),
             QStringLiteral("📎 holiday.png"));
    saveScreenshot(&window(), QStringLiteral("received-image.png"));
}

void tst_UiFiles::anAnimatedGifPlaysInline()
{
    QVERIFY(makeMutualContacts(m_bench.account, m_bench.peer.get()));
    const QString gif = m_bench.files->filePath(QStringLiteral("wave.gif"));
    {
        QFile file(gif);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(animatedGif({400, 300}, {400, 300}, {Qt::red, Qt::blue}, 150));
    }
    window().resize(1100, 720);
    window().show();
    QVERIFY(share(m_bench.peer.get(), gif));
    const int row = openFileRow(m_bench.peer->jid());
    QVERIFY(row >= 0);
    QTRY_VERIFY_WITH_TIMEOUT(stateAt(row) && stateAt(row)->stage == Stage::Saved, NetworkTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(!messages()->index(row).data(Role::AnimationFrameRole).value<QImage>().isNull(),
                             NetworkTimeout);

    // What the window shows at the picture changes from red to blue and back by itself.
    Ui::ChatView *view = window().chatView();
    view->scrollToBottom();
    const auto shown = [&] {
        const QRect rect = view->visualRect(messages()->index(row));
        const QImage pixels = view->viewport()->grab(rect).toImage();
        // The picture starts below the sender's name: look at its middle.
        return QColor(pixels.pixel(pixels.width() / 4, pixels.height() / 2));
    };
    QTRY_COMPARE_WITH_TIMEOUT(shown(), QColor(Qt::red), 3000);
    QTRY_COMPARE_WITH_TIMEOUT(shown(), QColor(Qt::blue), 3000);
    QTRY_COMPARE_WITH_TIMEOUT(shown(), QColor(Qt::red), 3000);
}

void tst_UiFiles::filesFromStrangersWaitForAClick()
{
    // Not in our contacts: nothing is downloaded until we ask.
    const QString notes = randomFile(m_bench.files->path(), QStringLiteral("notes.txt"), 20000);
    QVERIFY(share(m_bench.peer.get(), notes));
    const int row = openFileRow(m_bench.peer->jid());
    QVERIFY(row >= 0);
    QTRY_VERIFY_WITH_TIMEOUT(stateAt(row) && stateAt(row)->stage == Stage::Remote, NetworkTimeout);
    QTest::qWait(1500);
    QCOMPARE(stateAt(row)->stage, Stage::Remote);
    QVERIFY(downloaded().isEmpty());
    window().resize(1100, 720);
    window().show();
    saveScreenshot(&window(), QStringLiteral("received-file.png"));

    QVERIFY(clickCard(row));
    QTRY_VERIFY_WITH_TIMEOUT(stateAt(row)->stage == Stage::Saved, NetworkTimeout);
    QCOMPARE(sha256Of(stateAt(row)->path), sha256Of(notes));
    QCOMPARE(downloaded(), QStringList{QStringLiteral("notes.txt")});
}

void tst_UiFiles::anImageNotDownloadedShowsItsSendersPreview()
{
    // From a stranger: not downloaded, but the preview its sender put in the message shows at once, as large
    // as the image's thumbnail will be.
    const QString picture =
        writePicture(m_bench.files->filePath(QStringLiteral("beach.png")), QSize(1600, 1200));
    QVERIFY(share(m_bench.peer.get(), picture));
    window().resize(1100, 720);
    window().show();
    const int row = openFileRow(m_bench.peer->jid());
    QVERIFY(row >= 0);
    QTRY_VERIFY_WITH_TIMEOUT(stateAt(row) && stateAt(row)->stage == Stage::Remote, NetworkTimeout);
    QVERIFY(!stateAt(row)->attachment.described.thumbnail.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(!messages()->index(row).data(Role::ThumbnailRole).value<QImage>().isNull(),
                             NetworkTimeout);
    const QImage preview = messages()->index(row).data(Role::ThumbnailRole).value<QImage>();
    const QSize previewSize(Thumbnailer::SharedPreviewEdge, Thumbnailer::SharedPreviewEdge * 3 / 4);
    QCOMPARE(preview.size(), previewSize);
    const int previewHeight = window().chatView()->visualRect(messages()->index(row)).height();
    QVERIFY2(previewHeight > Thumbnailer::MaxEdge * 3 / 4, qPrintable(QString::number(previewHeight)));
    QVERIFY(downloaded().isEmpty());
    saveScreenshot(&window(), QStringLiteral("image-preview.png"));

    // It is stored with the message.
    const qint64 id = messages()->messageAt(row).storageId;
    const auto stored = waitFor(m_bench.app->accountManager().fileStore().find({id}));
    QVERIFY(isOk(stored));
    const auto storedFiles = std::get<QHash<qint64, StoredFile>>(stored);
    QCOMPARE(storedFiles.value(id).described.thumbnail, stateAt(row)->attachment.described.thumbnail);

    // A click downloads it; its own thumbnail takes the preview's place and the row keeps its height.
    QVERIFY(clickCard(row));
    QTRY_VERIFY_WITH_TIMEOUT(stateAt(row)->stage == Stage::Saved, NetworkTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(messages()->index(row).data(Role::ThumbnailRole).value<QImage>().size(),
                              QSize(Thumbnailer::MaxEdge, Thumbnailer::MaxEdge * 3 / 4), NetworkTimeout);
    QTRY_COMPARE(window().chatView()->visualRect(messages()->index(row)).height(), previewHeight);
}

void tst_UiFiles::largerThanTheLimitWaitsForAClick()
{
    QVERIFY(makeMutualContacts(m_bench.account, m_bench.peer.get()));
    window().preferences().setText(Preferences::Text::AutoDownloadLimitMiB, QStringLiteral("1"));
    QCOMPARE(m_bench.account->attachments().policy().autoDownloadLimit, 1024 * 1024);
    const QString video = randomFile(m_bench.files->path(), QStringLiteral("clip.mp4"), 1536 * 1024);
    QVERIFY(share(m_bench.peer.get(), video));
    const int row = openFileRow(m_bench.peer->jid());
    QVERIFY(row >= 0);
    // Larger than the limit (its metadata says so, or the download stops there): nothing is kept.
    QTRY_VERIFY_WITH_TIMEOUT(stateAt(row) && stateAt(row)->stage != Stage::Unknown, NetworkTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(stateAt(row)->stage, Stage::Remote, NetworkTimeout);
    QVERIFY2(downloaded().isEmpty(), qPrintable(downloaded().join(u',')));
    QVERIFY(stateAt(row)->error.code == Error::Code::None);

    window().chatController()->activateAttachment(row);
    QTRY_COMPARE_WITH_TIMEOUT(stateAt(row)->stage, Stage::Saved, NetworkTimeout);
    QCOMPARE(sha256Of(stateAt(row)->path), sha256Of(video));
}

void tst_UiFiles::filesFromTheComposerGoOutWithTheirCaption()
{
    QVERIFY(makeMutualContacts(m_bench.account, m_bench.peer.get()));
    QList<QXmppMessage> peerGot;
    connect(&m_bench.peer->client(), &QXmppClient::messageReceived, this, [&](const QXmppMessage &message) {
        if (!message.body().isEmpty())
            peerGot.append(message);
    });
    window().resize(1100, 720);
    window().show();
    window().openConversation({m_bench.account->jid(), m_bench.peer->jid()});
    const QString picture =
        writePicture(m_bench.files->filePath(QStringLiteral("sunset.png")), QSize(1200, 800));
    const QString report = randomFile(m_bench.files->path(), QStringLiteral("report.pdf"), 300000);
    Ui::Composer *composer = window().composer();
    composer->addAttachments({picture, report});
    QCOMPARE(composer->attachments().size(), 2);
    QPlainTextEdit *editor = composer->editor();
    editor->setFocus();
    QTest::keyClicks(editor, QStringLiteral("Pictures from yesterday"));
    QTest::keyClick(editor, Qt::Key_Return);
    QVERIFY(composer->attachments().isEmpty());
    QVERIFY(composer->text().isEmpty());
    QCOMPARE(window().uploads()->count(), 2);

    // Both files, then the caption, in that order.
    QTRY_COMPARE_WITH_TIMEOUT(peerGot.size(), 3, NetworkTimeout);
    QVERIFY(peerGot.at(0).outOfBandUrl().startsWith(QStringLiteral("https://")));
    QVERIFY(peerGot.at(1).outOfBandUrl().startsWith(QStringLiteral("https://")));
    QCOMPARE(peerGot.at(2).body(), QStringLiteral("Pictures from yesterday"));
    QStringList names;
    for (int i = 0; i < 2; ++i)
        names.append(QUrl(peerGot.at(i).outOfBandUrl()).fileName());
    names.sort();
    QCOMPARE(names, (QStringList{QStringLiteral("report.pdf"), QStringLiteral("sunset.png")}));
    QCOMPARE(window().uploads()->count(), 0);
    QVERIFY(window().uploads()->isHidden());

    // Our own files show from where they were sent; the picture inline.
    int pictureRow = -1;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (int row = 0; row < messages()->rowCount(); ++row) {
                const auto state = stateAt(row);
                if (state && state->path == picture && state->ours && state->stage == Stage::Saved)
                    pictureRow = row;
            }
            return pictureRow >= 0;
        }(),
        NetworkTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(
        !messages()->index(pictureRow).data(Role::ThumbnailRole).value<QImage>().isNull(), NetworkTimeout);
    QCOMPARE(messages()->messageAt(messages()->rowCount() - 1).body,
             QStringLiteral("Pictures from yesterday"));
    QVERIFY(downloaded().isEmpty());
    saveScreenshot(&window(), QStringLiteral("sent-files.png"));
}

void tst_UiFiles::aCancelledUploadSendsNothing()
{
    QVERIFY(makeMutualContacts(m_bench.account, m_bench.peer.get()));
    int peerGot = 0;
    connect(&m_bench.peer->client(), &QXmppClient::messageReceived, this, [&](const QXmppMessage &message) {
        if (!message.body().isEmpty())
            ++peerGot;
    });
    window().resize(1100, 720);
    window().show();
    window().openConversation({m_bench.account->jid(), m_bench.peer->jid()});
    const QString large = randomFile(m_bench.files->path(), QStringLiteral("backup.tar"), 90 * 1024 * 1024);
    QVERIFY(!large.isEmpty());
    const int rowsBefore = messages()->rowCount();
    window().composer()->addAttachments({large});
    QTest::keyClick(window().composer()->editor(), Qt::Key_Return);
    QCOMPARE(window().uploads()->count(), 1);
    // Hashed, then uploaded with progress.
    auto *progress = window().uploads()->findChild<QProgressBar *>(QStringLiteral("uploadProgress"));
    QVERIFY(progress);
    // (A picture for the documentation shows it a quarter of the way.)
    const int shown = qEnvironmentVariableIsEmpty("NATTER_SCREENSHOT_DIR") ? 0 : 250;
    QTRY_VERIFY_WITH_TIMEOUT(progress->maximum() > 0 && progress->value() > shown, NetworkTimeout);
    saveScreenshot(&window(), QStringLiteral("upload-in-progress.png"));
    auto *cancel = window().uploads()->findChild<QToolButton *>(QStringLiteral("cancelUpload"));
    QVERIFY(cancel);
    cancel->click();
    QTRY_COMPARE_WITH_TIMEOUT(window().uploads()->count(), 0, NetworkTimeout);
    QTest::qWait(1500);
    QCOMPARE(peerGot, 0);
    QCOMPARE(messages()->rowCount(), rowsBefore);
    // The composer is ready for the next file.
    QVERIFY(window().composer()->attachments().isEmpty());
}

void tst_UiFiles::aFailedUploadCanBeRetried()
{
    QVERIFY(makeMutualContacts(m_bench.account, m_bench.peer.get()));
    QStringList links;
    connect(&m_bench.peer->client(), &QXmppClient::messageReceived, this, [&](const QXmppMessage &message) {
        if (!message.outOfBandUrl().isEmpty())
            links.append(message.outOfBandUrl());
    });
    window().openConversation({m_bench.account->jid(), m_bench.peer->jid()});
    // The file went away between choosing it and sending it.
    const QString path = m_bench.files->filePath(QStringLiteral("moved.pdf"));
    window().uploads()->share(m_bench.account, {m_bench.account->jid(), m_bench.peer->jid()}, {path}, {});
    QWidget *row = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(
        (row = window().uploads()->findChild<QWidget *>(QStringLiteral("failedUploadRow"))) != nullptr,
        NetworkTimeout);
    QVERIFY(row->findChild<QLabel *>()->text().contains(QStringLiteral("moved.pdf")));
    QCOMPARE(window().uploads()->count(), 1);
    QVERIFY(links.isEmpty());
    // Back in place: Retry sends it.
    QCOMPARE(randomFile(m_bench.files->path(), QStringLiteral("moved.pdf"), 20000), path);
    auto *retry = row->findChild<QToolButton *>(QStringLiteral("retryUpload"));
    QVERIFY(retry && retry->isVisible());
    retry->click();
    QTRY_COMPARE_WITH_TIMEOUT(links.size(), 1, NetworkTimeout);
    QCOMPARE(QUrl(links.first()).fileName(), QStringLiteral("moved.pdf"));
    QTRY_COMPARE_WITH_TIMEOUT(window().uploads()->count(), 0, NetworkTimeout);

    // A failure can also just be dismissed.
    window().uploads()->share(m_bench.account, {m_bench.account->jid(), m_bench.peer->jid()},
                              {m_bench.files->filePath(QStringLiteral("gone.pdf"))}, {});
    QTRY_VERIFY_WITH_TIMEOUT(
        (row = window().uploads()->findChild<QWidget *>(QStringLiteral("failedUploadRow"))) != nullptr,
        NetworkTimeout);
    row->findChild<QToolButton *>(QStringLiteral("dismissUpload"))->click();
    QTRY_COMPARE(window().uploads()->count(), 0);
    QVERIFY(window().uploads()->isHidden());
    QCOMPARE(links.size(), 1);
}

void tst_UiFiles::droppedFilesGoToTheComposer()
{
    window().openConversation({m_bench.account->jid(), m_bench.peer->jid()});
    const QString notes = randomFile(m_bench.files->path(), QStringLiteral("dropped.txt"), 100);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(notes)});
    Ui::ChatView *view = window().chatView();
    const QPoint middle = view->viewport()->rect().center();
    QDragEnterEvent enter(middle, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view->viewport(), &enter);
    QVERIFY(enter.isAccepted());
    // Shift asks for a move; the file stays where it is all the same.
    QDropEvent drop(middle, Qt::CopyAction | Qt::MoveAction, &mime, Qt::LeftButton, Qt::ShiftModifier);
    QApplication::sendEvent(view->viewport(), &drop);
    QCOMPARE(drop.dropAction(), Qt::CopyAction);
    QCOMPARE(window().composer()->attachments(), QStringList{notes});

    // A link from a web page is no file.
    QMimeData link;
    link.setUrls({QUrl(QStringLiteral("https://example.org/page.html"))});
    QDragEnterEvent refused(middle, Qt::CopyAction, &link, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view->viewport(), &refused);
    QVERIFY(!refused.isAccepted());
}

void tst_UiFiles::metadataIsSentAndItsHashChecked()
{
    QVERIFY(makeMutualContacts(m_bench.account, m_bench.peer.get()));
    QList<QXmppMessage> peerGot;
    connect(&m_bench.peer->client(), &QXmppClient::messageReceived, this, [&](const QXmppMessage &message) {
        if (!message.body().isEmpty())
            peerGot.append(message);
    });
    window().openConversation({m_bench.account->jid(), m_bench.peer->jid()});
    // Ours carry what the file is (XEP-0447/XEP-0446), with the hash the peer can check.
    const QString picture = writePicture(m_bench.files->filePath(QStringLiteral("map.png")), QSize(640, 480));
    window().composer()->addAttachments({picture});
    QTest::keyClick(window().composer()->editor(), Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(peerGot.size(), 1, NetworkTimeout);
    const QVector<QXmppFileShare> shares = peerGot.first().sharedFiles();
    QCOMPARE(shares.size(), 1);
    QCOMPARE(shares.first().metadata().filename(), std::optional(QStringLiteral("map.png")));
    QCOMPARE(shares.first().metadata().size(), std::optional<uint64_t>(QFileInfo(picture).size()));
    QCOMPARE(shares.first().metadata().width(), std::optional<uint32_t>(640));
    QCOMPARE(shares.first().metadata().hashes().size(), 1);
    QCOMPARE(shares.first().metadata().hashes().first().hash(), sha256Of(picture));
    // With a preview in the message itself (XEP-0264, as Dino sends it): a tiny PNG in proportion.
    QCOMPARE(shares.first().metadata().thumbnails().size(), 1);
    const QString uri = shares.first().metadata().thumbnails().first().uri();
    QVERIFY2(uri.startsWith(QStringLiteral("data:image/png;base64,")), qPrintable(uri.left(40)));
    QImage preview;
    QVERIFY(preview.loadFromData(QByteArray::fromBase64(uri.mid(uri.indexOf(u',') + 1).toLatin1()), "PNG"));
    const QSize previewSize(Thumbnailer::SharedPreviewEdge, Thumbnailer::SharedPreviewEdge * 3 / 4);
    QCOMPARE(preview.size(), previewSize);
    QCOMPARE(shares.first().metadata().thumbnails().first().width(),
             std::optional<uint32_t>(Thumbnailer::SharedPreviewEdge));

    // A contact's file whose content is not what its metadata says: refused, nothing kept.
    const QString real = randomFile(m_bench.files->path(), QStringLiteral("contract.pdf"), 50000);
    FileUpload *upload = m_bench.peer->uploads().upload(real, false);
    QSignalSpy uploaded(upload, &FileUpload::finished);
    QVERIFY(uploaded.wait(NetworkTimeout));
    const auto file = uploaded.first().first().value<Result<UploadedFile>>();
    QVERIFY(isOk(file));
    const QString link = std::get<UploadedFile>(file).link;
    const QString wrongHash = QString::fromLatin1(QByteArray(32, '\x42').toBase64());
    QVERIFY(
        sendRaw(m_bench.peer->client(),
                QStringLiteral("<message xmlns='jabber:client' to='%1' type='chat' id='forged-hash'>"
                               "<body>%2</body><x xmlns='jabber:x:oob'><url>%2</url></x>"
                               "<file-sharing xmlns='urn:xmpp:sfs:0' disposition='attachment'>"
                               "<file xmlns='urn:xmpp:file:metadata:0'><name>contract.pdf</name>"
                               "<size>50000</size><hash xmlns='urn:xmpp:hashes:2' algo='sha-256'>%3</hash>"
                               "</file><sources><url-data xmlns='http://jabber.org/protocol/url-data' "
                               "target='%2'/></sources></file-sharing></message>")
                    .arg(m_bench.account->jid(), link.toHtmlEscaped(), wrongHash)));
    int row = -1;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            row = messages()->rowOf(QStringLiteral("forged-hash"));
            return row >= 0;
        }(),
        NetworkTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(stateAt(row)->stage, Stage::Failed, NetworkTimeout);
    QCOMPARE(stateAt(row)->error.code, Error::Code::HashMismatch);
    QCOMPARE(stateAt(row)->attachment.described.name, QStringLiteral("contract.pdf"));
    QVERIFY2(downloaded().isEmpty(), qPrintable(downloaded().join(u',')));
}

void tst_UiFiles::deletingAConversationOffersToDeleteItsFiles()
{
    QVERIFY(makeMutualContacts(m_bench.account, m_bench.peer.get()));
    const ConversationKey key{m_bench.account->jid(), m_bench.peer->jid()};
    const auto receivePicture = [&](const QString &name) -> QString {
        const QString picture = writePicture(m_bench.files->filePath(name), QSize(800, 600));
        if (!share(m_bench.peer.get(), picture)) {
            qWarning("%s was not shared", qPrintable(name));
            return {};
        }
        const int row = openFileRow(m_bench.peer->jid());
        if (row >= 0)
            qInfo() << name << "is in row" << row << "stage" << int(stateAt(row)->stage);
        if (row < 0 ||
            !QTest::qWaitFor(
                [&] { return stateAt(row)->stage == Stage::Saved && !stateAt(row)->thumbnailPath.isEmpty(); },
                NetworkTimeout))
            return {};
        return stateAt(row)->path;
    };
    const auto deleteConversation = [&](bool withFiles) {
        QSignalSpy deleted(window().conversationDeletion(), &Ui::ConversationDeletion::deleted);
        window().conversationDeletion()->start(key);
        QMessageBox *box = nullptr;
        if (!QTest::qWaitFor(
                [&] {
                    return (box = window().findChild<QMessageBox *>(
                                QStringLiteral("confirmConversationDeletion")));
                },
                5000))
            return -1;
        if (!box->checkBox())
            return -2;
        box->checkBox()->setChecked(withFiles);
        box->findChild<QPushButton *>(QStringLiteral("confirmButton"))->click();
        return deleted.wait(NetworkTimeout) ? deleted.first().at(1).toInt() : -3;
    };

    // Kept files stay where they are; only the conversation goes.
    const QString first = receivePicture(QStringLiteral("first.png"));
    QVERIFY(!first.isEmpty());
    const QString firstThumbnail = stateAt(messages()->rowCount() - 1)->thumbnailPath;
    QCOMPARE(deleteConversation(false), 0);
    QVERIFY(window().conversations()->messages(key) == nullptr);
    QVERIFY(QFileInfo::exists(first));
    QVERIFY(!QFileInfo::exists(firstThumbnail));
    const auto none = waitFor(m_bench.app->accountManager().fileStore().savedIn(key));
    QVERIFY(isOk(none) && std::get<QList<StoredFile>>(none).isEmpty());

    // With the box ticked, the files downloaded from it go too; what we sent ourselves never does.
    const QString own = writePicture(m_bench.files->filePath(QStringLiteral("own.png")), QSize(300, 200));
    const QString second = receivePicture(QStringLiteral("second.png"));
    QVERIFY(!second.isEmpty());
    window().composer()->addAttachments({own});
    QTest::keyClick(window().composer()->editor(), Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(window().uploads()->count(), 0, NetworkTimeout);
    QCOMPARE(deleteConversation(true), 1);
    QVERIFY(!QFileInfo::exists(second));
    QVERIFY(QFileInfo::exists(own));
    QVERIFY(QFileInfo::exists(first)); // from the conversation deleted before
    QVERIFY(window().currentMessages() == nullptr);
}

QTEST_MAIN(tst_UiFiles)
#include "tst_ui_files.moc"
