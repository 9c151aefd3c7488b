// SPDX-License-Identifier: GPL-3.0-or-later
// What every GStreamer user in core needs: initialising GStreamer once, owning elements, and copying an
// RGB sample into a PreviewFrame.
#pragma once

#include "common/Result.h"
#include "media/PreviewFrame.h"

#include <QString>
#include <gst/gst.h>
#include <memory>

namespace Natter::Core::Gst {

using ElementPointer = std::shared_ptr<GstElement>;

// Once per process; GStreamer is never deinitialised because its plugins stay loaded anyway.
Result<Success> ensureInitialised();

// Owns one reference, taking over a floating one.
ElementPointer adoptElement(GstElement *element);

// Takes a string GStreamer allocated.
QString takeString(gchar *text);

// A source or sink for the device of that class ("Audio/Source", "Video/Source", …) whose display name or
// path (/dev/video0, a PipeWire or PulseAudio node name) is wanted, or the first one when wanted is empty;
// nullptr when there is none.
ElementPointer deviceElement(const char *classes, const QString &wanted);

// The picture of a sample whose caps are video/x-raw,format=RGB; an invalid frame otherwise.
PreviewFrame previewFrameOf(GstSample *sample);

} // namespace Natter::Core::Gst
