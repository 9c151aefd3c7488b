// SPDX-License-Identifier: GPL-3.0-or-later
// HTTP upload and download throughput over loopback through the test server's http_file_share, plain
// and encrypted (AES-256-GCM, XEP-0454), then direct transfers (Jingle) between two accounts: device to
// device, through the server's SOCKS5 proxy and in-band; with the longest event-loop stall each caused.
// Run with bench/transfer-bench.sh, which starts a throw-away server.
#include "BenchOutput.h"
#include "Contacts.h"
#include "EventLoopProbe.h"
#include "OnlineAccount.h"
#include "TestFiles.h"
#include "TestServer.h"
#include "account/Account.h"
#include "files/HttpDownload.h"
#include "files/HttpUpload.h"
#include "filetransfer/FileTransferService.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <algorithm>

using namespace Natter::Core;
using namespace Natter::Bench;
using namespace Natter::Test;

namespace {

constexpr const char *Bench = "natter-transfer-bench";
constexpr int TransferTimeoutMs = 600'000;

struct Round
{
    double seconds = 0;
    StallProbe::Figures stall;
};

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(values.size() / 2);
}

template <typename Job, typename Value> std::optional<Value> run(Job *job, Round &round)
{
    std::optional<Result<Value>> result;
    QObject::connect(job, &Job::finished, job, [&](const Result<Value> &r) { result = r; });
    StallProbe probe;
    QElapsedTimer clock;
    clock.start();
    probe.start();
    runLoopUntil([&] { return result.has_value(); }, TransferTimeoutMs);
    round.stall = probe.stop();
    round.seconds = clock.nsecsElapsed() / 1e9;
    if (!result || !isOk(*result)) {
        printNote(Bench, QStringLiteral("transfer failed: %1")
                             .arg(result ? errorOf(*result).codeName() + u' ' + errorOf(*result).detail
                                         : QStringLiteral("timeout")));
        return std::nullopt;
    }
    return std::get<Value>(*result);
}

// One direct transfer from sender to receiver's device (accepted at once); its rate in MiB/s, or nullopt.
std::optional<double> sendDirectly(Account &sender, Account &receiver, const QString &device,
                                   const QString &path, const QString &folder, StallProbe::Figures &stall)
{
    QString received;
    QMetaObject::Connection accepting =
        QObject::connect(&receiver.directTransfers(), &FileTransferService::offered, &receiver,
                         [folder, &received](FileTransfer *transfer) {
                             QObject::connect(transfer, &FileTransfer::finished, transfer,
                                              [&received](const Result<QString> &r) {
                                                  received = isOk(r) ? std::get<QString>(r) : QString();
                                              });
                             transfer->accept(folder);
                         });
    Round round;
    // The sender finishes once the receiver confirmed the checked file.
    const auto sent = run<FileTransfer, QString>(sender.directTransfers().send(device, path), round);
    QObject::disconnect(accepting);
    stall = round.stall;
    if (!sent)
        return std::nullopt;
    if (received.isEmpty() || sha256Of(received) != sha256Of(path)) {
        printNote(Bench, QStringLiteral("the received file differs"));
        return std::nullopt;
    }
    QFile::remove(received);
    return double(QFileInfo(path).size()) / (1024 * 1024) / round.seconds;
}

// Direct transfers between two new accounts that are each other's contacts: 0 when all went well.
int benchDirectTransfers(TestServer &server, const QString &source, const QString &small, int rounds)
{
    const auto senderUser = server.registerAccount(QStringLiteral("bench-jft-a"));
    const auto receiverUser = server.registerAccount(QStringLiteral("bench-jft-b"));
    if (!senderUser || !receiverUser)
        return 2;
    auto sender = onlineAccount(server, *senderUser);
    auto receiver = onlineAccount(server, *receiverUser);
    QString device;
    if (!sender || !receiver || !makeMutualContacts(sender.get(), receiver.get()) ||
        !runLoopUntil(
            [&] {
                device = sender->directTransfers().receivingDevice(receiver->jid());
                return !device.isEmpty() && sender->directTransfers().proxy() &&
                       receiver->directTransfers().proxy();
            },
            20000)) {
        printNote(Bench, QStringLiteral("no two contacts online with the server's proxy"));
        return 2;
    }
    QTemporaryDir folder;
    struct Route
    {
        QString name;
        FileTransferService::Settings settings;
        QString file;
    };
    // In-band goes through the server's XMPP stream in 8 KiB blocks: a smaller file.
    const QList<Route> routes = {{QStringLiteral("direct"), {true, true}, source},
                                 {QStringLiteral("proxy"), {false, true}, source},
                                 {QStringLiteral("inband"), {false, false}, small}};
    for (const Route &route : routes) {
        sender->directTransfers().setSettings(route.settings);
        receiver->directTransfers().setSettings(route.settings);
        QList<double> rates;
        qint64 worstBusyNs = 0;
        for (int i = 0; i < rounds; ++i) {
            StallProbe::Figures stall;
            const auto rate = sendDirectly(*sender, *receiver, device, route.file, folder.path(), stall);
            if (!rate)
                return 1;
            rates.append(*rate);
            worstBusyNs = std::max(worstBusyNs, stall.longestBusyNs);
        }
        printLine(QStringLiteral("jingle_%1_rate %2 MiB/s").arg(route.name).arg(median(rates), 0, 'f', 1));
        printLine(QStringLiteral("jingle_%1_longest_busy_turn_ms %2 ms")
                      .arg(route.name)
                      .arg(worstBusyNs / 1e6, 0, 'f', 1));
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption sizeOption(QStringLiteral("size"), QStringLiteral("File size in MiB."),
                                        QStringLiteral("MiB"), QStringLiteral("90"));
    const QCommandLineOption roundsOption(QStringLiteral("rounds"), QStringLiteral("Transfers of each kind."),
                                          QStringLiteral("n"), QStringLiteral("3"));
    parser.addOptions({sizeOption, roundsOption});
    parser.process(app);
    const qint64 size = parser.value(sizeOption).toLongLong() * 1024 * 1024;
    const int rounds = std::max(1, parser.value(roundsOption).toInt());

    TestServer server = TestServer::load();
    if (!server.isValid()) {
        printNote(Bench, server.errorString());
        return 2;
    }
    auto account = onlineAccount(server, QStringLiteral("alice"));
    if (!account || !runLoopUntil([&] { return account->uploads().service().has_value(); }, 10000)) {
        printNote(Bench, QStringLiteral("no online account with an upload service"));
        return 2;
    }
    QTemporaryDir folder;
    const QString source = randomFile(folder.path(), QStringLiteral("bench.bin"), size);
    if (source.isEmpty())
        return 2;
    const double mebibytes = double(size) / (1024 * 1024);

    for (const bool encrypted : {false, true}) {
        QList<double> up, down;
        qint64 worstBusyNs = 0;
        for (int i = 0; i < rounds; ++i) {
            Round upload, download;
            const auto file =
                run<FileUpload, UploadedFile>(account->uploads().upload(source, encrypted), upload);
            if (!file)
                return 1;
            QTemporaryDir target;
            DownloadRequest request;
            request.link = file->link;
            request.folder = target.path();
            request.size = file->size;
            request.sha256 = file->sha256;
            const auto saved = run<FileDownload, QString>(account->downloads().download(request), download);
            if (!saved || sha256Of(*saved) != file->sha256) {
                printNote(Bench, QStringLiteral("the downloaded file differs"));
                return 1;
            }
            up.append(mebibytes / upload.seconds);
            down.append(mebibytes / download.seconds);
            worstBusyNs = std::max({worstBusyNs, upload.stall.longestBusyNs, download.stall.longestBusyNs});
        }
        const QString kind = encrypted ? QStringLiteral("encrypted") : QStringLiteral("plain");
        printLine(QStringLiteral("upload_%1_rate %2 MiB/s").arg(kind).arg(median(up), 0, 'f', 1));
        printLine(QStringLiteral("download_%1_rate %2 MiB/s").arg(kind).arg(median(down), 0, 'f', 1));
        printLine(QStringLiteral("transfer_%1_longest_busy_turn_ms %2 ms")
                      .arg(kind)
                      .arg(worstBusyNs / 1e6, 0, 'f', 1));
    }
    const QString small =
        randomFile(folder.path(), QStringLiteral("bench-small.bin"), std::min<qint64>(size, 4 * 1024 * 1024));
    if (const int failed = benchDirectTransfers(server, source, small, rounds))
        return failed;
    printNote(Bench,
              QStringLiteral("%1 MiB (in-band %2 MiB), median of %3 rounds, loopback, hash and tag checked")
                  .arg(mebibytes)
                  .arg(double(QFileInfo(small).size()) / (1024 * 1024))
                  .arg(rounds));
    return 0;
}
