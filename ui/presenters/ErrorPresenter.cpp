// SPDX-License-Identifier: GPL-3.0-or-later
// Turns core's typed errors and JID problems into translated sentences for the user.
#include "ErrorPresenter.h"

#include <cmath>

namespace Natter::Ui {

using Core::Error;
using Core::JidValidator;

QString ErrorPresenter::describe(const Error &error)
{
    if (!error.isError())
        return {};
    if (error.code == Error::Code::EncryptionUnavailable)
        return tr("Nothing was sent: the message could not be encrypted for %1. Check their devices, or "
                  "turn encryption off for this chat.")
            .arg(error.detail);
    if (error.code == Error::Code::FingerprintMismatch)
        return tr(
            "The fingerprint does not match the device's key, so nothing was verified or changed. Check "
            "that you scanned or typed the right code; if it is right, someone may be impersonating "
            "the device.");
    if (error.code == Error::Code::DeviceUnknown)
        return tr("This device is not known yet, or its key has not arrived. Try again once it has been "
                  "online.");
    const QString connection = describeConnectionError(error);
    if (!connection.isEmpty())
        return connection;
    const QString file = describeFileError(error);
    if (!file.isEmpty())
        return file;
    return describeStorageError(error);
}

QString ErrorPresenter::describeConnectionError(const Error &error)
{
    switch (error.code) {
    case Error::Code::InvalidJid:
        return tr("“%1” is not a valid address.").arg(error.detail);
    case Error::Code::AuthenticationFailed:
        return tr("The server rejected the password. Check the address and the password.");
    case Error::Code::HostUnreachable:
        return tr("The server cannot be reached. Check your network connection and the host and port.");
    case Error::Code::HostNotFound:
        return tr("The server was not found. Check the address, or enter the host under Advanced.");
    case Error::Code::ProxyUnreachable:
        return tr("The proxy cannot be reached. Check its host and port, or whether Tor is running.");
    case Error::Code::ProxyRefused:
        return tr("The proxy refused the user name or password.");
    case Error::Code::ProxyNoRoute:
        return tr("The proxy cannot reach the server. Check the address and the host.");
    case Error::Code::Timeout:
        return tr("The server did not answer in time.");
    case Error::Code::CertificateRejected:
        if (error.certificateFingerprint.isEmpty())
            return tr("The server’s certificate is not trusted, so the connection was stopped.");
        return tr("The server’s certificate is not trusted, so the connection was stopped. "
                  "Its SHA-256 fingerprint is %1.")
            .arg(error.certificateFingerprint);
    case Error::Code::CertificateChanged:
        return tr("The server presented another certificate than the one you trusted for this account, so "
                  "the "
                  "connection was stopped. Someone may be intercepting it, or the server has a new "
                  "certificate: ask its administrator. The new certificate’s SHA-256 fingerprint is %1.")
            .arg(error.certificateFingerprint);
    case Error::Code::TlsUnavailable:
        return tr("The server does not offer an encrypted connection, so the connection was stopped.");
    case Error::Code::StreamError:
        return tr("The server closed the connection because of an error.");
    case Error::Code::ConnectionLost:
        return tr("The connection to the server was lost.");
    case Error::Code::NotConnected:
        return tr("The account is not connected.");
    case Error::Code::PasswordMissing:
        return tr("The password is needed to connect.");
    case Error::Code::SendFailed:
        return tr("The message could not be sent.");
    case Error::Code::ArchiveQueryFailed:
        return tr("The server's message archive could not be read.");
    case Error::Code::ArchiveItemNotFound:
        return tr("The server no longer keeps some of the older messages.");
    case Error::Code::RequestRefused:
        return tr("The server refused the request.");
    case Error::Code::FeatureUnsupported:
        return tr("The server does not offer this.");
    case Error::Code::ContactNotFound:
        return tr("This contact is not in your contact list.");
    case Error::Code::ImageInvalid:
        return tr("This file is not a picture Natter can use.");
    case Error::Code::MessageNotEditable:
        return tr("Only your own messages can be edited or deleted for everyone.");
    case Error::Code::NicknameInUse:
        return tr("Someone in this group chat already uses that nickname. Choose another one.");
    case Error::Code::RoomPasswordWrong:
        return tr("This group chat needs a password, and the one given is not right.");
    case Error::Code::RoomMembersOnly:
        return tr("Only members may enter this group chat. Ask its owner for an invitation.");
    case Error::Code::RoomBanned:
        return tr("You are banned from this group chat.");
    case Error::Code::RoomUnavailable:
        return tr("The group chat cannot be entered now (it may be full, locked or gone).");
    default:
        return {};
    }
}

QString ErrorPresenter::describeStorageError(const Error &error)
{
    switch (error.code) {
    case Error::Code::KeychainUnavailable:
        return tr("No system keychain is available to keep the password.");
    case Error::Code::KeychainFailed:
        return tr("The system keychain refused to keep the password (it may be locked).");
    case Error::Code::AccountExists:
        return tr("The account %1 already exists in this profile.").arg(error.detail);
    case Error::Code::AccountNotFound:
        return tr("The account %1 does not exist in this profile.").arg(error.detail);
    case Error::Code::DatabaseFailed:
        return tr("Natter could not read or write its database.");
    case Error::Code::DatabaseNewerSchema:
        return tr("The profile was written by a newer version of Natter. Update Natter to open it.");
    case Error::Code::DatabaseCorrupt:
        return tr("The profile’s database is damaged.");
    case Error::Code::ProfileUnwritable:
        return tr("Natter cannot write to its profile folder.");
    default:
        return tr("Something went wrong (%1).").arg(error.codeName());
    }
}

QString ErrorPresenter::describeFileError(const Error &error)
{
    switch (error.code) {
    case Error::Code::EncryptionFailed:
        return tr("The file could not be encrypted.");
    case Error::Code::DecryptionFailed:
        return tr("The encrypted data could not be decrypted. It is damaged or incomplete, or the key does "
                  "not match.");
    case Error::Code::AesGcmLinkInvalid:
        return tr("This link to an encrypted file is incomplete or damaged.");
    case Error::Code::FileReadFailed:
        return tr("Natter could not read the file “%1”.").arg(error.detail);
    case Error::Code::FileWriteFailed:
        return tr("Natter could not write the file “%1”. The disk may be full, or the folder may not be "
                  "writable.")
            .arg(error.detail);
    case Error::Code::FileExists:
        return tr("A file “%1” already exists. Choose another name.").arg(error.detail);
    case Error::Code::TransferCancelled:
        return tr("The transfer was cancelled.");
    case Error::Code::TransferFailed:
        return tr("The transfer broke off (%1). Nothing incomplete was kept; you can try again.")
            .arg(error.detail);
    case Error::Code::FileTooLarge:
        return tr("The file is larger than your server accepts for uploads (%1 bytes).").arg(error.detail);
    case Error::Code::HashMismatch:
        return tr("“%1” is not the file that was sent: it was changed or damaged on the way, so it was not "
                  "kept.")
            .arg(error.detail);
    case Error::Code::CameraUnavailable:
        return tr("No camera could be used (%1).").arg(error.detail);
    case Error::Code::MediaPipelineFailed:
        return tr("The media system failed. A GStreamer plugin may be missing (%1).").arg(error.detail);
    case Error::Code::CallConnectionFailed:
        return tr("The call could not connect: no network path to the other device was found (%1).")
            .arg(error.detail);
    case Error::Code::CallSecurityFailed:
        return tr("The call was ended because its encryption could not be verified (%1).").arg(error.detail);
    case Error::Code::CallRefused:
        return tr("The other side refused the call request (%1).").arg(error.detail);
    case Error::Code::XmlInvalid:
        return tr("Nothing was sent: %1.").arg(error.detail);
    default:
        return {};
    }
}

QString ErrorPresenter::describeJidProblem(JidValidator::Problem problem)
{
    switch (problem) {
    case JidValidator::Problem::None:
        return {};
    case JidValidator::Problem::Empty:
        return tr("Enter an address such as name@example.org.");
    case JidValidator::Problem::MissingLocalpart:
        return tr("The user name before the @ is missing; an address looks like name@example.org.");
    case JidValidator::Problem::MissingDomain:
        return tr("The server part after the @ is missing.");
    case JidValidator::Problem::LocalpartTooLong:
        return tr("The user name before the @ is too long (at most 1023 bytes).");
    case JidValidator::Problem::DomainTooLong:
        return tr("The server part after the @ is too long (at most 1023 bytes).");
    case JidValidator::Problem::ResourceTooLong:
        return tr("The part after the / is too long (at most 1023 bytes).");
    case JidValidator::Problem::ForbiddenCharacterInLocalpart:
        return tr("The user name before the @ contains a character that is not allowed "
                  "(such as a space, \", &, ', /, :, <, > or @).");
    case JidValidator::Problem::InvalidDomain:
        return tr("The server part after the @ is not a valid domain name.");
    case JidValidator::Problem::ControlCharacter:
        return tr("The address contains an invisible control character.");
    case JidValidator::Problem::UnexpectedResource:
        return tr("Leave out the part after the /; enter only name@server.");
    }
    return {};
}

QString ErrorPresenter::describeRetry(qint64 milliseconds)
{
    if (milliseconds < 0)
        return {};
    const int seconds = int(std::ceil(double(milliseconds) / 1000.0));
    return tr("Retrying in %n s.", nullptr, seconds);
}

} // namespace Natter::Ui
