// SPDX-License-Identifier: GPL-3.0-or-later
// XML as the console shows it: indented, one element per line (text stays beside its tag), with tags,
// attribute names, attribute values and text in their own colours, as HTML for a QTextBrowser.
#pragma once

#include <QString>

namespace Natter::Ui {

// What does not parse (the stream's own start tag, a broken chunk) is shown as it came, escaped.
QString highlightedXml(const QString &xml);

} // namespace Natter::Ui
