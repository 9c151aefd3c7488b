// SPDX-License-Identifier: GPL-3.0-or-later
// Runs one natter-cli command on the core and turns the result into an exit code.
#pragma once

#include "common/Error.h"
#include "common/Result.h"
#include "disco/AdHocCommand.h"
#include "domain/ChatMessage.h"
#include "storage/ConversationRepository.h"

#include <QCommandLineParser>
#include <QMultiMap>
#include <QObject>
#include <functional>
#include <memory>
#include <optional>

class QTimer;

namespace Natter::Core {
class Account;
class AccountManager;
} // namespace Natter::Core

namespace Natter::Cli {

class CliCommand : public QObject
{
    Q_OBJECT
public:
    enum ExitCode
    {
        Ok = 0,
        UsageError = 1,
        Failed = 2
    };

    explicit CliCommand(QObject *parent = nullptr);
    ~CliCommand() override;

    // Parses arguments and starts the command; the process exits through finished().
    void start(const QStringList &arguments);

Q_SIGNALS:
    void finished(int exitCode);

private:
    void run();
    void addAccount(const QStringList &args);
    void listAccounts();
    void removeAccount(const QStringList &args);
    void send(const QStringList &args);
    // send --encrypted: the conversation is "on" for this message (restored afterwards unless that
    // would turn an "automatic" one back after an encrypted message).
    void sendEncrypted(Core::Account *account, const Core::ChatMessage &message);
    void restoreChoiceThenReport(Core::Account *account, const Core::ConversationKey &conversation,
                                 Core::EncryptionChoice before, const Core::Result<Core::ChatMessage> &sent);
    void omemoFingerprints(const QStringList &args);
    void omemoTrust(const QStringList &args);
    void disco(const QStringList &args);
    void adHocCommand(const QStringList &args);
    // Shows a stage's notes; answers its form from answers (--field) and goes on, or ends with its result.
    void continueCommand(Core::Account *account, Core::AdHocCommand *command,
                         const QMultiMap<QString, QString> &answers,
                         Core::Result<Core::AdHocCommand::Stage> &&result, int stages);
    // Calls onReady once the account's OMEMO keys are loaded (the first connection creates them).
    void whenEncryptionReady(Core::Account *account, std::function<void()> onReady);
    // A started single-shot timer of --timeout seconds, owned by owner, that fails the command with error().
    QTimer *failAfterTimeout(QObject *owner, std::function<Core::Error()> error);
    // Prints the sent message (and whether the server acknowledged it), disconnects and ends the command.
    void reportSent(Core::Account *account, const Core::ChatMessage &sent);
    // reply, correct, retract and react: on a message of the store, found by its id.
    void actOnMessage(const QString &command, const QStringList &args);
    void listen();
    void join(const QStringList &args);
    void sendToRoom(Core::Account *account, const QString &room, const QString &nick, const QString &text);
    void joinRoom(Core::Account *account, const QString &room, const QString &nick,
                  std::function<void()> onJoined);
    std::optional<QPair<QString, QString>> roomAndNick(const QString &argument);
    void history(const QStringList &args);
    void search(const QStringList &args);
    void sync();
    void waitForPendingThenFinish(Core::Account *account, int stored);
    int limit();

    Core::Account *chooseAccount();
    // Connects, then calls onOnline; failures end the command unless keepTrying is set.
    void connectThen(Core::Account *account, std::function<void()> onOnline, bool keepTrying);
    QString passwordFromEnvironmentOrStdin(const char *variable = "NATTER_PASSWORD") const;
    void exportProfile(const QStringList &args);
    void importProfile(const QStringList &args);
    void fail(const Core::Error &error);
    void usage(const QString &message);
    void done();

    QCommandLineParser m_parser;
    std::unique_ptr<Core::AccountManager> m_accounts;
    int m_remainingMessages = -1;
};

} // namespace Natter::Cli
