// SPDX-License-Identifier: GPL-3.0-or-later
#include "TestProfile.h"

#include <QDirIterator>
#include <QFile>

namespace Natter::Test {

TestProfile::TestProfile()
    : m_dir(QDir::tempPath() + QStringLiteral("/natter-test-XXXXXX"))
{}

QByteArray TestProfile::allFileContents() const
{
    QByteArray contents;
    QDirIterator it(m_dir.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        if (file.open(QIODevice::ReadOnly))
            contents += file.readAll();
    }
    return contents;
}

} // namespace Natter::Test
