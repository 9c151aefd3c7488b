// SPDX-License-Identifier: GPL-3.0-or-later
// What the XML console may show of the stream: everything but the secrets. SASL exchanges (XEP-0388 too),
// passwords of in-band registration and password changes (XEP-0077, plain or as form fields), legacy
// authentication (XEP-0078) and login tokens (XEP-0484) are replaced by a placeholder before anything is
// kept, so no log, screenshot or copy ever holds them.
#pragma once

#include <QString>

namespace Natter::Core::Console {

inline const QString HiddenSecret = QStringLiteral("[hidden]");

QString withSecretsHidden(const QString &xml);

} // namespace Natter::Core::Console
