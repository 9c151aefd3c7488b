// SPDX-License-Identifier: GPL-3.0-or-later
// Message Styling (XEP-0393), links, /me and emoji-only messages: the ranges a view formats.
#include "im/Styling.h"

#include <QTest>

using namespace Natter::Core;
using Kind = Styling::Span::Kind;

namespace {
// "Kind:text" for every span but the markup, in order.
QStringList described(const QString &body)
{
    QStringList out;
    for (const Styling::Span &span : Styling::parse(body)) {
        if (span.kind == Kind::Markup)
            continue;
        static const QStringList names = {QStringLiteral("strong"), QStringLiteral("emphasis"),
                                          QStringLiteral("strike"), QStringLiteral("code"),
                                          QStringLiteral("pre"),    QStringLiteral("quote"),
                                          QStringLiteral("markup"), QStringLiteral("link")};
        QString name = names.at(int(span.kind));
        if (span.kind == Kind::Quote)
            name += QString::number(span.depth);
        out.append(name + u':' + body.mid(span.start, span.length));
    }
    return out;
}

QStringList markup(const QString &body)
{
    QStringList out;
    for (const Styling::Span &span : Styling::parse(body)) {
        if (span.kind == Kind::Markup)
            out.append(body.mid(span.start, span.length));
    }
    return out;
}
} // namespace

class tst_Styling : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void spans_data();
    void spans();
    void directivesStayVisibleAsMarkup();
    void blocks_data();
    void blocks();
    void links_data();
    void links();
    void meAndEmoji();
    void hostileBodiesStaySane();
    void mentions_data();
    void mentions();
};

void tst_Styling::spans_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<QStringList>("expected");
    auto row = [](const char *name, const QString &body, const QStringList &expected) {
        QTest::newRow(name) << body << expected;
    };
    row("strong", QStringLiteral("*bold*"), {QStringLiteral("strong:bold")});
    row("emphasis", QStringLiteral("an _emphasis_ here"), {QStringLiteral("emphasis:emphasis")});
    row("strike", QStringLiteral("~gone~"), {QStringLiteral("strike:gone")});
    row("code", QStringLiteral("run `make all` now"), {QStringLiteral("code:make all")});
    row("nested", QStringLiteral("*strong _and emphasis_*"),
        {QStringLiteral("strong:strong _and emphasis_"), QStringLiteral("emphasis:and emphasis")});
    row("nothing inside code", QStringLiteral("`*not strong*`"), {QStringLiteral("code:*not strong*")});
    row("opening inside a word", QStringLiteral("not*strong*"), {});
    row("opening before white space", QStringLiteral("* not strong*"), {});
    row("closing after white space", QStringLiteral("*not strong *"), {});
    row("empty", QStringLiteral("** and __"), {});
    row("one line only", QStringLiteral("*across\nlines*"), {});
    row("first closing wins", QStringLiteral("*a* b*"), {QStringLiteral("strong:a")});
    row("two spans", QStringLiteral("_one_ and ~two~"),
        {QStringLiteral("emphasis:one"), QStringLiteral("strike:two")});
    row("snake_case stays", QStringLiteral("call snake_case_name()"), {});
}

void tst_Styling::spans()
{
    QFETCH(QString, body);
    QFETCH(QStringList, expected);
    QCOMPARE(described(body), expected);
}

void tst_Styling::directivesStayVisibleAsMarkup()
{
    QCOMPARE(
        markup(QStringLiteral("*bold* and `code`")),
        (QStringList{QStringLiteral("*"), QStringLiteral("*"), QStringLiteral("`"), QStringLiteral("`")}));
    QCOMPARE(markup(QStringLiteral("> quoted")), QStringList{QStringLiteral("> ")});
}

void tst_Styling::blocks_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<QStringList>("expected");
    auto row = [](const char *name, const QString &body, const QStringList &expected) {
        QTest::newRow(name) << body << expected;
    };
    row("quote", QStringLiteral("> quoted *text*\nanswer"),
        {QStringLiteral("quote1:> quoted *text*"), QStringLiteral("strong:text")});
    row("nested quote", QStringLiteral(">> deep\n> shallow"),
        {QStringLiteral("quote1:>> deep\n> shallow"), QStringLiteral("quote2:> deep")});
    row("preformatted", QStringLiteral("```\n*not styled*\n```\n*styled*"),
        {QStringLiteral("pre:*not styled*"), QStringLiteral("strong:styled")});
    row("preformatted to the end", QStringLiteral("```python\nprint(1)\nprint(2)"),
        {QStringLiteral("pre:print(1)\nprint(2)")});
    row("preformatted in a quote ends with it", QStringLiteral("> ```\n> code\nafter *x*"),
        {QStringLiteral("quote1:> ```\n> code"), QStringLiteral("pre:code"), QStringLiteral("strong:x")});
}

void tst_Styling::blocks()
{
    QFETCH(QString, body);
    QFETCH(QStringList, expected);
    QCOMPARE(described(body), expected);
}

void tst_Styling::links_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<QStringList>("urls");
    QTest::newRow("https and punctuation") << QStringLiteral("see https://example.org/a?b=c.")
                                           << QStringList{QStringLiteral("https://example.org/a?b=c")};
    QTest::newRow("balanced parenthesis") << QStringLiteral("(see https://en.example.org/X_(y)) now")
                                          << QStringList{QStringLiteral("https://en.example.org/X_(y)")};
    QTest::newRow("xmpp mailto geo")
        << QStringLiteral("xmpp:alice@example.org?message, mailto:bob@example.org or geo:37.78,-122.39;u=35")
        << QStringList{QStringLiteral("xmpp:alice@example.org?message"),
                       QStringLiteral("mailto:bob@example.org"), QStringLiteral("geo:37.78,-122.39;u=35")};
    QTest::newRow("not in code") << QStringLiteral("`https://example.org` and\n```\nhttp://x.example\n```")
                                 << QStringList{};
    QTest::newRow("no other schemes")
        << QStringLiteral("javascript:alert(1) file:///etc/passwd data:x") << QStringList{};
}

void tst_Styling::links()
{
    QFETCH(QString, body);
    QFETCH(QStringList, urls);
    QStringList found;
    for (const Styling::Span &span : Styling::parse(body)) {
        if (span.kind == Kind::Link) {
            found.append(span.url);
            QCOMPARE(body.mid(span.start, span.length), span.url);
        }
    }
    QCOMPARE(found, urls);
}

void tst_Styling::meAndEmoji()
{
    QVERIFY(Styling::isMeCommand(QStringLiteral("/me waves")));
    QVERIFY(!Styling::isMeCommand(QStringLiteral("/meaning")));
    QCOMPARE(Styling::emojiOnlyCount(QStringLiteral("👍")), 1);
    QCOMPARE(Styling::emojiOnlyCount(QStringLiteral("👍🏽")), 1);               // skin tone
    QCOMPARE(Styling::emojiOnlyCount(QStringLiteral("🇩🇪")), 1);                 // flag
    QCOMPARE(Styling::emojiOnlyCount(QStringLiteral("👨‍👩‍👧")), 1); // ZWJ family
    QCOMPARE(Styling::emojiOnlyCount(QStringLiteral("❤️")), 1);                  // with VS16
    QCOMPARE(Styling::emojiOnlyCount(QStringLiteral(" 😀 🎉 😀 ")), 3);
    QCOMPARE(Styling::emojiOnlyCount(QStringLiteral("😀😀😀😀")), 0);
    QCOMPARE(Styling::emojiOnlyCount(QStringLiteral("hi 😀")), 0);
    QCOMPARE(Styling::emojiOnlyCount(QStringLiteral("1")), 0);
    QCOMPARE(Styling::emojiOnlyCount(QString()), 0);
}

void tst_Styling::hostileBodiesStaySane()
{
    // Thousands of directives that never close, or close everything, and deep quotes: no span is invented
    // and the parse ends (quickly: the closings are looked up, not searched for).
    QString unmatched;
    for (int i = 0; i < 10000; ++i)
        unmatched += QStringLiteral(" *a");
    QVERIFY(described(unmatched).isEmpty());
    const QString stars(10000, u'*');
    for (const Styling::Span &span : Styling::parse(stars))
        QVERIFY(span.start >= 0 && span.start + span.length <= stars.size());
    QString deep;
    for (int i = 0; i < 5000; ++i)
        deep += QStringLiteral(">");
    deep += QStringLiteral(" bottom");
    const auto spans = Styling::parse(deep.left(200) + u'\n' + QString(100000, QChar(0x0301)));
    QVERIFY(!spans.isEmpty());
    QCOMPARE(spans.first().kind, Kind::Markup);
}

void tst_Styling::mentions_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("nick");
    QTest::addColumn<bool>("mentioned");
    QTest::newRow("address") << "anna: are you there?" << "Anna" << true;
    QTest::newRow("inside") << "ask @Anna!" << "Anna" << true;
    QTest::newRow("end") << "thanks anna" << "Anna" << true;
    QTest::newRow("longer word") << "annabel is here" << "Anna" << false;
    QTest::newRow("suffix") << "hannah" << "anna" << false;
    QTest::newRow("second occurrence") << "annabel and anna" << "Anna" << true;
    QTest::newRow("nick with space") << "hi Mr Smith." << "Mr Smith" << true;
    QTest::newRow("punctuation nick") << "ok [bot]" << "[bot]" << true;
    QTest::newRow("empty nick") << "anything" << "" << false;
}

void tst_Styling::mentions()
{
    QFETCH(QString, text);
    QFETCH(QString, nick);
    QFETCH(bool, mentioned);
    QCOMPARE(Styling::mentions(text, nick), mentioned);
}

QTEST_GUILESS_MAIN(tst_Styling)
#include "tst_styling.moc"
