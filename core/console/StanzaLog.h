// SPDX-License-Identifier: GPL-3.0-or-later
// The XML console's record of one account's stream: each stanza sent and received while a console is open,
// with the time, the direction and what a filter needs (kind, addresses), secrets hidden (SecretMasking). It
// keeps the newest MaxEntries. It also sends hand-written stanzas, checked first.
#pragma once

#include "common/Result.h"

#include <QDateTime>
#include <QList>
#include <QObject>

class QXmppClient;
class QXmppLogger;

namespace Natter::Core::Console {

struct StanzaEntry
{
    enum class Direction
    {
        Sent,
        Received,
    };
    enum class Kind
    {
        Message,
        Presence,
        Iq,
        Other, // stream headers and features, SASL, stream management, anything not a stanza
    };
    QDateTime time;
    Direction direction = Direction::Received;
    Kind kind = Kind::Other;
    QString from;
    QString to;
    QString xml; // compact, secrets hidden
};

class StanzaLog : public QObject
{
    Q_OBJECT
public:
    static constexpr qsizetype MaxEntries = 5000;

    // Listens to client's logger, which it sets when the client has none.
    explicit StanzaLog(QXmppClient &client, QObject *parent = nullptr);

    // Records while at least one console is open (each open console asks once and gives back once).
    void startRecording();
    void stopRecording();
    bool isRecording() const { return m_recorders > 0; }

    QList<StanzaEntry> entries() const { return m_entries; }
    void clear();

    // Sends one stanza (message, presence or iq) written by hand; an error says what is wrong with it and
    // nothing is sent.
    Result<Success> send(const QString &xml);

Q_SIGNALS:
    void entryAdded(const Natter::Core::Console::StanzaEntry &entry);
    void cleared();

private:
    void record(StanzaEntry::Direction direction, const QString &data);
    void append(StanzaEntry entry);

    QXmppClient &m_client;
    QXmppLogger *m_logger = nullptr;
    int m_recorders = 0;
    QList<StanzaEntry> m_entries;
};

} // namespace Natter::Core::Console

Q_DECLARE_METATYPE(Natter::Core::Console::StanzaEntry)
