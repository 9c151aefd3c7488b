// SPDX-License-Identifier: GPL-3.0-or-later
#include "FileTransfer.h"

#include "S5bNegotiation.h"
#include "common/FilePlacement.h"
#include "common/Logging.h"

#include <QDir>
#include <QDomElement>
#include <QFile>
#include <QTcpSocket>
#include <QTemporaryFile>
#include <QTimer>
#include <QUuid>
#include <QXmppClient.h>
#include <QXmppIbbIq.h>
#include <QXmppTask.h>
#include <QXmppUtils.h>

namespace Natter::Core {

namespace {

const QString IbbNamespace = QStringLiteral("http://jabber.org/protocol/ibb");
constexpr qint64 SocketChunk = 256 * 1024;
constexpr qint64 SocketBufferLimit = 1024 * 1024;
constexpr int InBandBlockSize = 8192;
constexpr int InBandWindow = 8;
constexpr int PeerReasonGraceMs = 5000;
constexpr int ConfirmationTimeoutMs = 120000;

QString randomId()
{
    return QUuid::createUuid().toString(QUuid::Id128).left(16);
}

QXmppElement inBandElement(const QString &name, const QString &streamId, int blockSize = 0)
{
    QXmppElement element;
    element.setTagName(name);
    element.setAttribute(QStringLiteral("xmlns"), IbbNamespace);
    element.setAttribute(QStringLiteral("sid"), streamId);
    if (blockSize > 0) {
        element.setAttribute(QStringLiteral("block-size"), QString::number(blockSize));
        element.setAttribute(QStringLiteral("stanza"), QStringLiteral("iq"));
    }
    return element;
}

} // namespace

FileTransfer::FileTransfer(Direction direction, Context context, QString peer, QString sid, QObject *parent)
    : QObject(parent)
    , m_direction(direction)
    , m_context(std::move(context))
    , m_peer(std::move(peer))
    , m_sid(std::move(sid))
{}

FileTransfer::~FileTransfer() = default;

QString FileTransfer::peerBareJid() const
{
    return QXmppUtils::jidToBareJid(m_peer);
}

void FileTransfer::offer(const QString &path, const FileMetadata &file)
{
    m_path = path;
    m_file = file;
    m_contentName = QStringLiteral("file");
    m_streamId = randomId();
    m_source = std::make_unique<QFile>(path);
    if (!m_source->open(QIODevice::ReadOnly))
        return finish(Error(Error::Code::FileReadFailed, path));
    const QList<Jingle::Candidate> ours = m_context.ourCandidates();
    m_negotiation = new S5bNegotiation(m_context.client, m_context.listener,
                                       {m_context.ownJid, m_peer, true, m_streamId, ours}, this);
    connect(m_negotiation, &S5bNegotiation::report, this, &FileTransfer::send);
    connect(m_negotiation, &S5bNegotiation::established, this,
            [this](QTcpSocket *socket) { useSocket(socket, m_negotiation->route()); });
    connect(m_negotiation, &S5bNegotiation::failed, this, [this](const QString &reason) {
        qCInfo(lcFiles) << "SOCKS5 failed for" << m_sid << reason << "- falling back to in-band";
        fallBackToInBand();
    });

    Jingle::Action initiate;
    initiate.action = QStringLiteral("session-initiate");
    initiate.initiator = m_context.ownJid;
    initiate.file = file;
    initiate.transport = Jingle::Action::Transport::Socks5;
    initiate.candidates = ours;
    initiate.dstaddr = m_negotiation->ourDestination();
    send(initiate);
    setStage(Stage::Offered);
}

void FileTransfer::setOffer(const Jingle::Action &initiate)
{
    m_file = *initiate.file;
    m_contentName = initiate.contentName;
    m_streamId = initiate.transportSid;
    m_theirCandidates = initiate.candidates;
    m_inBand = initiate.transport == Jingle::Action::Transport::InBand;
    m_blockSize =
        std::clamp(initiate.blockSize > 0 ? initiate.blockSize : InBandBlockSize, 1, InBandBlockSize);
    setStage(Stage::Offered);
}

void FileTransfer::accept(const QString &folder)
{
    if (m_direction != Direction::Incoming || m_stage != Stage::Offered)
        return;
    m_folder = folder;
    const QString target = QDir(folder).filePath(m_file.name);
    QDir().mkpath(folder);
    m_target = std::make_unique<QTemporaryFile>(FilePlacement::temporaryTemplateFor(target));
    if (!m_target->open())
        return fail(FilePlacement::writeFailureAt(target, m_target->errorString()),
                    QStringLiteral("failed-application"),
                    QStringLiteral("the receiver cannot save the file"));

    Jingle::Action acceptance;
    acceptance.action = QStringLiteral("session-accept");
    acceptance.transportSid = m_streamId;
    if (m_inBand) {
        acceptance.transport = Jingle::Action::Transport::InBand;
        acceptance.blockSize = m_blockSize;
        send(acceptance);
        return setStage(Stage::Connecting);
    }
    // XEP-0260: never offer back a host and port the initiator offered (it breaks proxies).
    QList<Jingle::Candidate> ours;
    for (const Jingle::Candidate &candidate : m_context.ourCandidates()) {
        const bool offeredByThem = std::any_of(
            m_theirCandidates.cbegin(), m_theirCandidates.cend(),
            [&](const Jingle::Candidate &c) { return c.host == candidate.host && c.port == candidate.port; });
        if (!offeredByThem)
            ours.append(candidate);
    }
    m_negotiation = new S5bNegotiation(m_context.client, m_context.listener,
                                       {m_context.ownJid, m_peer, false, m_streamId, ours}, this);
    connect(m_negotiation, &S5bNegotiation::report, this, &FileTransfer::send);
    connect(m_negotiation, &S5bNegotiation::established, this,
            [this](QTcpSocket *socket) { useSocket(socket, m_negotiation->route()); });
    connect(m_negotiation, &S5bNegotiation::failed, this, [this](const QString &reason) {
        // The initiator decides what comes next (in-band, as we offer no other transport).
        qCInfo(lcFiles) << "SOCKS5 failed for" << m_sid << reason;
    });
    acceptance.transport = Jingle::Action::Transport::Socks5;
    acceptance.candidates = ours;
    acceptance.dstaddr = m_negotiation->ourDestination();
    send(acceptance);
    setStage(Stage::Connecting);
    m_negotiation->tryCandidates(candidatesToTry());
}

void FileTransfer::decline()
{
    if (m_direction != Direction::Incoming || m_stage != Stage::Offered)
        return;
    terminate(QStringLiteral("decline"));
    finish(Error(Error::Code::TransferCancelled));
}

void FileTransfer::cancel()
{
    if (m_stage == Stage::Finished)
        return;
    if (m_stage != Stage::Preparing)
        terminate(QStringLiteral("cancel"));
    finish(Error(Error::Code::TransferCancelled));
}

void FileTransfer::handle(const Jingle::Action &action)
{
    if (m_stage == Stage::Finished)
        return;
    const QString &name = action.action;
    if (name == u"session-terminate") {
        if (action.reason == u"success" && m_direction == Direction::Outgoing &&
            m_stage == Stage::Transferring)
            return finish(m_path);
        if (action.reason == u"cancel")
            return finish(Error(Error::Code::TransferCancelled, QStringLiteral("peer")));
        if (action.reason == u"decline")
            return finish(Error(Error::Code::RequestRefused, QStringLiteral("declined")));
        if (action.reason == u"media-error")
            return finish(Error(Error::Code::HashMismatch, m_file.name));
        return finish(Error(
            Error::Code::TransferFailed,
            QStringLiteral("the contact ended it: %1 %2").arg(action.reason, action.reasonText).trimmed()));
    }
    if (name == u"session-accept" && m_direction == Direction::Outgoing && m_stage == Stage::Offered) {
        setStage(Stage::Connecting);
        if (action.transport == Jingle::Action::Transport::InBand)
            return startInBand(std::clamp(action.blockSize, 1, InBandBlockSize));
        m_theirCandidates = action.candidates;
        return m_negotiation->tryCandidates(candidatesToTry());
    }
    if (name == u"transport-info" && m_negotiation && action.transport == Jingle::Action::Transport::Socks5 &&
        action.transportSid == m_streamId)
        return m_negotiation->handle(action);
    if (name == u"transport-replace" && m_direction == Direction::Incoming &&
        action.transport == Jingle::Action::Transport::InBand && m_stage == Stage::Connecting) {
        if (m_negotiation)
            m_negotiation->deleteLater();
        m_inBand = true;
        m_streamId = action.transportSid;
        m_blockSize =
            std::clamp(action.blockSize > 0 ? action.blockSize : InBandBlockSize, 1, InBandBlockSize);
        Jingle::Action accepted;
        accepted.action = QStringLiteral("transport-accept");
        accepted.transport = Jingle::Action::Transport::InBand;
        accepted.transportSid = m_streamId;
        accepted.blockSize = m_blockSize;
        return send(accepted);
    }
    if (name == u"transport-accept" && m_direction == Direction::Outgoing && m_inBand &&
        m_stage == Stage::Connecting)
        return startInBand(
            std::clamp(action.blockSize > 0 ? action.blockSize : m_blockSize, 1, InBandBlockSize));
}

void FileTransfer::send(Jingle::Action action)
{
    action.sid = m_sid;
    action.contentName = m_contentName;
    if (action.transport == Jingle::Action::Transport::None &&
        (action.action.isEmpty() || action.action == u"transport-info"))
        action.transport = Jingle::Action::Transport::Socks5;
    if (action.transportSid.isEmpty())
        action.transportSid = m_streamId;
    if (action.action.isEmpty())
        action.action = QStringLiteral("transport-info");
    if (action.action == u"session-terminate")
        action.contentName.clear();
    const QString what = action.action;
    m_context.client.sendIq(Jingle::PayloadIq(m_peer, Jingle::toElement(action)))
        .then(this, [this, what](QXmppClient::IqResult &&result) {
            const auto *error = std::get_if<QXmppError>(&result);
            if (!error || m_stage == Stage::Finished || what == u"session-terminate")
                return;
            qCInfo(lcFiles) << "the contact refused" << what << "of" << m_sid << error->description;
            finish(Error(Error::Code::RequestRefused, error->description));
        });
}

void FileTransfer::fallBackToInBand()
{
    if (m_direction != Direction::Outgoing || m_stage != Stage::Connecting)
        return;
    m_inBand = true;
    m_streamId = randomId();
    m_blockSize = InBandBlockSize;
    Jingle::Action replace;
    replace.action = QStringLiteral("transport-replace");
    replace.transport = Jingle::Action::Transport::InBand;
    replace.transportSid = m_streamId;
    replace.blockSize = m_blockSize;
    send(replace);
}

void FileTransfer::startInBand(int blockSize)
{
    m_inBand = true;
    m_blockSize = blockSize;
    if (m_streamId.isEmpty())
        m_streamId = randomId();
    m_context.client
        .sendIq(Jingle::PayloadIq(m_peer, inBandElement(QStringLiteral("open"), m_streamId, m_blockSize)))
        .then(this, [this](QXmppClient::IqResult &&result) {
            if (m_stage == Stage::Finished)
                return;
            if (const auto *error = std::get_if<QXmppError>(&result))
                return fail(Error(Error::Code::TransferFailed, error->description),
                            QStringLiteral("failed-transport"));
            m_route = QStringLiteral("in-band");
            setStage(Stage::Transferring);
            sendNextBlocks();
        });
}

void FileTransfer::sendNextBlocks()
{
    while (m_stage == Stage::Transferring && m_blocksInFlight < InBandWindow && !m_source->atEnd()) {
        const QByteArray block = m_source->read(m_blockSize);
        if (block.isEmpty())
            return fail(Error(Error::Code::FileReadFailed, m_path), QStringLiteral("failed-application"));
        QXmppIbbDataIq data;
        data.setType(QXmppIq::Set);
        data.setTo(m_peer);
        data.setSid(m_streamId);
        data.setSequence(m_sequence++);
        data.setPayload(block);
        ++m_blocksInFlight;
        const qint64 size = block.size();
        m_context.client.sendIq(std::move(data)).then(this, [this, size](QXmppClient::IqResult &&result) {
            if (m_stage == Stage::Finished)
                return;
            if (const auto *error = std::get_if<QXmppError>(&result))
                return fail(Error(Error::Code::TransferFailed, error->description),
                            QStringLiteral("failed-transport"));
            --m_blocksInFlight;
            m_transferred += size;
            Q_EMIT progress(m_transferred, m_file.size.value_or(-1));
            sendNextBlocks();
        });
    }
    if (m_stage == Stage::Transferring && m_source->atEnd() && m_blocksInFlight == 0 && !m_allSent) {
        m_context.client.sendIq(
            Jingle::PayloadIq(m_peer, inBandElement(QStringLiteral("close"), m_streamId)));
        allSent();
    }
}

QList<Jingle::Candidate> FileTransfer::candidatesToTry() const
{
    return m_context.dialsOut ? m_theirCandidates : QList<Jingle::Candidate>();
}

QString FileTransfer::inBandStreamId() const
{
    return m_inBand ? m_streamId : QString();
}

bool FileTransfer::handleInBandOpen(const QString &streamId)
{
    if (m_direction != Direction::Incoming || !m_inBand || streamId != m_streamId ||
        m_stage != Stage::Connecting)
        return false;
    m_route = QStringLiteral("in-band");
    setStage(Stage::Transferring);
    if (m_file.size == 0)
        completeReceived();
    return true;
}

bool FileTransfer::handleInBandData(const QString &streamId, quint16 sequence, const QByteArray &data)
{
    if (m_direction != Direction::Incoming || streamId != m_streamId || m_stage != Stage::Transferring ||
        sequence != m_sequence) {
        if (m_stage == Stage::Transferring)
            fail(Error(Error::Code::TransferFailed, QStringLiteral("in-band block out of order")),
                 QStringLiteral("failed-transport"));
        return false;
    }
    ++m_sequence;
    takeIn(data);
    return true;
}

bool FileTransfer::handleInBandClose(const QString &streamId)
{
    if (streamId != m_streamId)
        return false;
    if (m_stage == Stage::Transferring && m_direction == Direction::Incoming)
        fail(
            Error(
                Error::Code::TransferFailed,
                QStringLiteral("cut short: %1 of %2 bytes").arg(m_transferred).arg(m_file.size.value_or(-1))),
            QStringLiteral("failed-transport"));
    return true;
}

void FileTransfer::useSocket(QTcpSocket *socket, const QString &route)
{
    m_socket = socket;
    socket->setParent(this);
    m_route = route;
    qCInfo(lcFiles) << "transfer" << m_sid << "goes" << route;
    setStage(Stage::Transferring);
    connect(socket, &QTcpSocket::disconnected, this, [this] {
        if (m_stage != Stage::Transferring || m_allSent)
            return;
        // A peer that cancels closes its socket and tells us why over XMPP, which arrives later.
        QTimer::singleShot(PeerReasonGraceMs, this, [this] {
            fail(Error(Error::Code::TransferFailed, QStringLiteral("cut short: %1 of %2 bytes")
                                                        .arg(m_transferred)
                                                        .arg(m_file.size.value_or(-1))),
                 QStringLiteral("connectivity-error"));
        });
    });
    if (m_direction == Direction::Outgoing) {
        connect(socket, &QTcpSocket::bytesWritten, this, [this](qint64 bytes) {
            m_transferred += bytes;
            Q_EMIT progress(m_transferred, m_file.size.value_or(-1));
            pumpOut();
        });
        return pumpOut();
    }
    // Bounded, so that one turn of the event loop hashes and writes at most this much.
    socket->setReadBufferSize(SocketBufferLimit);
    connect(socket, &QTcpSocket::readyRead, this, &FileTransfer::readSome);
    if (socket->bytesAvailable() > 0)
        readSome();
    else if (m_file.size == 0)
        completeReceived();
}

void FileTransfer::readSome()
{
    if (!m_socket || m_stage != Stage::Transferring)
        return;
    takeIn(m_socket->read(SocketBufferLimit));
    // What arrived before the stream was chosen may be more: the rest in later turns.
    if (m_socket && m_socket->bytesAvailable() > 0 && m_stage == Stage::Transferring)
        QMetaObject::invokeMethod(this, &FileTransfer::readSome, Qt::QueuedConnection);
}

void FileTransfer::pumpOut()
{
    if (m_stage != Stage::Transferring || !m_socket)
        return;
    while (m_socket->bytesToWrite() < SocketBufferLimit && !m_source->atEnd()) {
        const QByteArray chunk = m_source->read(SocketChunk);
        if (chunk.isEmpty())
            return fail(Error(Error::Code::FileReadFailed, m_path), QStringLiteral("failed-application"));
        m_socket->write(chunk);
    }
    // Done when every byte left: the receiver then checks the file and ends the session.
    if (m_source->atEnd() && m_socket->bytesToWrite() == 0 && !m_allSent)
        allSent();
}

void FileTransfer::allSent()
{
    if (m_transferred != m_file.size.value_or(-1))
        return fail(Error(Error::Code::FileReadFailed,
                          QStringLiteral("%1 changed size while it was sent").arg(m_path)),
                    QStringLiteral("failed-application"),
                    QStringLiteral("the file changed while it was sent"));
    m_allSent = true;
    // Closing our side flushes relays that keep the last block until more comes (Prosody's proxy65 does).
    if (m_socket)
        m_socket->disconnectFromHost();
    QTimer::singleShot(ConfirmationTimeoutMs, this, [this] {
        fail(Error(Error::Code::TransferFailed, QStringLiteral("the contact did not confirm the file")),
             QStringLiteral("timeout"));
    });
}

void FileTransfer::takeIn(const QByteArray &data)
{
    if (m_stage != Stage::Transferring || data.isEmpty())
        return;
    const qint64 expected = m_file.size.value_or(0);
    if (m_transferred + data.size() > expected)
        return fail(Error(Error::Code::TransferFailed,
                          QStringLiteral("larger than announced: more than %1 bytes").arg(expected)),
                    QStringLiteral("media-error"), QStringLiteral("more bytes than announced"));
    if (m_target->write(data) != data.size())
        return fail(
            FilePlacement::writeFailureAt(QDir(m_folder).filePath(m_file.name), m_target->errorString()),
            QStringLiteral("failed-application"), QStringLiteral("the receiver cannot save the file"));
    m_hash.addData(data);
    m_transferred += data.size();
    Q_EMIT progress(m_transferred, expected);
    if (m_transferred == expected)
        completeReceived();
}

void FileTransfer::completeReceived()
{
    if (!m_target->flush())
        return fail(
            FilePlacement::writeFailureAt(QDir(m_folder).filePath(m_file.name), m_target->errorString()),
            QStringLiteral("failed-application"), QStringLiteral("the receiver cannot save the file"));
    if (!m_file.sha256.isEmpty() && m_hash.result() != m_file.sha256)
        return fail(Error(Error::Code::HashMismatch, m_file.name), QStringLiteral("media-error"),
                    QStringLiteral("the file's SHA-256 does not match the offer"));
    const Result<QString> placed =
        FilePlacement::placeAtFreePath(m_folder, m_file.name, [this](const QString &target) {
            return FilePlacement::moveIntoPlace(*m_target, target);
        });
    if (const auto *error = std::get_if<Error>(&placed))
        return fail(*error, QStringLiteral("failed-application"),
                    QStringLiteral("the receiver cannot save the file"));
    m_path = std::get<QString>(placed);
    terminate(QStringLiteral("success"));
    finish(m_path);
}

void FileTransfer::terminate(const QString &reason, const QString &text)
{
    Jingle::Action terminate;
    terminate.action = QStringLiteral("session-terminate");
    terminate.reason = reason;
    terminate.reasonText = text;
    send(terminate);
}

void FileTransfer::setStage(Stage stage)
{
    if (m_stage == stage)
        return;
    m_stage = stage;
    Q_EMIT stageChanged(stage);
}

void FileTransfer::fail(const Error &error, const QString &reason, const QString &text)
{
    if (m_stage == Stage::Finished)
        return;
    terminate(reason, text);
    finish(error);
}

void FileTransfer::finish(const Result<QString> &result)
{
    if (m_stage == Stage::Finished)
        return;
    if (const auto *error = std::get_if<Error>(&result))
        qCInfo(lcFiles) << "transfer" << m_sid << "of" << m_file.name << "ended:" << error->codeName()
                        << error->detail;
    else
        qCInfo(lcFiles) << "transfer" << m_sid << "of" << m_file.name << "done," << m_transferred << "bytes"
                        << m_route;
    setStage(Stage::Finished);
    if (m_socket) {
        if (isOk(result))
            m_socket->disconnectFromHost();
        else
            m_socket->abort();
    }
    if (m_negotiation)
        m_negotiation->deleteLater();
    m_target.reset(); // an incomplete or refused file goes with its temporary file
    m_source.reset();
    Q_EMIT finished(result);
    deleteLater();
}

} // namespace Natter::Core
