// SPDX-License-Identifier: GPL-3.0-or-later
// Reads QR codes from the camera or from a picture file with GStreamer's zbar element.
#pragma once

#include "common/Error.h"
#include "media/PreviewFrame.h"

#include <QObject>
#include <QSet>
#include <QString>
#include <memory>

namespace Natter::Core {

class QrCodeScanner : public QObject
{
    Q_OBJECT
public:
    explicit QrCodeScanner(QObject *parent = nullptr);
    ~QrCodeScanner() override;

    // The system camera: a /dev/video… path, a camera's name as GStreamer lists it, or empty for the first
    // one.
    void startCamera(const QString &device = {});
    // A picture file, shown as a still video until stop(): each frame() is one more pass of the decoder over
    // it.
    void startImage(const QString &path);
    // Ends the current run; nothing it queued is delivered afterwards.
    void stop();
    bool isRunning() const { return m_running; }

    // At most about 15 a second, and never more than the receiver takes.
    Q_SIGNAL void frame(const Natter::Core::PreviewFrame &preview);
    // Each distinct symbol once per run.
    Q_SIGNAL void decoded(const QString &text);
    // The run has ended: no camera, an unreadable or invalid picture, or a failed pipeline.
    Q_SIGNAL void failed(const Natter::Core::Error &error);

private:
    struct Pipeline;

    void play(std::unique_ptr<Pipeline> pipeline);
    void failLater(quint64 run, const Error &error);
    void fail(quint64 run, const Error &error);
    void deliverSymbol(quint64 run, const QString &text);
    void deliverPreview(quint64 run, const PreviewFrame &preview);
    bool isCurrent(quint64 run) const { return m_running && run == m_run; }

    std::unique_ptr<Pipeline> m_pipeline;
    // Every start and stop moves on to a new run, so deliveries queued by an older one are dropped.
    quint64 m_run = 0;
    bool m_running = false;
    QSet<QString> m_decoded;
};

} // namespace Natter::Core
