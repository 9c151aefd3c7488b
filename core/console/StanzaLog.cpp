// SPDX-License-Identifier: GPL-3.0-or-later
#include "StanzaLog.h"

#include "RawElement.h"
#include "SecretMasking.h"

#include <QDomDocument>
#include <QXmppClient.h>
#include <QXmppLogger.h>

namespace Natter::Core::Console {

namespace {

StanzaEntry::Kind kindOf(const QString &name)
{
    if (name == u"message")
        return StanzaEntry::Kind::Message;
    if (name == u"presence")
        return StanzaEntry::Kind::Presence;
    if (name == u"iq")
        return StanzaEntry::Kind::Iq;
    return StanzaEntry::Kind::Other;
}

QString compact(const QDomElement &element)
{
    QString xml;
    QTextStream stream(&xml);
    element.save(stream, -1);
    return xml.trimmed();
}

} // namespace

StanzaLog::StanzaLog(QXmppClient &client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
    // A client starts with QXmpp's process-wide logger, which logs nothing; a logger of our own (or the one
    // NATTER_DEBUG_XMPP set) reports what goes over the wire.
    m_logger = client.logger();
    if (!m_logger || m_logger == QXmppLogger::getLogger()) {
        m_logger = new QXmppLogger(this);
        m_logger->setLoggingType(QXmppLogger::SignalLogging);
        m_logger->setMessageTypes(QXmppLogger::SentMessage | QXmppLogger::ReceivedMessage);
        client.setLogger(m_logger);
    }
    connect(m_logger, &QXmppLogger::message, this,
            [this](QXmppLogger::MessageType type, const QString &text) {
                if (!isRecording())
                    return;
                if (type == QXmppLogger::SentMessage)
                    record(StanzaEntry::Direction::Sent, text);
                else if (type == QXmppLogger::ReceivedMessage)
                    record(StanzaEntry::Direction::Received, text);
            });
}

void StanzaLog::startRecording()
{
    ++m_recorders;
}

void StanzaLog::stopRecording()
{
    m_recorders = std::max(0, m_recorders - 1);
}

void StanzaLog::clear()
{
    m_entries.clear();
    Q_EMIT cleared();
}

// What the stream carries comes in pieces of one or more top-level elements, or parts of the stream's own
// element (its header, its end): the elements are kept one by one, anything else as it came.
void StanzaLog::record(StanzaEntry::Direction direction, const QString &data)
{
    const QString masked = withSecretsHidden(data.trimmed());
    if (masked.isEmpty())
        return;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QDomDocument document;
    const QString wrapped =
        QStringLiteral("<natter-console xmlns:stream='http://etherx.jabber.org/streams'>%1</natter-console>")
            .arg(masked);
    if (!document.setContent(wrapped)) {
        append({now, direction, StanzaEntry::Kind::Other, {}, {}, masked});
        return;
    }
    for (QDomElement element = document.documentElement().firstChildElement(); !element.isNull();
         element = element.nextSiblingElement()) {
        append({now, direction, kindOf(element.tagName()), element.attribute(QStringLiteral("from")),
                element.attribute(QStringLiteral("to")), compact(element)});
    }
}

void StanzaLog::append(StanzaEntry entry)
{
    if (m_entries.size() >= MaxEntries)
        m_entries.removeFirst();
    m_entries.append(entry);
    Q_EMIT entryAdded(entry);
}

Result<Success> StanzaLog::send(const QString &xml)
{
    QDomDocument document;
    const auto parsed = document.setContent(xml.trimmed());
    if (!parsed)
        return Error(Error::Code::XmlInvalid,
                     QStringLiteral("the XML is not well-formed (line %1, column %2: %3)")
                         .arg(parsed.errorLine)
                         .arg(parsed.errorColumn)
                         .arg(parsed.errorMessage));
    const QDomElement stanza = document.documentElement();
    if (kindOf(stanza.tagName()) == StanzaEntry::Kind::Other)
        return Error(Error::Code::XmlInvalid,
                     QStringLiteral("only a <message/>, <presence/> or <iq/> can be sent, not <%1/>")
                         .arg(stanza.tagName()));
    if (m_client.state() != QXmppClient::ConnectedState)
        return Error(Error::Code::NotConnected);
    if (!m_client.sendPacket(RawElement(stanza)))
        return Error(Error::Code::SendFailed,
                     QStringLiteral("the stanza could not be written to the stream"));
    return Success{};
}

} // namespace Natter::Core::Console
