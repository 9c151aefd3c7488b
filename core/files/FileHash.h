// SPDX-License-Identifier: GPL-3.0-or-later
// The SHA-256 of a file's content (XEP-0300, as file metadata carries it), read in chunks so that a large
// file can be given up half-way. For worker threads: it blocks.
#pragma once

#include "common/Result.h"

#include <QByteArray>
#include <QIODevice>
#include <atomic>

namespace Natter::Core {

// Of what is left to read of device. TransferCancelled as soon as cancelled is set; FileReadFailed.
Result<QByteArray> sha256Of(QIODevice &device, const std::atomic_bool &cancelled);

} // namespace Natter::Core
