// SPDX-License-Identifier: GPL-3.0-or-later
// Messages found by a search, newest first, with where the searched words occur in each.
#include "SearchResultsModel.h"

#include <QPoint>
#include <algorithm>

namespace Natter::Ui {

using Core::ChatMessage;

SearchResultsModel::SearchResultsModel(QObject *parent)
    : QAbstractListModel(parent)
{}

int SearchResultsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_messages.size());
}

QVariant SearchResultsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ChatMessage &message = m_messages.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case BodyRole:
        return message.body;
    case PeerRole:
        return message.conversation.peer;
    case TimestampRole:
        return message.timestamp;
    case DirectionRole:
        return int(message.direction);
    case MatchesRole: {
        QVariantList list;
        for (const QPoint &match : matches(message.body, m_text))
            list.append(match);
        return list;
    }
    case MessageRole:
        return QVariant::fromValue(message);
    default:
        return {};
    }
}

QHash<int, QByteArray> SearchResultsModel::roleNames() const
{
    auto names = QAbstractListModel::roleNames();
    names.insert(BodyRole, "body");
    names.insert(PeerRole, "peer");
    names.insert(TimestampRole, "timestamp");
    names.insert(DirectionRole, "direction");
    names.insert(MatchesRole, "matches");
    names.insert(MessageRole, "message");
    return names;
}

void SearchResultsModel::setResults(const QString &text, const QList<ChatMessage> &messages)
{
    beginResetModel();
    m_text = text;
    m_messages = messages;
    endResetModel();
}

void SearchResultsModel::clear()
{
    setResults({}, {});
}

QList<QPoint> SearchResultsModel::matches(const QString &body, const QString &text)
{
    QList<QPoint> found;
    const QStringList words = text.simplified().split(u' ', Qt::SkipEmptyParts);
    for (const QString &word : words) {
        for (qsizetype at = body.indexOf(word, 0, Qt::CaseInsensitive); at >= 0;
             at = body.indexOf(word, at + 1, Qt::CaseInsensitive)) {
            const bool startsWord = at == 0 || !body.at(at - 1).isLetterOrNumber();
            if (startsWord)
                found.append(QPoint(int(at), int(word.size())));
        }
    }
    std::sort(found.begin(), found.end(), [](const QPoint &a, const QPoint &b) { return a.x() < b.x(); });
    return found;
}

} // namespace Natter::Ui
