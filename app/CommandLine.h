// SPDX-License-Identifier: GPL-3.0-or-later
// Parses the desktop app's command line: --profile, --ca-file, --version, --help.
#pragma once

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSslCertificate>
#include <QStringList>

namespace Natter::App {

class CommandLine
{
    Q_DECLARE_TR_FUNCTIONS(CommandLine)
public:
    enum class Outcome
    {
        Run,
        ShowHelp,
        ShowVersion,
        Invalid,
    };

    CommandLine();

    Outcome parse(const QStringList &arguments);

    QString profileDirectory() const { return m_profileDirectory; }
    QList<QSslCertificate> caCertificates() const { return m_caCertificates; }
    // Why parse() returned Invalid.
    QString errorText() const { return m_error; }
    QString helpText() const { return m_parser.helpText(); }

private:
    QCommandLineParser m_parser;
    QString m_profileDirectory;
    QList<QSslCertificate> m_caCertificates;
    QString m_error;
};

} // namespace Natter::App
