// SPDX-License-Identifier: GPL-3.0-or-later
#include "ServerDetailsDialog.h"

#include "account/Account.h"
#include "account/ServerDetails.h"
#include "files/HttpUpload.h"
#include "presenters/DataSize.h"
#include "presenters/DiscoPresenter.h"
#include "presenters/ErrorPresenter.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QListWidget>
#include <QVBoxLayout>
#include <QXmppUtils.h>

namespace Natter::Ui {

namespace {

// XEP-0157's registered fields, in the order people look for them.
QString contactKind(const QString &field)
{
    if (field == u"admin-addresses")
        return ServerDetailsDialog::tr("Admins");
    if (field == u"abuse-addresses")
        return ServerDetailsDialog::tr("Abuse");
    if (field == u"support-addresses")
        return ServerDetailsDialog::tr("Support");
    if (field == u"security-addresses")
        return ServerDetailsDialog::tr("Security");
    if (field == u"feedback-addresses")
        return ServerDetailsDialog::tr("Feedback");
    if (field == u"sales-addresses")
        return ServerDetailsDialog::tr("Sales");
    if (field == u"status-addresses")
        return ServerDetailsDialog::tr("Status");
    return field;
}

} // namespace

ServerDetailsDialog::ServerDetailsDialog(Core::Account &account, QWidget *parent)
    : QDialog(parent)
    , m_summary(new QFormLayout)
    , m_identities(new QListWidget(this))
    , m_features(new QListWidget(this))
    , m_status(new QLabel(tr("Asking the server…"), this))
{
    setObjectName(QStringLiteral("serverDetailsDialog"));
    const QString server = QXmppUtils::jidToDomain(account.jid());
    setWindowTitle(tr("Server %1").arg(server));
    m_connection = addValue(tr("Connection:"), "connectionValue");
    m_contacts = addValue(tr("Contacts:"), "contactsValue");
    m_upload = addValue(tr("File upload:"), "uploadValue");
    m_archive = addValue(tr("Message archive:"), "archiveValue");
    m_push = addValue(tr("Push notifications:"), "pushValue");
    m_status->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::accept);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(m_summary);
    layout->addWidget(new QLabel(tr("What it is:"), this));
    layout->addWidget(m_identities);
    layout->addWidget(new QLabel(tr("What it offers (features):"), this));
    layout->addWidget(m_features, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(560, 640);
    // The upload service is looked for at each login: it may be found after the dialog asked.
    connect(&account.uploads(), &Core::HttpUploadService::serviceChanged, this, [this, &account] {
        if (const auto upload = account.uploads().service())
            showUpload(upload->jid, upload->maxFileSize);
    });
    Core::askServerDetails(account).then(this, [this, &account](Core::Result<Core::ServerDetails> &&result) {
        if (const auto *error = std::get_if<Core::Error>(&result)) {
            m_status->setText(ErrorPresenter::describe(*error));
            return;
        }
        showDetails(std::get<Core::ServerDetails>(result));
        if (const auto upload = account.uploads().service())
            showUpload(upload->jid, upload->maxFileSize);
    });
}

QLabel *ServerDetailsDialog::addValue(const QString &label, const char *name)
{
    auto *value = new QLabel(tr("…"), this);
    value->setObjectName(QLatin1String(name));
    value->setWordWrap(true);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    value->setTextFormat(Qt::PlainText);
    m_summary->addRow(label, value);
    return value;
}

void ServerDetailsDialog::showDetails(const Core::ServerDetails &details)
{
    m_connection->setText(details.tlsProtocol.isEmpty()
                              ? tr("not known")
                              : tr("%1, cipher %2").arg(details.tlsProtocol, details.tlsCipher));
    QStringList contacts;
    for (auto it = details.contactAddresses.cbegin(); it != details.contactAddresses.cend(); ++it)
        contacts.append(tr("%1: %2").arg(contactKind(it.key()), it.value().join(QStringLiteral(", "))));
    m_contacts->setText(contacts.isEmpty() ? tr("none announced") : contacts.join(u'\n'));
    showUpload(details.uploadService, details.uploadLimit);
    if (!details.archive)
        m_archive->setText(tr("not kept by the server"));
    else if (details.archiveDefault == u"always")
        m_archive->setText(tr("kept by the server, all messages (how long, it does not announce)"));
    else if (details.archiveDefault == u"roster")
        m_archive->setText(
            tr("kept by the server, messages with contacts only (how long, it does not announce)"));
    else if (details.archiveDefault == u"never")
        m_archive->setText(tr("offered, but switched off for this account"));
    else
        m_archive->setText(tr("kept by the server"));
    m_push->setText(details.push ? tr("offered (XEP-0357), for mobile apps") : tr("not offered"));
    for (const auto &identity : details.service.identities)
        m_identities->addItem(identityLine(identity));
    m_features->addItems(details.service.features);
    m_status->setText(tr("%n feature(s).", nullptr, int(details.service.features.size())));
}

void ServerDetailsDialog::showUpload(const QString &service, std::optional<qint64> limit)
{
    if (!limit)
        m_upload->setText(tr("not offered"));
    else if (*limit == 0)
        m_upload->setText(tr("%1, no size limit announced").arg(service));
    else
        m_upload->setText(tr("up to %1 per file (%2)").arg(dataSizeText(*limit), service));
}

QString ServerDetailsDialog::statusText() const
{
    return m_status->text();
}

} // namespace Natter::Ui
