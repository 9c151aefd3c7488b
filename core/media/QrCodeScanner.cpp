// SPDX-License-Identifier: GPL-3.0-or-later
// Reads QR codes from the camera or from a picture file with GStreamer's zbar element.
#include "QrCodeScanner.h"

#include "common/Result.h"
#include "media/Gst.h"

#include <QFile>
#include <QLoggingCategory>
#include <QStringDecoder>
#include <QtConcurrent/QtConcurrentRun>
#include <atomic>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>

namespace Natter::Core {

namespace {

Q_LOGGING_CATEGORY(lcMedia, "natter.core.media")

// zbar reads grey or YUV pictures; the preview is RGB and small enough to copy to the GUI thread. In binary
// mode zbar hands over the code's bytes instead of guessing their character set: its guess reads UTF-8
// "ü" as Shift-JIS.
constexpr auto ScanChain = "videoconvert ! zbar binary=true ! videoconvert ! videoscale ! "
                           "video/x-raw,format=RGB,pixel-aspect-ratio=1/1,width=[1,960],height=[1,960] ! "
                           "appsink name=preview max-buffers=1 drop=true";
constexpr auto ImageHead = "filesrc name=source ! decodebin ! imagefreeze ! video/x-raw,framerate=10/1 ! ";
constexpr auto CameraHead = "capsfilter name=camera ! decodebin ! ";
// A camera's modest sizes first: zbar then keeps up, and a QR code held up to it is still large enough.
constexpr auto CameraCaps =
    "video/x-raw,width=[1,1280],height=[1,720];image/jpeg,width=[1,1280],height=[1,720];"
    "video/x-raw;image/jpeg";
constexpr gint64 MinPreviewIntervalUs = 66'000;

using Gst::adoptElement;
using Gst::ElementPointer;
using Gst::takeString;
using CameraSource = Result<ElementPointer>;

// UTF-8 when the bytes are valid UTF-8, as every XMPP client writes them; otherwise ISO 8859-1, which the QR
// standard assumes when a code names no character set.
QString symbolText(const char *bytes)
{
    const QByteArray data(bytes);
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = utf8.decode(data);
    if (!utf8.hasError())
        return text;
    return QString::fromLatin1(data);
}

// Runs on a worker thread: probing the device providers may take a moment. Not autovideosrc: with no
// camera it quietly plays a test pattern instead of failing.
CameraSource findCamera(const QString &wanted)
{
    if (wanted.startsWith(u'/')) {
        ElementPointer source = adoptElement(gst_element_factory_make("v4l2src", nullptr));
        if (!source)
            return Error(Error::Code::MediaPipelineFailed, QStringLiteral("the v4l2src element is missing"));
        g_object_set(source.get(), "device", QFile::encodeName(wanted).constData(), nullptr);
        return source;
    }
    if (ElementPointer source = Gst::deviceElement("Video/Source", wanted))
        return source;
    return Error(Error::Code::CameraUnavailable, wanted.isEmpty()
                                                     ? QStringLiteral("no camera found")
                                                     : QStringLiteral("no camera “%1”").arg(wanted));
}

} // namespace

// One run's GStreamer pipeline. Its callbacks run on GStreamer's threads and only queue calls to the
// scanner; the destructor stops those threads before anything they use goes away.
struct QrCodeScanner::Pipeline
{
    enum class Kind
    {
        Camera,
        Image
    };

    Pipeline(Kind sourceKind, QString sourceName, QrCodeScanner *owner, quint64 runId)
        : kind(sourceKind)
        , source(std::move(sourceName))
        , scanner(owner)
        , run(runId)
    {}

    ~Pipeline()
    {
        if (!bin)
            return;
        gst_element_set_state(bin, GST_STATE_NULL);
        GstBus *bus = gst_element_get_bus(bin);
        gst_bus_set_sync_handler(bus, nullptr, nullptr, nullptr);
        gst_object_unref(bus);
        gst_object_unref(bin);
    }

    Pipeline(const Pipeline &) = delete;
    Pipeline &operator=(const Pipeline &) = delete;

    static Result<std::unique_ptr<Pipeline>> create(Kind kind, const QString &source, QrCodeScanner *scanner,
                                                    quint64 run)
    {
        if (auto ready = Gst::ensureInitialised(); !isOk(ready))
            return errorOf(ready);
        auto pipeline = std::make_unique<Pipeline>(kind, source, scanner, run);
        const QByteArray description =
            QByteArray(kind == Kind::Image ? ImageHead : CameraHead) + QByteArray(ScanChain);
        GError *error = nullptr;
        GstElement *bin =
            gst_parse_launch_full(description.constData(), nullptr, GST_PARSE_FLAG_FATAL_ERRORS, &error);
        if (!bin) {
            const QString detail = error ? QString::fromUtf8(error->message) : QString::fromUtf8(description);
            g_clear_error(&error);
            return Error(Error::Code::MediaPipelineFailed, detail);
        }
        pipeline->bin = static_cast<GstElement *>(gst_object_ref_sink(bin));
        pipeline->connectCallbacks();
        return pipeline;
    }

    GstElement *child(const char *name) const
    {
        return gst_bin_get_by_name(reinterpret_cast<GstBin *>(bin), name);
    }

    void connectCallbacks()
    {
        GstBus *bus = gst_element_get_bus(bin);
        gst_bus_set_sync_handler(bus, &Pipeline::onBusMessage, this, nullptr);
        gst_object_unref(bus);
        GstAppSinkCallbacks callbacks = {};
        callbacks.new_sample = &Pipeline::onNewSample;
        GstElement *sink = child("preview");
        gst_app_sink_set_callbacks(reinterpret_cast<GstAppSink *>(sink), &callbacks, this, nullptr);
        gst_object_unref(sink);
    }

    template <typename Call> void post(Call call) const
    {
        QrCodeScanner *target = scanner;
        const quint64 id = run;
        QMetaObject::invokeMethod(target, [target, id, call] { call(*target, id); }, Qt::QueuedConnection);
    }

    // Every message passes here on the thread that posts it; none is left queued on the bus. A sync handler
    // that drops a message owns it.
    static GstBusSyncReply onBusMessage(GstBus *, GstMessage *message, gpointer data)
    {
        const auto *pipeline = static_cast<const Pipeline *>(data);
        switch (message->type) {
        case GST_MESSAGE_ELEMENT:
            pipeline->handleElementMessage(message);
            break;
        case GST_MESSAGE_ERROR:
            pipeline->handleError(message);
            break;
        case GST_MESSAGE_EOS:
            pipeline->postFailure(pipeline->endOfStreamError());
            break;
        default:
            break;
        }
        gst_message_unref(message);
        return GST_BUS_DROP;
    }

    void handleElementMessage(GstMessage *message) const
    {
        const GstStructure *structure = gst_message_get_structure(message);
        if (!structure || !gst_structure_has_name(structure, "barcode"))
            return;
        const gchar *symbol = gst_structure_get_string(structure, "symbol");
        if (!symbol)
            return;
        post([text = symbolText(symbol)](QrCodeScanner &target, quint64 id) {
            target.deliverSymbol(id, text);
        });
    }

    void handleError(GstMessage *message) const
    {
        GError *error = nullptr;
        gchar *debug = nullptr;
        gst_message_parse_error(message, &error, &debug);
        const bool resourceError = error && error->domain == GST_RESOURCE_ERROR;
        const QString text = error ? QString::fromUtf8(error->message) : QStringLiteral("unknown error");
        qCInfo(lcMedia) << "Scanner pipeline for" << source << "failed:" << text << debug;
        g_clear_error(&error);
        g_free(debug);
        postFailure(errorFor(resourceError, text));
    }

    Error errorFor(bool resourceError, const QString &text) const
    {
        if (kind == Kind::Camera)
            return Error(Error::Code::CameraUnavailable,
                         source.isEmpty() ? text : QStringLiteral("%1: %2").arg(source, text));
        if (resourceError)
            return Error(Error::Code::FileReadFailed, source);
        return Error(Error::Code::ImageInvalid, QStringLiteral("%1: %2").arg(source, text));
    }

    Error endOfStreamError() const
    {
        if (kind == Kind::Camera)
            return Error(Error::Code::CameraUnavailable,
                         QStringLiteral("the camera stopped sending pictures"));
        return Error(Error::Code::ImageInvalid, QStringLiteral("%1: no picture in the file").arg(source));
    }

    void postFailure(const Error &error) const
    {
        post([error](QrCodeScanner &target, quint64 id) { target.fail(id, error); });
    }

    static GstFlowReturn onNewSample(GstAppSink *sink, gpointer data)
    {
        auto *pipeline = static_cast<Pipeline *>(data);
        GstSample *sample = gst_app_sink_pull_sample(sink);
        if (!sample)
            return GST_FLOW_FLUSHING;
        pipeline->offerPreview(sample);
        gst_sample_unref(sample);
        return GST_FLOW_OK;
    }

    // Skips frames while the GUI thread has not taken the last one yet, or came too soon after it.
    void offerPreview(GstSample *sample)
    {
        const gint64 now = g_get_monotonic_time();
        if (previewPending.load() || now - lastPreviewUs < MinPreviewIntervalUs)
            return;
        const PreviewFrame preview = Gst::previewFrameOf(sample);
        if (!preview.isValid())
            return;
        lastPreviewUs = now;
        previewPending.store(true);
        post([preview](QrCodeScanner &target, quint64 id) { target.deliverPreview(id, preview); });
    }

    const Kind kind;
    const QString source;
    QrCodeScanner *const scanner;
    const quint64 run;
    GstElement *bin = nullptr;
    std::atomic<bool> previewPending = false;
    gint64 lastPreviewUs = 0; // streaming thread only
};

QrCodeScanner::QrCodeScanner(QObject *parent)
    : QObject(parent)
{}

QrCodeScanner::~QrCodeScanner()
{
    stop();
}

void QrCodeScanner::startCamera(const QString &device)
{
    stop();
    m_running = true;
    const quint64 run = m_run;
    if (auto ready = Gst::ensureInitialised(); !isOk(ready))
        return failLater(run, errorOf(ready));
    const auto open = [this, run, device](const CameraSource &source) {
        if (!isCurrent(run))
            return;
        if (!isOk(source))
            return fail(run, errorOf(source));
        auto created = Pipeline::create(Pipeline::Kind::Camera, device, this, run);
        if (!isOk(created))
            return fail(run, errorOf(created));
        auto pipeline = std::move(std::get<std::unique_ptr<Pipeline>>(created));
        GstElement *camera = std::get<ElementPointer>(source).get();
        GstElement *filter = pipeline->child("camera");
        GstCaps *caps = gst_caps_from_string(CameraCaps);
        g_object_set(filter, "caps", caps, nullptr);
        gst_caps_unref(caps);
        gst_bin_add(reinterpret_cast<GstBin *>(pipeline->bin), camera);
        const bool linked = gst_element_link(camera, filter);
        gst_object_unref(filter);
        if (!linked)
            return fail(run, Error(Error::Code::CameraUnavailable,
                                   QStringLiteral("the camera offers no picture format Natter can read")));
        play(std::move(pipeline));
    };
    // then() calls at once when the lookup has already finished: posted again, startCamera() never reports
    // before it returns.
    QtConcurrent::run(findCamera, device).then(this, [this, open](const CameraSource &source) {
        QMetaObject::invokeMethod(this, [open, source] { open(source); }, Qt::QueuedConnection);
    });
}

void QrCodeScanner::startImage(const QString &path)
{
    stop();
    m_running = true;
    const quint64 run = m_run;
    auto created = Pipeline::create(Pipeline::Kind::Image, path, this, run);
    if (!isOk(created))
        return failLater(run, errorOf(created));
    auto pipeline = std::move(std::get<std::unique_ptr<Pipeline>>(created));
    GstElement *source = pipeline->child("source");
    g_object_set(source, "location", QFile::encodeName(path).constData(), nullptr);
    gst_object_unref(source);
    play(std::move(pipeline));
}

void QrCodeScanner::stop()
{
    ++m_run;
    m_running = false;
    m_pipeline.reset();
    m_decoded.clear();
}

void QrCodeScanner::play(std::unique_ptr<Pipeline> pipeline)
{
    m_pipeline = std::move(pipeline);
    if (gst_element_set_state(m_pipeline->bin, GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE)
        return;
    // The error message posted on the bus is queued first and says more; this is for a silent failure.
    const QString source = m_pipeline->source.isEmpty() ? QStringLiteral("camera") : m_pipeline->source;
    failLater(m_run, m_pipeline->errorFor(false, QStringLiteral("%1 could not be started").arg(source)));
}

void QrCodeScanner::failLater(quint64 run, const Error &error)
{
    QMetaObject::invokeMethod(this, [this, run, error] { fail(run, error); }, Qt::QueuedConnection);
}

void QrCodeScanner::fail(quint64 run, const Error &error)
{
    if (!isCurrent(run))
        return;
    stop();
    Q_EMIT failed(error);
}

void QrCodeScanner::deliverSymbol(quint64 run, const QString &text)
{
    if (!isCurrent(run) || m_decoded.contains(text))
        return;
    m_decoded.insert(text);
    Q_EMIT decoded(text);
}

void QrCodeScanner::deliverPreview(quint64 run, const PreviewFrame &preview)
{
    if (!isCurrent(run) || !m_pipeline)
        return;
    m_pipeline->previewPending.store(false);
    Q_EMIT frame(preview);
}

} // namespace Natter::Core
