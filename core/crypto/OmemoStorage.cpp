// SPDX-License-Identifier: GPL-3.0-or-later
// OmemoStorage: QXmppOmemoStorage on the omemo_* tables of the profile database.
#include "OmemoStorage.h"

#include "StorageSupport.h"
#include "common/Logging.h"
#include "storage/Database.h"
#include "storage/MessageRows.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTimeZone>
#include <QXmppPromise.h>
#include <QXmppTask.h>
#include <functional>

namespace Natter::Core {

namespace {

using MessageRows::accountIdOf;
using MessageRows::nullableTime;
using MessageRows::queryError;

using OmemoData = QXmppOmemoStorage::OmemoData;
using namespace StorageSupport;

void logFailure(const char *operation, const Error &error)
{
    StorageSupport::logFailure("OMEMO", operation, error);
}

void applyChange(QSqlDatabase &db, const QString &account, const char *operation, const Change &change)
{
    StorageSupport::applyChange(db, account, "OMEMO", operation, change);
}

QString text(const QString &value)
{
    return value.isNull() ? QStringLiteral("") : value;
}

// created_at is NOT NULL: a pair without a creation date is stored as 0 and read back without one.
qint64 storedTime(const QDateTime &time)
{
    return time.isValid() ? time.toMSecsSinceEpoch() : 0;
}

QDateTime timeFrom(const QVariant &value)
{
    if (value.isNull() || value.toLongLong() == 0)
        return {};
    return QDateTime::fromMSecsSinceEpoch(value.toLongLong(), QTimeZone::UTC);
}

QXmppTask<void> write(Database &db, QObject *context, const QString &account, const char *operation,
                      Change change)
{
    return finishOn(context, db.run([account, operation, change = std::move(change)](QSqlDatabase &sql) {
        applyChange(sql, account, operation, change);
    }));
}

Result<std::optional<QXmppOmemoStorage::OwnDevice>> readOwnDevice(QSqlDatabase &db, qint64 accountId)
{
    QSqlQuery query(db);
    query.prepare(QStringLiteral("SELECT device_id, label, private_identity_key, public_identity_key, "
                                 "latest_signed_pre_key_id, latest_pre_key_id FROM omemo_own_device "
                                 "WHERE account_id = ?"));
    query.addBindValue(accountId);
    if (!query.exec())
        return queryError(query);
    if (!query.next())
        return std::optional<QXmppOmemoStorage::OwnDevice>();
    QXmppOmemoStorage::OwnDevice device;
    device.id = query.value(0).toUInt();
    device.label = query.value(1).toString();
    device.privateIdentityKey = query.value(2).toByteArray();
    device.publicIdentityKey = query.value(3).toByteArray();
    device.latestSignedPreKeyId = query.value(4).toUInt();
    device.latestPreKeyId = query.value(5).toUInt();
    return std::optional(device);
}

Result<QHash<uint32_t, QXmppOmemoStorage::SignedPreKeyPair>>
readSignedPreKeyPairs(QSqlDatabase &db, qint64 accountId, int version)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    query.prepare(QStringLiteral(
        "SELECT id, data, created_at FROM omemo_signed_pre_keys WHERE account_id = ? AND version = ?"));
    query.addBindValue(accountId);
    query.addBindValue(version);
    if (!query.exec())
        return queryError(query);
    QHash<uint32_t, QXmppOmemoStorage::SignedPreKeyPair> pairs;
    while (query.next()) {
        QXmppOmemoStorage::SignedPreKeyPair pair;
        pair.data = query.value(1).toByteArray();
        pair.creationDate = timeFrom(query.value(2));
        pairs.insert(query.value(0).toUInt(), pair);
    }
    return pairs;
}

Result<QHash<uint32_t, QByteArray>> readPreKeyPairs(QSqlDatabase &db, qint64 accountId, int version)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT id, data FROM omemo_pre_keys WHERE account_id = ? AND version = ?"));
    query.addBindValue(accountId);
    query.addBindValue(version);
    if (!query.exec())
        return queryError(query);
    QHash<uint32_t, QByteArray> pairs;
    while (query.next())
        pairs.insert(query.value(0).toUInt(), query.value(1).toByteArray());
    return pairs;
}

Result<QHash<QString, QHash<uint32_t, QXmppOmemoStorage::Device>>> readDevices(QSqlDatabase &db,
                                                                               qint64 accountId, int version)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT jid, device_id, label, key_id, session, unresponded_sent, "
                                 "unresponded_received, removed_at FROM omemo_devices "
                                 "WHERE account_id = ? AND version = ?"));
    query.addBindValue(accountId);
    query.addBindValue(version);
    if (!query.exec())
        return queryError(query);
    QHash<QString, QHash<uint32_t, QXmppOmemoStorage::Device>> devices;
    while (query.next()) {
        QXmppOmemoStorage::Device device;
        device.label = query.value(2).toString();
        device.keyId = query.value(3).toByteArray();
        device.session = query.value(4).toByteArray();
        device.unrespondedSentStanzasCount = query.value(5).toInt();
        device.unrespondedReceivedStanzasCount = query.value(6).toInt();
        device.removalFromDeviceListDate = timeFrom(query.value(7));
        devices[query.value(0).toString()].insert(query.value(1).toUInt(), device);
    }
    return devices;
}

Result<OmemoData> readAll(QSqlDatabase &db, const QString &account, int version)
{
    const auto accountId = accountIdOf(db, account);
    if (!isOk(accountId))
        return errorOf(accountId);
    const qint64 id = std::get<qint64>(accountId);
    const auto ownDevice = readOwnDevice(db, id);
    if (!isOk(ownDevice))
        return errorOf(ownDevice);
    const auto signedPreKeyPairs = readSignedPreKeyPairs(db, id, version);
    if (!isOk(signedPreKeyPairs))
        return errorOf(signedPreKeyPairs);
    const auto preKeyPairs = readPreKeyPairs(db, id, version);
    if (!isOk(preKeyPairs))
        return errorOf(preKeyPairs);
    const auto devices = readDevices(db, id, version);
    if (!isOk(devices))
        return errorOf(devices);
    return OmemoData{std::get<0>(ownDevice), std::get<0>(signedPreKeyPairs), std::get<0>(preKeyPairs),
                     std::get<0>(devices)};
}

Result<Success> deleteRows(QSqlDatabase &db, const QString &table, qint64 accountId, int version)
{
    QSqlQuery query(db);
    query.prepare(QStringLiteral("DELETE FROM %1 WHERE account_id = ? AND version = ?").arg(table));
    query.addBindValue(accountId);
    query.addBindValue(version);
    return exec(query);
}

Result<Success> deleteOwnDevice(QSqlDatabase &db, qint64 accountId)
{
    QSqlQuery query(db);
    query.prepare(QStringLiteral("DELETE FROM omemo_own_device WHERE account_id = ?"));
    query.addBindValue(accountId);
    return exec(query);
}

} // namespace

OmemoStorage::OmemoStorage(Database &db, QString accountJid, int version)
    : m_db(db)
    , m_accountJid(std::move(accountJid))
    , m_version(version)
{
    if (version != Omemo2 && version != LegacyOmemo)
        qCWarning(lcStorage) << "OMEMO storage: unknown version" << version << "(the database refuses it)";
}

OmemoStorage::~OmemoStorage()
{
    writeDevices(); // the job holds copies: it runs after this object is gone
}

QXmppTask<OmemoData> OmemoStorage::allData()
{
    writeDevices();
    auto read =
        finishOn(&m_context, m_db.run([account = m_accountJid, version = m_version](QSqlDatabase &db) {
            auto data = readAll(db, account, version);
            if (!isOk(data)) {
                logFailure("reading", errorOf(data));
                return OmemoData();
            }
            return std::get<OmemoData>(std::move(data));
        }));
    QXmppPromise<OmemoData> promise;
    auto task = promise.task();
    read.then(&m_context, [this, promise](OmemoData &&data) mutable {
        m_removed.clear();
        for (auto owner = data.devices.cbegin(); owner != data.devices.cend(); ++owner) {
            for (auto device = owner->cbegin(); device != owner->cend(); ++device) {
                if (!device->removalFromDeviceListDate.isNull())
                    m_removed.insert({owner.key(), device.key()});
            }
        }
        promise.finish(std::move(data));
    });
    return task;
}

QXmppTask<void> OmemoStorage::setOwnDevice(const std::optional<OwnDevice> &device)
{
    writeDevices();
    return write(m_db, &m_context, m_accountJid, "saving the own device",
                 [device](QSqlDatabase &db, qint64 accountId) -> Result<Success> {
                     if (!device)
                         return deleteOwnDevice(db, accountId);
                     QSqlQuery query(db);
                     query.prepare(QStringLiteral(
                         "INSERT INTO omemo_own_device (account_id, device_id, label, private_identity_key, "
                         "public_identity_key, latest_signed_pre_key_id, latest_pre_key_id) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account_id) DO UPDATE SET "
                         "device_id = excluded.device_id, label = excluded.label, "
                         "private_identity_key = excluded.private_identity_key, "
                         "public_identity_key = excluded.public_identity_key, "
                         "latest_signed_pre_key_id = excluded.latest_signed_pre_key_id, "
                         "latest_pre_key_id = excluded.latest_pre_key_id"));
                     query.addBindValue(accountId);
                     query.addBindValue(qint64(device->id));
                     query.addBindValue(text(device->label));
                     query.addBindValue(blob(device->privateIdentityKey));
                     query.addBindValue(blob(device->publicIdentityKey));
                     query.addBindValue(qint64(device->latestSignedPreKeyId));
                     query.addBindValue(qint64(device->latestPreKeyId));
                     return exec(query);
                 });
}

QXmppTask<void> OmemoStorage::addSignedPreKeyPair(uint32_t keyId, const SignedPreKeyPair &keyPair)
{
    writeDevices();
    return write(m_db, &m_context, m_accountJid, "adding a signed pre-key",
                 [version = m_version, keyId, keyPair](QSqlDatabase &db, qint64 accountId) {
                     QSqlQuery query(db);
                     query.prepare(QStringLiteral(
                         "INSERT INTO omemo_signed_pre_keys (account_id, version, id, data, created_at) "
                         "VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_id, version, id) DO UPDATE SET "
                         "data = excluded.data, created_at = excluded.created_at"));
                     query.addBindValue(accountId);
                     query.addBindValue(version);
                     query.addBindValue(qint64(keyId));
                     query.addBindValue(blob(keyPair.data));
                     query.addBindValue(storedTime(keyPair.creationDate));
                     return exec(query);
                 });
}

QXmppTask<void> OmemoStorage::removeSignedPreKeyPair(uint32_t keyId)
{
    writeDevices();
    return write(m_db, &m_context, m_accountJid, "removing a signed pre-key",
                 [version = m_version, keyId](QSqlDatabase &db, qint64 accountId) {
                     QSqlQuery query(db);
                     query.prepare(QStringLiteral("DELETE FROM omemo_signed_pre_keys "
                                                  "WHERE account_id = ? AND version = ? AND id = ?"));
                     query.addBindValue(accountId);
                     query.addBindValue(version);
                     query.addBindValue(qint64(keyId));
                     return exec(query);
                 });
}

QXmppTask<void> OmemoStorage::addPreKeyPairs(const QHash<uint32_t, QByteArray> &keyPairs)
{
    writeDevices();
    return write(m_db, &m_context, m_accountJid, "adding pre-keys",
                 [version = m_version, keyPairs](QSqlDatabase &db, qint64 accountId) -> Result<Success> {
                     QSqlQuery query(db);
                     query.prepare(QStringLiteral(
                         "INSERT INTO omemo_pre_keys (account_id, version, id, data) VALUES (?, ?, ?, ?) "
                         "ON CONFLICT (account_id, version, id) DO UPDATE SET data = excluded.data"));
                     for (auto pair = keyPairs.cbegin(); pair != keyPairs.cend(); ++pair) {
                         query.addBindValue(accountId);
                         query.addBindValue(version);
                         query.addBindValue(qint64(pair.key()));
                         query.addBindValue(blob(pair.value()));
                         if (!query.exec())
                             return queryError(query);
                     }
                     return Success{};
                 });
}

QXmppTask<void> OmemoStorage::removePreKeyPair(uint32_t keyId)
{
    writeDevices();
    return write(m_db, &m_context, m_accountJid, "removing a pre-key",
                 [version = m_version, keyId](QSqlDatabase &db, qint64 accountId) {
                     QSqlQuery query(db);
                     query.prepare(QStringLiteral(
                         "DELETE FROM omemo_pre_keys WHERE account_id = ? AND version = ? AND id = ?"));
                     query.addBindValue(accountId);
                     query.addBindValue(version);
                     query.addBindValue(qint64(keyId));
                     return exec(query);
                 });
}

QXmppTask<void> OmemoStorage::addDevice(const QString &jid, uint32_t deviceId, const Device &device)
{
    if (device.removalFromDeviceListDate.isNull())
        m_removed.remove({jid, deviceId});
    else
        m_removed.insert({jid, deviceId});
    m_unwrittenDevices.insert({jid, deviceId}, device);
    QXmppPromise<void> written;
    m_deviceWaiters.append(written);
    if (!m_writeQueued) {
        m_writeQueued = true;
        QMetaObject::invokeMethod(&m_context, [this] { writeDevices(); }, Qt::QueuedConnection);
    }
    return written.task();
}

void OmemoStorage::writeDevices()
{
    m_writeQueued = false;
    if (m_unwrittenDevices.isEmpty())
        return;
    auto waiters = std::exchange(m_deviceWaiters, {});
    write(m_db, &m_context, m_accountJid, "saving devices",
          [version = m_version, devices = std::exchange(m_unwrittenDevices, {})](
              QSqlDatabase &db, qint64 accountId) -> Result<Success> {
              QSqlQuery query(db);
              query.prepare(QStringLiteral(
                  "INSERT INTO omemo_devices (account_id, version, jid, device_id, label, key_id, session, "
                  "unresponded_sent, unresponded_received, removed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                  "ON CONFLICT (account_id, version, jid, device_id) DO UPDATE SET label = excluded.label, "
                  "key_id = excluded.key_id, session = excluded.session, "
                  "unresponded_sent = excluded.unresponded_sent, "
                  "unresponded_received = excluded.unresponded_received, removed_at = excluded.removed_at"));
              for (auto it = devices.cbegin(); it != devices.cend(); ++it) {
                  const Device &device = it.value();
                  query.addBindValue(accountId);
                  query.addBindValue(version);
                  query.addBindValue(it.key().first);
                  query.addBindValue(qint64(it.key().second));
                  query.addBindValue(text(device.label));
                  query.addBindValue(device.keyId);
                  query.addBindValue(device.session);
                  query.addBindValue(device.unrespondedSentStanzasCount);
                  query.addBindValue(device.unrespondedReceivedStanzasCount);
                  query.addBindValue(nullableTime(device.removalFromDeviceListDate));
                  if (const auto result = exec(query); !isOk(result))
                      return result;
              }
              return Success{};
          })
        .then(&m_context, [waiters = std::move(waiters)]() mutable {
            for (auto &waiter : waiters)
                waiter.finish();
        });
}

QXmppTask<void> OmemoStorage::removeDevice(const QString &jid, uint32_t deviceId)
{
    writeDevices();
    m_removed.remove({jid, deviceId});
    return write(m_db, &m_context, m_accountJid, "removing a device",
                 [version = m_version, jid, deviceId](QSqlDatabase &db, qint64 accountId) {
                     QSqlQuery query(db);
                     query.prepare(QStringLiteral("DELETE FROM omemo_devices WHERE account_id = ? AND "
                                                  "version = ? AND jid = ? AND device_id = ?"));
                     query.addBindValue(accountId);
                     query.addBindValue(version);
                     query.addBindValue(jid);
                     query.addBindValue(qint64(deviceId));
                     return exec(query);
                 });
}

QXmppTask<void> OmemoStorage::removeDevices(const QString &jid)
{
    writeDevices();
    m_removed.removeIf([&jid](const QPair<QString, uint32_t> &device) { return device.first == jid; });
    return write(m_db, &m_context, m_accountJid, "removing devices",
                 [version = m_version, jid](QSqlDatabase &db, qint64 accountId) {
                     QSqlQuery query(db);
                     query.prepare(QStringLiteral(
                         "DELETE FROM omemo_devices WHERE account_id = ? AND version = ? AND jid = ?"));
                     query.addBindValue(accountId);
                     query.addBindValue(version);
                     query.addBindValue(jid);
                     return exec(query);
                 });
}

QXmppTask<void> OmemoStorage::resetAll()
{
    writeDevices();
    return write(m_db, &m_context, m_accountJid, "resetting",
                 [version = m_version](QSqlDatabase &db, qint64 accountId) -> Result<Success> {
                     for (const QString &table :
                          {QStringLiteral("omemo_signed_pre_keys"), QStringLiteral("omemo_pre_keys"),
                           QStringLiteral("omemo_devices")}) {
                         if (auto result = deleteRows(db, table, accountId, version); !isOk(result))
                             return result;
                     }
                     // The own device belongs to OMEMO 2, QXmpp's own manager; legacy OMEMO only borrows it.
                     if (version == Omemo2)
                         return deleteOwnDevice(db, accountId);
                     return Success{};
                 });
}

} // namespace Natter::Core
