// SPDX-License-Identifier: GPL-3.0-or-later
#include "AdHocCommand.h"

#include "common/XmppRequest.h"

#include <QXmlStreamWriter>
#include <QXmppClient.h>
#include <QXmppDiscoveryIq.h>
#include <QXmppDiscoveryManager.h>
#include <QXmppPromise.h>

namespace Natter::Core {

namespace {

const QString CommandsNs = QStringLiteral("http://jabber.org/protocol/commands");
const QString DataFormsNs = QStringLiteral("jabber:x:data");

QString actionName(AdHocCommand::Action action)
{
    switch (action) {
    case AdHocCommand::Action::Execute:
        return QStringLiteral("execute");
    case AdHocCommand::Action::Next:
        return QStringLiteral("next");
    case AdHocCommand::Action::Prev:
        return QStringLiteral("prev");
    case AdHocCommand::Action::Complete:
        return QStringLiteral("complete");
    case AdHocCommand::Action::Cancel:
        return QStringLiteral("cancel");
    }
    return QStringLiteral("execute");
}

std::optional<AdHocCommand::Action> actionOf(const QString &name)
{
    for (auto action : {AdHocCommand::Action::Execute, AdHocCommand::Action::Next, AdHocCommand::Action::Prev,
                        AdHocCommand::Action::Complete, AdHocCommand::Action::Cancel})
        if (actionName(action) == name)
            return action;
    return std::nullopt;
}

// <command xmlns='…commands' node='…' sessionid='…' action='…'>[answers]</command>
class CommandIq : public QXmppIq
{
public:
    CommandIq(const QString &to, QString node, QString sessionId, AdHocCommand::Action action,
              std::optional<QXmppDataForm> answers)
        : QXmppIq(QXmppIq::Set)
        , m_node(std::move(node))
        , m_sessionId(std::move(sessionId))
        , m_action(action)
        , m_answers(std::move(answers))
    {
        setTo(to);
    }

protected:
    void toXmlElementFromChild(QXmlStreamWriter *writer) const override
    {
        writer->writeStartElement(QStringLiteral("command"));
        writer->writeDefaultNamespace(CommandsNs);
        writer->writeAttribute(QStringLiteral("node"), m_node);
        if (!m_sessionId.isEmpty())
            writer->writeAttribute(QStringLiteral("sessionid"), m_sessionId);
        writer->writeAttribute(QStringLiteral("action"), actionName(m_action));
        if (m_answers)
            m_answers->toXml(writer);
        writer->writeEndElement();
    }

private:
    QString m_node;
    QString m_sessionId;
    AdHocCommand::Action m_action;
    std::optional<QXmppDataForm> m_answers;
};

} // namespace

AdHocCommand::Stage AdHocCommand::Stage::fromElement(const QDomElement &command)
{
    Stage stage;
    const QString status = command.attribute(QStringLiteral("status"));
    stage.status = status == u"executing"  ? Status::Executing
                   : status == u"canceled" ? Status::Canceled
                                           : Status::Completed;
    for (QDomElement child = command.firstChildElement(); !child.isNull();
         child = child.nextSiblingElement()) {
        if (child.tagName() == u"x" && child.namespaceURI() == DataFormsNs && !stage.form) {
            QXmppDataForm form;
            form.parse(child);
            stage.form = form;
        } else if (child.tagName() == u"note") {
            const QString type = child.attribute(QStringLiteral("type"));
            stage.notes.append({type == u"error"  ? Note::Type::Error
                                : type == u"warn" ? Note::Type::Warning
                                                  : Note::Type::Info,
                                child.text().trimmed()});
        } else if (child.tagName() == u"actions") {
            for (QDomElement allowed = child.firstChildElement(); !allowed.isNull();
                 allowed = allowed.nextSiblingElement())
                if (const auto action = actionOf(allowed.tagName()); action && *action != Action::Cancel)
                    stage.actions.append(*action);
            // XEP-0050 §6.4: without an execute attribute the default is "next" when offered.
            const auto named = actionOf(child.attribute(QStringLiteral("execute")));
            stage.defaultAction = named && stage.actions.contains(*named) ? *named
                                  : stage.actions.contains(Action::Next)  ? Action::Next
                                  : stage.actions.isEmpty()               ? Action::Execute
                                                                          : stage.actions.first();
        }
    }
    return stage;
}

AdHocCommand::AdHocCommand(QXmppClient &client, QString jid, QString node, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_jid(std::move(jid))
    , m_node(std::move(node))
{}

QXmppTask<Result<QList<CommandItem>>> AdHocCommand::list(QXmppClient &client, QObject *context,
                                                         const QString &jid)
{
    QXmppPromise<Result<QList<CommandItem>>> promise;
    auto task = promise.task();
    auto *discovery = client.findExtension<QXmppDiscoveryManager>();
    if (!client.isConnected() || !discovery) {
        promise.finish(Error(Error::Code::NotConnected));
        return task;
    }
    discovery->requestDiscoItems(jid, CommandsNs)
        .then(context, [promise, jid](QXmppDiscoveryManager::ItemsResult &&result) mutable {
            if (const auto *error = std::get_if<QXmppError>(&result))
                return promise.finish(requestError(*error));
            QList<CommandItem> commands;
            for (const QXmppDiscoveryIq::Item &item : std::get<QList<QXmppDiscoveryIq::Item>>(result))
                if (!item.node().isEmpty())
                    commands.append({item.jid().isEmpty() ? jid : item.jid(), item.node(), item.name()});
            promise.finish(commands);
        });
    return task;
}

QXmppTask<Result<AdHocCommand::Stage>> AdHocCommand::execute()
{
    m_sessionId.clear();
    m_ended = false;
    return send(Action::Execute, std::nullopt);
}

QXmppTask<Result<AdHocCommand::Stage>> AdHocCommand::proceed(Action action, const QXmppDataForm &answers)
{
    QXmppDataForm submitted = answers;
    submitted.setType(QXmppDataForm::Submit);
    return send(action, submitted);
}

QXmppTask<Result<AdHocCommand::Stage>> AdHocCommand::cancel()
{
    if (m_sessionId.isEmpty() || m_ended) {
        QXmppPromise<Result<Stage>> promise;
        Stage ended;
        ended.status = Status::Canceled;
        promise.finish(ended);
        return promise.task();
    }
    return send(Action::Cancel, std::nullopt);
}

QXmppTask<Result<AdHocCommand::Stage>> AdHocCommand::send(Action action,
                                                          const std::optional<QXmppDataForm> &answers)
{
    QXmppPromise<Result<Stage>> promise;
    auto task = promise.task();
    ask<QDomElement>(m_client, this, CommandIq(m_jid, m_node, m_sessionId, action, answers),
                     [](const QDomElement &iq) -> Result<QDomElement> {
                         const QDomElement command = iq.firstChildElement(QStringLiteral("command"));
                         if (command.isNull() || command.namespaceURI() != CommandsNs)
                             return Error(Error::Code::RequestRefused,
                                          QStringLiteral("no command in the answer"));
                         return command;
                     })
        .then(this, [this, promise](Result<QDomElement> &&answer) mutable {
            if (!isOk(answer)) {
                m_ended = true;
                return promise.finish(errorOf(answer));
            }
            const QDomElement &command = std::get<QDomElement>(answer);
            const QString sessionId = command.attribute(QStringLiteral("sessionid"));
            if (m_sessionId.isEmpty())
                m_sessionId = sessionId;
            Stage stage = Stage::fromElement(command);
            m_ended = stage.status != Status::Executing;
            promise.finish(stage);
        });
    return task;
}

} // namespace Natter::Core
