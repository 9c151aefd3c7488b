#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tells which test tone a client of the Dino interop check is hearing.

Usage: tone.py PULSE_SERVER [SECONDS]
Records the "speaker" sink's monitor of that PulseAudio server and prints the signal level and, in blocks of
100 ms, the strongest 440 Hz (Natter's microphone) and 880 Hz (Dino's microphone) tone heard.
"""
import math
import os
import struct
import subprocess
import sys

RATE = 48000


def goertzel(samples, frequency):
    """Amplitude of one frequency in samples (0..1 for a full-scale sine)."""
    coefficient = 2 * math.cos(2 * math.pi * frequency / RATE)
    previous = before = 0.0
    for sample in samples:
        previous, before = sample + coefficient * previous - before, previous
    power = previous * previous + before * before - coefficient * previous * before
    return 2 * math.sqrt(max(power, 0.0)) / len(samples)


def main():
    server = sys.argv[1]
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 2.0
    environment = dict(os.environ, PULSE_SERVER=server)
    recorder = subprocess.Popen(["parec", "--device=speaker.monitor", "--raw", "--format=s16le",
                                 f"--rate={RATE}", "--channels=1"], stdout=subprocess.PIPE, env=environment)
    wanted = int(seconds * RATE) * 2
    data = b""
    while len(data) < wanted:
        chunk = recorder.stdout.read(wanted - len(data))
        if not chunk:
            break
        data += chunk
    recorder.kill()
    samples = [value / 32768 for (value,) in struct.iter_unpack("<h", data[: len(data) // 2 * 2])]
    if not samples:
        sys.exit("tone.py: nothing recorded")
    rms = math.sqrt(sum(s * s for s in samples) / len(samples))
    block = RATE // 10
    blocks = [samples[i:i + block] for i in range(0, len(samples) - block + 1, block)]
    strongest = {f: max(goertzel(b, f) for b in blocks) for f in (440, 880)}
    print(f"{len(samples) / RATE:.1f} s recorded, level {20 * math.log10(max(rms, 1e-9)):.1f} dBFS, "
          f"strongest 440 Hz {strongest[440]:.3f}, 880 Hz {strongest[880]:.3f}")

if __name__ == "__main__":
    main()
