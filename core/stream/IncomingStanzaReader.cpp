// SPDX-License-Identifier: GPL-3.0-or-later
#include "IncomingStanzaReader.h"

#include "common/Logging.h"

#include <QElapsedTimer>
#include <QSslSocket>
#include <QThreadPool>
#include <QTimer>
#include <QXmppClient.h>
#include <QXmppLogger.h>
#include <QtConcurrent/QtConcurrentRun>

namespace Natter::Core {

namespace {

// A turn of the event loop spends at most this long handing stanzas to QXmpp.
constexpr qint64 DeliveryBudgetNs = 8'000'000;
constexpr qint64 ReadSliceBytes = 64 * 1024;

// One parsing thread for every account: stanzas of one stream are parsed in the order they came.
QThreadPool &parsingThread()
{
    static QThreadPool *pool = [] {
        auto *p = new QThreadPool;
        p->setMaxThreadCount(1);
        p->setExpiryTimeout(-1);
        return p;
    }();
    return *pool;
}

QMetaMethod signalOf(const QObject *object, const char *signature)
{
    const QMetaObject *meta = object->metaObject();
    const int index = meta->indexOfSignal(QMetaObject::normalizedSignature(signature).constData());
    return index < 0 ? QMetaMethod() : meta->method(index);
}

QFuture<IncomingStanzaReader::Parsed> ready(IncomingStanzaReader::Parsed parsed = {})
{
    return QtFuture::makeReadyValueFuture(std::move(parsed));
}

} // namespace

IncomingStanzaReader *IncomingStanzaReader::install(QXmppClient &client)
{
    // QXmpp::Private::XmppSocket, owned by the client's QXmppOutgoingClient, reads the QSslSocket next to it.
    QObject *xmppSocket = nullptr;
    for (QObject *child : client.findChildren<QObject *>()) {
        if (qstrcmp(child->metaObject()->className(), "QXmpp::Private::XmppSocket") == 0) {
            xmppSocket = child;
            break;
        }
    }
    QSslSocket *socket = xmppSocket && xmppSocket->parent()
                             ? xmppSocket->parent()->findChild<QSslSocket *>(Qt::FindDirectChildrenOnly)
                             : nullptr;
    if (!socket) {
        qCWarning(lcXmpp) << "QXmpp reads the stream itself: its socket was not found";
        return nullptr;
    }
    const XmppSocketSignals methods{
        signalOf(xmppSocket, "stanzaReceived(QDomElement)"),
        signalOf(xmppSocket, "streamReceived(QDomElement)"),
        signalOf(xmppSocket, "streamClosed()"),
        signalOf(xmppSocket, "logMessage(QXmppLogger::MessageType,QString)"),
    };
    const QMetaMethod started = signalOf(xmppSocket, "started()");
    if (!methods.stanzaReceived.isValid() || !methods.streamReceived.isValid() ||
        !methods.streamClosed.isValid() || !methods.logMessage.isValid() || !started.isValid()) {
        qCWarning(lcXmpp) << "QXmpp reads the stream itself: its socket has other signals than expected";
        return nullptr;
    }
    if (!QObject::disconnect(socket, &QIODevice::readyRead, xmppSocket, nullptr)) {
        qCWarning(lcXmpp) << "QXmpp reads the stream itself: its reading could not be taken over";
        return nullptr;
    }
    auto *reader = new IncomingStanzaReader(socket, xmppSocket, methods);
    // QXmpp says "started" for every new connection and after TLS: a new stream begins.
    QObject::connect(xmppSocket, started, reader,
                     reader->metaObject()->method(reader->metaObject()->indexOfMethod("restart()")));
    return reader;
}

IncomingStanzaReader::IncomingStanzaReader(QSslSocket *socket, QObject *xmppSocket,
                                           XmppSocketSignals signalMethods)
    : QObject(socket)
    , m_socket(socket)
    , m_xmppSocket(xmppSocket)
    , m_signals(std::move(signalMethods))
{
    // A bounded buffer makes the socket decrypt a flood a slice per event-loop turn, not all at once.
    socket->setReadBufferSize(ReadSliceBytes);
    connect(socket, &QIODevice::readyRead, this, &IncomingStanzaReader::read);
    // Stanzas not handed on when the connection drops are dropped with it: QXmpp has torn its stream down
    // (handing them on then crashed a handler), and as it never counted them, Stream Management has the
    // server send them again on resumption (a new session catches up from the archives).
    connect(socket, &QAbstractSocket::disconnected, this, &IncomingStanzaReader::restart);
}

IncomingStanzaReader::Parsed IncomingStanzaReader::parse(const QString &streamHeader, const QString &stanzas)
{
    Parsed parsed;
    parsed.raw = stanzas.isEmpty() ? streamHeader : stanzas;
    const QString wrapped = streamHeader + stanzas + QStringLiteral("</stream:stream>");
    if (!parsed.document.setContent(wrapped, QDomDocument::ParseOption::UseNamespaceProcessing)) {
        parsed.ok = false;
        return parsed;
    }
    parsed.stream = parsed.document.documentElement();
    for (QDomElement element = parsed.stream.firstChildElement(); !element.isNull();
         element = element.nextSiblingElement())
        parsed.stanzas.append(element);
    return parsed;
}

void IncomingStanzaReader::read()
{
    const QString text = m_decoder.decode(m_socket->readAll());
    if (text.trimmed().isEmpty() && m_splitter.isIdle()) {
        // A whitespace keepalive: QXmpp counts it as a sign of life.
        m_jobs.enqueue({Job::Kind::Keepalive, ready()});
        scheduleDelivery();
        return;
    }
    queue(m_splitter.feed(text));
}

void IncomingStanzaReader::queue(const QList<StanzaSplitter::Piece> &pieces)
{
    QString stanzas;
    const auto flushStanzas = [&] {
        if (stanzas.isEmpty())
            return;
        m_jobs.enqueue({Job::Kind::Stanzas, QtConcurrent::run(&parsingThread(), &IncomingStanzaReader::parse,
                                                              m_streamHeader, std::exchange(stanzas, {}))});
    };
    for (const auto &piece : pieces) {
        using Kind = StanzaSplitter::Piece::Kind;
        switch (piece.kind) {
        case Kind::Stanza:
            stanzas += piece.xml;
            continue;
        case Kind::StreamOpened:
            flushStanzas();
            m_streamHeader = piece.xml;
            m_jobs.enqueue({Job::Kind::StreamOpened, ready(parse(m_streamHeader, {}))});
            continue;
        case Kind::StreamClosed:
            flushStanzas();
            m_jobs.enqueue({Job::Kind::StreamClosed, ready()});
            continue;
        case Kind::Malformed:
            flushStanzas();
            qCWarning(lcXmpp) << "the server sent something that is not XML, closing:" << piece.xml;
            m_jobs.enqueue({Job::Kind::Malformed, ready()});
            continue;
        }
    }
    flushStanzas();
    scheduleDelivery();
}

void IncomingStanzaReader::scheduleDelivery()
{
    if (m_deliveryScheduled || m_jobs.isEmpty())
        return;
    Job &front = m_jobs.front();
    if (!front.parsed.isFinished()) {
        if (!front.watched) {
            front.watched = true;
            front.parsed.then(this, [this, generation = m_generation](const Parsed &) {
                if (generation == m_generation)
                    scheduleDelivery();
            });
        }
        return;
    }
    m_deliveryScheduled = true;
    QTimer::singleShot(0, this, &IncomingStanzaReader::deliver);
}

void IncomingStanzaReader::deliver()
{
    m_deliveryScheduled = false;
    QElapsedTimer clock;
    clock.start();
    const quint64 generation = m_generation;
    while (!m_jobs.isEmpty() && m_jobs.front().parsed.isFinished()) {
        const bool finished = deliverJob(m_jobs.front(), clock, DeliveryBudgetNs);
        // QXmpp may have closed or restarted the stream in between.
        if (generation != m_generation || !m_xmppSocket)
            return;
        if (!finished)
            break;
        m_jobs.dequeue();
        if (clock.nsecsElapsed() > DeliveryBudgetNs)
            break;
    }
    scheduleDelivery();
}

// Hands the job's stanzas to QXmpp until the turn's budget is spent; true when all went.
bool IncomingStanzaReader::deliverJob(Job &job, const QElapsedTimer &clock, qint64 budgetNs)
{
    QObject *target = m_xmppSocket.data();
    const quint64 generation = m_generation;
    switch (job.kind) {
    case Job::Kind::Keepalive:
        m_signals.stanzaReceived.invoke(target, Qt::DirectConnection, Q_ARG(QDomElement, QDomElement()));
        return true;
    case Job::Kind::StreamClosed:
        m_signals.streamClosed.invoke(target, Qt::DirectConnection);
        return true;
    case Job::Kind::Malformed:
        m_signals.streamClosed.invoke(target, Qt::DirectConnection);
        return true;
    case Job::Kind::StreamOpened:
    case Job::Kind::Stanzas:
        break;
    }
    const Parsed &parsed = job.parsed.result();
    if (!parsed.ok) {
        qCWarning(lcXmpp) << "the server sent XML that does not parse, closing:" << parsed.raw.left(200);
        m_signals.streamClosed.invoke(target, Qt::DirectConnection);
        return true;
    }
    if (job.delivered == 0)
        m_signals.logMessage.invoke(target, Qt::DirectConnection,
                                    Q_ARG(QXmppLogger::MessageType, QXmppLogger::ReceivedMessage),
                                    Q_ARG(QString, parsed.raw));
    if (job.kind == Job::Kind::StreamOpened) {
        m_signals.streamReceived.invoke(target, Qt::DirectConnection, Q_ARG(QDomElement, parsed.stream));
        return true;
    }
    while (job.delivered < parsed.stanzas.size()) {
        const QDomElement stanza = parsed.stanzas.at(job.delivered++);
        m_signals.stanzaReceived.invoke(target, Qt::DirectConnection, Q_ARG(QDomElement, stanza));
        if (generation != m_generation || !m_xmppSocket)
            return false;
        if (clock.nsecsElapsed() > budgetNs)
            return job.delivered == parsed.stanzas.size();
    }
    return true;
}

void IncomingStanzaReader::restart()
{
    ++m_generation;
    m_jobs.clear();
    m_splitter.reset();
    m_decoder.resetState();
    m_streamHeader.clear();
    m_deliveryScheduled = false;
}

} // namespace Natter::Core
