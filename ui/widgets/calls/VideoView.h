// SPDX-License-Identifier: GPL-3.0-or-later
// Shows the latest frame of a call's video, scaled to fit with its proportions kept; without video, the
// contact's initial on a quiet background.
#pragma once

#include "media/PreviewFrame.h"

#include <QImage>
#include <QWidget>

namespace Natter::Ui {

class VideoView : public QWidget
{
    Q_OBJECT
public:
    explicit VideoView(QWidget *parent = nullptr);

    void showFrame(const Core::PreviewFrame &frame);
    // Back to the placeholder (the camera went off, the call ended).
    void clear();
    void setPlaceholderText(const QString &text);
    bool hasFrame() const { return !m_frame.isNull(); }
    QSize frameSize() const { return m_frame.size(); }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QImage m_frame;
    QString m_placeholder;
};

} // namespace Natter::Ui
