// SPDX-License-Identifier: GPL-3.0-or-later
// The settings of one account as the user entered them (never the password).
#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>

namespace Natter::Core {

class AccountConfig
{
    Q_GADGET
public:
    enum class PasswordStorage
    {
        Keychain = 0,    // the system keychain through QtKeychain
        ProfileFile = 1, // a 0600 file in the profile, only on the user's explicit choice
        AskEachStart = 2,
    };
    Q_ENUM(PasswordStorage)

    // Used only with an explicit host: how TLS starts on that port.
    enum class TlsMode
    {
        StartTls = 0,
        DirectTls = 1,
    };
    Q_ENUM(TlsMode)

    // How the account's connections leave the machine. With a proxy, names are resolved by the proxy: no
    // DNS query is made here, which is what Tor needs (and what lets .onion servers be reached).
    enum class ProxyType
    {
        None = 0,
        Socks5 = 1,
        HttpConnect = 2,
        Tor = 3, // SOCKS5 to the Tor daemon (127.0.0.1:9050 unless changed)
    };
    Q_ENUM(ProxyType)

    qint64 id = 0;
    QString jid;  // bare, normalized
    QString host; // empty: SRV look-ups for the JID's domain
    int port = 0; // 0: the default for the mode
    TlsMode tlsMode = TlsMode::StartTls;
    QString resource; // stable per account: "Natter." + a random suffix
    PasswordStorage passwordStorage = PasswordStorage::Keychain;
    bool enabled = true;
    ProxyType proxyType = ProxyType::None;
    QString proxyHost;
    int proxyPort = 0;
    QString proxyUser;   // its password is kept where the account's password is
    QString displayName; // the user's name for the account; empty: its address
    QString colour;      // "#rrggbb" the user chose; empty: derived from the address
    // The one certificate (DER) the user trusted for this account although it does not verify (self-signed,
    // an unknown authority); empty: none. Only exactly this certificate is accepted despite its errors.
    QByteArray pinnedCertificate;

    bool usesProxy() const { return proxyType != ProxyType::None; }

    friend bool operator==(const AccountConfig &, const AccountConfig &) = default;
};

} // namespace Natter::Core

Q_DECLARE_METATYPE(Natter::Core::AccountConfig)
