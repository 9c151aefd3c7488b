// SPDX-License-Identifier: GPL-3.0-or-later
// One file sent or received directly between two devices: a Jingle session (XEP-0234) whose bytes go over
// SOCKS5 (XEP-0260: directly, or through a proxy) or, when neither connects, in-band (XEP-0261). The
// receiver checks the size and the sender's SHA-256 and only then gives the file its name; nothing partial
// is left behind. Created by FileTransferService; it deletes itself after finished().
#pragma once

#include "JingleElements.h"
#include "common/Result.h"
#include "domain/SharedFile.h"

#include <QCryptographicHash>
#include <QObject>
#include <QPointer>
#include <functional>
#include <memory>

class QFile;
class QTcpSocket;
class QTemporaryFile;
class QXmppClient;

namespace Natter::Core {

class S5bNegotiation;

namespace Socks5 {
class Listener;
}

class FileTransfer : public QObject
{
    Q_OBJECT
public:
    enum class Direction
    {
        Outgoing,
        Incoming,
    };
    enum class Stage
    {
        Preparing,    // the file is being read to describe it (outgoing)
        Offered,      // waiting for the receiver to accept
        Connecting,   // accepted: finding a way between the devices
        Transferring, // bytes are flowing
        Finished,     // finished() was emitted
    };
    Q_ENUM(Stage)

    ~FileTransfer() override;

    Direction direction() const { return m_direction; }
    Stage stage() const { return m_stage; }
    // The other device's full JID, and the bare JID of the conversation it belongs to.
    QString peer() const { return m_peer; }
    QString peerBareJid() const;
    FileMetadata file() const { return m_file; }
    // The file we send, or (after success) the file we saved.
    QString path() const { return m_path; }
    qint64 transferred() const { return m_transferred; }
    // "direct", "proxy" or "in-band" once connected.
    QString route() const { return m_route; }

    // Incoming only: receive into folder (under a free name there).
    void accept(const QString &folder);
    // Incoming only, before accepting.
    void decline();
    void cancel();

Q_SIGNALS:
    void stageChanged(Natter::Core::FileTransfer::Stage stage);
    void progress(qint64 transferred, qint64 total);
    // The saved (or sent) file's path, or why it did not go: TransferCancelled (by us, or detail "peer"),
    // RequestRefused (declined, or the device refused the offer), TransferFailed (no connection, or it broke
    // off), HashMismatch, FileReadFailed, FileWriteFailed.
    void finished(const Natter::Core::Result<QString> &result);

private:
    friend class FileTransferService;
    struct Context
    {
        QXmppClient &client;
        Socks5::Listener &listener;
        QString ownJid;
        // Our candidates (direct ones and the proxy, as allowed), made when we offer or accept: the listener
        // opens only then.
        std::function<QList<Jingle::Candidate>()> ourCandidates;
        // False behind the account's proxy: a connection to their candidates would not go through it, so
        // none is tried and the transfer goes in-band, through the XMPP stream.
        bool dialsOut = true;
    };

    FileTransfer(Direction direction, Context context, QString peer, QString sid, QObject *parent);
    // Outgoing: the file was described; offer it.
    void offer(const QString &path, const FileMetadata &file);
    // Incoming: what the session-initiate offered.
    void setOffer(const Jingle::Action &initiate);
    // A Jingle action from the peer (already checked to be this session's and from the peer).
    void handle(const Jingle::Action &action);
    // XEP-0047 IQs of this session's in-band stream; false when they are not acceptable.
    bool handleInBandOpen(const QString &streamId);
    bool handleInBandData(const QString &streamId, quint16 sequence, const QByteArray &data);
    bool handleInBandClose(const QString &streamId);
    QString inBandStreamId() const;

    void send(Jingle::Action action);
    void startNegotiation(const QList<Jingle::Candidate> &theirs);
    QList<Jingle::Candidate> candidatesToTry() const;
    void fallBackToInBand();
    void startInBand(int blockSize);
    void sendNextBlocks();
    void useSocket(QTcpSocket *socket, const QString &route);
    void pumpOut();
    // Every byte left: wait for the receiver's verdict.
    void allSent();
    void readSome();
    void takeIn(const QByteArray &data);
    void completeReceived();
    void terminate(const QString &reason, const QString &text = {});
    void setStage(Stage stage);
    void finish(const Result<QString> &result);
    void fail(const Error &error, const QString &reason, const QString &text = {});

    Direction m_direction;
    Context m_context;
    QString m_peer;
    QString m_sid;
    QString m_contentName;
    QString m_streamId; // SOCKS5 stream, then the in-band one
    FileMetadata m_file;
    QString m_path;
    QString m_folder;
    Stage m_stage = Stage::Preparing;
    QString m_route;
    qint64 m_transferred = 0;
    QList<Jingle::Candidate> m_theirCandidates;
    QPointer<S5bNegotiation> m_negotiation;
    QPointer<QTcpSocket> m_socket;
    std::unique_ptr<QFile> m_source;
    std::unique_ptr<QTemporaryFile> m_target;
    QCryptographicHash m_hash{QCryptographicHash::Sha256};
    // in-band stream
    bool m_inBand = false;
    int m_blockSize = 0;
    quint16 m_sequence = 0;
    int m_blocksInFlight = 0;
    bool m_allSent = false;
};

} // namespace Natter::Core
