// SPDX-License-Identifier: GPL-3.0-or-later
// QXmpp's OMEMO storage on the profile database: one account's own device, pre-keys and contacts' devices.
#pragma once

#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>
#include <QXmppOmemoStorage.h>
#include <QXmppPromise.h>

namespace Natter::Core {

class Database;

// Rows of one OMEMO version: 2 (OMEMO 2, QXmpp's manager) or 0 (legacy OMEMO 0.3). Both versions share the
// account's own device. Every call runs on the database thread; its task finishes on the thread that owns
// this object. The interface has no error channel: a failed query is logged and the task still finishes
// (allData() then with empty data).
//
// Sessions change with every message: a catch-up decrypts a hundred in one turn of the event loop. Device
// writes are therefore gathered, the last state of each device winning, and written in one transaction when
// the turn ends; any other call writes them first, so the database sees every change in call order.
class OmemoStorage : public QXmppOmemoStorage
{
public:
    static constexpr int Omemo2 = 2;
    static constexpr int LegacyOmemo = 0;

    OmemoStorage(Database &db, QString accountJid, int version = Omemo2);
    ~OmemoStorage() override;

    QXmppTask<OmemoData> allData() override;

    QXmppTask<void> setOwnDevice(const std::optional<OwnDevice> &device) override;

    QXmppTask<void> addSignedPreKeyPair(uint32_t keyId, const SignedPreKeyPair &keyPair) override;
    QXmppTask<void> removeSignedPreKeyPair(uint32_t keyId) override;

    QXmppTask<void> addPreKeyPairs(const QHash<uint32_t, QByteArray> &keyPairs) override;
    QXmppTask<void> removePreKeyPair(uint32_t keyId) override;

    QXmppTask<void> addDevice(const QString &jid, uint32_t deviceId, const Device &device) override;
    // Devices their owner took off the device list (QXmpp keeps them, with their sessions, for weeks), as
    // the manager last said: known once allData() has been read.
    bool isRemoved(const QString &jid, uint32_t deviceId) const
    {
        return m_removed.contains({jid, deviceId});
    }
    QXmppTask<void> removeDevice(const QString &jid, uint32_t deviceId) override;
    QXmppTask<void> removeDevices(const QString &jid) override;

    // Version 2 also forgets the own device; version 0 only its own rows.
    QXmppTask<void> resetAll() override;

private:
    // Queues the gathered device writes on the database thread (before anything asked for after them).
    void writeDevices();

    Database &m_db;
    QString m_accountJid;
    int m_version;
    // Continuations run in its thread, so each task finishes where it was asked for.
    QObject m_context;
    QSet<QPair<QString, uint32_t>> m_removed;
    QHash<QPair<QString, uint32_t>, Device> m_unwrittenDevices;
    QList<QXmppPromise<void>> m_deviceWaiters;
    bool m_writeQueued = false;
};

} // namespace Natter::Core
