// SPDX-License-Identifier: GPL-3.0-or-later
#include "CliCommand.h"

#include "JsonOutput.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "account/LoginCheck.h"
#include "common/JidValidator.h"
#include "crypto/DeviceTrustService.h"
#include "crypto/EncryptionService.h"
#include "crypto/Fingerprint.h"
#include "disco/AdHocCommand.h"
#include "disco/DiscoInfo.h"
#include "domain/ConnectionState.h"
#include "messaging/MessageService.h"
#include "muc/MucService.h"
#include "profile/ProfileTransfer.h"
#include "storage/MessageRepository.h"
#include "sync/HistorySync.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTextStream>
#include <QTimer>
#include <QXmppClient.h>
#include <QXmppDiscoveryIq.h>
#include <QXmppDiscoveryManager.h>
#include <QXmppError.h>
#include <cstdio>

namespace Natter::Cli {

using namespace Natter::Core;

namespace {
const QCommandLineOption ProfileOption(QStringLiteral("profile"), QStringLiteral("Profile directory."),
                                       QStringLiteral("DIR"));
const QCommandLineOption CaFileOption(QStringLiteral("ca-file"),
                                      QStringLiteral("Also trust the CA certificates in FILE (PEM)."),
                                      QStringLiteral("FILE"));
const QCommandLineOption HostOption(QStringLiteral("host"), QStringLiteral("Server host (skips SRV)."),
                                    QStringLiteral("HOST"));
const QCommandLineOption PortOption(QStringLiteral("port"), QStringLiteral("Server port."),
                                    QStringLiteral("PORT"));
const QCommandLineOption DirectTlsOption(QStringLiteral("direct-tls"),
                                         QStringLiteral("The port speaks TLS from the start (XEP-0368)."));
const QCommandLineOption
    StorageOption(QStringLiteral("password-storage"),
                  QStringLiteral("keychain (default), profile (a 0600 file in the profile) "
                                 "or ask (at each start)."),
                  QStringLiteral("WHERE"), QStringLiteral("keychain"));
const QCommandLineOption NoVerifyOption(QStringLiteral("no-verify"),
                                        QStringLiteral("account add: do not log in to check the password."));
const QCommandLineOption AccountOption(QStringLiteral("account"), QStringLiteral("Use this account."),
                                       QStringLiteral("JID"));
const QCommandLineOption CountOption(QStringLiteral("count"),
                                     QStringLiteral("listen: stop after N messages."), QStringLiteral("N"));
const QCommandLineOption LimitOption(QStringLiteral("limit"),
                                     QStringLiteral("history, search: at most N messages (default 50)."),
                                     QStringLiteral("N"), QStringLiteral("50"));
const QCommandLineOption PageSizeOption(QStringLiteral("page-size"),
                                        QStringLiteral("sync: archive messages per request (default 100)."),
                                        QStringLiteral("N"), QStringLiteral("100"));
const QCommandLineOption WindowOption(
    QStringLiteral("first-window"),
    QStringLiteral("sync: on a new account, fetch this many of the newest archived messages (default 1000)."),
    QStringLiteral("N"), QStringLiteral("1000"));
const QCommandLineOption
    NickOption(QStringLiteral("nick"),
               QStringLiteral("send: the JID is a group chat; join it with this nickname."),
               QStringLiteral("NICK"));
const QCommandLineOption JoinOption(QStringLiteral("join"),
                                    QStringLiteral("listen: also join this group chat (repeatable)."),
                                    QStringLiteral("ROOM/NICK"));
const QCommandLineOption RoomPasswordOption(QStringLiteral("room-password"),
                                            QStringLiteral("join, send --nick: the group chat's password."),
                                            QStringLiteral("PASSWORD"));
const QCommandLineOption EncryptedOption(
    QStringLiteral("encrypted"),
    QStringLiteral(
        "send: encrypt with OMEMO or send nothing (fails when the contact has no trusted device)."));
const QCommandLineOption NodeOption(QStringLiteral("node"), QStringLiteral("disco: the node to ask about."),
                                    QStringLiteral("NODE"));
const QCommandLineOption
    FieldOption(QStringLiteral("field"),
                QStringLiteral("command: answer a form field (repeat a VAR for several values; repeatable)."),
                QStringLiteral("VAR=VALUE"));
const QCommandLineOption
    IncludePasswordsOption(QStringLiteral("include-passwords"),
                           QStringLiteral("profile export: the accounts' passwords go along."));
// A command that keeps asking is given up after this many forms.
constexpr int MaxCommandStages = 10;
const QCommandLineOption TimeoutOption(QStringLiteral("timeout"),
                                       QStringLiteral("Give up connecting after SECONDS (default 30)."),
                                       QStringLiteral("SECONDS"), QStringLiteral("30"));

bool isMultiValued(const QXmppDataForm::Field &field)
{
    using Type = QXmppDataForm::Field::Type;
    return field.type() == Type::ListMultiField || field.type() == Type::JidMultiField ||
           field.type() == Type::TextMultiField;
}

void say(const QString &text)
{
    const QByteArray line = QStringLiteral("natter-cli: %1\n").arg(text).toLocal8Bit();
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    std::fflush(stderr);
}
} // namespace

CliCommand::CliCommand(QObject *parent)
    : QObject(parent)
{
    m_parser.setApplicationDescription(QStringLiteral(
        "Natter's command-line companion.\n\n"
        "Commands:\n"
        "  account add JID      add an account (password from NATTER_PASSWORD or standard input)\n"
        "  account list         list the profile's accounts, one JSON object per line\n"
        "  account remove JID   remove an account and its stored password\n"
        "  profile export FILE  write the whole profile (accounts, history, OMEMO keys) into FILE, "
        "encrypted\n"
        "                       with a passphrase from NATTER_PASSPHRASE or standard input; with\n"
        "                       --include-passwords the accounts' passwords go along\n"
        "  profile import FILE  unpack FILE into the profile (which must hold none yet), keeping the\n"
        "                       passwords it carries where each account keeps them\n"
        "  send JID TEXT        send a chat message and wait until the server has it; with --nick N, JID is\n"
        "                       a group chat: join it as N, send, and wait for the room's copy\n"
        "  join ROOM/NICK       join (or create) a group chat and print its occupants and subject\n"
        "  reply JID ID TEXT    answer the stored message ID of the chat with JID (XEP-0461)\n"
        "  correct JID ID TEXT  replace the text of our stored message ID (XEP-0308)\n"
        "  retract JID ID       delete our stored message ID for everyone (XEP-0424)\n"
        "  react JID ID [EMOJI…] set our reactions to the stored message ID; none removes them (XEP-0444)\n"
        "  listen               print incoming messages as JSON lines (--join ROOM/NICK: also a room's)\n"
        "  history JID          the stored conversation with JID, oldest first (--limit N newest)\n"
        "  search TEXT          stored messages containing all words of TEXT, newest first\n"
        "  sync                 connect, bring the store up to date with the server archive, deliver\n"
        "                       pending messages, and disconnect\n"
        "  omemo fingerprints [JID]\n"
        "                       the OMEMO devices of JID (without JID: of our own account), one JSON object\n"
        "                       each: id, fingerprint, trust, versions, whether it is this device\n"
        "  omemo trust JID FINGERPRINT\n"
        "                       verify the device of JID with that fingerprint (compared in person or read\n"
        "                       from a QR code); fails and changes nothing when no device of JID has it\n"
        "  disco JID            what JID says about itself (XEP-0030): a line with its identities, features\n"
        "                       and forms, then a line per item (--node NODE: about that node)\n"
        "  command JID [NODE]   without NODE: the ad-hoc commands JID offers (XEP-0050); with it: run the\n"
        "                       command, answering its forms with --field VAR=VALUE, and print its notes\n"
        "                       and its result\n\n"
        "send --encrypted JID TEXT sends only OMEMO-encrypted, to devices that are trusted or verified."));
    m_parser.addHelpOption();
    m_parser.addVersionOption();
    m_parser.addOptions({ProfileOption,   CaFileOption,  HostOption,     PortOption,
                         DirectTlsOption, StorageOption, NoVerifyOption, AccountOption,
                         CountOption,     LimitOption,   PageSizeOption, WindowOption,
                         TimeoutOption,   NickOption,    JoinOption,     RoomPasswordOption,
                         EncryptedOption, NodeOption,    FieldOption,    IncludePasswordsOption});
    m_parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("What to do (see above)."));
}

CliCommand::~CliCommand() = default;

void CliCommand::start(const QStringList &arguments)
{
    m_parser.process(arguments);
    m_accounts = std::make_unique<AccountManager>(m_parser.value(ProfileOption));
    const QStringList args = m_parser.positionalArguments();
    if (args.value(0) == u"profile" && args.value(1) == u"import")
        return importProfile(args.mid(2));
    if (m_parser.isSet(CaFileOption)) {
        const auto certificates = QSslCertificate::fromPath(m_parser.value(CaFileOption), QSsl::Pem);
        if (certificates.isEmpty())
            return usage(QStringLiteral("no PEM certificate in %1").arg(m_parser.value(CaFileOption)));
        m_accounts->setAdditionalCaCertificates(certificates);
    }
    m_accounts->open().then(this, [this](const Result<Success> &opened) {
        if (!isOk(opened))
            return fail(errorOf(opened));
        run();
    });
}

void CliCommand::run()
{
    const QStringList args = m_parser.positionalArguments();
    const QString command = args.value(0);
    const QString sub = args.value(1);
    if (command == u"account" && sub == u"add")
        return addAccount(args.mid(2));
    if (command == u"account" && sub == u"list")
        return listAccounts();
    if (command == u"account" && sub == u"remove")
        return removeAccount(args.mid(2));
    if (command == u"send")
        return send(args.mid(1));
    if (command == u"listen")
        return listen();
    if (command == u"join")
        return join(args.mid(1));
    if (command == u"reply" || command == u"correct" || command == u"retract" || command == u"react")
        return actOnMessage(command, args.mid(1));
    if (command == u"history")
        return history(args.mid(1));
    if (command == u"search")
        return search(args.mid(1));
    if (command == u"sync")
        return sync();
    if (command == u"omemo" && sub == u"fingerprints")
        return omemoFingerprints(args.mid(2));
    if (command == u"omemo" && sub == u"trust")
        return omemoTrust(args.mid(2));
    if (command == u"disco")
        return disco(args.mid(1));
    if (command == u"profile" && sub == u"export")
        return exportProfile(args.mid(2));
    if (command == u"command")
        return adHocCommand(args.mid(1));
    usage(command.isEmpty() ? QStringLiteral("no command given")
                            : QStringLiteral("unknown command: %1").arg(args.join(u' ')));
}

QString CliCommand::passwordFromEnvironmentOrStdin(const char *variable) const
{
    if (qEnvironmentVariableIsSet(variable))
        return qEnvironmentVariable(variable);
    QFile input;
    if (!input.open(stdin, QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(input.readLine()).trimmed();
}

void CliCommand::addAccount(const QStringList &args)
{
    if (args.size() != 1)
        return usage(QStringLiteral("account add takes one JID"));
    if (JidValidator::checkAccountJid(args.first().trimmed()) != JidValidator::Problem::None)
        return fail(Error(Error::Code::InvalidJid, args.first()));
    AccountConfig config;
    config.jid = JidValidator::normalizedBareJid(args.first());
    config.host = m_parser.value(HostOption);
    config.port = m_parser.value(PortOption).toInt();
    config.tlsMode = m_parser.isSet(DirectTlsOption) ? AccountConfig::TlsMode::DirectTls
                                                     : AccountConfig::TlsMode::StartTls;
    const QString storage = m_parser.value(StorageOption);
    if (storage == u"keychain")
        config.passwordStorage = AccountConfig::PasswordStorage::Keychain;
    else if (storage == u"profile")
        config.passwordStorage = AccountConfig::PasswordStorage::ProfileFile;
    else if (storage == u"ask")
        config.passwordStorage = AccountConfig::PasswordStorage::AskEachStart;
    else
        return usage(QStringLiteral("--password-storage is keychain, profile or ask"));

    const QString password = passwordFromEnvironmentOrStdin();
    if (password.isEmpty())
        return fail(
            Error(Error::Code::PasswordMissing, QStringLiteral("set NATTER_PASSWORD or pipe it to stdin")));

    auto save = [this, config, password] {
        m_accounts->addAccount(config, password).then(this, [this](const Result<Account *> &added) {
            if (!isOk(added)) {
                if (errorOf(added).code == Error::Code::KeychainUnavailable ||
                    errorOf(added).code == Error::Code::KeychainFailed)
                    say(QStringLiteral(
                        "no system keychain is available. Choose --password-storage profile to keep "
                        "the password in the profile (a file only you can read) or "
                        "--password-storage ask to type it at each start."));
                return fail(errorOf(added));
            }
            printLine(toJson(std::get<Account *>(added)->config()));
            done();
        });
    };
    if (m_parser.isSet(NoVerifyOption))
        return save();

    auto *check =
        m_accounts->checkLogin(config, password, std::chrono::seconds(m_parser.value(TimeoutOption).toInt()));
    connect(check, &LoginCheck::finished, this, [this, save](const Error &error) {
        if (error.isError())
            return fail(error);
        save();
    });
}

void CliCommand::listAccounts()
{
    for (Account *account : m_accounts->accounts())
        printLine(toJson(account->config()));
    done();
}

void CliCommand::removeAccount(const QStringList &args)
{
    if (args.size() != 1)
        return usage(QStringLiteral("account remove takes one JID"));
    m_accounts->removeAccount(args.first()).then(this, [this](const Result<Success> &removed) {
        if (!isOk(removed))
            return fail(errorOf(removed));
        done();
    });
}

Account *CliCommand::chooseAccount()
{
    if (m_parser.isSet(AccountOption)) {
        Account *account = m_accounts->account(m_parser.value(AccountOption));
        if (!account)
            fail(Error(Error::Code::AccountNotFound, m_parser.value(AccountOption)));
        return account;
    }
    const auto all = m_accounts->accounts();
    if (all.isEmpty()) {
        fail(Error(Error::Code::AccountNotFound,
                   QStringLiteral("the profile has no account; use account add")));
        return nullptr;
    }
    if (all.size() > 1) {
        usage(QStringLiteral("the profile has several accounts; choose one with --account"));
        return nullptr;
    }
    return all.first();
}

QTimer *CliCommand::failAfterTimeout(QObject *owner, std::function<Error()> error)
{
    auto *timeout = new QTimer(owner);
    timeout->setSingleShot(true);
    connect(timeout, &QTimer::timeout, this, [this, error = std::move(error)] { fail(error()); });
    timeout->start(std::chrono::seconds(m_parser.value(TimeoutOption).toInt()));
    return timeout;
}

void CliCommand::connectThen(Account *account, std::function<void()> onOnline, bool keepTrying)
{
    if (!account->hasPassword())
        account->setPassword(passwordFromEnvironmentOrStdin());
    auto *timeout = failAfterTimeout(account, [account] {
        return account->lastError().isError() ? account->lastError()
                                              : Error(Error::Code::Timeout, account->jid());
    });
    connect(
        account, &Account::connected, this,
        [timeout, onOnline = std::move(onOnline)] {
            timeout->stop();
            onOnline();
        },
        Qt::SingleShotConnection);
    connect(account, &Account::errorOccurred, this, [this, account, keepTrying](const Error &error) {
        if (keepTrying && account->nextAttemptIn() >= 0) {
            say(QStringLiteral("%1 (%2), trying again in %3 ms")
                    .arg(error.codeName(), error.detail)
                    .arg(account->nextAttemptIn()));
            return;
        }
        fail(error);
    });
    account->connectToServer();
}

void CliCommand::send(const QStringList &args)
{
    if (args.size() != 2)
        return usage(QStringLiteral("send takes a JID and a text"));
    Account *account = chooseAccount();
    if (!account)
        return;
    if (m_parser.isSet(NickOption) && m_parser.isSet(EncryptedOption))
        return usage(QStringLiteral("--encrypted is for a chat with one contact, not with --nick"));
    if (m_parser.isSet(NickOption))
        return sendToRoom(account, args.at(0), m_parser.value(NickOption), args.at(1));
    const auto composed = account->messages().compose(args.at(0), args.at(1));
    if (!isOk(composed))
        return fail(errorOf(composed));
    const ChatMessage message = std::get<ChatMessage>(composed);
    if (m_parser.isSet(EncryptedOption))
        return sendEncrypted(account, message);
    connectThen(
        account,
        [this, account, message] {
            account->messages().send(message).then(this, [this, account](const Result<ChatMessage> &sent) {
                if (!isOk(sent))
                    return fail(errorOf(sent));
                reportSent(account, std::get<ChatMessage>(sent));
            });
        },
        false);
}

void CliCommand::whenEncryptionReady(Account *account, std::function<void()> onReady)
{
    EncryptionService *encryption = account->encryption();
    if (!encryption)
        return fail(Error(Error::Code::FeatureUnsupported, QStringLiteral("this profile has no OMEMO")));
    if (encryption->isReady())
        return onReady();
    // The first connection of a profile creates and publishes its keys first.
    auto *timeout = failAfterTimeout(account, [account] {
        return Error(Error::Code::Timeout,
                     QStringLiteral("OMEMO of %1 did not get ready").arg(account->jid()));
    });
    connect(
        encryption, &EncryptionService::ready, this,
        [timeout, onReady = std::move(onReady)] {
            timeout->stop();
            onReady();
        },
        Qt::SingleShotConnection);
}

void CliCommand::sendEncrypted(Account *account, const ChatMessage &message)
{
    connectThen(
        account,
        [this, account, message] {
            whenEncryptionReady(account, [this, account, message] {
                EncryptionService *encryption = account->encryption();
                encryption->choice(message.conversation)
                    .then(this, [this, account, message](const Result<EncryptionChoice> &chosen) {
                        const EncryptionChoice before =
                            isOk(chosen) ? std::get<EncryptionChoice>(chosen) : EncryptionChoice::Automatic;
                        // "On" for this message: encrypted, or nothing goes out.
                        account->encryption()
                            ->setChoice(message.conversation, EncryptionChoice::On)
                            .then(this, [this, account, message, before](const Result<Success> &set) {
                                if (!isOk(set))
                                    return fail(errorOf(set));
                                account->messages().send(message).then(
                                    this, [this, account, message, before](const Result<ChatMessage> &sent) {
                                        restoreChoiceThenReport(account, message.conversation, before, sent);
                                    });
                            });
                    });
            });
        },
        false);
}

void CliCommand::reportSent(Account *account, const ChatMessage &sent)
{
    auto object = toJson(sent);
    object.insert(QStringLiteral("acknowledged"), sent.delivery == ChatMessage::Delivery::Acknowledged);
    printLine(object);
    account->disconnectFromServer();
    done();
}

void CliCommand::restoreChoiceThenReport(Account *account, const ConversationKey &conversation,
                                         EncryptionChoice before, const Result<ChatMessage> &sent)
{
    auto report = [this, account, sent] {
        if (!isOk(sent)) {
            if (errorOf(sent).code == Error::Code::EncryptionUnavailable)
                say(QStringLiteral("%1 has no OMEMO device that is trusted or verified: nothing was sent")
                        .arg(errorOf(sent).detail));
            return fail(errorOf(sent));
        }
        reportSent(account, std::get<ChatMessage>(sent));
    };
    // A conversation set to "off" stays so; an "automatic" one is "on" after an encrypted message anyway.
    const bool restore = before != EncryptionChoice::On && (!isOk(sent) || before == EncryptionChoice::Off);
    if (!restore)
        return report();
    account->encryption()->setChoice(conversation, before).then(this, [report](const Result<Success> &) {
        report();
    });
}

void CliCommand::omemoFingerprints(const QStringList &args)
{
    if (args.size() > 1)
        return usage(QStringLiteral("omemo fingerprints takes at most one JID"));
    Account *account = chooseAccount();
    if (!account)
        return;
    const QString jid = args.isEmpty() ? account->jid() : JidValidator::normalizedBareJid(args.first());
    if (jid.isEmpty())
        return fail(Error(Error::Code::InvalidJid, args.first()));
    connectThen(
        account,
        [this, account, jid] {
            whenEncryptionReady(account, [this, account, jid] {
                account->encryption()->deviceTrust().devices(jid).then(
                    this, [this, account](const Result<QList<OmemoDeviceInfo>> &devices) {
                        if (!isOk(devices))
                            return fail(errorOf(devices));
                        for (const OmemoDeviceInfo &device : std::get<QList<OmemoDeviceInfo>>(devices))
                            printLine(toJson(device));
                        account->disconnectFromServer();
                        done();
                    });
            });
        },
        false);
}

void CliCommand::omemoTrust(const QStringList &args)
{
    if (args.size() != 2)
        return usage(QStringLiteral("omemo trust takes a JID and a fingerprint"));
    const QString jid = JidValidator::normalizedBareJid(args.at(0));
    if (jid.isEmpty())
        return fail(Error(Error::Code::InvalidJid, args.at(0)));
    if (Fingerprint::parse(args.at(1)).isEmpty())
        return usage(QStringLiteral("%1 is not a fingerprint (64 hex digits)").arg(args.at(1)));
    Account *account = chooseAccount();
    if (!account)
        return;
    const QString fingerprint = args.at(1);
    connectThen(
        account,
        [this, account, jid, fingerprint] {
            whenEncryptionReady(account, [this, account, jid, fingerprint] {
                account->encryption()
                    ->deviceTrust()
                    .verifyFingerprint(jid, fingerprint)
                    .then(this, [this, account, jid](const Result<OmemoDeviceInfo> &verified) {
                        if (!isOk(verified)) {
                            if (errorOf(verified).code == Error::Code::FingerprintMismatch)
                                say(QStringLiteral("no OMEMO device of %1 has this fingerprint: nothing was "
                                                   "changed. Compare it again with the contact.")
                                        .arg(jid));
                            return fail(errorOf(verified));
                        }
                        printLine(toJson(std::get<OmemoDeviceInfo>(verified)));
                        account->disconnectFromServer();
                        done();
                    });
            });
        },
        false);
}

void CliCommand::actOnMessage(const QString &command, const QStringList &args)
{
    const bool needsText = command == u"reply" || command == u"correct";
    if (args.size() < 2 || (needsText && args.size() != 3) || (command == u"retract" && args.size() != 2))
        return usage(needsText ? QStringLiteral("%1 takes a JID, a message id and a text").arg(command)
                     : command == u"retract" ? QStringLiteral("retract takes a JID and a message id")
                                             : QStringLiteral("react takes a JID, a message id and emoji"));
    Account *account = chooseAccount();
    if (!account)
        return;
    const QString peer = JidValidator::normalizedBareJid(args.at(0));
    if (peer.isEmpty())
        return fail(Error(Error::Code::InvalidJid, args.at(0)));
    m_accounts->messageStore()
        .findByReference({account->jid(), peer}, args.at(1))
        .then(this, [this, account, command, args](const Result<std::optional<ChatMessage>> &found) {
            if (!isOk(found))
                return fail(errorOf(found));
            const auto target = std::get<std::optional<ChatMessage>>(found);
            if (!target)
                return fail(
                    Error(Error::Code::MessageNotEditable,
                          QStringLiteral("no stored message %1 with %2").arg(args.at(1), args.at(0))));
            connectThen(
                account,
                [this, account, command, args, target = *target] {
                    MessageService &messages = account->messages();
                    auto finish = [this, account](const Result<ChatMessage> &result) {
                        if (!isOk(result))
                            return fail(errorOf(result));
                        printLine(toJson(std::get<ChatMessage>(result)));
                        account->disconnectFromServer();
                        done();
                    };
                    if (command == u"reply") {
                        const auto composed = messages.composeReply(target, args.at(2));
                        if (!isOk(composed))
                            return fail(errorOf(composed));
                        messages.send(std::get<ChatMessage>(composed)).then(this, finish);
                    } else if (command == u"correct") {
                        messages.correct(target, args.at(2)).then(this, finish);
                    } else if (command == u"retract") {
                        messages.retract(target).then(this, finish);
                    } else {
                        messages.react(target, args.mid(2)).then(this, finish);
                    }
                },
                false);
        });
}

void CliCommand::joinRoom(Account *account, const QString &room, const QString &nick,
                          std::function<void()> onJoined)
{
    MucService &rooms = account->rooms();
    rooms.join(room, nick, m_parser.value(RoomPasswordOption))
        .then(this, [this, account, room, onJoined](Result<MucService::JoinResult> &&joined) {
            if (!isOk(joined))
                return fail(errorOf(joined));
            if (!std::get<MucService::JoinResult>(joined).created)
                return onJoined();
            // A room we just created stays locked until configured: take the server's defaults.
            account->rooms().acceptDefaultConfiguration(room).then(this,
                                                                   [this, onJoined](Result<Success> &&done) {
                                                                       if (!isOk(done))
                                                                           return fail(errorOf(done));
                                                                       onJoined();
                                                                   });
        });
}

// "room@service/nick" split at its first slash: nullopt (after a usage error) when either part is missing.
std::optional<QPair<QString, QString>> CliCommand::roomAndNick(const QString &argument)
{
    const QString room = JidValidator::normalizedBareJid(argument.section(u'/', 0, 0));
    const QString nick = argument.section(u'/', 1);
    if (room.isEmpty() || nick.isEmpty()) {
        usage(QStringLiteral("%1 is not ROOM/NICK").arg(argument));
        return std::nullopt;
    }
    return qMakePair(room, nick);
}

void CliCommand::join(const QStringList &args)
{
    if (args.size() != 1)
        return usage(QStringLiteral("join takes ROOM/NICK"));
    const auto target = roomAndNick(args.at(0));
    if (!target)
        return;
    Account *account = chooseAccount();
    if (!account)
        return;
    const auto [room, nick] = *target;
    connectThen(
        account,
        [this, account, room, nick] {
            joinRoom(account, room, nick, [this, account, room] {
                MucService &rooms = account->rooms();
                QJsonArray occupants;
                for (const Occupant &occupant : rooms.occupants(room))
                    occupants.append(toJson(occupant));
                printLine(QJsonObject{{QStringLiteral("room"), room},
                                      {QStringLiteral("nick"), rooms.nick(room)},
                                      {QStringLiteral("subject"), rooms.subject(room)},
                                      {QStringLiteral("occupants"), occupants}});
                rooms.leave(room);
                account->disconnectFromServer();
                done();
            });
        },
        false);
}

void CliCommand::sendToRoom(Account *account, const QString &roomArgument, const QString &nick,
                            const QString &text)
{
    const QString room = JidValidator::normalizedBareJid(roomArgument);
    if (room.isEmpty())
        return fail(Error(Error::Code::InvalidJid, roomArgument));
    connectThen(
        account,
        [this, account, room, nick, text] {
            joinRoom(account, room, nick, [this, account, room, text] {
                const auto composed = account->messages().compose(
                    ConversationKey{account->jid(), room, ConversationKind::GroupChat}, text);
                if (!isOk(composed))
                    return fail(errorOf(composed));
                const QString originId = std::get<ChatMessage>(composed).originId;
                // Done when the room sends our message back with its archive id.
                connect(&account->messages(), &MessageService::messagesChanged, this,
                        [this, account, room, originId](const QList<ChatMessage> &changed) {
                            for (const ChatMessage &message : changed) {
                                if (message.originId != originId || message.stanzaId.isEmpty())
                                    continue;
                                printLine(toJson(message));
                                account->rooms().leave(room);
                                account->disconnectFromServer();
                                return done();
                            }
                        });
                account->messages()
                    .send(std::get<ChatMessage>(composed))
                    .then(this, [this](const Result<ChatMessage> &sent) {
                        if (!isOk(sent))
                            fail(errorOf(sent));
                    });
            });
        },
        false);
}

void CliCommand::listen()
{
    Account *account = chooseAccount();
    if (!account)
        return;
    QList<QPair<QString, QString>> rooms;
    for (const QString &argument : m_parser.values(JoinOption)) {
        const auto target = roomAndNick(argument);
        if (!target)
            return;
        rooms.append(*target);
    }
    if (m_parser.isSet(CountOption))
        m_remainingMessages = m_parser.value(CountOption).toInt();
    connect(&account->messages(), &MessageService::messageReceived, this,
            [this, account](const ChatMessage &message) {
                printLine(toJson(message));
                if (m_remainingMessages > 0 && --m_remainingMessages == 0) {
                    account->disconnectFromServer();
                    done();
                }
            });
    connectThen(
        account,
        [this, account, rooms] {
            say(QStringLiteral("online as %1").arg(account->jid()));
            for (const auto &[room, nick] : rooms)
                joinRoom(account, room, nick, [room] { say(QStringLiteral("joined %1").arg(room)); });
        },
        true);
}

int CliCommand::limit()
{
    bool ok = false;
    const int value = m_parser.value(LimitOption).toInt(&ok);
    return ok && value > 0 ? value : -1;
}

void CliCommand::history(const QStringList &args)
{
    if (args.size() != 1)
        return usage(QStringLiteral("history takes one JID"));
    const int max = limit();
    if (max < 0)
        return usage(QStringLiteral("--limit takes a positive number"));
    Account *account = chooseAccount();
    if (!account)
        return;
    const QString peer = JidValidator::normalizedBareJid(args.first());
    if (peer.isEmpty())
        return fail(Error(Error::Code::InvalidJid, args.first()));
    m_accounts->messageStore()
        .before({account->jid(), peer}, std::nullopt, max)
        .then(this, [this](const Result<QList<ChatMessage>> &page) {
            if (!isOk(page))
                return fail(errorOf(page));
            const auto messages = std::get<QList<ChatMessage>>(page);
            for (auto it = messages.crbegin(); it != messages.crend(); ++it)
                printLine(toJson(*it));
            done();
        });
}

void CliCommand::search(const QStringList &args)
{
    if (args.isEmpty())
        return usage(QStringLiteral("search takes a text"));
    const int max = limit();
    if (max < 0)
        return usage(QStringLiteral("--limit takes a positive number"));
    // Every account of the profile: each hit names its account and peer.
    m_accounts->messageStore()
        .search(args.join(u' '), std::nullopt, max)
        .then(this, [this](const Result<QList<ChatMessage>> &hits) {
            if (!isOk(hits))
                return fail(errorOf(hits));
            for (const ChatMessage &message : std::get<QList<ChatMessage>>(hits))
                printLine(toJson(message));
            done();
        });
}

void CliCommand::sync()
{
    Account *account = chooseAccount();
    if (!account)
        return;
    HistorySync::Settings settings;
    settings.pageSize = m_parser.value(PageSizeOption).toInt();
    settings.firstLoginWindow = m_parser.value(WindowOption).toInt();
    if (settings.pageSize <= 0 || settings.firstLoginWindow <= 0)
        return usage(QStringLiteral("--page-size and --first-window take positive numbers"));
    account->history().setSettings(settings);
    connect(&account->history(), &HistorySync::catchUpFinished, this,
            [this, account](int stored, const std::optional<Error> &error) {
                if (error)
                    return fail(*error);
                waitForPendingThenFinish(account, stored);
            });
    // The catch-up starts by itself on connect.
    connectThen(account, [] {}, false);
}

void CliCommand::waitForPendingThenFinish(Account *account, int stored)
{
    m_accounts->messageStore()
        .pending(account->jid())
        .then(this, [this, account, stored](const Result<QList<ChatMessage>> &pending) {
            if (!isOk(pending))
                return fail(errorOf(pending));
            const auto count = std::get<QList<ChatMessage>>(pending).size();
            if (count > 0 && account->state() == ConnectionState::Online) {
                // Sent again on connect; the server's acknowledgements clear them.
                QTimer::singleShot(100, this,
                                   [this, account, stored] { waitForPendingThenFinish(account, stored); });
                return;
            }
            QJsonObject summary;
            summary.insert(QStringLiteral("stored"), stored);
            summary.insert(QStringLiteral("pending"), count);
            printLine(summary);
            account->disconnectFromServer();
            done();
        });
}

void CliCommand::disco(const QStringList &args)
{
    if (args.size() != 1)
        return usage(QStringLiteral("disco takes one JID"));
    Account *account = chooseAccount();
    if (!account)
        return;
    const QString jid = args.first();
    const QString node = m_parser.value(NodeOption);
    connectThen(
        account,
        [this, account, jid, node] {
            askDiscoInfo(account->client(), this, jid, node)
                .then(this, [this, account, jid, node](Result<DiscoInfo> &&info) {
                    if (!isOk(info))
                        return fail(errorOf(info));
                    QJsonObject line = toJson(std::get<DiscoInfo>(info));
                    line.insert(QStringLiteral("jid"), jid);
                    if (!node.isEmpty())
                        line.insert(QStringLiteral("node"), node);
                    printLine(line);
                    auto *discovery = account->client().findExtension<QXmppDiscoveryManager>();
                    discovery->requestDiscoItems(jid, node).then(
                        this, [this, account](QXmppDiscoveryManager::ItemsResult &&items) {
                            // An entity without items may answer with an error: the info above stands.
                            if (const auto *list = std::get_if<QList<QXmppDiscoveryIq::Item>>(&items))
                                for (const QXmppDiscoveryIq::Item &item : *list)
                                    printLine(toJson(CommandItem{item.jid(), item.node(), item.name()},
                                                     QStringLiteral("item")));
                            account->disconnectFromServer();
                            done();
                        });
                });
        },
        false);
}

void CliCommand::adHocCommand(const QStringList &args)
{
    if (args.isEmpty() || args.size() > 2)
        return usage(QStringLiteral("command takes a JID and, to run one, a command's node"));
    QMultiMap<QString, QString> answers;
    for (const QString &field : m_parser.values(FieldOption)) {
        const qsizetype equals = field.indexOf(u'=');
        if (equals <= 0)
            return usage(QStringLiteral("--field takes VAR=VALUE, not %1").arg(field));
        answers.insert(field.left(equals), field.mid(equals + 1));
    }
    Account *account = chooseAccount();
    if (!account)
        return;
    const QString jid = args.first();
    if (args.size() == 1) {
        return connectThen(
            account,
            [this, account, jid] {
                AdHocCommand::list(account->client(), this, jid)
                    .then(this, [this, account](Result<QList<CommandItem>> &&commands) {
                        if (!isOk(commands))
                            return fail(errorOf(commands));
                        for (const CommandItem &command : std::get<QList<CommandItem>>(commands))
                            printLine(toJson(command, QStringLiteral("command")));
                        account->disconnectFromServer();
                        done();
                    });
            },
            false);
    }
    auto *command = new AdHocCommand(account->client(), jid, args.at(1), this);
    connectThen(
        account,
        [this, account, command, answers] {
            command->execute().then(this,
                                    [this, account, command, answers](Result<AdHocCommand::Stage> &&stage) {
                                        continueCommand(account, command, answers, std::move(stage), 1);
                                    });
        },
        false);
}

void CliCommand::continueCommand(Account *account, AdHocCommand *command,
                                 const QMultiMap<QString, QString> &answers,
                                 Result<AdHocCommand::Stage> &&result, int stages)
{
    if (!isOk(result))
        return fail(errorOf(result));
    const auto &stage = std::get<AdHocCommand::Stage>(result);
    for (const AdHocCommand::Note &note : stage.notes)
        printLine(toJson(note));
    if (stage.status != AdHocCommand::Status::Executing || !stage.form) {
        printLine(toJson(stage));
        account->disconnectFromServer();
        if (stage.status == AdHocCommand::Status::Completed &&
            std::none_of(stage.notes.cbegin(), stage.notes.cend(), [](const AdHocCommand::Note &note) {
                return note.type == AdHocCommand::Note::Type::Error;
            }))
            return done();
        return fail(Error(Error::Code::RequestRefused, QStringLiteral("the command did not complete")));
    }
    if (stages >= MaxCommandStages)
        return fail(Error(Error::Code::RequestRefused, QStringLiteral("the command keeps asking")));
    QXmppDataForm form = *stage.form;
    QStringList missing;
    for (QXmppDataForm::Field &field : form.fields()) {
        const QStringList values = answers.values(field.key());
        if (!values.isEmpty())
            field.setValue(isMultiValued(field) ? QVariant(QStringList(values.crbegin(), values.crend()))
                                                : QVariant(values.first()));
        else if (field.isRequired() && field.value().toString().isEmpty() &&
                 field.value().toStringList().isEmpty())
            missing.append(field.key());
    }
    if (!missing.isEmpty()) {
        printLine(toJson(stage));
        command->cancel();
        return usage(QStringLiteral("the command asks for --field %1=…")
                         .arg(missing.join(QStringLiteral("=… --field "))));
    }
    command->proceed(stage.defaultAction, form)
        .then(this, [this, account, command, answers, stages](Result<AdHocCommand::Stage> &&next) {
            continueCommand(account, command, answers, std::move(next), stages + 1);
        });
}

void CliCommand::fail(const Error &error)
{
    printError(error);
    Q_EMIT finished(Failed);
}

void CliCommand::usage(const QString &message)
{
    say(message);
    say(QStringLiteral("see natter-cli --help"));
    Q_EMIT finished(UsageError);
}

void CliCommand::exportProfile(const QStringList &args)
{
    if (args.size() != 1)
        return usage(QStringLiteral("profile export takes one file"));
    const QString passphrase = passwordFromEnvironmentOrStdin("NATTER_PASSPHRASE");
    if (passphrase.isEmpty())
        return usage(QStringLiteral("no passphrase (NATTER_PASSPHRASE or standard input)"));
    ProfileTransfer::exportProfile(*m_accounts, args.first(), passphrase,
                                   m_parser.isSet(IncludePasswordsOption))
        .then(this, [this](const Result<Success> &exported) {
            if (!isOk(exported))
                return fail(errorOf(exported));
            printLine(QJsonObject{{QStringLiteral("exported"), m_accounts->accounts().size()}});
            done();
        });
}

void CliCommand::importProfile(const QStringList &args)
{
    if (args.size() != 1)
        return usage(QStringLiteral("profile import takes one file"));
    const QString passphrase = passwordFromEnvironmentOrStdin("NATTER_PASSPHRASE");
    if (passphrase.isEmpty())
        return usage(QStringLiteral("no passphrase (NATTER_PASSPHRASE or standard input)"));
    ProfileTransfer::importProfile(args.first(), passphrase, m_accounts->profileDirectory())
        .then(this, [this](const Result<ProfileTransfer::Secrets> &imported) {
            if (!isOk(imported))
                return fail(errorOf(imported));
            const auto secrets = std::get<ProfileTransfer::Secrets>(imported);
            m_accounts->open().then(this, [this, secrets](const Result<Success> &opened) {
                if (!isOk(opened))
                    return fail(errorOf(opened));
                ProfileTransfer::restorePasswords(*m_accounts, secrets)
                    .then(this, [this](const Result<Success> &kept) {
                        if (!isOk(kept))
                            return fail(errorOf(kept));
                        QJsonArray jids;
                        for (const Account *account : m_accounts->accounts())
                            jids.append(account->jid());
                        printLine(QJsonObject{{QStringLiteral("imported"), jids}});
                        done();
                    });
            });
        });
}

void CliCommand::done()
{
    Q_EMIT finished(Ok);
}

} // namespace Natter::Cli
