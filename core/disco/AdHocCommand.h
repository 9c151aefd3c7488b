// SPDX-License-Identifier: GPL-3.0-or-later
// One run of an ad-hoc command (XEP-0050) on an entity: execute it, then answer the stages it asks for (each
// a data form) until it completes, with notes and perhaps a form of results, or is cancelled.
#pragma once

#include "common/Result.h"

#include <QDomElement>
#include <QObject>
#include <QXmppDataForm.h>
#include <QXmppTask.h>
#include <optional>

class QXmppClient;

namespace Natter::Core {

struct CommandItem
{
    QString jid;
    QString node;
    QString name;
};

class AdHocCommand : public QObject
{
    Q_OBJECT
public:
    enum class Status
    {
        Executing,
        Completed,
        Canceled,
    };
    enum class Action
    {
        Execute,
        Next,
        Prev,
        Complete,
        Cancel,
    };
    struct Note
    {
        enum class Type
        {
            Info,
            Warning,
            Error,
        };
        Type type = Type::Info;
        QString text;
    };
    // What the entity answered to one step.
    struct Stage
    {
        Status status = Status::Executing;
        std::optional<QXmppDataForm> form; // to fill in (executing) or results (completed)
        QList<Note> notes;
        QList<Action> actions; // what the next step may be (besides cancelling)
        Action defaultAction = Action::Execute;

        // Reads a <command/> answer; an unknown status counts as completed, so nothing waits for ever.
        static Stage fromElement(const QDomElement &command);
    };

    AdHocCommand(QXmppClient &client, QString jid, QString node, QObject *parent = nullptr);

    QString jid() const { return m_jid; }
    QString node() const { return m_node; }

    // The commands an entity offers (its items under the commands node).
    static QXmppTask<Result<QList<CommandItem>>> list(QXmppClient &client, QObject *context,
                                                      const QString &jid);

    QXmppTask<Result<Stage>> execute();
    // Sends the answers with action (Next, Prev, Complete or Execute, the stage's default).
    QXmppTask<Result<Stage>> proceed(Action action, const QXmppDataForm &answers);
    // Ends the session on the entity (nothing happens when it has not started or has ended).
    QXmppTask<Result<Stage>> cancel();

private:
    QXmppTask<Result<Stage>> send(Action action, const std::optional<QXmppDataForm> &answers);

    QXmppClient &m_client;
    QString m_jid;
    QString m_node;
    QString m_sessionId;
    bool m_ended = false;
};

} // namespace Natter::Core
