// SPDX-License-Identifier: GPL-3.0-or-later
#include "ContactInvite.h"

#include "disco/AdHocCommand.h"

#include <QXmppPromise.h>
#include <memory>

namespace Natter::Core {

namespace {

Result<ContactInvite> inviteOf(const AdHocCommand::Stage &stage)
{
    ContactInvite invite;
    if (stage.form) {
        for (const QXmppDataForm::Field &field : stage.form->fields()) {
            const QString value = field.value().toString().trimmed();
            if (field.key() == u"uri")
                invite.uri = value;
            else if (field.key() == u"landing-url")
                invite.landingPage = value;
            else if (field.key() == u"expire")
                invite.expires = QDateTime::fromString(value, Qt::ISODate);
        }
    }
    if (!invite.uri.startsWith(u"xmpp:")) {
        QStringList notes;
        for (const AdHocCommand::Note &note : stage.notes)
            notes.append(note.text);
        return Error(Error::Code::RequestRefused, notes.isEmpty()
                                                      ? QStringLiteral("the server gave no invitation link")
                                                      : notes.join(u' '));
    }
    return invite;
}

} // namespace

QXmppTask<Result<ContactInvite>> createContactInvite(QXmppClient &client, QObject *context,
                                                     const QString &serverJid)
{
    QXmppPromise<Result<ContactInvite>> promise;
    auto task = promise.task();
    auto command = std::make_shared<AdHocCommand>(client, serverJid, ContactInvite::CommandNode);
    command->execute().then(context, [promise, command](Result<AdHocCommand::Stage> &&executed) mutable {
        if (!isOk(executed)) {
            Error error = errorOf(executed);
            // item-not-found: no such command here (the server does not hand out invitations).
            if (error.code == Error::Code::RequestRefused && error.detail.startsWith(u"item-not-found"))
                error.code = Error::Code::FeatureUnsupported;
            promise.finish(std::move(error));
            return;
        }
        const auto &stage = std::get<AdHocCommand::Stage>(executed);
        if (stage.status != AdHocCommand::Status::Executing || !stage.form) {
            promise.finish(inviteOf(stage));
            return;
        }
        // A server that asks something first (an expiry, say) gets its own defaults back.
        QXmppDataForm answers = *stage.form;
        answers.setType(QXmppDataForm::Submit);
        command->proceed(AdHocCommand::Action::Complete, answers)
            .then(command.get(), [promise, command](Result<AdHocCommand::Stage> &&completed) mutable {
                if (isOk(completed))
                    promise.finish(inviteOf(std::get<AdHocCommand::Stage>(completed)));
                else
                    promise.finish(errorOf(completed));
            });
    });
    return task;
}

} // namespace Natter::Core
