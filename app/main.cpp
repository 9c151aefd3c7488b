// SPDX-License-Identifier: GPL-3.0-or-later
// natter: the desktop application's entry point.
#include "Application.h"
#include "CommandLine.h"

#include <QApplication>
#include <cstdio>
#include <cstring>

namespace {
void print(FILE *stream, const QString &text)
{
    const QByteArray bytes = text.toLocal8Bit();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}

void setIdentity()
{
    QCoreApplication::setApplicationName(QStringLiteral("Natter"));
    QCoreApplication::setOrganizationName(QStringLiteral("Natter"));
    QCoreApplication::setApplicationVersion(QStringLiteral(NATTER_VERSION));
}

// --help and --version must work without a display (in scripts, over ssh, in CI).
bool onlyPrintsText(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        for (const char *option : {"--help", "-h", "--help-all", "--version", "-v"}) {
            if (std::strcmp(argv[i], option) == 0)
                return true;
        }
    }
    return false;
}
} // namespace

int main(int argc, char *argv[])
{
    std::unique_ptr<QCoreApplication> app;
    if (onlyPrintsText(argc, argv)) {
        app = std::make_unique<QCoreApplication>(argc, argv);
    } else {
        app = std::make_unique<QApplication>(argc, argv);
        QApplication::setApplicationDisplayName(QStringLiteral("Natter"));
        QApplication::setDesktopFileName(QStringLiteral("im.natter.Natter"));
    }
    setIdentity();

    Natter::App::CommandLine commandLine;
    switch (commandLine.parse(QCoreApplication::arguments())) {
    case Natter::App::CommandLine::Outcome::ShowHelp:
        print(stdout, commandLine.helpText());
        return 0;
    case Natter::App::CommandLine::Outcome::ShowVersion:
        print(stdout, QStringLiteral("Natter %1\n").arg(QStringLiteral(NATTER_VERSION)));
        return 0;
    case Natter::App::CommandLine::Outcome::Invalid:
        print(stderr, QStringLiteral("natter: %1\n").arg(commandLine.errorText()));
        return 2;
    case Natter::App::CommandLine::Outcome::Run:
        break;
    }

    Natter::App::Application application(commandLine.profileDirectory(), commandLine.caCertificates());
    application.start();
    return QCoreApplication::exec();
}
