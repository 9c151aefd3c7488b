// SPDX-License-Identifier: GPL-3.0-or-later
// natter-cli's output: one JSON object per line.
#pragma once

#include "common/Error.h"
#include "crypto/DeviceTrustService.h"
#include "disco/AdHocCommand.h"
#include "disco/DiscoInfo.h"
#include "domain/AccountConfig.h"
#include "domain/ChatMessage.h"
#include "domain/Occupant.h"

#include <QJsonObject>

namespace Natter::Cli {

QJsonObject toJson(const Core::ChatMessage &message);
QJsonObject toJson(const Core::AccountConfig &config);
QJsonObject toJson(const Core::Occupant &occupant);
QJsonObject toJson(const Core::Error &error);
QJsonObject toJson(const Core::OmemoDeviceInfo &device);
QJsonObject toJson(const Core::DiscoInfo &info);
// kind: "item" (disco#items) or "command" (a command's listing).
QJsonObject toJson(const Core::CommandItem &item, const QString &kind);
QJsonObject toJson(const Core::AdHocCommand::Note &note);
// Its status and, when it has one, its form's fields: var → values.
QJsonObject toJson(const Core::AdHocCommand::Stage &stage);
QString storageName(Core::AccountConfig::PasswordStorage storage);
QString trustName(Core::DeviceTrust trust);
void printLine(const QJsonObject &object);
void printError(const Core::Error &error);

} // namespace Natter::Cli
