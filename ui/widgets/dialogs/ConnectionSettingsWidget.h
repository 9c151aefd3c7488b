// SPDX-License-Identifier: GPL-3.0-or-later
// How an account reaches its server, as the account wizard and the account settings edit it: host and port
// (or SRV look-ups), direct TLS, and a proxy (SOCKS5, HTTP CONNECT, or Tor in one choice).
#pragma once

#include "domain/AccountConfig.h"

#include <QWidget>
#include <optional>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;

namespace Natter::Ui {

class ConnectionSettingsWidget : public QWidget
{
    Q_OBJECT
public:
    explicit ConnectionSettingsWidget(QWidget *parent = nullptr);

    // Shows config's settings. The proxy's password is never shown: hasProxyPassword says whether one is
    // kept (the field then reads "unchanged").
    void load(const Core::AccountConfig &config, bool hasProxyPassword);
    // Writes the host, port, TLS mode and proxy into config.
    void apply(Core::AccountConfig &config) const;
    // The proxy password typed; nullopt when the field was left as it was.
    std::optional<QString> proxyPassword() const;

    struct Problem
    {
        QString text;
        QWidget *field = nullptr;
    };
    // What is wrong with the input, if anything (e.g. a port out of range, a proxy without a host).
    std::optional<Problem> problem() const;

private:
    void showProxyFields();
    static std::optional<int> portOf(const QLineEdit *edit);

    QLineEdit *m_hostEdit;
    QLineEdit *m_portEdit;
    QCheckBox *m_directTlsCheck;
    QComboBox *m_proxyCombo;
    QLineEdit *m_proxyHostEdit;
    QLineEdit *m_proxyPortEdit;
    QLineEdit *m_proxyUserEdit;
    QLineEdit *m_proxyPasswordEdit;
    QLabel *m_proxyNote;
    QFormLayout *m_form = nullptr;
};

} // namespace Natter::Ui
