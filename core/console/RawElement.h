// SPDX-License-Identifier: GPL-3.0-or-later
// An element sent exactly as it was written (the XML console; tests that play a foreign client). Parsed
// without namespace processing, its xmlns declarations stay attributes and are written back as they were.
#pragma once

#include <QDomElement>
#include <QXmppElement.h>
#include <QXmppNonza.h>

namespace Natter::Core::Console {

class RawElement : public QXmppNonza
{
public:
    explicit RawElement(QDomElement element)
        : m_element(std::move(element))
    {}
    void parse(const QDomElement &) override {}
    void toXml(QXmlStreamWriter *writer) const override { QXmppElement(m_element).toXml(writer); }

private:
    QDomElement m_element;
};

} // namespace Natter::Core::Console
