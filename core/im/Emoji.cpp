// SPDX-License-Identifier: GPL-3.0-or-later
#include "Emoji.h"

#include <QHash>
#include <QStringList>
#include <algorithm>

namespace Natter::Core::Emoji {

namespace {

// "emoji name" pairs, one category per string.
Category category(const QString &name, const QStringList &pairs)
{
    Category made{name, {}};
    for (const QString &pair : pairs) {
        const qsizetype space = pair.indexOf(u' ');
        made.entries.append({pair.left(space), pair.mid(space + 1)});
    }
    return made;
}

QList<Category> build()
{
    return {
        category(QStringLiteral("Smileys"), {QStringLiteral("😀 grinning"),
                                             QStringLiteral("😃 smiley"),
                                             QStringLiteral("😄 smile"),
                                             QStringLiteral("😁 grin"),
                                             QStringLiteral("😆 laughing"),
                                             QStringLiteral("😅 sweat_smile"),
                                             QStringLiteral("😂 joy"),
                                             QStringLiteral("🤣 rofl"),
                                             QStringLiteral("🙂 slight_smile"),
                                             QStringLiteral("🙃 upside_down"),
                                             QStringLiteral("😉 wink"),
                                             QStringLiteral("😊 blush"),
                                             QStringLiteral("😇 innocent"),
                                             QStringLiteral("🥰 smiling_face_with_hearts"),
                                             QStringLiteral("😍 heart_eyes"),
                                             QStringLiteral("🤩 star_struck"),
                                             QStringLiteral("😘 kissing_heart"),
                                             QStringLiteral("😋 yum"),
                                             QStringLiteral("😛 stuck_out_tongue"),
                                             QStringLiteral("😜 stuck_out_tongue_winking_eye"),
                                             QStringLiteral("🤪 zany"),
                                             QStringLiteral("🤔 thinking"),
                                             QStringLiteral("🤨 raised_eyebrow"),
                                             QStringLiteral("😐 neutral_face"),
                                             QStringLiteral("😑 expressionless"),
                                             QStringLiteral("😶 no_mouth"),
                                             QStringLiteral("🙄 eye_roll"),
                                             QStringLiteral("😏 smirk"),
                                             QStringLiteral("😬 grimacing"),
                                             QStringLiteral("😌 relieved"),
                                             QStringLiteral("😔 pensive"),
                                             QStringLiteral("😴 sleeping"),
                                             QStringLiteral("😷 mask"),
                                             QStringLiteral("🤒 thermometer_face"),
                                             QStringLiteral("🤢 nauseated"),
                                             QStringLiteral("🥵 hot_face"),
                                             QStringLiteral("🥶 cold_face"),
                                             QStringLiteral("😵 dizzy_face"),
                                             QStringLiteral("🤯 exploding_head"),
                                             QStringLiteral("🥳 partying_face"),
                                             QStringLiteral("😎 sunglasses"),
                                             QStringLiteral("🤓 nerd"),
                                             QStringLiteral("😕 confused"),
                                             QStringLiteral("😟 worried"),
                                             QStringLiteral("😮 open_mouth"),
                                             QStringLiteral("😲 astonished"),
                                             QStringLiteral("😳 flushed"),
                                             QStringLiteral("🥺 pleading"),
                                             QStringLiteral("😢 cry"),
                                             QStringLiteral("😭 sob"),
                                             QStringLiteral("😱 scream"),
                                             QStringLiteral("😤 triumph"),
                                             QStringLiteral("😡 rage"),
                                             QStringLiteral("😠 angry"),
                                             QStringLiteral("🤬 cursing"),
                                             QStringLiteral("😈 smiling_imp"),
                                             QStringLiteral("💀 skull"),
                                             QStringLiteral("💩 poop"),
                                             QStringLiteral("🤡 clown"),
                                             QStringLiteral("👻 ghost"),
                                             QStringLiteral("👽 alien"),
                                             QStringLiteral("🤖 robot")}),
        category(QStringLiteral("People"), {QStringLiteral("👍 thumbsup"),
                                            QStringLiteral("👍 +1"),
                                            QStringLiteral("👎 thumbsdown"),
                                            QStringLiteral("👎 -1"),
                                            QStringLiteral("👌 ok_hand"),
                                            QStringLiteral("✌️ v"),
                                            QStringLiteral("🤞 crossed_fingers"),
                                            QStringLiteral("🤟 love_you_gesture"),
                                            QStringLiteral("🤘 metal"),
                                            QStringLiteral("👋 wave"),
                                            QStringLiteral("🤚 raised_back_of_hand"),
                                            QStringLiteral("✋ raised_hand"),
                                            QStringLiteral("👏 clap"),
                                            QStringLiteral("🙌 raised_hands"),
                                            QStringLiteral("👐 open_hands"),
                                            QStringLiteral("🤝 handshake"),
                                            QStringLiteral("🙏 pray"),
                                            QStringLiteral("💪 muscle"),
                                            QStringLiteral("👀 eyes"),
                                            QStringLiteral("👉 point_right"),
                                            QStringLiteral("👈 point_left"),
                                            QStringLiteral("👆 point_up"),
                                            QStringLiteral("👇 point_down"),
                                            QStringLiteral("🫡 salute"),
                                            QStringLiteral("🤷 shrug"),
                                            QStringLiteral("🤦 facepalm"),
                                            QStringLiteral("🙋 raising_hand"),
                                            QStringLiteral("🙈 see_no_evil"),
                                            QStringLiteral("🙉 hear_no_evil"),
                                            QStringLiteral("🙊 speak_no_evil")}),
        category(QStringLiteral("Hearts"),
                 {QStringLiteral("❤️ heart"), QStringLiteral("🧡 orange_heart"),
                  QStringLiteral("💛 yellow_heart"), QStringLiteral("💚 green_heart"),
                  QStringLiteral("💙 blue_heart"), QStringLiteral("💜 purple_heart"),
                  QStringLiteral("🖤 black_heart"), QStringLiteral("🤍 white_heart"),
                  QStringLiteral("💔 broken_heart"), QStringLiteral("💕 two_hearts"),
                  QStringLiteral("💖 sparkling_heart"), QStringLiteral("💯 100"), QStringLiteral("💋 kiss"),
                  QStringLiteral("🔥 fire"), QStringLiteral("✨ sparkles"), QStringLiteral("⭐ star"),
                  QStringLiteral("🌟 star2"), QStringLiteral("💥 boom")}),
        category(QStringLiteral("Nature and food"), {QStringLiteral("🐶 dog"),
                                                     QStringLiteral("🐱 cat"),
                                                     QStringLiteral("🐭 mouse"),
                                                     QStringLiteral("🦊 fox"),
                                                     QStringLiteral("🐻 bear"),
                                                     QStringLiteral("🐼 panda"),
                                                     QStringLiteral("🐸 frog"),
                                                     QStringLiteral("🐵 monkey_face"),
                                                     QStringLiteral("🐧 penguin"),
                                                     QStringLiteral("🦄 unicorn"),
                                                     QStringLiteral("🐝 bee"),
                                                     QStringLiteral("🦋 butterfly"),
                                                     QStringLiteral("🌸 cherry_blossom"),
                                                     QStringLiteral("🌹 rose"),
                                                     QStringLiteral("🌻 sunflower"),
                                                     QStringLiteral("🌲 evergreen_tree"),
                                                     QStringLiteral("🍀 four_leaf_clover"),
                                                     QStringLiteral("☀️ sunny"),
                                                     QStringLiteral("🌈 rainbow"),
                                                     QStringLiteral("☔ umbrella"),
                                                     QStringLiteral("❄️ snowflake"),
                                                     QStringLiteral("🍎 apple"),
                                                     QStringLiteral("🍌 banana"),
                                                     QStringLiteral("🍓 strawberry"),
                                                     QStringLiteral("🍕 pizza"),
                                                     QStringLiteral("🍔 hamburger"),
                                                     QStringLiteral("🍟 fries"),
                                                     QStringLiteral("🌮 taco"),
                                                     QStringLiteral("🍣 sushi"),
                                                     QStringLiteral("🍰 cake"),
                                                     QStringLiteral("🎂 birthday"),
                                                     QStringLiteral("🍪 cookie"),
                                                     QStringLiteral("🥐 croissant"),
                                                     QStringLiteral("☕ coffee"),
                                                     QStringLiteral("🍵 tea"),
                                                     QStringLiteral("🍺 beer"),
                                                     QStringLiteral("🍷 wine_glass"),
                                                     QStringLiteral("🥂 champagne_glasses")}),
        category(QStringLiteral("Objects and symbols"), {QStringLiteral("🎉 tada"),
                                                         QStringLiteral("🎊 confetti_ball"),
                                                         QStringLiteral("🎁 gift"),
                                                         QStringLiteral("🎈 balloon"),
                                                         QStringLiteral("🏆 trophy"),
                                                         QStringLiteral("⚽ soccer"),
                                                         QStringLiteral("🎮 video_game"),
                                                         QStringLiteral("🎵 musical_note"),
                                                         QStringLiteral("🎸 guitar"),
                                                         QStringLiteral("📷 camera"),
                                                         QStringLiteral("💻 computer"),
                                                         QStringLiteral("📱 iphone"),
                                                         QStringLiteral("⌚ watch"),
                                                         QStringLiteral("💡 bulb"),
                                                         QStringLiteral("📚 books"),
                                                         QStringLiteral("✏️ pencil2"),
                                                         QStringLiteral("📎 paperclip"),
                                                         QStringLiteral("🔒 lock"),
                                                         QStringLiteral("🔑 key"),
                                                         QStringLiteral("🔔 bell"),
                                                         QStringLiteral("📅 date"),
                                                         QStringLiteral("🚀 rocket"),
                                                         QStringLiteral("🚗 car"),
                                                         QStringLiteral("🚲 bike"),
                                                         QStringLiteral("✈️ airplane"),
                                                         QStringLiteral("🏠 house"),
                                                         QStringLiteral("⏰ alarm_clock"),
                                                         QStringLiteral("✅ white_check_mark"),
                                                         QStringLiteral("✔️ heavy_check_mark"),
                                                         QStringLiteral("❌ x"),
                                                         QStringLiteral("❓ question"),
                                                         QStringLiteral("❗ exclamation"),
                                                         QStringLiteral("⚠️ warning"),
                                                         QStringLiteral("🚫 no_entry_sign"),
                                                         QStringLiteral("♻️ recycle"),
                                                         QStringLiteral("➡️ arrow_right"),
                                                         QStringLiteral("⬅️ arrow_left"),
                                                         QStringLiteral("🆗 ok"),
                                                         QStringLiteral("🆒 cool"),
                                                         QStringLiteral("🆕 new")}),
    };
}

const QHash<QString, QString> &byName()
{
    static const QHash<QString, QString> names = [] {
        QHash<QString, QString> map;
        for (const Category &category : categories())
            for (const Entry &entry : category.entries)
                map.insert(entry.name, entry.emoji);
        return map;
    }();
    return names;
}

} // namespace

const QList<Category> &categories()
{
    static const QList<Category> all = build();
    return all;
}

QString forShortcode(const QString &name)
{
    return byName().value(name.toLower());
}

QList<Entry> completions(const QString &prefix, int max)
{
    const QString wanted = prefix.toLower();
    QList<Entry> starting;
    QList<Entry> containing;
    for (const Category &category : categories()) {
        for (const Entry &entry : category.entries) {
            if (entry.name.startsWith(wanted))
                starting.append(entry);
            else if (entry.name.contains(wanted))
                containing.append(entry);
        }
    }
    // The shortest first: the exact name before its longer relatives.
    auto shorter = [](const Entry &a, const Entry &b) { return a.name.size() < b.name.size(); };
    std::stable_sort(starting.begin(), starting.end(), shorter);
    std::stable_sort(containing.begin(), containing.end(), shorter);
    return (starting + containing).mid(0, max);
}

QList<Entry> search(const QString &text)
{
    const QStringList words = text.toLower().split(u' ', Qt::SkipEmptyParts);
    QList<Entry> found;
    for (const Category &category : categories()) {
        for (const Entry &entry : category.entries) {
            if (std::all_of(words.cbegin(), words.cend(),
                            [&entry](const QString &word) { return entry.name.contains(word); }))
                found.append(entry);
        }
    }
    return found;
}

} // namespace Natter::Core::Emoji
