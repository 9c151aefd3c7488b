// SPDX-License-Identifier: GPL-3.0-or-later
#include "RawStanza.h"

#include <QDebug>
#include <QDomDocument>
#include <QXmppClient.h>
#include <QXmppElement.h>
#include <QXmppNonza.h>

namespace Natter::Test {

namespace {
// Without namespace processing the xmlns declarations stay attributes and are written back as they were.
class RawNonza : public QXmppNonza
{
public:
    explicit RawNonza(QDomElement element)
        : m_element(std::move(element))
    {}
    void parse(const QDomElement &) override {}
    void toXml(QXmlStreamWriter *writer) const override { QXmppElement(m_element).toXml(writer); }

private:
    QDomElement m_element;
};
} // namespace

bool sendRaw(QXmppClient &client, const QString &xml)
{
    QDomDocument document;
    const auto parsed = document.setContent(xml);
    if (!parsed) {
        qWarning() << "not well-formed:" << parsed.errorMessage << xml.left(200);
        return false;
    }
    return client.sendPacket(RawNonza(document.documentElement()));
}

} // namespace Natter::Test
