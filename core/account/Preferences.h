// SPDX-License-Identifier: GPL-3.0-or-later
// The user's choices that hold for the whole profile: privacy (typing notifications, read markers),
// notifications (on, previews) and the window (close to the tray). Loaded once, saved as they change.
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
        SendChatStates,       // tell contacts when we type (XEP-0085)
        SendReadMarkers,      // tell contacts what we have read (XEP-0333)
        NotificationsEnabled, // desktop notifications for new messages
        NotificationPreviews, // show the text of a message in its notification
        CloseToTray,          // closing the window keeps Natter running in the tray
    };
    Q_ENUM(Key)

    explicit Preferences(Database &db, QObject *parent = nullptr);

    // Reads the stored values; until then (and for values never set) the defaults apply.
    QFuture<Result<Success>> load();

    bool value(Key key) const;
    void setValue(Key key, bool value);

Q_SIGNALS:
    void changed(Natter::Core::Preferences::Key key, bool value);

private:
    static QString name(Key key);
    static bool defaultValue(Key key);

    PreferenceRepository m_store;
    QHash<QString, QString> m_values;
};

} // namespace Natter::Core
