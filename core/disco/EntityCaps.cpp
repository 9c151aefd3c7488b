// SPDX-License-Identifier: GPL-3.0-or-later
#include "EntityCaps.h"

#include <QCryptographicHash>
#include <QDomDocument>
#include <QDomNamedNodeMap>
#include <QSet>
#include <QStringList>
#include <QXmlStreamWriter>
#include <algorithm>

namespace Natter::Core::EntityCaps {

namespace {

const QString DiscoInfoNs = QStringLiteral("http://jabber.org/protocol/disco#info");
const QString DataFormsNs = QStringLiteral("jabber:x:data");
const QString XmlNs = QStringLiteral("http://www.w3.org/XML/1998/namespace");
const QString FormType = QStringLiteral("FORM_TYPE");

QList<QDomElement> childElements(const QDomElement &parent, const QString &tagName)
{
    QList<QDomElement> children;
    for (QDomElement child = parent.firstChildElement(tagName); !child.isNull();
         child = child.nextSiblingElement(tagName))
        children.append(child);
    return children;
}

QStringList valuesOf(const QDomElement &field)
{
    QStringList values;
    for (const QDomElement &value : childElements(field, QStringLiteral("value")))
        values.append(value.text());
    return values;
}

// Sorting by "i;octet" (RFC 4790): byte order of the UTF-8 form, which is code point order.
void sortOctets(QStringList &strings)
{
    std::sort(strings.begin(), strings.end(),
              [](const QString &a, const QString &b) { return a.toUtf8() < b.toUtf8(); });
}

bool hasRepeats(const QStringList &strings)
{
    return QSet<QString>(strings.cbegin(), strings.cend()).size() != strings.size();
}

QString languageOf(const QDomElement &identity)
{
    const QString namespaced = identity.attributeNS(XmlNs, QStringLiteral("lang"));
    return namespaced.isEmpty() ? identity.attribute(QStringLiteral("xml:lang")) : namespaced;
}

// One extended form's part of S, FORM_TYPE first; empty for a form left out.
struct FormPart
{
    QString formType;
    QString text;
};

std::optional<std::optional<FormPart>> formPart(const QDomElement &form)
{
    QString formType;
    bool hiddenFormType = false;
    QList<QPair<QString, QStringList>> fields;
    for (const QDomElement &field : childElements(form, QStringLiteral("field"))) {
        const QString var = field.attribute(QStringLiteral("var"));
        QStringList values = valuesOf(field);
        if (var == FormType) {
            if (QSet<QString>(values.cbegin(), values.cend()).size() > 1)
                return std::nullopt;
            formType = values.value(0);
            hiddenFormType = field.attribute(QStringLiteral("type")) == u"hidden";
            continue;
        }
        sortOctets(values);
        fields.append({var, values});
    }
    if (formType.isEmpty() || !hiddenFormType)
        return std::optional<FormPart>();
    std::sort(fields.begin(), fields.end(),
              [](const auto &a, const auto &b) { return a.first.toUtf8() < b.first.toUtf8(); });
    QString text = formType + u'<';
    for (const auto &[var, values] : std::as_const(fields)) {
        text += var + u'<';
        for (const QString &value : values)
            text += value + u'<';
    }
    return std::optional<FormPart>(FormPart{formType, text});
}

std::optional<QCryptographicHash::Algorithm> hashAlgorithm(const QString &name)
{
    if (name == u"sha-1")
        return QCryptographicHash::Sha1;
    if (name == u"sha-224")
        return QCryptographicHash::Sha224;
    if (name == u"sha-256")
        return QCryptographicHash::Sha256;
    if (name == u"sha-384")
        return QCryptographicHash::Sha384;
    if (name == u"sha-512")
        return QCryptographicHash::Sha512;
    return std::nullopt;
}

void writeElement(QXmlStreamWriter &writer, const QDomElement &element, const QString &parentNamespace)
{
    writer.writeStartElement(element.localName().isEmpty() ? element.tagName() : element.localName());
    if (element.namespaceURI() != parentNamespace)
        writer.writeDefaultNamespace(element.namespaceURI());
    const QDomNamedNodeMap attributes = element.attributes();
    for (int i = 0; i < attributes.count(); ++i) {
        const QDomAttr attribute = attributes.item(i).toAttr();
        if (attribute.namespaceURI() == XmlNs)
            writer.writeAttribute(XmlNs, attribute.localName(), attribute.value());
        else if (attribute.name() != u"xmlns" && !attribute.name().startsWith(u"xmlns:"))
            writer.writeAttribute(attribute.name(), attribute.value());
    }
    for (QDomNode child = element.firstChild(); !child.isNull(); child = child.nextSibling()) {
        if (child.isElement())
            writeElement(writer, child.toElement(), element.namespaceURI());
        else if (child.isText() || child.isCDATASection())
            writer.writeCharacters(child.nodeValue());
    }
    writer.writeEndElement();
}

} // namespace

std::optional<QByteArray> verificationInput(const QDomElement &query)
{
    QStringList identities;
    for (const QDomElement &identity : childElements(query, QStringLiteral("identity")))
        identities.append(QStringList{identity.attribute(QStringLiteral("category")),
                                      identity.attribute(QStringLiteral("type")), languageOf(identity),
                                      identity.attribute(QStringLiteral("name"))}
                              .join(u'/'));
    QStringList features;
    for (const QDomElement &feature : childElements(query, QStringLiteral("feature")))
        features.append(feature.attribute(QStringLiteral("var")));
    QList<FormPart> forms;
    for (const QDomElement &form : childElements(query, QStringLiteral("x"))) {
        if (form.namespaceURI() != DataFormsNs)
            continue;
        const auto part = formPart(form);
        if (!part)
            return std::nullopt;
        if (*part)
            forms.append(**part);
    }
    QStringList formTypes;
    for (const FormPart &form : std::as_const(forms))
        formTypes.append(form.formType);
    if (hasRepeats(formTypes))
        return std::nullopt;

    // A repeated identity or feature counts once, as QXmpp hashes it: its clients (Natter, Kaidan) announce
    // some features twice. The hash must still match, so nothing can be slipped in this way.
    identities.removeDuplicates();
    features.removeDuplicates();
    sortOctets(identities);
    sortOctets(features);
    std::sort(forms.begin(), forms.end(),
              [](const FormPart &a, const FormPart &b) { return a.formType.toUtf8() < b.formType.toUtf8(); });
    QString text;
    for (const QString &identity : std::as_const(identities))
        text += identity + u'<';
    for (const QString &feature : std::as_const(features))
        text += feature + u'<';
    for (const FormPart &form : std::as_const(forms))
        text += form.text;
    return text.toUtf8();
}

bool verifies(const QDomElement &query, const QString &algorithm, const QString &verification)
{
    const auto hash = hashAlgorithm(algorithm);
    const auto input = verificationInput(query);
    if (!hash || !input)
        return false;
    return QCryptographicHash::hash(*input, *hash).toBase64() == verification.toLatin1();
}

QString toXml(const QDomElement &query)
{
    QString xml;
    QXmlStreamWriter writer(&xml);
    writeElement(writer, query, QString());
    return xml;
}

std::optional<QDomElement> fromXml(const QString &xml)
{
    QDomDocument document;
    if (!document.setContent(xml, QDomDocument::ParseOption::UseNamespaceProcessing))
        return std::nullopt;
    QDomElement query = document.documentElement();
    if (query.tagName() == u"iq") // as kept before every form counted
        query = query.firstChildElement(QStringLiteral("query"));
    if (query.isNull() || query.tagName() != u"query" || query.namespaceURI() != DiscoInfoNs)
        return std::nullopt;
    return query;
}

} // namespace Natter::Core::EntityCaps
