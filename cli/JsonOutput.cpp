// SPDX-License-Identifier: GPL-3.0-or-later
#include "JsonOutput.h"

#include <QJsonDocument>
#include <cstdio>

namespace Natter::Cli {

using namespace Natter::Core;

QString storageName(AccountConfig::PasswordStorage storage)
{
    switch (storage) {
    case AccountConfig::PasswordStorage::Keychain:
        return QStringLiteral("keychain");
    case AccountConfig::PasswordStorage::ProfileFile:
        return QStringLiteral("profile");
    case AccountConfig::PasswordStorage::AskEachStart:
        return QStringLiteral("ask");
    }
    return {};
}

QJsonObject toJson(const ChatMessage &message)
{
    const bool incoming = message.direction == ChatMessage::Direction::Incoming;
    return {
        {QStringLiteral("account"), message.conversation.account},
        {QStringLiteral("peer"), message.conversation.peer},
        {QStringLiteral("direction"), incoming ? QStringLiteral("in") : QStringLiteral("out")},
        {QStringLiteral("from"), incoming ? message.senderFullJid : message.conversation.account},
        {QStringLiteral("id"), message.id},
        {QStringLiteral("body"), message.body},
        {QStringLiteral("timestamp"), message.timestamp.toString(Qt::ISODateWithMs)},
    };
}

QJsonObject toJson(const AccountConfig &config)
{
    return {
        {QStringLiteral("jid"), config.jid},
        {QStringLiteral("host"), config.host},
        {QStringLiteral("port"), config.port},
        {QStringLiteral("directTls"), config.tlsMode == AccountConfig::TlsMode::DirectTls},
        {QStringLiteral("resource"), config.resource},
        {QStringLiteral("passwordStorage"), storageName(config.passwordStorage)},
        {QStringLiteral("enabled"), config.enabled},
    };
}

QJsonObject toJson(const Error &error)
{
    QJsonObject object{{QStringLiteral("error"), error.codeName()}, {QStringLiteral("detail"), error.detail}};
    if (!error.certificateFingerprint.isEmpty())
        object.insert(QStringLiteral("certificateSha256"), error.certificateFingerprint);
    return object;
}

void printLine(const QJsonObject &object)
{
    const QByteArray line = QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fflush(stdout);
}

void printError(const Error &error)
{
    const QByteArray line = QJsonDocument(toJson(error)).toJson(QJsonDocument::Compact) + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    std::fflush(stderr);
}

} // namespace Natter::Cli
