// SPDX-License-Identifier: GPL-3.0-or-later
// Result<T>: a value or an Error, for every fallible core call.
#pragma once

#include "Error.h"

#include <QFuture>
#include <QPromise>
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

// A future that already holds result: for the answers a call knows without asking anyone.
template <typename T> QFuture<Result<T>> readyResult(Result<T> result)
{
    QPromise<Result<T>> promise;
    promise.start();
    promise.addResult(std::move(result));
    promise.finish();
    return promise.future();
}

} // namespace Natter::Core
