// SPDX-License-Identifier: GPL-3.0-or-later
// Result<T>: a value or an Error, for every fallible core call.
#pragma once

#include "Error.h"

#include <variant>

namespace Natter::Core {

struct Success
{
    friend bool operator==(const Success &, const Success &) = default;
};

template <typename T> using Result = std::variant<T, Error>;

template <typename T> bool isOk(const Result<T> &result)
{
    return std::holds_alternative<T>(result);
}

template <typename T> Error errorOf(const Result<T> &result)
{
    if (const auto *error = std::get_if<Error>(&result))
        return *error;
    return {};
}

} // namespace Natter::Core
