// SPDX-License-Identifier: GPL-3.0-or-later
#include "JsonOutput.h"

#include <QJsonArray>
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
    QJsonObject object{
        {QStringLiteral("account"), message.conversation.account},
        {QStringLiteral("peer"), message.conversation.peer},
        {QStringLiteral("direction"), incoming ? QStringLiteral("in") : QStringLiteral("out")},
        {QStringLiteral("from"), incoming ? message.senderFullJid : message.conversation.account},
        {QStringLiteral("id"), message.id},
        {QStringLiteral("body"), message.body},
        {QStringLiteral("timestamp"), message.timestamp.toString(Qt::ISODateWithMs)},
    };
    if (message.conversation.isGroupChat()) {
        object.insert(QStringLiteral("room"), true);
        object.insert(QStringLiteral("nick"), message.senderNick());
        if (!message.occupantId.isEmpty())
            object.insert(QStringLiteral("occupantId"), message.occupantId);
        if (!message.senderRealJid.isEmpty())
            object.insert(QStringLiteral("realJid"), message.senderRealJid);
        if (!message.stanzaId.isEmpty())
            object.insert(QStringLiteral("stanzaId"), message.stanzaId);
    }
    if (!message.originId.isEmpty() && message.originId != message.id)
        object.insert(QStringLiteral("originId"), message.originId);
    if (!message.replyToId.isEmpty())
        object.insert(QStringLiteral("replyTo"), message.replyToId);
    if (message.isEdited())
        object.insert(QStringLiteral("edited"), message.editedAt.toString(Qt::ISODateWithMs));
    if (message.removal == ChatMessage::Removal::Retracted)
        object.insert(QStringLiteral("retracted"), true);
    if (message.removal == ChatMessage::Removal::Moderated)
        object.insert(QStringLiteral("moderated"), true);
    if (!message.oobUrl.isEmpty())
        object.insert(QStringLiteral("attachment"), message.oobUrl);
    if (!message.reactions.isEmpty()) {
        QJsonObject reactions;
        for (const ChatMessage::Reaction &reaction : message.reactions)
            reactions.insert(reaction.reactor, QJsonArray::fromStringList(reaction.emojis));
        object.insert(QStringLiteral("reactions"), reactions);
    }
    return object;
}

QJsonObject toJson(const Occupant &occupant)
{
    QJsonObject object{{QStringLiteral("nick"), occupant.nick},
                       {QStringLiteral("role"), roleName(occupant.role)},
                       {QStringLiteral("affiliation"), affiliationName(occupant.affiliation)}};
    if (!occupant.realJid.isEmpty())
        object.insert(QStringLiteral("jid"), occupant.realJid);
    if (!occupant.occupantId.isEmpty())
        object.insert(QStringLiteral("occupantId"), occupant.occupantId);
    return object;
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

QString trustName(DeviceTrust trust)
{
    switch (trust) {
    case DeviceTrust::Undecided:
        return QStringLiteral("undecided");
    case DeviceTrust::Trusted:
        return QStringLiteral("trusted");
    case DeviceTrust::Verified:
        return QStringLiteral("verified");
    case DeviceTrust::Untrusted:
        return QStringLiteral("untrusted");
    }
    return {};
}

QJsonObject toJson(const OmemoDeviceInfo &device)
{
    QJsonArray versions;
    if (device.omemo2)
        versions.append(QStringLiteral("omemo2"));
    if (device.legacy)
        versions.append(QStringLiteral("legacy"));
    QJsonObject object{{QStringLiteral("jid"), device.jid},
                       {QStringLiteral("id"), qint64(device.id)},
                       {QStringLiteral("fingerprint"), device.fingerprint()},
                       {QStringLiteral("trust"), trustName(device.trust)},
                       {QStringLiteral("automatic"), device.automatic},
                       {QStringLiteral("versions"), versions},
                       {QStringLiteral("thisDevice"), device.thisDevice},
                       {QStringLiteral("active"), device.active}};
    if (!device.label.isEmpty())
        object.insert(QStringLiteral("label"), device.label);
    return object;
}

QJsonObject toJson(const DiscoInfo &info)
{
    QJsonArray identities;
    for (const DiscoIdentity &identity : info.identities)
        identities.append(QJsonObject{{QStringLiteral("category"), identity.category},
                                      {QStringLiteral("type"), identity.type},
                                      {QStringLiteral("name"), identity.name}});
    QJsonObject forms;
    for (auto [formType, fields] : info.forms.asKeyValueRange()) {
        QJsonObject values;
        for (auto [var, fieldValues] : fields.asKeyValueRange())
            values.insert(var, QJsonArray::fromStringList(fieldValues));
        forms.insert(formType, values);
    }
    return {{QStringLiteral("kind"), QStringLiteral("info")},
            {QStringLiteral("identities"), identities},
            {QStringLiteral("features"), QJsonArray::fromStringList(info.features)},
            {QStringLiteral("forms"), forms}};
}

QJsonObject toJson(const CommandItem &item, const QString &kind)
{
    QJsonObject object{{QStringLiteral("kind"), kind}, {QStringLiteral("jid"), item.jid}};
    if (!item.node.isEmpty())
        object.insert(QStringLiteral("node"), item.node);
    if (!item.name.isEmpty())
        object.insert(QStringLiteral("name"), item.name);
    return object;
}

QJsonObject toJson(const AdHocCommand::Note &note)
{
    const QString type = note.type == AdHocCommand::Note::Type::Error     ? QStringLiteral("error")
                         : note.type == AdHocCommand::Note::Type::Warning ? QStringLiteral("warning")
                                                                          : QStringLiteral("info");
    return {{QStringLiteral("kind"), QStringLiteral("note")},
            {QStringLiteral("type"), type},
            {QStringLiteral("text"), note.text}};
}

QJsonObject toJson(const AdHocCommand::Stage &stage)
{
    const QString status = stage.status == AdHocCommand::Status::Completed  ? QStringLiteral("completed")
                           : stage.status == AdHocCommand::Status::Canceled ? QStringLiteral("canceled")
                                                                            : QStringLiteral("executing");
    QJsonObject object{{QStringLiteral("kind"), QStringLiteral("result")},
                       {QStringLiteral("status"), status}};
    if (!stage.form)
        return object;
    QJsonObject fields;
    for (const QXmppDataForm::Field &field : stage.form->fields()) {
        if (field.key().isEmpty() || field.key() == u"FORM_TYPE")
            continue;
        const QVariant value = field.value();
        fields.insert(field.key(), value.typeId() == QMetaType::QStringList
                                       ? QJsonValue(QJsonArray::fromStringList(value.toStringList()))
                                       : QJsonValue(value.toString()));
    }
    object.insert(QStringLiteral("fields"), fields);
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
