// SPDX-License-Identifier: GPL-3.0-or-later
#include "Preferences.h"

#include "common/Logging.h"

#include <QMetaEnum>
#include <QStandardPaths>

namespace Natter::Core {

Preferences::Preferences(Database &db, QObject *parent)
    : QObject(parent)
    , m_store(db)
{}

namespace {
// The stored name of a preference: its enumerator's name.
template <typename Enum> QString storedName(Enum key)
{
    return QStringLiteral("preference:") +
           QString::fromLatin1(QMetaEnum::fromType<Enum>().valueToKey(int(key)));
}
} // namespace

QString Preferences::name(Key key)
{
    return storedName(key);
}

QString Preferences::name(Text key)
{
    return storedName(key);
}

QString Preferences::defaultText(Text key)
{
    switch (key) {
    case Text::DownloadFolder:
        return QStandardPaths::writableLocation(QStandardPaths::DownloadLocation);
    case Text::AutoDownloadLimitMiB:
        return QStringLiteral("5");
    case Text::FallbackStunServer:
    case Text::CallMicrophone:
    case Text::CallSpeaker:
    case Text::CallCamera:
        return {};
    }
    return {};
}

bool Preferences::defaultValue(Key key)
{
    // Closing the window quits unless the user asks otherwise, calls use the real devices; everything else
    // is on.
    return key != Key::CloseToTray && key != Key::CallTestSources;
}

QFuture<Result<Success>> Preferences::load()
{
    return m_store.loadAll().then(
        this, [this](const Result<QHash<QString, QString>> &loaded) -> Result<Success> {
            if (!isOk(loaded))
                return errorOf(loaded);
            m_values = std::get<QHash<QString, QString>>(loaded);
            const QMetaEnum keys = QMetaEnum::fromType<Key>();
            for (int i = 0; i < keys.keyCount(); ++i)
                Q_EMIT changed(Key(keys.value(i)), value(Key(keys.value(i))));
            const QMetaEnum texts = QMetaEnum::fromType<Text>();
            for (int i = 0; i < texts.keyCount(); ++i)
                Q_EMIT textChanged(Text(texts.value(i)), text(Text(texts.value(i))));
            return Success{};
        });
}

bool Preferences::value(Key key) const
{
    const auto it = m_values.constFind(name(key));
    return it == m_values.cend() ? defaultValue(key) : *it == QLatin1String("1");
}

void Preferences::setValue(Key key, bool value)
{
    if (this->value(key) == value && m_values.contains(name(key)))
        return;
    save(name(key), value ? QStringLiteral("1") : QStringLiteral("0"));
    Q_EMIT changed(key, value);
}

QString Preferences::text(Text key) const
{
    const auto it = m_values.constFind(name(key));
    return it == m_values.cend() || it->isEmpty() ? defaultText(key) : *it;
}

void Preferences::setText(Text key, const QString &value)
{
    if (text(key) == value && m_values.contains(name(key)))
        return;
    save(name(key), value);
    Q_EMIT textChanged(key, text(key));
}

qint64 Preferences::autoDownloadLimit() const
{
    bool ok = false;
    const qint64 mebibytes = text(Text::AutoDownloadLimitMiB).toLongLong(&ok);
    return (ok && mebibytes >= 0 ? mebibytes : defaultText(Text::AutoDownloadLimitMiB).toLongLong()) * 1024 *
           1024;
}

void Preferences::save(const QString &name, const QString &value)
{
    m_values.insert(name, value);
    m_store.save(name, value).then(this, [name](const Result<Success> &saved) {
        if (!isOk(saved))
            qCWarning(lcStorage) << "saving preference" << name << "failed:" << errorOf(saved).detail;
    });
}

} // namespace Natter::Core
