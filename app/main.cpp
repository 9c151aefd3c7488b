// SPDX-License-Identifier: GPL-3.0-or-later
// natter: the desktop application's entry point.
#include "Application.h"
#include "CommandLine.h"

#include <QApplication>
#include <cstdio>

namespace {
void print(FILE *stream, const QString &text)
{
    const QByteArray bytes = text.toLocal8Bit();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}
} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Natter"));
    QApplication::setOrganizationName(QStringLiteral("Natter"));
    QApplication::setApplicationDisplayName(QStringLiteral("Natter"));
    QApplication::setApplicationVersion(QStringLiteral(NATTER_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("im.natter.Natter"));

    Natter::App::CommandLine commandLine;
    switch (commandLine.parse(QApplication::arguments())) {
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
    return app.exec();
}
