// SPDX-License-Identifier: GPL-3.0-or-later
// The composer's emoji: :shortcode: completion while typing and the emoji picker, driven with keys and
// clicks on real widgets; Enter still sends when no list is open.
#include "im/Emoji.h"
#include "widgets/Composer.h"
#include "widgets/chat/EmojiPicker.h"
#include "widgets/chat/ShortcodeCompleter.h"

#include <QApplication>
#include <QClipboard>
#include <QLineEdit>
#include <QListWidget>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>
#include <QTextDocument>
#include <QToolButton>

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

private:
    std::unique_ptr<QWidget> m_window;
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
}

void tst_UiComposer::cleanup()
{
    m_window.reset();
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

QTEST_MAIN(tst_UiComposer)
#include "tst_ui_composer.moc"
