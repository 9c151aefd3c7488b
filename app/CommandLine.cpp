// SPDX-License-Identifier: GPL-3.0-or-later
// Parses the desktop app's command line: --profile, --ca-file, --version, --help.
#include "CommandLine.h"

#include <QFileInfo>

namespace Natter::App {

namespace {
const QString ProfileName = QStringLiteral("profile");
const QString CaFileName = QStringLiteral("ca-file");
} // namespace

CommandLine::CommandLine()
{
    m_parser.setApplicationDescription(tr("Natter, a desktop XMPP client."));
    m_parser.addHelpOption();
    m_parser.addVersionOption();
    m_parser.addOption({ProfileName, tr("Use the profile in DIR instead of the default one."), tr("DIR")});
    m_parser.addOption({CaFileName,
                        tr("Also trust the CA certificates in FILE (PEM), in addition to the system's."),
                        tr("FILE")});
}

CommandLine::Outcome CommandLine::parse(const QStringList &arguments)
{
    if (!m_parser.parse(arguments)) {
        m_error = m_parser.errorText();
        return Outcome::Invalid;
    }
    if (m_parser.isSet(QStringLiteral("help")) || m_parser.isSet(QStringLiteral("help-all")))
        return Outcome::ShowHelp;
    if (m_parser.isSet(QStringLiteral("version")))
        return Outcome::ShowVersion;
    if (!m_parser.positionalArguments().isEmpty()) {
        m_error = tr("Unexpected argument: %1").arg(m_parser.positionalArguments().first());
        return Outcome::Invalid;
    }
    m_profileDirectory = m_parser.value(ProfileName);
    if (m_parser.isSet(CaFileName)) {
        const QString file = m_parser.value(CaFileName);
        if (!QFileInfo(file).isReadable()) {
            m_error = tr("Cannot read the CA file %1.").arg(file);
            return Outcome::Invalid;
        }
        m_caCertificates = QSslCertificate::fromPath(file, QSsl::Pem);
        if (m_caCertificates.isEmpty()) {
            m_error = tr("No PEM certificate in %1.").arg(file);
            return Outcome::Invalid;
        }
    }
    return Outcome::Run;
}

} // namespace Natter::App
