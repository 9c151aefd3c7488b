// SPDX-License-Identifier: GPL-3.0-or-later
#include "XmppUri.h"

#include "JidValidator.h"

#include <QUrl>

namespace Natter::Core {

namespace {

const QString Scheme = QStringLiteral("xmpp:");

QString percentDecoded(QStringView text)
{
    return QUrl::fromPercentEncoding(text.toUtf8());
}

} // namespace

QString XmppUri::value(const QString &key) const
{
    for (const auto &[name, value] : parameters) {
        if (name == key)
            return value;
    }
    return {};
}

std::optional<XmppUri> XmppUri::parse(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (!trimmed.startsWith(Scheme, Qt::CaseInsensitive))
        return std::nullopt;
    QStringView rest = QStringView(trimmed).mid(Scheme.size());
    if (rest.startsWith(u"//"))
        return std::nullopt;
    if (const auto fragment = rest.indexOf(u'#'); fragment >= 0)
        rest = rest.left(fragment);
    const auto queryStart = rest.indexOf(u'?');

    XmppUri uri;
    uri.jid = percentDecoded(queryStart >= 0 ? rest.left(queryStart) : rest);
    if (uri.jid.isEmpty() || JidValidator::checkJid(uri.jid) != JidValidator::Problem::None)
        return std::nullopt;
    if (queryStart < 0)
        return uri;
    const auto pairs = rest.mid(queryStart + 1).split(u';', Qt::SkipEmptyParts);
    for (qsizetype i = 0; i < pairs.size(); ++i) {
        const QStringView pair = pairs[i];
        const auto equals = pair.indexOf(u'=');
        if (equals < 0) {
            if (i == 0)
                uri.action = percentDecoded(pair);
            continue;
        }
        uri.parameters.append({percentDecoded(pair.left(equals)), percentDecoded(pair.mid(equals + 1))});
    }
    return uri;
}

} // namespace Natter::Core
