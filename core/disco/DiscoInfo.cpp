// SPDX-License-Identifier: GPL-3.0-or-later
#include "DiscoInfo.h"

#include "common/PayloadIq.h"
#include "common/XmppRequest.h"

#include <QDomElement>
#include <algorithm>

namespace Natter::Core {

namespace {

const QString DiscoInfoNs = QStringLiteral("http://jabber.org/protocol/disco#info");
const QString DataFormsNs = QStringLiteral("jabber:x:data");
const QString FormType = QStringLiteral("FORM_TYPE");

DiscoInfo::FormFields fieldsOf(const QDomElement &form)
{
    DiscoInfo::FormFields fields;
    for (QDomElement field = form.firstChildElement(QStringLiteral("field")); !field.isNull();
         field = field.nextSiblingElement(QStringLiteral("field"))) {
        QStringList values;
        for (QDomElement value = field.firstChildElement(QStringLiteral("value")); !value.isNull();
             value = value.nextSiblingElement(QStringLiteral("value")))
            if (const QString text = value.text().trimmed(); !text.isEmpty())
                values.append(text);
        fields.insert(field.attribute(QStringLiteral("var")), values);
    }
    return fields;
}

} // namespace

bool DiscoInfo::hasFeature(const QString &feature) const
{
    return features.contains(feature);
}

bool DiscoInfo::hasIdentity(const QString &category, const QString &type) const
{
    return std::any_of(identities.cbegin(), identities.cend(), [&](const DiscoIdentity &identity) {
        return identity.category == category && identity.type == type;
    });
}

QString DiscoInfo::formValue(const QString &formType, const QString &field) const
{
    return forms.value(formType).value(field).value(0);
}

DiscoInfo DiscoInfo::fromQuery(const QDomElement &query)
{
    DiscoInfo info;
    info.query = query;
    for (QDomElement child = query.firstChildElement(); !child.isNull(); child = child.nextSiblingElement()) {
        if (child.tagName() == u"identity") {
            info.identities.append({child.attribute(QStringLiteral("category")),
                                    child.attribute(QStringLiteral("type")),
                                    child.attribute(QStringLiteral("name"))});
        } else if (child.tagName() == u"feature") {
            info.features.append(child.attribute(QStringLiteral("var")));
        } else if (child.tagName() == u"x" && child.namespaceURI() == DataFormsNs) {
            FormFields fields = fieldsOf(child);
            const QString formType = fields.take(FormType).value(0);
            if (!formType.isEmpty())
                info.forms.insert(formType, fields);
        }
    }
    info.features.sort();
    return info;
}

QXmppTask<Result<DiscoInfo>> askDiscoInfo(QXmppClient &client, QObject *context, const QString &jid,
                                          const QString &node)
{
    QXmppElement query;
    query.setTagName(QStringLiteral("query"));
    query.setAttribute(QStringLiteral("xmlns"), DiscoInfoNs);
    if (!node.isEmpty())
        query.setAttribute(QStringLiteral("node"), node);
    PayloadIq request(jid, query);
    request.setType(QXmppIq::Get);
    return ask<DiscoInfo>(client, context, std::move(request), [](const QDomElement &iq) {
        return Result<DiscoInfo>(DiscoInfo::fromQuery(iq.firstChildElement(QStringLiteral("query"))));
    });
}

} // namespace Natter::Core
