// SPDX-License-Identifier: GPL-3.0-or-later
// Reads a QXmppClient's incoming stream in QXmpp's place, so that a flood of stanzas (joining a room of
// thousands) neither costs quadratic time nor freezes the window.
#pragma once

#include "StanzaSplitter.h"

#include <QDomDocument>
#include <QElapsedTimer>
#include <QFuture>
#include <QMetaMethod>
#include <QObject>
#include <QPointer>
#include <QQueue>
#include <QStringDecoder>

class QSslSocket;
class QXmppClient;

namespace Natter::Core {

// QXmpp 1.10 parses everything received since the last complete stanza again on every network read (a
// room join of 2,000 occupants spent 3 s doing so) and hands all stanzas of a read to the client at once.
// Here every character is scanned once (StanzaSplitter), stanzas are parsed into DOM on a worker thread,
// and they reach QXmpp in the order they came, at most a few milliseconds' worth per event-loop turn.
// QXmpp keeps everything else: it still sees the same signals of its own socket object.
class IncomingStanzaReader : public QObject
{
    Q_OBJECT
public:
    // nullptr (and QXmpp keeps reading) when this QXmpp lacks the internals the reader takes over.
    static IncomingStanzaReader *install(QXmppClient &client);

    struct Parsed
    {
        QDomDocument document; // keeps the elements alive
        QDomElement stream;
        QList<QDomElement> stanzas;
        QString raw;
        bool ok = true;
    };
    // What one top-level piece or run of stanzas becomes, in order. Exposed for tests.
    static Parsed parse(const QString &streamHeader, const QString &stanzas);

private:
    struct XmppSocketSignals
    {
        QMetaMethod stanzaReceived;
        QMetaMethod streamReceived;
        QMetaMethod streamClosed;
        QMetaMethod logMessage;
    };
    struct Job
    {
        enum class Kind
        {
            StreamOpened,
            Stanzas,
            StreamClosed,
            Malformed,
            Keepalive
        };
        Kind kind;
        QFuture<Parsed> parsed;
        qsizetype delivered = 0;
        bool watched = false;
    };

    IncomingStanzaReader(QSslSocket *socket, QObject *xmppSocket, XmppSocketSignals signalMethods);
    void read();
    void queue(const QList<StanzaSplitter::Piece> &pieces);
    void deliver();
    bool deliverJob(Job &job, const QElapsedTimer &clock, qint64 budgetNs);
    void scheduleDelivery();
    Q_SLOT void restart();

    QSslSocket *m_socket;
    QPointer<QObject> m_xmppSocket;
    XmppSocketSignals m_signals;
    StanzaSplitter m_splitter;
    QStringDecoder m_decoder{QStringDecoder::Utf8};
    QString m_streamHeader;
    QQueue<Job> m_jobs;
    quint64 m_generation = 0; // changes when the stream restarts: older jobs are dropped
    bool m_deliveryScheduled = false;
};

} // namespace Natter::Core
