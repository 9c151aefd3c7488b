// SPDX-License-Identifier: GPL-3.0-or-later
// natter-cli: entry point.
#include "CliCommand.h"

#include <QCoreApplication>
#include <QTimer>

#include <csignal>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("Natter"));
    QCoreApplication::setOrganizationName(QStringLiteral("Natter"));
    QCoreApplication::setApplicationVersion(QStringLiteral(NATTER_VERSION));

    std::signal(SIGINT, [](int) { QCoreApplication::exit(0); });
    std::signal(SIGTERM, [](int) { QCoreApplication::exit(0); });

    Natter::Cli::CliCommand command;
    QObject::connect(&command, &Natter::Cli::CliCommand::finished, &app,
                     [](int code) { QCoreApplication::exit(code); }, Qt::QueuedConnection);
    QTimer::singleShot(0, &command, [&] { command.start(QCoreApplication::arguments()); });
    return app.exec();
}
