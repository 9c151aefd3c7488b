// SPDX-License-Identifier: GPL-3.0-or-later
// How an account is named and coloured wherever several are shown: the user's name for it or its address,
// the colour the user chose or one derived from the address.
#pragma once

#include "domain/AccountConfig.h"

#include <QColor>
#include <QIcon>
#include <QString>

namespace Natter::Ui {

class AccountPresenter
{
public:
    static QString name(const Core::AccountConfig &config);
    static QColor colour(const Core::AccountConfig &config);
    // A small filled square of the account's colour, for lists and menus.
    static QIcon swatch(const QColor &colour);
    // The colour XEP-0392 gives an address (its hue from the SHA-1 of the text), as other clients show it.
    static QColor colourOf(const QString &jid);
};

} // namespace Natter::Ui
