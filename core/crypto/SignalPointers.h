// SPDX-License-Identifier: GPL-3.0-or-later
// Owning pointers for libomemo-c's reference-counted objects and buffers, and conversions to Qt types.
#pragma once

#include <QByteArray>
#include <memory>
#include <utility>

extern "C" {
#include <omemo/signal_protocol.h>
}

namespace Natter::Core::Signal {

// For every libomemo-c type that starts with signal_type_base (keys, sessions, messages, bundles).
template <typename T> class Ref
{
public:
    Ref() = default;
    explicit Ref(T *object)
        : m_object(object)
    {}
    ~Ref() { reset(); }
    Ref(const Ref &) = delete;
    Ref &operator=(const Ref &) = delete;
    Ref(Ref &&other) noexcept
        : m_object(std::exchange(other.m_object, nullptr))
    {}
    Ref &operator=(Ref &&other) noexcept
    {
        reset(std::exchange(other.m_object, nullptr));
        return *this;
    }

    T *get() const { return m_object; }
    explicit operator bool() const { return m_object != nullptr; }
    // For the out-parameters of the C API.
    T **out()
    {
        reset();
        return &m_object;
    }
    void reset(T *object = nullptr)
    {
        if (m_object)
            signal_type_unref(reinterpret_cast<signal_type_base *>(m_object));
        m_object = object;
    }

private:
    T *m_object = nullptr;
};

struct BufferFree
{
    void operator()(signal_buffer *buffer) const { signal_buffer_bzero_free(buffer); }
};
using Buffer = std::unique_ptr<signal_buffer, BufferFree>;

inline QByteArray toByteArray(const signal_buffer *buffer)
{
    if (!buffer)
        return {};
    return QByteArray(reinterpret_cast<const char *>(signal_buffer_const_data(buffer)),
                      qsizetype(signal_buffer_len(buffer)));
}

inline QByteArray toByteArray(const Buffer &buffer)
{
    return toByteArray(buffer.get());
}

// A fresh buffer for libomemo-c to own (the store callbacks hand these out).
inline signal_buffer *newBuffer(const QByteArray &bytes)
{
    return signal_buffer_create(reinterpret_cast<const uint8_t *>(bytes.constData()), size_t(bytes.size()));
}

inline const uint8_t *bytesOf(const QByteArray &bytes)
{
    return reinterpret_cast<const uint8_t *>(bytes.constData());
}

} // namespace Natter::Core::Signal
