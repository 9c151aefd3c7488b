// SPDX-License-Identifier: GPL-3.0-or-later
#include "ArchiveQuery.h"

#include "common/JidValidator.h"
#include "common/Logging.h"

#include <QDomElement>
#include <QPromise>
#include <QXmppClient.h>
#include <QXmppDataForm.h>
#include <QXmppError.h>
#include <QXmppMamIq.h>
#include <QXmppResultSet.h>
#include <QXmppStanza.h>
#include <QXmppTask.h>
#include <QXmppUtils.h>

namespace Natter::Core {

namespace {
const QString MamNamespace = QStringLiteral("urn:xmpp:mam:2");
const QString ForwardNamespace = QStringLiteral("urn:xmpp:forward:0");
const QString DelayNamespace = QStringLiteral("urn:xmpp:delay");
const QString ClientNamespace = QStringLiteral("jabber:client");

QXmppDataForm::Field field(const QString &key, const QString &value,
                           QXmppDataForm::Field::Type type = QXmppDataForm::Field::TextSingleField)
{
    QXmppDataForm::Field f(type);
    f.setKey(key);
    f.setValue(value);
    return f;
}

QXmppMamQueryIq requestFor(const ArchiveQuery::Filter &filter)
{
    QList<QXmppDataForm::Field> fields{
        field(QStringLiteral("FORM_TYPE"), MamNamespace, QXmppDataForm::Field::HiddenField)};
    if (!filter.with.isEmpty())
        fields.append(field(QStringLiteral("with"), filter.with));
    if (filter.start.isValid())
        fields.append(field(QStringLiteral("start"), QXmppUtils::datetimeToString(filter.start)));
    if (filter.end.isValid())
        fields.append(field(QStringLiteral("end"), QXmppUtils::datetimeToString(filter.end)));
    QXmppDataForm form;
    form.setType(QXmppDataForm::Submit);
    form.setFields(fields);

    QXmppResultSetQuery page;
    page.setMax(filter.max);
    if (filter.after)
        page.setAfter(*filter.after);
    else if (filter.before)
        page.setBefore(filter.before->isNull() ? QString(QLatin1String("")) : *filter.before);

    QXmppMamQueryIq iq;
    iq.setType(QXmppIq::Set);
    iq.setTo(filter.archive);
    iq.setQueryId(iq.id());
    iq.setForm(form);
    iq.setResultSetQuery(page);
    return iq;
}
} // namespace

struct ArchiveQuery::Pending
{
    QString archive; // the bare JID results must come from
    std::function<void(const QString &)> firstResult;
    QPromise<Result<ArchivePage>> promise;
    ArchivePage page;
};

ArchiveQuery::~ArchiveQuery()
{
    abandonAll();
}

void ArchiveQuery::abandonAll()
{
    for (const auto &pending : std::as_const(m_pending)) {
        pending->promise.addResult(
            Error(Error::Code::NotConnected, QStringLiteral("archive query abandoned")));
        pending->promise.finish();
    }
    m_pending.clear();
}

void ArchiveQuery::setClient(QXmppClient *client)
{
    QXmppClientExtension::setClient(client);
    if (!client) // removed from its client
        return;
    // Answers never come after the stream is gone (a resumed stream keeps it, so no disconnect then).
    connect(client, &QXmppClient::disconnected, this, &ArchiveQuery::abandonAll);
}

QStringList ArchiveQuery::discoveryFeatures() const
{
    return {MamNamespace};
}

QFuture<Result<ArchivePage>> ArchiveQuery::query(const Filter &filter)
{
    auto pending = std::make_shared<Pending>();
    pending->promise.start();
    auto future = pending->promise.future();
    if (!client() || client()->state() != QXmppClient::ConnectedState) {
        pending->promise.addResult(Error(Error::Code::NotConnected, QStringLiteral("not connected")));
        pending->promise.finish();
        return future;
    }
    QXmppMamQueryIq request = requestFor(filter);
    const QString queryId = request.queryId();
    pending->archive =
        filter.archive.isEmpty()
            ? JidValidator::normalizedBareJid(QXmppUtils::jidToBareJid(client()->configuration().jid()))
            : JidValidator::normalizedBareJid(filter.archive);
    pending->firstResult = filter.firstResult;
    m_pending.insert(queryId, pending);

    client()->sendIq(std::move(request)).then(this, [this, queryId](QXmppClient::IqResult &&result) {
        const auto answered = m_pending.take(queryId);
        if (!answered)
            return;
        if (const auto *error = std::get_if<QXmppError>(&result)) {
            const bool missingItem =
                error->value<QXmppStanza::Error>().has_value() &&
                error->value<QXmppStanza::Error>()->condition() == QXmppStanza::Error::ItemNotFound;
            answered->promise.addResult(
                Error(missingItem ? Error::Code::ArchiveItemNotFound : Error::Code::ArchiveQueryFailed,
                      error->description));
            answered->promise.finish();
            return;
        }
        QXmppMamResultIq iq;
        iq.parse(std::get<QDomElement>(result));
        answered->page.firstId = iq.resultSetReply().first();
        answered->page.lastId = iq.resultSetReply().last();
        answered->page.complete = iq.complete();
        answered->promise.addResult(std::move(answered->page));
        answered->promise.finish();
    });
    return future;
}

bool ArchiveQuery::handleStanza(const QDomElement &element)
{
    if (element.tagName() != u"message")
        return false;
    const QDomElement result = element.firstChildElement(QStringLiteral("result"));
    if (result.isNull() || result.namespaceURI() != MamNamespace)
        return false;
    const auto pending = m_pending.value(result.attribute(QStringLiteral("queryid")));
    const QString from = element.attribute(QStringLiteral("from"));
    const QString ownJid =
        JidValidator::normalizedBareJid(QXmppUtils::jidToBareJid(client()->configuration().jid()));
    const QString sender = from.isEmpty() ? ownJid : JidValidator::normalizedBareJid(from);
    if (!pending || sender != pending->archive) {
        // Not an answer to a query of ours, or from someone posing as the archive: dropped, never shown.
        qCWarning(lcXmpp) << "dropping an archive result that answers no query of ours from" << from;
        return true;
    }
    const QDomElement forwarded = result.firstChildElement(QStringLiteral("forwarded"));
    const QDomElement inner = forwarded.firstChildElement(QStringLiteral("message"));
    const QString archiveId = result.attribute(QStringLiteral("id"));
    if (forwarded.namespaceURI() != ForwardNamespace || inner.isNull() || archiveId.isEmpty()) {
        qCWarning(lcXmpp) << "dropping a malformed archive result";
        return true;
    }
    ArchivedMessage archived;
    archived.archiveId = archiveId;
    archived.message.parse(inner);
    const QDomElement delay = forwarded.firstChildElement(QStringLiteral("delay"));
    if (delay.namespaceURI() == DelayNamespace)
        archived.archivedAt =
            QXmppUtils::datetimeFromString(delay.attribute(QStringLiteral("stamp"))).toUTC();
    pending->page.messages.append(std::move(archived));
    if (pending->page.messages.size() == 1 && pending->firstResult)
        pending->firstResult(archiveId);
    return true;
}

} // namespace Natter::Core
