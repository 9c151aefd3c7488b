// SPDX-License-Identifier: GPL-3.0-or-later
#include "Preferences.h"

#include "common/Logging.h"

#include <QMetaEnum>

namespace Natter::Core {

Preferences::Preferences(Database &db, QObject *parent)
    : QObject(parent)
    , m_store(db)
{}

QString Preferences::name(Key key)
{
    return QStringLiteral("preference:") +
           QString::fromLatin1(QMetaEnum::fromType<Key>().valueToKey(int(key)));
}

bool Preferences::defaultValue(Key key)
{
    // Closing the window quits unless the user asks otherwise; everything else is on.
    return key != Key::CloseToTray;
}

QFuture<Result<Success>> Preferences::load()
{
    return m_store.loadAll().then(this,
                                  [this](const Result<QHash<QString, QString>> &loaded) -> Result<Success> {
                                      if (!isOk(loaded))
                                          return errorOf(loaded);
                                      m_values = std::get<QHash<QString, QString>>(loaded);
                                      const QMetaEnum keys = QMetaEnum::fromType<Key>();
                                      for (int i = 0; i < keys.keyCount(); ++i)
                                          Q_EMIT changed(Key(keys.value(i)), value(Key(keys.value(i))));
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
    const QString text = value ? QStringLiteral("1") : QStringLiteral("0");
    m_values.insert(name(key), text);
    m_store.save(name(key), text).then(this, [key](const Result<Success> &saved) {
        if (!isOk(saved))
            qCWarning(lcStorage) << "saving preference" << int(key) << "failed:" << errorOf(saved).detail;
    });
    Q_EMIT changed(key, value);
}

} // namespace Natter::Core
