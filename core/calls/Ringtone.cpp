// SPDX-License-Identifier: GPL-3.0-or-later
#include "Ringtone.h"

#include "common/Logging.h"
#include "media/Gst.h"

namespace Natter::Core::Calls {

namespace {
// Tone, pause, tone, long pause (in milliseconds): the rhythm of a phone ringing.
constexpr int Cadence[] = {400, 200, 400, 2000};
} // namespace

struct Ringtone::Pipeline
{
    GstElement *bin = nullptr;
    GstElement *volume = nullptr;

    ~Pipeline()
    {
        if (volume)
            gst_object_unref(volume);
        if (bin) {
            gst_element_set_state(bin, GST_STATE_NULL);
            gst_object_unref(bin);
        }
    }
};

Ringtone::Ringtone(QObject *parent)
    : QObject(parent)
{
    m_cadence.setSingleShot(true);
    connect(&m_cadence, &QTimer::timeout, this, &Ringtone::nextBeat);
}

Ringtone::~Ringtone() = default;

void Ringtone::start()
{
    if (isPlaying())
        return;
    if (const auto initialised = Gst::ensureInitialised(); !isOk(initialised)) {
        qCWarning(lcCalls) << "no ringtone:" << errorOf(initialised).detail;
        return;
    }
    const QByteArray sink = m_silent ? "fakesink sync=true" : "autoaudiosink";
    const QByteArray description =
        "audiotestsrc wave=sine freq=660 volume=0.4 is-live=true ! volume name=beat "
        "mute=true ! audioconvert ! audioresample ! " +
        sink;
    GError *error = nullptr;
    GstElement *bin = gst_parse_launch(description.constData(), &error);
    if (error) {
        qCWarning(lcCalls) << "no ringtone:" << error->message;
        g_error_free(error);
        if (bin)
            gst_object_unref(bin);
        return;
    }
    m_pipeline = std::make_unique<Pipeline>();
    m_pipeline->bin = static_cast<GstElement *>(gst_object_ref_sink(bin));
    m_pipeline->volume = gst_bin_get_by_name(GST_BIN(m_pipeline->bin), "beat");
    if (gst_element_set_state(m_pipeline->bin, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
        qCInfo(lcCalls) << "the ringtone cannot play: no sound device";
        m_pipeline.reset();
    }
    m_beat = 0;
    nextBeat();
}

void Ringtone::stop()
{
    m_cadence.stop();
    m_pipeline.reset();
}

void Ringtone::nextBeat()
{
    const int step = m_beat % int(std::size(Cadence));
    if (m_pipeline && m_pipeline->volume)
        g_object_set(m_pipeline->volume, "mute", step % 2 == 1 ? TRUE : FALSE, nullptr);
    m_cadence.start(Cadence[step]);
    ++m_beat;
}

} // namespace Natter::Core::Calls
