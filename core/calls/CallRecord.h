// SPDX-License-Identifier: GPL-3.0-or-later
// A call as the chat history keeps it: audio or video, how it ended, how long it lasted. Stored as a record
// row (ChatMessage::Kind::Call) whose body is a short machine-readable line; the UI words it.
#pragma once

#include <QString>
#include <optional>

namespace Natter::Core::Calls {

struct CallRecord
{
    // Stored by name: never rename.
    enum class Outcome
    {
        Answered,
        Missed,            // incoming, nobody here answered
        Declined,          // declined by the callee (on either side)
        Busy,              // the callee was in another call
        NoAnswer,          // outgoing, nobody answered in time
        Cancelled,         // outgoing, taken back before an answer
        Failed,            // it could not connect, or broke off
        AnsweredElsewhere, // incoming, answered on another device of ours
    };

    bool video = false;
    Outcome outcome = Outcome::Answered;
    qint64 durationMs = 0; // answered calls only

    QString toBody() const;
    // nullopt for a body that is not a call record's.
    static std::optional<CallRecord> fromBody(const QString &body);

    friend bool operator==(const CallRecord &, const CallRecord &) = default;
};

} // namespace Natter::Core::Calls
