// SPDX-License-Identifier: GPL-3.0-or-later
// How every benchmark prints: figures on stdout, one per line; notes on stderr, named after the benchmark.
#pragma once

#include <QString>
#include <cstdio>

namespace Natter::Bench {

inline void printLine(const QString &line)
{
    std::fputs(qPrintable(line + u'\n'), stdout);
    std::fflush(stdout);
}

inline void printNote(const char *bench, const QString &line)
{
    std::fputs(qPrintable(QString::fromLatin1(bench) + QStringLiteral(": ") + line + u'\n'), stderr);
}

} // namespace Natter::Bench
