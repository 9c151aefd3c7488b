// SPDX-License-Identifier: GPL-3.0-or-later
// natter-cli: entry point.
#include "CliCommand.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTimer>
#include <csignal>
#include <unistd.h>

namespace {
int signalPipe[2] = {-1, -1};

// SIGINT and SIGTERM end `listen` cleanly: the handler only writes a byte, the event loop does the rest.
void installQuitOnSignal(QCoreApplication &app)
{
    if (::pipe(signalPipe) != 0)
        return;
    auto *notifier = new QSocketNotifier(signalPipe[0], QSocketNotifier::Read, &app);
    QObject::connect(notifier, &QSocketNotifier::activated, &app, [] { QCoreApplication::exit(0); });
    const auto handler = [](int) {
        const char byte = 1;
        [[maybe_unused]] const auto written = ::write(signalPipe[1], &byte, 1);
    };
    std::signal(SIGINT, handler);
    std::signal(SIGTERM, handler);
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("Natter"));
    QCoreApplication::setOrganizationName(QStringLiteral("Natter"));
    QCoreApplication::setApplicationVersion(QStringLiteral(NATTER_VERSION));
    installQuitOnSignal(app);

    Natter::Cli::CliCommand command;
    QObject::connect(
        &command, &Natter::Cli::CliCommand::finished, &app, [](int code) { QCoreApplication::exit(code); },
        Qt::QueuedConnection);
    QTimer::singleShot(0, &command, [&] { command.start(QCoreApplication::arguments()); });
    return app.exec();
}
