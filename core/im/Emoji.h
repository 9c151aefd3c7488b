// SPDX-License-Identifier: GPL-3.0-or-later
// The emoji Natter offers in its picker and completes from :shortcodes: while typing.
#pragma once

#include <QList>
#include <QString>

namespace Natter::Core::Emoji {

struct Entry
{
    QString emoji;
    QString name; // the shortcode without colons
};

struct Category
{
    QString name;
    QList<Entry> entries;
};

// Every emoji of the picker, by category.
const QList<Category> &categories();
// The emoji of a shortcode (without colons), or an empty string.
QString forShortcode(const QString &name);
// Shortcodes starting with prefix first, then those containing it; at most max.
QList<Entry> completions(const QString &prefix, int max);
// Entries whose name contains every word of text.
QList<Entry> search(const QString &text);

} // namespace Natter::Core::Emoji
