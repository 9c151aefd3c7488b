// SPDX-License-Identifier: GPL-3.0-or-later
// The composer's emoji: :shortcode: completion while typing and the emoji picker, driven with keys and
// clicks on real widgets; Enter still sends when no list is open. Its attachments: files chosen in the file
// dialog, dropped or pasted, and pasted images, wait in the tray and go with Enter.
#include "im/Emoji.h"
#include "widgets/Composer.h"
#include "widgets/chat/AttachmentTray.h"
#include "widgets/chat/EmojiPicker.h"
#include "widgets/chat/ShortcodeCompleter.h"

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocument>
#include <QToolButton>
#include <QUrl>

using namespace Natter;
using Ui::Composer;

class tst_UiComposer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void shortcodesComplete();
    void completeShortcodeBecomesItsEmoji();
    void enterSendsWhenNoListIsOpen();
    void pickerInsertsTheChosenEmoji();
    void emojiTable();
    void pasteIsPlainText();
    void attachDialogAddsTheChosenFiles();
    void attachDialogOpensWhereFilesWereChosenLast();
    void chipShowsNameAndSize();
    void removingAChipRemovesItsFile();
    void droppedFilesAreAttached();
    void droppedWebLinkIsRefused();
    void filesDroppedOnTheEditorAreCopiedNotMoved();
    void pastedImageBecomesAPng();
    void twoPastedImagesGetTwoFiles();
    void unreadablePastedImageShowsAHint();
    void pastedFilesAreAttached();
    void pastedTextIsTextOnly();
    void enterSendsFilesWithTheCaption();
    void enterSendsFilesWithoutCaption();
    void sendButtonIsEnabledByFilesAlone();
    void editingKeepsTheAttachments();
    void onlyReadableFilesAreAttachedOnce();
    void noAttachingWhileSendingIsImpossible();

private:
    // A file written in this test's temporary folder.
    QString writeFile(const QString &name, const QByteArray &content = "hello");
    QList<QFrame *> chips() const;
    QFrame *chipOf(const QString &path) const;
    std::unique_ptr<QWidget> m_window;
    std::unique_ptr<QTemporaryDir> m_files;
    Composer *m_composer = nullptr;
};

void tst_UiComposer::init()
{
    m_window = std::make_unique<QWidget>();
    m_window->resize(700, 300);
    m_composer = new Composer(m_window.get());
    m_composer->setGeometry(0, 150, 700, 150);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_composer->editor()->setFocus();
    m_files = std::make_unique<QTemporaryDir>();
    QVERIFY(m_files->isValid());
}

void tst_UiComposer::cleanup()
{
    m_window.reset();
    m_files.reset();
}

QString tst_UiComposer::writeFile(const QString &name, const QByteArray &content)
{
    QFile file(m_files->filePath(name));
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        qFatal("cannot write %s", qPrintable(file.fileName()));
    return file.fileName();
}

QList<QFrame *> tst_UiComposer::chips() const
{
    return m_composer->attachmentTray()->findChildren<QFrame *>(QStringLiteral("attachmentChip"));
}

QFrame *tst_UiComposer::chipOf(const QString &path) const
{
    for (QFrame *chip : chips()) {
        if (chip->toolTip() == QDir::toNativeSeparators(path))
            return chip;
    }
    return nullptr;
}

void tst_UiComposer::shortcodesComplete()
{
    QPlainTextEdit *editor = m_composer->editor();
    QListWidget *list = m_composer->shortcodeCompleter()->list();
    QTest::keyClicks(editor, QStringLiteral("great :t"));
    QVERIFY(!list->isVisible()); // two letters at least
    QTest::keyClicks(editor, QStringLiteral("hu"));
    QVERIFY(list->isVisible());
    QVERIFY(list->item(0)->text().startsWith(QStringLiteral("👍")));
    QTest::keyClick(editor, Qt::Key_Tab);
    QCOMPARE(editor->toPlainText(), QStringLiteral("great 👍"));
    QVERIFY(!list->isVisible());
    // Down chooses the next match; Enter inserts it and does not send.
    QSignalSpy sent(m_composer, &Composer::sendRequested);
    QTest::keyClicks(editor, QStringLiteral(" :hear"));
    QVERIFY(list->isVisible() && list->count() >= 2);
    const QString second = list->item(1)->data(Qt::UserRole).toString();
    QTest::keyClick(editor, Qt::Key_Down);
    QTest::keyClick(editor, Qt::Key_Return);
    QCOMPARE(editor->toPlainText(), QStringLiteral("great 👍 ") + second);
    QCOMPARE(sent.size(), 0);
    // Esc closes the list; a time is no shortcode.
    QTest::keyClicks(editor, QStringLiteral(" :sm"));
    QVERIFY(list->isVisible());
    QTest::keyClick(editor, Qt::Key_Escape);
    QVERIFY(!list->isVisible());
    QTest::keyClicks(editor, QStringLiteral(" at 10:30"));
    QVERIFY(!list->isVisible());
}

void tst_UiComposer::completeShortcodeBecomesItsEmoji()
{
    QTest::keyClicks(m_composer->editor(), QStringLiteral("that was funny :joy: really :+1:"));
    QCOMPARE(m_composer->text(), QStringLiteral("that was funny 😂 really 👍"));
    // Unknown names stay as typed.
    m_composer->clear();
    QTest::keyClicks(m_composer->editor(), QStringLiteral(":nosuchemoji: ok"));
    QCOMPARE(m_composer->text(), QStringLiteral(":nosuchemoji: ok"));
}

void tst_UiComposer::enterSendsWhenNoListIsOpen()
{
    QSignalSpy sent(m_composer, &Composer::sendRequested);
    QTest::keyClicks(m_composer->editor(), QStringLiteral("first line"));
    QTest::keyClick(m_composer->editor(), Qt::Key_Return, Qt::ShiftModifier);
    QTest::keyClicks(m_composer->editor(), QStringLiteral("second :smile"));
    QTest::keyClick(m_composer->editor(), Qt::Key_Escape);
    QTest::keyClick(m_composer->editor(), Qt::Key_Return);
    QCOMPARE(sent.size(), 1);
    QCOMPARE(sent.first().first().toString(), QStringLiteral("first line\nsecond :smile"));
}

void tst_UiComposer::pickerInsertsTheChosenEmoji()
{
    QTest::keyClicks(m_composer->editor(), QStringLiteral("dinner: "));
    QTest::mouseClick(m_composer->emojiButton(), Qt::LeftButton);
    Ui::EmojiPicker *picker = m_composer->emojiPicker();
    QVERIFY(picker->isVisible());
    QVERIFY(picker->grid()->count() > 100);
    QTest::keyClicks(picker->searchField(), QStringLiteral("pizza"));
    QCOMPARE(picker->grid()->count(), 1);
    QTest::keyClick(picker->searchField(), Qt::Key_Return);
    QVERIFY(!picker->isVisible());
    QCOMPARE(m_composer->text(), QStringLiteral("dinner: 🍕"));
    // A click chooses too.
    QTest::mouseClick(m_composer->emojiButton(), Qt::LeftButton);
    QTest::keyClicks(picker->searchField(), QStringLiteral("tada"));
    QListWidget *grid = picker->grid();
    QTest::mouseClick(grid->viewport(), Qt::LeftButton, {}, grid->visualItemRect(grid->item(0)).center());
    QCOMPARE(m_composer->text(), QStringLiteral("dinner: 🍕🎉"));
}

void tst_UiComposer::emojiTable()
{
    QCOMPARE(Core::Emoji::forShortcode(QStringLiteral("+1")), QStringLiteral("👍"));
    QCOMPARE(Core::Emoji::forShortcode(QStringLiteral("THUMBSUP")), QStringLiteral("👍"));
    QVERIFY(Core::Emoji::forShortcode(QStringLiteral("unknown")).isEmpty());
    const auto matches = Core::Emoji::completions(QStringLiteral("heart"), 3);
    QCOMPARE(matches.size(), 3);
    QCOMPARE(matches.first().name, QStringLiteral("heart"));
    int count = 0;
    for (const auto &category : Core::Emoji::categories())
        count += int(category.entries.size());
    QVERIFY(count >= 150);
}

void tst_UiComposer::pasteIsPlainText()
{
    auto *mime = new QMimeData;
    mime->setHtml(QStringLiteral("<b>bold</b> <img src='https://evil.example/x.png'> <a href='x'>link</a>"));
    mime->setText(QStringLiteral("bold link"));
    QApplication::clipboard()->setMimeData(mime);
    m_composer->editor()->paste();
    QCOMPARE(m_composer->text(), QStringLiteral("bold link"));
    // Nothing but plain text in the document: no image, no anchor, no bold.
    QVERIFY(!m_composer->editor()->document()->toHtml().contains(QStringLiteral("img")));
    QVERIFY(!m_composer->editor()->document()->toHtml().contains(QStringLiteral("href")));
    QVERIFY(!m_composer->editor()->document()->toHtml().contains(QStringLiteral("font-weight:700")));
}

void tst_UiComposer::attachDialogAddsTheChosenFiles()
{
    const QString first = writeFile(QStringLiteral("first.txt"));
    const QString second = writeFile(QStringLiteral("second.txt"));
    QSignalSpy changed(m_composer, &Composer::attachmentsChanged);
    QTest::mouseClick(m_composer->attachButton(), Qt::LeftButton);
    auto *dialog = m_composer->findChild<QFileDialog *>(QStringLiteral("attachDialog"));
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->fileMode(), QFileDialog::ExistingFiles);
    QCOMPARE(dialog->windowModality(), Qt::WindowModal);
    dialog->setDirectory(m_files->path());
    dialog->selectFile(QStringLiteral("\"first.txt\" \"second.txt\""));
    static_cast<QDialog *>(dialog)->accept(); // what Open does (QFileDialog's override is protected)
    QCOMPARE(m_composer->attachments(), (QStringList{first, second}));
    QCOMPARE(changed.size(), 1);
    QVERIFY(m_composer->attachmentTray()->isVisible());
    QCOMPARE(chips().size(), 2);
    QVERIFY(chipOf(first) && chipOf(second));
}

void tst_UiComposer::attachDialogOpensWhereFilesWereChosenLast()
{
    const QString file = writeFile(QStringLiteral("report.pdf"));
    QTest::mouseClick(m_composer->attachButton(), Qt::LeftButton);
    QPointer<QFileDialog> dialog = m_composer->findChild<QFileDialog *>(QStringLiteral("attachDialog"));
    QVERIFY(dialog);
    QVERIFY(dialog->directory().absolutePath() != QDir(m_files->path()).absolutePath());
    dialog->setDirectory(m_files->path());
    dialog->selectFile(file);
    static_cast<QDialog *>(dialog.data())->accept();
    QCOMPARE(m_composer->attachments(), QStringList{file});
    QTRY_VERIFY(!dialog); // closed dialogs go away
    QTest::mouseClick(m_composer->attachButton(), Qt::LeftButton);
    dialog = m_composer->findChild<QFileDialog *>(QStringLiteral("attachDialog"));
    QVERIFY(dialog);
    QCOMPARE(dialog->directory().absolutePath(), QDir(m_files->path()).absolutePath());
    dialog->reject();
    QCOMPARE(m_composer->attachments(), QStringList{file});
}

void tst_UiComposer::chipShowsNameAndSize()
{
    const QString file = writeFile(QStringLiteral("notes.txt"), QByteArray(3000, 'x'));
    m_composer->addAttachments({file});
    QFrame *chip = chipOf(file);
    QVERIFY(chip);
    QCOMPARE(chip->findChild<QLabel *>(QStringLiteral("attachmentName"))->text(),
             QStringLiteral("notes.txt"));
    QCOMPARE(chip->findChild<QLabel *>(QStringLiteral("attachmentSize"))->text(),
             QLocale().formattedDataSize(3000));
    // A long name is elided, in the middle: its end (the type) stays.
    const QString longName = QString(120, u'a') + QStringLiteral(".jpeg");
    const QString longFile = writeFile(longName);
    m_composer->addAttachments({longFile});
    const QString shown = chipOf(longFile)->findChild<QLabel *>(QStringLiteral("attachmentName"))->text();
    QVERIFY(shown.size() < longName.size());
    QVERIFY(shown.endsWith(QStringLiteral(".jpeg")));
}

void tst_UiComposer::removingAChipRemovesItsFile()
{
    const QString first = writeFile(QStringLiteral("first.txt"));
    const QString second = writeFile(QStringLiteral("second.txt"));
    m_composer->addAttachments({first, second});
    QSignalSpy changed(m_composer, &Composer::attachmentsChanged);
    auto *remove = chipOf(first)->findChild<QToolButton *>(QStringLiteral("removeAttachment"));
    QVERIFY(remove);
    QCOMPARE(remove->toolTip(), QStringLiteral("Remove"));
    QTest::mouseClick(remove, Qt::LeftButton);
    QCOMPARE(m_composer->attachments(), QStringList{second});
    QCOMPARE(changed.size(), 1);
    QCOMPARE(chips().size(), 1);
    QVERIFY(!chipOf(first));
    QVERIFY(m_composer->attachmentTray()->isVisible());
    QTest::mouseClick(chipOf(second)->findChild<QToolButton *>(QStringLiteral("removeAttachment")),
                      Qt::LeftButton);
    QVERIFY(m_composer->attachments().isEmpty());
    QVERIFY(chips().isEmpty());
    QVERIFY(!m_composer->attachmentTray()->isVisible());
}

void tst_UiComposer::droppedFilesAreAttached()
{
    const QString first = writeFile(QStringLiteral("first.txt"));
    const QString second = writeFile(QStringLiteral("second.txt"));
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(first), QUrl::fromLocalFile(second)});
    QCOMPARE(Composer::localFilesOf(&mime), (QStringList{first, second}));
    const QPoint inside = m_composer->rect().bottomRight() - QPoint(2, 2);
    QDragEnterEvent enter(inside, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_composer, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(inside, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_composer, &drop);
    QVERIFY(drop.isAccepted());
    QCOMPARE(drop.dropAction(), Qt::CopyAction);
    QCOMPARE(m_composer->attachments(), (QStringList{first, second}));
    QCOMPARE(chips().size(), 2);
}

void tst_UiComposer::droppedWebLinkIsRefused()
{
    QMimeData mime;
    mime.setUrls({QUrl(QStringLiteral("https://example.org/report.pdf"))});
    QVERIFY(Composer::localFilesOf(&mime).isEmpty());
    const QPoint inside = m_composer->rect().bottomRight() - QPoint(2, 2);
    QDragEnterEvent enter(inside, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_composer, &enter);
    QVERIFY(!enter.isAccepted());
    QDropEvent drop(inside, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_composer, &drop);
    QVERIFY(!drop.isAccepted());
    QVERIFY(m_composer->attachments().isEmpty());
    QVERIFY(!m_composer->attachmentTray()->isVisible());
}

void tst_UiComposer::filesDroppedOnTheEditorAreCopiedNotMoved()
{
    const QString file = writeFile(QStringLiteral("photo.jpg"));
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(file)});
    mime.setText(QUrl::fromLocalFile(file).toString());
    QWidget *viewport = m_composer->editor()->viewport();
    // Shift proposes a move.
    QDragEnterEvent enter(QPoint(5, 5), Qt::CopyAction | Qt::MoveAction, &mime, Qt::LeftButton,
                          Qt::ShiftModifier);
    QCOMPARE(enter.proposedAction(), Qt::MoveAction);
    QApplication::sendEvent(viewport, &enter);
    QVERIFY(enter.isAccepted());
    QCOMPARE(enter.dropAction(), Qt::CopyAction);
    QDropEvent drop(QPointF(5, 5), Qt::CopyAction | Qt::MoveAction, &mime, Qt::LeftButton, Qt::ShiftModifier);
    QApplication::sendEvent(viewport, &drop);
    QVERIFY(drop.isAccepted());
    QCOMPARE(drop.dropAction(), Qt::CopyAction);
    QCOMPARE(m_composer->attachments(), QStringList{file});
    QVERIFY(m_composer->text().isEmpty()); // no file:// link typed
}

void tst_UiComposer::pastedImageBecomesAPng()
{
    QImage image(64, 48, QImage::Format_RGB32);
    image.fill(Qt::darkCyan);
    auto *mime = new QMimeData;
    mime->setImageData(image);
    QApplication::clipboard()->setMimeData(mime);
    QSignalSpy changed(m_composer, &Composer::attachmentsChanged);
    m_composer->editor()->paste();
    QTRY_COMPARE(m_composer->attachments().size(), 1);
    QCOMPARE(changed.size(), 1);
    const QString path = m_composer->attachments().constFirst();
    QVERIFY2(QFileInfo(path).fileName().startsWith(QStringLiteral("Pasted image ")), qPrintable(path));
    QVERIFY(path.endsWith(QStringLiteral(".png")));
    QImageReader reader(path);
    QCOMPARE(reader.format(), QByteArray("png"));
    const QImage written = reader.read();
    QCOMPARE(written.size(), QSize(64, 48));
    QCOMPARE(written.pixelColor(10, 10), QColor(Qt::darkCyan));
    QVERIFY(m_composer->text().isEmpty());
    QCOMPARE(chips().size(), 1);
}

void tst_UiComposer::twoPastedImagesGetTwoFiles()
{
    QImage image(20, 10, QImage::Format_RGB32);
    image.fill(Qt::red);
    auto *mime = new QMimeData;
    mime->setImageData(image);
    QApplication::clipboard()->setMimeData(mime);
    // Within the same second, most likely: the second file may not replace the first.
    m_composer->editor()->paste();
    m_composer->editor()->paste();
    QTRY_COMPARE(m_composer->attachments().size(), 2);
    const QStringList paths = m_composer->attachments();
    QVERIFY(paths.at(0) != paths.at(1));
    QVERIFY(QFileInfo::exists(paths.at(0)) && QFileInfo::exists(paths.at(1)));
}

void tst_UiComposer::unreadablePastedImageShowsAHint()
{
    auto *mime = new QMimeData;
    mime->setImageData(QImage());
    QApplication::clipboard()->setMimeData(mime);
    m_composer->editor()->paste();
    auto *hint = m_composer->findChild<QLabel *>(QStringLiteral("composerHint"));
    QVERIFY(hint->isVisible());
    QVERIFY2(hint->text().contains(QStringLiteral("pasted image")), qPrintable(hint->text()));
    QVERIFY(m_composer->attachments().isEmpty());
    // The hint goes with the next file attached.
    m_composer->addAttachments({writeFile(QStringLiteral("a.txt"))});
    QVERIFY(!hint->isVisible());
}

void tst_UiComposer::pastedFilesAreAttached()
{
    const QString first = writeFile(QStringLiteral("first.txt"));
    const QString second = writeFile(QStringLiteral("second.txt"));
    auto *mime = new QMimeData;
    mime->setUrls({QUrl::fromLocalFile(first), QUrl::fromLocalFile(second)});
    mime->setText(first + u'\n' + second);
    QApplication::clipboard()->setMimeData(mime);
    QVERIFY(m_composer->editor()->canPaste());
    m_composer->editor()->paste();
    QCOMPARE(m_composer->attachments(), (QStringList{first, second}));
    QVERIFY(m_composer->text().isEmpty());
}

void tst_UiComposer::pastedTextIsTextOnly()
{
    auto *mime = new QMimeData;
    mime->setUrls({QUrl(QStringLiteral("https://example.org/a.png"))});
    mime->setText(QStringLiteral("see https://example.org/a.png"));
    QApplication::clipboard()->setMimeData(mime);
    QSignalSpy changed(m_composer, &Composer::attachmentsChanged);
    m_composer->editor()->paste();
    QCOMPARE(m_composer->text(), QStringLiteral("see https://example.org/a.png"));
    QVERIFY(m_composer->attachments().isEmpty());
    QCOMPARE(changed.size(), 0);
}

void tst_UiComposer::enterSendsFilesWithTheCaption()
{
    const QString first = writeFile(QStringLiteral("first.txt"));
    const QString second = writeFile(QStringLiteral("second.txt"));
    m_composer->addAttachments({first, second});
    QTest::keyClicks(m_composer->editor(), QStringLiteral("  the two drafts "));
    QSignalSpy filesSent(m_composer, &Composer::sendFilesRequested);
    QSignalSpy textSent(m_composer, &Composer::sendRequested);
    QTest::keyClick(m_composer->editor(), Qt::Key_Return);
    QCOMPARE(filesSent.size(), 1);
    QCOMPARE(filesSent.first().at(0).toStringList(), (QStringList{first, second}));
    QCOMPARE(filesSent.first().at(1).toString(), QStringLiteral("the two drafts"));
    QCOMPARE(textSent.size(), 0);
    QVERIFY(m_composer->attachments().isEmpty());
    QVERIFY(m_composer->text().isEmpty());
    QVERIFY(!m_composer->attachmentTray()->isVisible());
}

void tst_UiComposer::enterSendsFilesWithoutCaption()
{
    const QString file = writeFile(QStringLiteral("photo.jpg"));
    m_composer->addAttachments({file});
    QSignalSpy filesSent(m_composer, &Composer::sendFilesRequested);
    QSignalSpy textSent(m_composer, &Composer::sendRequested);
    QTest::keyClick(m_composer->editor(), Qt::Key_Return);
    QCOMPARE(filesSent.size(), 1);
    QCOMPARE(filesSent.first().at(0).toStringList(), QStringList{file});
    QVERIFY(filesSent.first().at(1).toString().isEmpty());
    QCOMPARE(textSent.size(), 0);
    QVERIFY(m_composer->attachments().isEmpty());
}

void tst_UiComposer::sendButtonIsEnabledByFilesAlone()
{
    auto *send = m_composer->findChild<QPushButton *>(QStringLiteral("sendButton"));
    QVERIFY(!send->isEnabled());
    m_composer->addAttachments({writeFile(QStringLiteral("a.txt"))});
    QVERIFY(send->isEnabled());
    QSignalSpy filesSent(m_composer, &Composer::sendFilesRequested);
    QTest::mouseClick(send, Qt::LeftButton);
    QCOMPARE(filesSent.size(), 1);
    QVERIFY(!send->isEnabled());
    // Clearing the files disables it again.
    m_composer->addAttachments({writeFile(QStringLiteral("b.txt"))});
    m_composer->clearAttachments();
    QVERIFY(!send->isEnabled());
}

void tst_UiComposer::editingKeepsTheAttachments()
{
    const QString file = writeFile(QStringLiteral("photo.jpg"));
    m_composer->addAttachments({file});
    m_composer->setMode(Composer::Mode::Editing, QStringLiteral("Editing your message"),
                        QStringLiteral("teh"));
    auto *send = m_composer->findChild<QPushButton *>(QStringLiteral("sendButton"));
    QVERIFY(!send->isEnabled()); // an edit needs text; the files wait
    m_composer->setText(QStringLiteral("the"));
    QSignalSpy filesSent(m_composer, &Composer::sendFilesRequested);
    QSignalSpy textSent(m_composer, &Composer::sendRequested);
    QTest::keyClick(m_composer->editor(), Qt::Key_Return);
    QCOMPARE(textSent.size(), 1);
    QCOMPARE(textSent.first().first().toString(), QStringLiteral("the"));
    QCOMPARE(filesSent.size(), 0);
    QCOMPARE(m_composer->attachments(), QStringList{file});
    QVERIFY(m_composer->attachmentTray()->isVisible());
    // Back to writing, they go with Enter.
    m_composer->setMode(Composer::Mode::Writing);
    m_composer->clear();
    QVERIFY(send->isEnabled());
    QTest::keyClick(m_composer->editor(), Qt::Key_Return);
    QCOMPARE(filesSent.size(), 1);
}

void tst_UiComposer::onlyReadableFilesAreAttachedOnce()
{
    const QString file = writeFile(QStringLiteral("a.txt"));
    QSignalSpy changed(m_composer, &Composer::attachmentsChanged);
    m_composer->addAttachments(
        {m_files->filePath(QStringLiteral("missing.txt")), m_files->path(), file, file});
    QCOMPARE(m_composer->attachments(), QStringList{file});
    QCOMPARE(changed.size(), 1);
    m_composer->addAttachments({file, QStringLiteral("/no/such/file")});
    QCOMPARE(m_composer->attachments(), QStringList{file});
    QCOMPARE(changed.size(), 1);
    QCOMPARE(chips().size(), 1);
}

void tst_UiComposer::noAttachingWhileSendingIsImpossible()
{
    m_composer->setSendingPossible(false, QStringLiteral("Offline"));
    QVERIFY(!m_composer->attachButton()->isEnabled());
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(writeFile(QStringLiteral("a.txt")))});
    const QPoint inside = m_composer->rect().bottomRight() - QPoint(2, 2);
    QDragEnterEvent enter(inside, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_composer, &enter);
    QVERIFY(!enter.isAccepted());
    QDropEvent drop(inside, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_composer, &drop);
    QVERIFY(m_composer->attachments().isEmpty());
    QCOMPARE(m_composer->findChild<QLabel *>(QStringLiteral("composerHint"))->text(),
             QStringLiteral("Offline"));
    m_composer->setSendingPossible(true);
    QVERIFY(m_composer->attachButton()->isEnabled());
}

QTEST_MAIN(tst_UiComposer)
#include "tst_ui_composer.moc"
