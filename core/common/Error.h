// SPDX-License-Identifier: GPL-3.0-or-later
// A typed error value returned by core; ui/presenters turns it into words.
#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>

namespace Natter::Core {

class Error
{
    Q_GADGET
public:
    enum class Code
    {
        None,
        InvalidJid,
        AuthenticationFailed,
        HostUnreachable,
        HostNotFound,
        Timeout,
        CertificateRejected,
        CertificateChanged, // not the certificate the user trusted for this account
        TlsUnavailable,
        StreamError,
        ConnectionLost,
        NotConnected,
        PasswordMissing,
        KeychainUnavailable,
        KeychainFailed,
        AccountExists,
        AccountNotFound,
        DatabaseFailed,
        DatabaseNewerSchema,
        DatabaseCorrupt,
        ProfileUnwritable,
        SendFailed,
        ArchiveQueryFailed,
        ArchiveItemNotFound,   // the archive no longer has the message a query pages from
        RequestRefused,        // the server or the contact answered with an error; detail names the condition
        FeatureUnsupported,    // the server or the contact does not offer what was asked
        ContactNotFound,       // no such contact in the roster
        ImageInvalid,          // an avatar that is not a readable image
        MessageNotEditable,    // only our own stored messages can be corrected or retracted
        NicknameInUse,         // someone in the room has that nickname
        RoomPasswordWrong,     // the room needs a password, or another one
        RoomMembersOnly,       // the room lets members in only
        RoomBanned,            // we are banned from the room
        RoomUnavailable,       // the room refused us otherwise (full, locked, creation not allowed, gone)
        EncryptionFailed,      // a key or IV of the wrong size, or the crypto library failed
        DecryptionFailed,      // the tag did not match: a wrong key, or changed or incomplete data
        AesGcmLinkInvalid,     // an unusable aesgcm:// link (XEP-0454); detail names the problem
        FileReadFailed,        // detail: the file's path
        FileWriteFailed,       // a full disk or a folder that cannot be written; detail: the file's path
        FileExists,            // we never replace a file; detail: its path
        TransferCancelled,     // the user stopped an upload or download
        TransferFailed,        // an upload or download broke off; detail: the HTTP status or network error
        FileTooLarge,          // over the server's upload limit; detail: "size > limit" in bytes
        HashMismatch,          // a downloaded file is not the one the sender described; detail: its name
        EncryptionUnavailable, // nothing was sent: a recipient has no device we can encrypt for; detail: who
        FingerprintMismatch, // a fingerprint or QR code that does not match the device's key: nothing changed
        DeviceUnknown,       // no such OMEMO device (or its key is not known yet); detail: jid and device id
        CameraUnavailable,   // no camera, or it could not be opened or stopped working; detail: which and why
        MediaPipelineFailed, // a GStreamer plugin is missing or a pipeline failed; detail: GStreamer's
                             // message
        CallConnectionFailed, // ICE found no path to the other device, or it was lost; detail: what failed
        CallSecurityFailed,   // DTLS failed, or the peer's certificate is not the one it announced
        CallRefused,          // the other side answered a call's request with an error; detail: the condition
        XmlInvalid,       // hand-written XML that is not well-formed or not a stanza; detail: what is wrong
        ProxyUnreachable, // the account's proxy (or Tor) did not answer, or broke off; detail: the socket's
        ProxyRefused,     // the proxy refused our user name and password, or asked for some
        ProxyNoRoute,     // the proxy could not reach the server (a wrong host, or an .onion Tor cannot find)
    };
    Q_ENUM(Code)

    Error() = default;
    Error(Code errorCode, QString errorDetail = {})
        : code(errorCode)
        , detail(std::move(errorDetail))
    {}

    bool isError() const { return code != Code::None; }
    QString codeName() const;

    Code code = Code::None;
    // Technical detail for logs and the "details" part of a message; never translated.
    QString detail;
    // Set with CertificateRejected and CertificateChanged: SHA-256 of the certificate the server presented,
    // AA:BB:… form, and the certificate itself (DER), for the user to inspect and, after confirming, trust.
    QString certificateFingerprint;
    QByteArray certificate;

    friend bool operator==(const Error &, const Error &) = default;
};

} // namespace Natter::Core

Q_DECLARE_METATYPE(Natter::Core::Error)
