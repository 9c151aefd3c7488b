// SPDX-License-Identifier: GPL-3.0-or-later
#include "FileHash.h"

#include "crypto/EncryptedFile.h"

#include <QCryptographicHash>

namespace Natter::Core {

Result<QByteArray> sha256Of(QIODevice &device, const std::atomic_bool &cancelled)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QByteArray buffer(EncryptedFile::ChunkSize, Qt::Uninitialized);
    for (;;) {
        if (cancelled)
            return Error(Error::Code::TransferCancelled);
        const qint64 read = device.read(buffer.data(), buffer.size());
        if (read < 0)
            return Error(Error::Code::FileReadFailed, device.errorString());
        if (read == 0)
            return hash.result();
        hash.addData(QByteArrayView(buffer.constData(), read));
    }
}

} // namespace Natter::Core
