// SPDX-License-Identifier: GPL-3.0-or-later
// natter-coldstart-bench: a new natter process until its main window is painted with the conversation
// list filled, over a profile of 1,000,000 cached messages in 1,000 conversations.
#include "Application.h"
#include "Await.h"
#include "BenchOutput.h"
#include "StoreGenerator.h"
#include "account/AccountManager.h"
#include "common/Paths.h"
#include "models/ConversationListModel.h"
#include "models/MessageListModel.h"
#include "storage/AccountRepository.h"
#include "storage/Database.h"
#include "storage/MessageRepository.h"
#include "widgets/MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTimer>
#include <algorithm>
#include <cstdio>

namespace Natter::Bench {

namespace {

constexpr int Failed = 1;

constexpr const char *BenchName = "natter-coldstart-bench";

qint64 residentKib()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    return -1;
}

// Fills profile with the generated history once; its account is disabled so nothing connects.
int prepare(const QString &profile, qint64 messages, int conversations)
{
    const QString file = Core::Paths::databaseFile(profile);
    if (QFile::exists(file)) {
        printNote(BenchName, QStringLiteral("reusing %1").arg(file));
        return 0;
    }
    Core::Database db(file);
    if (!Core::isOk(await(db.open())))
        return Failed;
    Core::AccountConfig config;
    config.jid = StoreGenerator::account();
    config.resource = QStringLiteral("bench");
    config.enabled = false;
    config.passwordStorage = Core::AccountConfig::PasswordStorage::AskEachStart;
    if (!Core::isOk(await(Core::AccountRepository(db).save(config))))
        return Failed;
    Core::MessageRepository repository(db);
    const StoreGenerator generator(messages, conversations);
    printNote(BenchName, QStringLiteral("filling %1 with %2 messages in %3 conversations")
                             .arg(file)
                             .arg(messages)
                             .arg(conversations));
    const auto filled = generator.fill(repository, [&](qint64 stored) {
        if (stored % 100000 == 0)
            printNote(BenchName, QStringLiteral("%1 stored").arg(stored));
    });
    if (!Core::isOk(filled)) {
        printNote(BenchName, Core::errorOf(filled).detail);
        return Failed;
    }
    db.waitForIdle();
    return 0;
}

// The measured process: starts like natter does and says "painted" once the window with its filled
// conversation list has been painted.
int child(int argc, char **argv, const QString &profile)
{
    QApplication app(argc, argv);
    App::Application application(profile, {});
    bool loaded = false;
    int rows = 0;
    QObject::connect(&application.mainWindow(), &Ui::MainWindow::conversationsLoaded, &app, [&] {
        loaded = true;
        rows = application.mainWindow().conversations()->rowCount();
    });
    struct PaintWatch : QObject
    {
        std::function<void()> painted;
        bool eventFilter(QObject *watched, QEvent *event) override
        {
            if (event->type() == QEvent::Paint && painted)
                QTimer::singleShot(0, this, painted); // after the paint and the flush that follow it
            return QObject::eventFilter(watched, event);
        }
    } watch;
    QElapsedTimer opening;
    bool finished = false;
    auto conversationShown = [&] {
        const auto *messages = application.mainWindow().currentMessages();
        if (finished || !messages || messages->rowCount() == 0)
            return;
        finished = true;
        watch.painted = nullptr;
        printLine(QStringLiteral("opened_ms %1 rows=%2")
                      .arg(double(opening.nsecsElapsed()) / 1e6, 0, 'f', 1)
                      .arg(messages->rowCount()));
        QCoreApplication::exit(0);
    };
    watch.painted = [&] {
        if (!loaded || opening.isValid())
            return;
        printLine(QStringLiteral("painted rows=%1 rss_kib=%2").arg(rows).arg(residentKib()));
        // Then the user opens the largest conversation: until its newest page is painted.
        watch.painted = conversationShown;
        opening.start();
        application.mainWindow().openConversation(StoreGenerator(1, 1).bigConversation());
    };
    app.installEventFilter(&watch);
    application.start();
    return QCoreApplication::exec();
}

} // namespace

int run(int argc, char **argv)
{
    for (int i = 1; i + 1 < argc; ++i) // the measured child skips the parser: it must start lean
        if (qstrcmp(argv[i], "--child") == 0)
            return child(argc, argv, QString::fromLocal8Bit(argv[i + 1]));

    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Cold start of the main window over a large profile."));
    parser.addHelpOption();
    const QCommandLineOption profileOption(QStringLiteral("profile"),
                                           QStringLiteral("Profile to create once and reuse (required)."),
                                           QStringLiteral("DIR"));
    const QCommandLineOption messagesOption(QStringLiteral("messages"), QStringLiteral("Default 1000000."),
                                            QStringLiteral("N"), QStringLiteral("1000000"));
    const QCommandLineOption conversationsOption(QStringLiteral("conversations"),
                                                 QStringLiteral("Default 1000."), QStringLiteral("M"),
                                                 QStringLiteral("1000"));
    const QCommandLineOption roundsOption(QStringLiteral("rounds"), QStringLiteral("Default 5."),
                                          QStringLiteral("N"), QStringLiteral("5"));
    parser.addOptions({profileOption, messagesOption, conversationsOption, roundsOption});
    parser.process(app);
    const QString profile = parser.value(profileOption);
    if (profile.isEmpty()) {
        printNote(BenchName, QStringLiteral("--profile DIR is required"));
        return 2;
    }
    if (prepare(profile, parser.value(messagesOption).toLongLong(),
                parser.value(conversationsOption).toInt()) != 0)
        return Failed;

    QList<qint64> times;
    QList<double> opens;
    QString last;
    QString opened;
    for (int round = 0; round < std::max(1, parser.value(roundsOption).toInt()); ++round) {
        QProcess process;
        process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        QElapsedTimer clock;
        clock.start();
        process.start(QCoreApplication::applicationFilePath(), {QStringLiteral("--child"), profile});
        if (!process.waitForStarted() || !process.waitForReadyRead(60000)) {
            printNote(BenchName, QStringLiteral("the window never painted"));
            return Failed;
        }
        times.append(clock.nsecsElapsed());
        last = QString::fromUtf8(process.readLine()).trimmed();
        while (!process.canReadLine() && process.waitForReadyRead(30000)) {
        }
        opened = QString::fromUtf8(process.readLine()).trimmed();
        opens.append(opened.section(u' ', 1, 1).toDouble());
        process.waitForFinished(10000);
        printNote(BenchName, QStringLiteral("round %1: %2 ms, %3; %4")
                                 .arg(round)
                                 .arg(double(times.last()) / 1e6, 0, 'f', 1)
                                 .arg(last, opened));
        if (!last.startsWith(u"painted rows=") || last.startsWith(u"painted rows=0 ")) {
            printNote(BenchName, QStringLiteral("the conversation list was empty"));
            return Failed;
        }
    }
    std::sort(times.begin(), times.end());
    printLine(QStringLiteral("cores %1").arg(QThread::idealThreadCount()));
    printLine(QStringLiteral("cold_start_painted_ms %1 (median of %2 new processes; target <= 300)")
                  .arg(double(times.at(times.size() / 2)) / 1e6, 0, 'f', 1)
                  .arg(times.size()));
    printLine(QStringLiteral("cold_start_painted_max_ms %1").arg(double(times.last()) / 1e6, 0, 'f', 1));
    printLine(QStringLiteral("cold_start_window %1").arg(last.mid(8)));
    std::sort(opens.begin(), opens.end());
    printLine(QStringLiteral(
                  "open_largest_conversation_ms %1 (median, to its newest page painted; target <= 30; %2)")
                  .arg(opens.at(opens.size() / 2), 0, 'f', 1)
                  .arg(opened.section(u' ', 2)));
    return 0;
}

} // namespace Natter::Bench

int main(int argc, char **argv)
{
    return Natter::Bench::run(argc, argv);
}
