// SPDX-License-Identifier: GPL-3.0-or-later
// What can be asked about a contact or a server, on demand: the vCard (vCard4 on PEP, XEP-0292, else
// vcard-temp, XEP-0054), a device's
// software (XEP-0092) and local time (XEP-0202), the last activity of an account (XEP-0012), and a server's
// service discovery (XEP-0030). Every answer is a value or an Error.
#pragma once

#include "common/Result.h"

#include <QDate>
#include <QDateTime>
#include <QObject>
#include <QStringList>
#include <QXmppTask.h>

class QXmppClient;
class QXmppVCardManager;

namespace Natter::Core {

struct ContactCard
{
    QString fullName;
    QString nickName;
    QString email;
    QString url;
    QDate birthday;
    QString description;
    bool isEmpty() const
    {
        return fullName.isEmpty() && nickName.isEmpty() && email.isEmpty() && url.isEmpty() &&
               !birthday.isValid() && description.isEmpty();
    }
};

struct SoftwareVersion
{
    QString name;
    QString version;
    QString os; // often withheld, as Natter does
};

struct EntityTime
{
    int utcOffsetSeconds = 0;
    QDateTime utc;
    // Their wall-clock time now, as they would read it.
    QDateTime localTime() const { return utc.toOffsetFromUtc(utcOffsetSeconds); }
};

struct LastActivity
{
    qint64 seconds = 0; // for an account: since its last device went offline (0: online now)
    QString status;     // the status message it left with
};

class ContactInfoService : public QObject
{
    Q_OBJECT
public:
    ContactInfoService(QXmppClient &client, QXmppVCardManager &vCards, QObject *parent = nullptr);

    QXmppTask<Result<ContactCard>> card(const QString &bareJid);
    QXmppTask<Result<SoftwareVersion>> softwareVersion(const QString &fullJid);
    QXmppTask<Result<EntityTime>> entityTime(const QString &fullJid);
    QXmppTask<Result<LastActivity>> lastActivity(const QString &bareJid);

private:
    QXmppTask<Result<ContactCard>> vCardTemp(const QString &bareJid);

    QXmppClient &m_client;
    QXmppVCardManager &m_vCards;
};

} // namespace Natter::Core
