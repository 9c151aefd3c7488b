// SPDX-License-Identifier: GPL-3.0-or-later
// Turns core's typed errors and JID problems into translated sentences for the user.
#pragma once

#include "common/Error.h"
#include "common/JidValidator.h"

#include <QCoreApplication>
#include <QString>

namespace Natter::Ui {

class ErrorPresenter
{
    Q_DECLARE_TR_FUNCTIONS(ErrorPresenter)
public:
    // One or two sentences saying what went wrong and, where it helps, what to do.
    static QString describe(const Core::Error &error);
    // Which part of a JID (RFC 7622) is wrong; empty for Problem::None.
    static QString describeJidProblem(Core::JidValidator::Problem problem);
    // "Retrying in N s." for a pending automatic attempt; empty when none is scheduled (milliseconds < 0).
    static QString describeRetry(qint64 milliseconds);

private:
    static QString describeConnectionError(const Core::Error &error);
    static QString describeStorageError(const Core::Error &error);
    static QString describeFileError(const Core::Error &error);
};

} // namespace Natter::Ui
