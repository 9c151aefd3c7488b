// SPDX-License-Identifier: GPL-3.0-or-later
// What the file tests start from: the window of an account of ours, online, its downloads going to a folder
// of their own, and a second account (the peer, without a window) online, both having found the server's
// upload service; a folder for the files to send.
#pragma once

#include "RunningApp.h"
#include "account/Preferences.h"
#include "files/AttachmentService.h"
#include "files/HttpUpload.h"
#include "widgets/MainWindow.h"

#include <QTemporaryDir>

namespace Natter::Test {

struct FileTestBench : RunningApp
{
    std::unique_ptr<Core::Account> peer;
    std::unique_ptr<QTemporaryDir> downloads;
    std::unique_ptr<QTemporaryDir> files;

    // Empty once all is up, else what did not come up.
    QString start(TestServer &server, const QString &userPrefix, const QString &peerPrefix,
                  const QString &peerResource, int timeoutMs)
    {
        const QString user = server.registerAccount(userPrefix).value_or(QString());
        const QString peerUser = server.registerAccount(peerPrefix).value_or(QString());
        if (user.isEmpty() || peerUser.isEmpty())
            return QStringLiteral("accounts not registered");
        downloads = std::make_unique<QTemporaryDir>();
        files = std::make_unique<QTemporaryDir>();
        if (!downloads->isValid() || !files->isValid())
            return QStringLiteral("no temporary folders");
        auto running = startApp(server, user, timeoutMs);
        if (!running)
            return QStringLiteral("the app did not come online");
        static_cast<RunningApp &>(*this) = std::move(*running);
        app->mainWindow().preferences().setText(Core::Preferences::Text::DownloadFolder, downloads->path());
        if (account->attachments().policy().folder != downloads->path())
            return QStringLiteral("the download folder was not taken");
        peer = onlineAccount(server, peerUser, peerResource);
        if (!peer)
            return QStringLiteral("the peer did not come online");
        if (!QTest::qWaitFor([this] { return peer->uploads().service() && account->uploads().service(); },
                             timeoutMs))
            return QStringLiteral("no upload service found");
        return {};
    }

    void stop()
    {
        peer.reset();
        if (app)
            app->accountManager().disconnectAll();
        app.reset();
        profile.reset();
        downloads.reset();
        files.reset();
    }
};

} // namespace Natter::Test
