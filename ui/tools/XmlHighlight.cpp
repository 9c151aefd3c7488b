// SPDX-License-Identifier: GPL-3.0-or-later
#include "XmlHighlight.h"

#include <QXmlStreamReader>

namespace Natter::Ui {

namespace {

constexpr auto TagColour = "#8959a8";
constexpr auto AttributeColour = "#c82829";
constexpr auto ValueColour = "#718c00";
constexpr auto TextColour = "#3e999f";

QString coloured(const char *colour, const QString &text)
{
    return QStringLiteral("<span style=\"color:%1\">%2</span>")
        .arg(QLatin1String(colour), text.toHtmlEscaped());
}

QString startTag(const QXmlStreamReader &reader)
{
    QString html = coloured(TagColour, u'<' + reader.qualifiedName().toString());
    for (const QXmlStreamNamespaceDeclaration &declaration : reader.namespaceDeclarations()) {
        const QString name = declaration.prefix().isEmpty()
                                 ? QStringLiteral("xmlns")
                                 : QStringLiteral("xmlns:") + declaration.prefix().toString();
        html += u' ' + coloured(AttributeColour, name) + u'=' +
                coloured(ValueColour, u'\'' + declaration.namespaceUri().toString() + u'\'');
    }
    for (const QXmlStreamAttribute &attribute : reader.attributes())
        html += u' ' + coloured(AttributeColour, attribute.qualifiedName().toString()) + u'=' +
                coloured(ValueColour, u'\'' + attribute.value().toString() + u'\'');
    return html;
}

} // namespace

QString highlightedXml(const QString &xml)
{
    // The stream's prefix is declared on its start tag, which a single element no longer has.
    QXmlStreamReader reader(
        QStringLiteral("<natter-wrap xmlns:stream='http://etherx.jabber.org/streams'>%1</natter-wrap>")
            .arg(xml));
    QString html;
    int depth = -1;              // the wrapper is not shown
    bool openTagPending = false; // "<name …" written, its ">" not yet
    bool endOnSameLine = false;  // after text: the end tag follows it
    const auto indent = [&depth] { return QString(depth * 2, u' '); };
    while (!reader.atEnd()) {
        switch (reader.readNext()) {
        case QXmlStreamReader::StartElement:
            if (depth >= 0) {
                if (openTagPending)
                    html += coloured(TagColour, QStringLiteral(">"));
                if (!html.isEmpty())
                    html += u'\n';
                html += indent() + startTag(reader);
                openTagPending = true;
                endOnSameLine = false;
            }
            ++depth;
            break;
        case QXmlStreamReader::Characters:
            if (depth > 0 && !reader.isWhitespace()) {
                if (openTagPending)
                    html += coloured(TagColour, QStringLiteral(">"));
                openTagPending = false;
                html += coloured(TextColour, reader.text().toString());
                endOnSameLine = true;
            }
            break;
        case QXmlStreamReader::EndElement:
            --depth;
            if (depth < 0)
                break;
            if (openTagPending) {
                html += coloured(TagColour, QStringLiteral("/>"));
            } else {
                if (!endOnSameLine)
                    html += u'\n' + indent();
                html += coloured(TagColour, QStringLiteral("</") + reader.qualifiedName().toString() + u'>');
            }
            openTagPending = false;
            endOnSameLine = false;
            break;
        default:
            break;
        }
    }
    if (reader.hasError())
        return xml.toHtmlEscaped();
    return html;
}

} // namespace Natter::Ui
