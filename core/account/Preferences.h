// SPDX-License-Identifier: GPL-3.0-or-later
// The user's choices that hold for the whole profile: privacy (typing notifications, read markers),
// notifications (on, previews), the window (close to the tray), received files (where, which ones
// automatically) and calls (devices, STUN server). Loaded once, saved as they change.
#pragma once

#include "storage/PreferenceRepository.h"

#include <QHash>
#include <QObject>

namespace Natter::Core {

class Preferences : public QObject
{
    Q_OBJECT
public:
    enum class Key
    {
        SendChatStates,        // tell contacts when we type (XEP-0085)
        SendReadMarkers,       // tell contacts what we have read (XEP-0333)
        NotificationsEnabled,  // desktop notifications for new messages
        NotificationPreviews,  // show the text of a message in its notification
        CloseToTray,           // closing the window keeps Natter running in the tray
        AutoDownloadFiles,     // files from contacts up to AutoDownloadLimitMiB are downloaded as they arrive
        DirectFileConnections, // direct transfers may connect device to device (telling the contact our
                               // addresses)
        CallTestSources,       // calls send a test tone and test picture instead of microphone and camera
    };
    Q_ENUM(Key)
    // Choices that are not on or off.
    enum class Text
    {
        DownloadFolder,       // where received files are saved
        AutoDownloadLimitMiB, // the largest file downloaded automatically, in MiB
        FallbackStunServer,   // host:port used for calls when the account's server announces no STUN server
        CallMicrophone,       // devices for calls, as DeviceMonitor names them; empty: the system's default
        CallSpeaker,
        CallCamera,
    };
    Q_ENUM(Text)

    explicit Preferences(Database &db, QObject *parent = nullptr);

    // Reads the stored values; until then (and for values never set) the defaults apply.
    QFuture<Result<Success>> load();

    bool value(Key key) const;
    void setValue(Key key, bool value);
    QString text(Text key) const;
    void setText(Text key, const QString &value);
    // AutoDownloadLimitMiB in bytes.
    qint64 autoDownloadLimit() const;

Q_SIGNALS:
    void changed(Natter::Core::Preferences::Key key, bool value);
    void textChanged(Natter::Core::Preferences::Text key, const QString &value);

private:
    static QString name(Key key);
    static QString name(Text key);
    static bool defaultValue(Key key);
    static QString defaultText(Text key);
    void save(const QString &name, const QString &value);

    PreferenceRepository m_store;
    QHash<QString, QString> m_values;
};

} // namespace Natter::Core
