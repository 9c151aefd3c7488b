// SPDX-License-Identifier: GPL-3.0-or-later
#include "PepXmlItem.h"

#include <QTextStream>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>

namespace Natter::Core {

PepXmlItem::PepXmlItem(const QString &id, QString payloadXml)
    : QXmppPubSubBaseItem(id)
    , m_payloadXml(std::move(payloadXml))
{}

QDomDocument PepXmlItem::payload() const
{
    QDomDocument document;
    document.setContent(m_payloadXml, QDomDocument::ParseOption::UseNamespaceProcessing);
    return document;
}

void PepXmlItem::parsePayload(const QDomElement &payload)
{
    QString xml;
    QTextStream stream(&xml);
    payload.save(stream, 0);
    m_payloadXml = xml;
}

void PepXmlItem::serializePayload(QXmlStreamWriter *writer) const
{
    QXmlStreamReader reader(m_payloadXml);
    while (!reader.atEnd()) {
        reader.readNext();
        if (!reader.isStartDocument() && !reader.isEndDocument())
            writer->writeCurrentToken(reader);
    }
}

} // namespace Natter::Core
