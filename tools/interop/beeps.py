#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes beeps of one frequency to stdout as 48 kHz mono s16le, in real time, for ever.

Usage: beeps.py FREQUENCY
Short beeps of uneven length with pauses between them: a steady tone would be taken for noise and removed by
the callers' noise suppression within seconds, beeps come through as speech does.
"""
import math
import struct
import sys
import time

RATE = 48000


def main():
    frequency = float(sys.argv[1])
    pattern = [(0.30, True), (0.20, False), (0.15, True), (0.35, False), (0.45, True), (0.55, False)]
    phase = 0.0
    step = 2 * math.pi * frequency / RATE
    started = time.monotonic()
    written = 0
    out = sys.stdout.buffer
    while True:
        for seconds, on in pattern:
            count = int(seconds * RATE)
            frames = bytearray()
            for _ in range(count):
                frames += struct.pack("<h", int(12000 * math.sin(phase)) if on else 0)
                phase += step
            out.write(frames)
            out.flush()
            written += count
            # Keep at most a quarter of a second ahead of the clock.
            ahead = written / RATE - (time.monotonic() - started)
            if ahead > 0.25:
                time.sleep(ahead - 0.25)


if __name__ == "__main__":
    main()
