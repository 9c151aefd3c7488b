// SPDX-License-Identifier: GPL-3.0-or-later
#include "CallService.h"

#include "JingleMessage.h"
#include "common/Logging.h"
#include "filetransfer/JingleElements.h"
#include "roster/CapsService.h"
#include "roster/PresenceService.h"

#include <QDomElement>
#include <QUrl>
#include <QUuid>
#include <QXmlStreamWriter>
#include <QXmppClient.h>
#include <QXmppConfiguration.h>
#include <QXmppExternalService.h>
#include <QXmppExternalServiceDiscoveryManager.h>
#include <QXmppNonza.h>
#include <QXmppUtils.h>

namespace Natter::Core::Calls {

namespace {

const QString CarbonsNamespace = QStringLiteral("urn:xmpp:carbons:2");
const QString ForwardNamespace = QStringLiteral("urn:xmpp:forward:0");
const QString StanzasNamespace = QStringLiteral("urn:ietf:params:xml:ns:xmpp-stanzas");
// Fetch TURN credentials again this long before they expire, and at least this often.
constexpr qint64 RefreshMarginMs = 5 * 60'000;
constexpr qint64 MaxRefreshIntervalMs = 12 * 3600'000;
constexpr qint64 MinRefreshIntervalMs = 60'000;
constexpr qint64 StaleProposalMs = 60'000;

// An IQ error with a Jingle condition (XEP-0166 §10) next to the stanza condition; QXmpp 1.10's error
// element has no room for the second one.
class JingleErrorReply : public QXmppNonza
{
public:
    JingleErrorReply(const QDomElement &iq, QString condition)
        : m_to(iq.attribute(QStringLiteral("from")))
        , m_id(iq.attribute(QStringLiteral("id")))
        , m_condition(std::move(condition))
    {}

    bool isXmppStanza() const override { return true; }
    void parse(const QDomElement &) override {}
    void toXml(QXmlStreamWriter *writer) const override
    {
        const auto [type, stanzaCondition, jingleCondition] = conditions();
        writer->writeStartElement(QStringLiteral("iq"));
        writer->writeAttribute(QStringLiteral("type"), QStringLiteral("error"));
        writer->writeAttribute(QStringLiteral("to"), m_to);
        writer->writeAttribute(QStringLiteral("id"), m_id);
        writer->writeStartElement(QStringLiteral("error"));
        writer->writeAttribute(QStringLiteral("type"), type);
        writer->writeStartElement(stanzaCondition);
        writer->writeDefaultNamespace(StanzasNamespace);
        writer->writeEndElement();
        if (!jingleCondition.isEmpty()) {
            writer->writeStartElement(jingleCondition);
            writer->writeDefaultNamespace(JingleErrorsNamespace);
            writer->writeEndElement();
        }
        writer->writeEndElement();
        writer->writeEndElement();
    }

private:
    std::tuple<QString, QString, QString> conditions() const
    {
        if (m_condition == u"unknown-session")
            return {QStringLiteral("cancel"), QStringLiteral("item-not-found"), m_condition};
        if (m_condition == u"out-of-order")
            return {QStringLiteral("wait"), QStringLiteral("unexpected-request"), m_condition};
        if (m_condition == u"tie-break")
            return {QStringLiteral("cancel"), QStringLiteral("conflict"), m_condition};
        if (m_condition == u"unsupported-info")
            return {QStringLiteral("modify"), QStringLiteral("feature-not-implemented"), m_condition};
        if (m_condition == u"bad-request")
            return {QStringLiteral("modify"), m_condition, {}};
        return {QStringLiteral("cancel"), m_condition, {}};
    }

    QString m_to;
    QString m_id;
    QString m_condition;
};

QString uriOf(const QXmppExternalService &service)
{
    const QString host = service.host().contains(u':') ? u'[' + service.host() + u']' : service.host();
    const QString address = host + u':' + QString::number(service.port().value_or(3478));
    if (service.type() == u"stun")
        return QStringLiteral("stun://") + address;
    // Prosody's usernames hold a colon (expiry:name): escaped, so webrtcbin splits at the right one.
    const QString credentials =
        QString::fromUtf8(QUrl::toPercentEncoding(service.username().value_or(QString()))) + u':' +
        QString::fromUtf8(QUrl::toPercentEncoding(service.password().value_or(QString())));
    const QString scheme =
        service.type() == u"turns" ? QStringLiteral("turns://") : QStringLiteral("turn://");
    QString uri = scheme + credentials + u'@' + address;
    if (service.transport() == QXmppExternalService::Transport::Tcp)
        uri += QStringLiteral("?transport=tcp");
    return uri;
}

} // namespace

CallService::CallService(QString accountJid, CapsService &caps, PresenceService &presence,
                         QXmppExternalServiceDiscoveryManager &externalServices)
    : m_accountJid(std::move(accountJid))
    , m_caps(caps)
    , m_presence(presence)
    , m_externalServices(externalServices)
{
    m_refreshTimer.setSingleShot(true);
    connect(&m_refreshTimer, &QTimer::timeout, this, &CallService::fetchExternalServices);
}

CallService::~CallService()
{
    // Calls still running end with their media, before the client goes.
    for (const auto &call : std::as_const(m_calls))
        delete call.data();
}

void CallService::onRegistered(QXmppClient *client)
{
    QXmppClientExtension::onRegistered(client);
    connect(client, &QXmppClient::connected, this, &CallService::fetchExternalServices);
}

void CallService::onUnregistered(QXmppClient *client)
{
    disconnect(client, nullptr, this, nullptr);
    QXmppClientExtension::onUnregistered(client);
}

QStringList CallService::discoveryFeatures() const
{
    return {JingleNamespace,           RtpNamespace,      RtpAudioFeature,        RtpVideoFeature,
            IceUdpNamespace,           DtlsNamespace,     JingleMessageNamespace, RtcpFeedbackNamespace,
            HeaderExtensionsNamespace, GroupingNamespace, SourcesNamespace};
}

bool CallService::canCall(const QString &bareJid, bool video) const
{
    if (m_proxied)
        return false;
    const QStringList needed = {JingleMessageNamespace, RtpAudioFeature, IceUdpNamespace, DtlsNamespace};
    for (const ResourcePresence &resource : m_presence.presence(bareJid).resources) {
        const QString device = bareJid + u'/' + resource.resource;
        const bool takesCalls = std::all_of(needed.begin(), needed.end(), [&](const QString &feature) {
            return m_caps.hasFeature(device, feature);
        });
        if (takesCalls && (!video || m_caps.hasFeature(device, RtpVideoFeature)))
            return true;
    }
    return false;
}

Call *CallService::call(const QString &bareJid, bool video)
{
    if (currentCall() || m_proxied)
        return nullptr;
    auto *call = new Call(Call::Direction::Outgoing, context(), bareJid,
                          QUuid::createUuid().toString(QUuid::WithoutBraces), video, this);
    track(call);
    Q_EMIT outgoing(call);
    call->begin();
    return call;
}

Call *CallService::currentCall() const
{
    for (const auto &call : m_calls)
        if (call && call->state() != Call::State::Ended)
            return call;
    return nullptr;
}

QStringList CallService::stunServers() const
{
    return m_serverStun.isEmpty() || !m_useServerIceServers ? m_mediaSettings.stunServers : m_serverStun;
}

QStringList CallService::turnServers() const
{
    return (m_useServerIceServers ? m_serverTurn : QStringList()) + m_mediaSettings.turnServers;
}

bool CallService::handleStanza(const QDomElement &stanza)
{
    if (stanza.tagName() == u"message")
        return handleMessage(stanza);
    if (stanza.tagName() != u"iq" || stanza.attribute(QStringLiteral("type")) != u"set")
        return false;
    const QDomElement jingle = stanza.firstChildElement(QStringLiteral("jingle"));
    if (jingle.isNull() || jingle.namespaceURI() != JingleNamespace)
        return false;
    return handleJingleIq(stanza, jingle);
}

bool CallService::handleMessage(const QDomElement &message)
{
    const auto jmi = readJingleMessage(message);
    if (!jmi)
        return handleCarbon(message);
    const QString from = message.attribute(QStringLiteral("from"));
    if (message.attribute(QStringLiteral("type")) == u"error") {
        if (Call *call = findCall(jmi->id); call && QXmppUtils::jidToBareJid(from) == call->peer()) {
            const QDomElement error = message.firstChildElement(QStringLiteral("error"));
            call->handleMessageError(error.firstChildElement().tagName());
        }
        return true;
    }
    // A proposal kept offline while we were away rang long ago: the caller has given up by now.
    const QDomElement delay = message.firstChildElement(QStringLiteral("delay"));
    if (jmi->type == JingleMessage::Type::Propose && !delay.isNull() &&
        QXmppUtils::datetimeFromString(delay.attribute(QStringLiteral("stamp")))
                .msecsTo(QDateTime::currentDateTimeUtc()) > StaleProposalMs) {
        qCInfo(lcCalls) << "ignoring a stale call proposal from" << from;
        return true;
    }
    handleJingleMessage(*jmi, from, false);
    return true;
}

bool CallService::handleCarbon(const QDomElement &message)
{
    // Only our server speaks for our other devices; anyone else's "carbon" is forged.
    const QString from = message.attribute(QStringLiteral("from"));
    if (!from.isEmpty() && from != m_accountJid)
        return false;
    for (const QString &direction : {QStringLiteral("sent"), QStringLiteral("received")}) {
        const QDomElement carbon = message.firstChildElement(direction);
        if (carbon.isNull() || carbon.namespaceURI() != CarbonsNamespace)
            continue;
        const QDomElement forwarded = carbon.firstChildElement(QStringLiteral("forwarded"));
        const QDomElement inner = forwarded.firstChildElement(QStringLiteral("message"));
        if (forwarded.namespaceURI() != ForwardNamespace || inner.isNull())
            return false;
        const auto jmi = readJingleMessage(inner);
        if (!jmi)
            return false; // an ordinary carbon: QXmppCarbonManagerV2 takes it
        const QString innerFrom = inner.attribute(QStringLiteral("from"));
        const bool sentByUs = direction == u"sent";
        if (sentByUs != (QXmppUtils::jidToBareJid(innerFrom) == m_accountJid))
            return true; // a sent carbon from someone else, or a received one from ourselves: forged
        if (!sentByUs && inner.attribute(QStringLiteral("type")) != u"error")
            handleJingleMessage(*jmi, innerFrom, false);
        else if (sentByUs)
            handleJingleMessage(*jmi, innerFrom, true);
        return true;
    }
    return false;
}

void CallService::handleJingleMessage(const JingleMessage &message, const QString &from, bool ownDevice)
{
    if (message.type == JingleMessage::Type::Propose) {
        if (!ownDevice)
            handlePropose(message, from);
        return;
    }
    Call *call = findCall(message.id);
    if (!call)
        return;
    if (!ownDevice && QXmppUtils::jidToBareJid(from) != call->peer()) {
        qCInfo(lcCalls) << "ignoring" << from << "speaking for call" << message.id << "with" << call->peer();
        return;
    }
    call->handleJingleMessage(message, from, ownDevice);
}

void CallService::handlePropose(const JingleMessage &message, const QString &from)
{
    const QString bareJid = QXmppUtils::jidToBareJid(from);
    if (findCall(message.id) || bareJid == m_accountJid || QXmppUtils::jidToResource(from).isEmpty())
        return;
    if (m_accepts && !m_accepts(bareJid)) {
        qCInfo(lcCalls) << "ignoring a call from" << from << "(not a contact)";
        return;
    }
    if (m_proxied) {
        qCInfo(lcCalls) << "ignoring a call from" << from << "(the account uses a proxy)";
        return;
    }
    const bool video = message.media.contains(QStringLiteral("video"));
    bool tookTheirsForOurs = false;
    if (Call *current = currentCall()) {
        const bool crossing =
            current->direction() == Call::Direction::Outgoing && current->peer() == bareJid &&
            (current->state() == Call::State::Proposing || current->state() == Call::State::Ringing);
        if (crossing && message.id < current->id()) {
            // Both called at once: the lower id goes on (XEP-0353 tie-breaking), ours is taken back.
            client()->sendPacket(jingleMessageStanza(
                bareJid, {JingleMessage::Type::Retract, current->id(), {}, QStringLiteral("expired"), true}));
            // What we asked for is answered at once, but never with a camera we did not offer to turn on.
            tookTheirsForOurs = !video || current->hasVideo();
            current->endAsTieBroken();
        } else {
            const QString reason = crossing ? QStringLiteral("expired") : QStringLiteral("busy");
            client()->sendPacket(
                jingleMessageStanza(from, {JingleMessage::Type::Reject, message.id, {}, reason, crossing}));
            if (!crossing)
                Q_EMIT missedWhileBusy(bareJid, video);
            return;
        }
    }
    auto *call = new Call(Call::Direction::Incoming, context(), bareJid, message.id, video, this);
    track(call);
    call->begin(from);
    Q_EMIT incoming(call);
    if (tookTheirsForOurs && call->state() == Call::State::Ringing)
        call->accept();
}

bool CallService::handleJingleIq(const QDomElement &iq, const QDomElement &jingle)
{
    const QString from = iq.attribute(QStringLiteral("from"));
    const QString sid = jingle.attribute(QStringLiteral("sid"));
    Call *call = findCall(sid);
    if (!call) {
        if (!isRtpSessionInitiate(jingle))
            return false; // a file transfer's, or an unknown session the file transfer service answers
        QString whyNot;
        const auto initiate = parseRtpAction(jingle, &whyNot);
        const QString bareJid = QXmppUtils::jidToBareJid(from);
        if (!initiate) {
            qCInfo(lcCalls) << "refusing a call offer from" << from << whyNot;
            replyError(iq, QStringLiteral("bad-request"));
        } else if ((m_accepts && !m_accepts(bareJid)) || m_proxied ||
                   QXmppUtils::jidToResource(from).isEmpty()) {
            replyError(iq, QStringLiteral("service-unavailable"));
        } else if (!Call::isSecured(initiate->session) || currentCall()) {
            // Without DTLS-SRTP the media would travel unencrypted: refused, as Conversations does.
            replyResult(iq);
            RtpAction refusal;
            refusal.action = QStringLiteral("session-terminate");
            refusal.sid = sid;
            refusal.reason = currentCall() ? QStringLiteral("busy") : QStringLiteral("security-error");
            client()->sendIq(Jingle::PayloadIq(from, toElement(refusal)));
        } else {
            replyResult(iq);
            bool video = false;
            for (const RtpContent &content : initiate->session.contents)
                video = video || content.media == u"video";
            auto *incomingCall = new Call(Call::Direction::Incoming, context(), bareJid, sid, video, this);
            track(incomingCall);
            incomingCall->ringWithOffer(from, *initiate);
            Q_EMIT incoming(incomingCall);
        }
        return true;
    }
    // Someone else using this session's id gets what any stranger would: no such session.
    if (from != call->peerDevice()) {
        qCInfo(lcCalls) << from << "sent a Jingle action for call" << sid << "with" << call->peerDevice();
        replyError(iq, QStringLiteral("unknown-session"));
        return true;
    }
    QString whyNot;
    const auto action = parseRtpAction(jingle, &whyNot);
    if (!action) {
        qCInfo(lcCalls) << "refusing a Jingle action from" << from << whyNot;
        replyError(iq, QStringLiteral("bad-request"));
        return true;
    }
    const QString condition = call->handleJingle(*action, from);
    if (condition.isEmpty())
        replyResult(iq);
    else
        replyError(iq, condition);
    return true;
}

void CallService::track(Call *call)
{
    m_calls.removeAll(nullptr);
    m_calls.append(call);
    connect(call, &Call::ended, this, [this, call] {
        Q_EMIT callEnded(call);
        m_calls.removeAll(call);
        call->deleteLater();
    });
}

Call *CallService::findCall(const QString &id) const
{
    for (const auto &call : m_calls)
        if (call && call->id() == id && call->state() != Call::State::Ended)
            return call;
    return nullptr;
}

Call::Context CallService::context() const
{
    Call::Context context;
    context.client = client();
    context.media = m_mediaSettings;
    context.media.stunServers = stunServers();
    context.media.turnServers = turnServers();
    return context;
}

void CallService::fetchExternalServices()
{
    m_refreshTimer.stop();
    const QString domain = QXmppUtils::jidToDomain(m_accountJid);
    m_externalServices.requestServices(domain).then(this, [this](auto &&result) {
        QStringList stun;
        QStringList turn;
        qint64 refreshIn = MaxRefreshIntervalMs;
        if (const auto *services = std::get_if<QVector<QXmppExternalService>>(&result)) {
            const QDateTime now = QDateTime::currentDateTimeUtc();
            for (const QXmppExternalService &service : *services) {
                if (service.host().isEmpty() ||
                    (service.action() && *service.action() != QXmppExternalService::Action::Add))
                    continue;
                if (service.type() == u"stun")
                    stun.append(uriOf(service));
                else if (service.type() == u"turn" || service.type() == u"turns")
                    turn.append(uriOf(service));
                if (const auto expires = service.expires())
                    refreshIn = std::min(refreshIn, now.msecsTo(*expires) - RefreshMarginMs);
            }
        }
        m_refreshTimer.start(int(std::max(refreshIn, MinRefreshIntervalMs)));
        if (stun != m_serverStun || turn != m_serverTurn) {
            m_serverStun = stun;
            m_serverTurn = turn;
            qCInfo(lcCalls) << "external services:" << stun.size() << "STUN," << turn.size() << "TURN";
            Q_EMIT iceServersChanged();
        }
    });
}

void CallService::replyResult(const QDomElement &iq)
{
    QXmppIq result(QXmppIq::Result);
    result.setId(iq.attribute(QStringLiteral("id")));
    result.setTo(iq.attribute(QStringLiteral("from")));
    client()->sendPacket(result);
}

void CallService::replyError(const QDomElement &iq, const QString &condition)
{
    client()->sendPacket(JingleErrorReply(iq, condition));
}

} // namespace Natter::Core::Calls
