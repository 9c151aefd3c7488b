// SPDX-License-Identifier: GPL-3.0-or-later
// The video encoder's target bitrate, following the loss the peer reports in its RTCP receiver reports: the
// loss-based half of Google Congestion Control (draft-ietf-rmcat-gcc, section 6), which WebRTC clients such
// as Conversations use too. Above 10 % lost the rate falls in proportion to the loss; under 2 % it grows by
// 5 % a report; in between it holds, so a link settles where it loses a little.
#pragma once

namespace Natter::Core::Calls {

class LossBasedBitrate
{
public:
    static constexpr int Minimum = 100'000;
    static constexpr int Start = 800'000;
    // Enough for VP8 or H.264 at 1280 × 720 and 30 frames a second.
    static constexpr int Maximum = 2'500'000;

    int bitsPerSecond() const { return m_bitsPerSecond; }

    // The fraction (0…1) of our packets the peer lost since its previous report; returns the new target.
    int reportLoss(double fraction);

private:
    int m_bitsPerSecond = Start;
};

} // namespace Natter::Core::Calls
