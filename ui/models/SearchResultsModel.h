// SPDX-License-Identifier: GPL-3.0-or-later
// Messages found by a search, newest first, with where the searched words occur in each.
#pragma once

#include "domain/ChatMessage.h"

#include <QAbstractListModel>
#include <QList>

namespace Natter::Ui {

class SearchResultsModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role
    {
        BodyRole = Qt::UserRole + 1,
        PeerRole,      // bare JID of the contact
        TimestampRole, // QDateTime, UTC
        DirectionRole, // int(ChatMessage::Direction)
        MatchesRole,   // QVariantList of QPoint(start, length): the searched words in the body
        MessageRole,   // the whole ChatMessage
    };
    Q_ENUM(Role)

    explicit SearchResultsModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    void setResults(const QString &text, const QList<Core::ChatMessage> &messages);
    void clear();
    QString text() const { return m_text; }
    Core::ChatMessage messageAt(int row) const { return m_messages.at(row); }

    // Where words of text start a word of body, case-insensitively: (start, length) pairs in order.
    static QList<QPoint> matches(const QString &body, const QString &text);

private:
    QString m_text;
    QList<Core::ChatMessage> m_messages;
};

} // namespace Natter::Ui
