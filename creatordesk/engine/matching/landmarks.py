"""Audio fingerprints as spectral-peak pairs ("landmarks", the Shazam scheme), in plain numpy.

A landmark is two strong peaks of the spectrogram a moment apart, hashed from their two frequencies
and the time between them. Peaks that stand out from their neighbourhood stay where they are when
the sound is re-encoded or quieter music is mixed under it; the music only adds landmarks of its
own, which never line up with the approved ones at a common offset.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SAMPLE_RATE = 16000
_N_FFT = 1024  # 64 ms: resolves the harmonics of a voice (~100-250 Hz apart) at 15.6 Hz a bin
# 16 ms between spectra. With 32 ms, a post that starts half a step later moved so many peaks by a
# spectrum that only 10 % of the landmarks still matched; at 16 ms (and with the tolerant lookup in
# `offset_pairs`) 63 % do, with music mixed under the voice.
HOP = 256
HOP_S = HOP / SAMPLE_RATE
# 125 Hz to 4 kHz: where voices and melodies carry their energy; below is hum, above AAC at low
# bitrates thins out.
_BIN_LO, _BIN_HI = 8, 256
# A peak is the loudest point within +-10 spectra (+-160 ms) and +-10 bins (+-156 Hz) around it.
_PEAK_SPECTRA, _PEAK_BINS = 21, 21
# A peak must rise this far above the average level around it (+-0.5 s, +-490 Hz), so the flat
# top of a noise burst or a drone gives no peaks.
_ABOVE_BACKGROUND_DB = 10.0
_FLOOR_DB = 60.0  # peaks more than this far below the loudest sound are noise or digital silence
_FAN_OUT = 3  # partners per anchor peak: about 35 landmarks a second of speech
_MAX_DT = 80  # partners at most 1.28 s after the anchor (7 bits of the hash)
_MAX_DF = 60  # and at most +-940 Hz away from it
_MAX_REPEATS = 16  # a hash that occurs more often is a drone or a loop and says nothing about timing
_DT_BITS, _DF_BITS = 7, 7
# A re-encoded peak may sit one spectrum or one bin away from where it was; looking up every hash
# with the anchor frequency, the frequency step and the time step each one off finds those too.
# 27 lookups instead of one raise the chance matches of unrelated sound from 0.1 % to 0.4 % of the
# landmarks, still far below any real match.
_TOLERANT = np.array(
    [
        dt + (df << _DT_BITS) + (f1 << (_DT_BITS + _DF_BITS))
        for dt in (-1, 0, 1)
        for df in (-1, 0, 1)
        for f1 in (-1, 0, 1)
    ],
    dtype=np.int64,
)
_CHUNK = 4096  # spectra per FFT batch, 65 s
_NEAR_S = 0.4  # how far the sound's offset may lie from the picture's (the picture is sampled at 4 fps)


@dataclass(frozen=True, eq=False)
class AudioPrint:
    """Landmark hashes and the spectrum index (HOP_S steps) of each anchor peak, sorted by time."""

    hashes: np.ndarray  # uint32
    times: np.ndarray  # uint32

    @classmethod
    def empty(cls) -> AudioPrint:
        return cls(np.zeros(0, np.uint32), np.zeros(0, np.uint32))

    def __len__(self) -> int:
        return len(self.hashes)


def _spectrogram_db(samples: np.ndarray) -> np.ndarray:
    """Level in dB of each spectrum (rows, HOP apart) in the bins _BIN_LO.._BIN_HI (columns)."""
    if len(samples) < _N_FFT:
        return np.zeros((0, _BIN_HI - _BIN_LO), np.float32)
    windows = np.lib.stride_tricks.sliding_window_view(samples.astype(np.float32), _N_FFT)[::HOP]
    window = np.hanning(_N_FFT).astype(np.float32)
    spec = np.empty((len(windows), _BIN_HI - _BIN_LO), np.float32)
    # A minute at a time: the windowed copies of a ten-minute track at once would take 300 MB.
    for start in range(0, len(windows), _CHUNK):
        spectra = np.abs(np.fft.rfft(windows[start : start + _CHUNK] * window, axis=1))
        spec[start : start + _CHUNK] = 20 * np.log10(spectra[:, _BIN_LO:_BIN_HI] + 1e-6)
    return spec


def _peaks(spec: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(spectrum index, bin) of the local maxima that stand out, in time order.

    Every criterion looks only at the neighbourhood of a peak, never at fixed blocks of the file,
    so the same sound gives the same peaks wherever it starts in the posted video.
    """
    import cv2

    if spec.size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    neighbourhood = cv2.dilate(spec, np.ones((_PEAK_SPECTRA, _PEAK_BINS), np.uint8))
    background = cv2.blur(spec, (_PEAK_BINS * 3, _PEAK_SPECTRA * 3), borderType=cv2.BORDER_REPLICATE)
    floor = spec.max() - _FLOOR_DB
    peaks = (spec >= neighbourhood) & (spec > floor) & (spec > background + _ABOVE_BACKGROUND_DB)
    times, bins = np.nonzero(peaks)
    return times, bins


def landmarks(samples: np.ndarray) -> AudioPrint:
    """The landmark print of mono samples at SAMPLE_RATE."""
    times, bins = _peaks(_spectrogram_db(samples))
    hashes: list[np.ndarray] = []
    anchors: list[np.ndarray] = []
    count = len(times)
    for step in range(1, _FAN_OUT * 3 + 1):
        if step >= count:
            break
        dt = times[step:] - times[:-step]
        df = bins[step:] - bins[:-step]
        ok = (dt > 0) & (dt <= _MAX_DT) & (np.abs(df) <= _MAX_DF)
        hashed = (bins[:-step] << (_DT_BITS + _DF_BITS)) | ((df + _MAX_DF) << _DT_BITS) | dt
        hashes.append(hashed[ok])
        anchors.append(np.nonzero(ok)[0])
    if not hashes:
        return AudioPrint.empty()
    anchor = np.concatenate(anchors)
    hash_values = np.concatenate(hashes)
    # The _FAN_OUT nearest partners of each anchor: pairs come grouped by distance in peaks.
    order = np.lexsort((np.concatenate([np.full(len(a), i) for i, a in enumerate(anchors)]), anchor))
    anchor, hash_values = anchor[order], hash_values[order]
    starts = np.searchsorted(anchor, anchor, side="left")
    keep = (np.arange(len(anchor)) - starts) < _FAN_OUT
    return AudioPrint(hash_values[keep].astype(np.uint32), times[anchor[keep]].astype(np.uint32))


def offset_pairs(approved: AudioPrint, posted: AudioPrint) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of (nearly) equal hashes: the approved landmark's index and the offset, posted
    minus approved, in spectra."""
    if len(approved) == 0 or len(posted) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    order = np.argsort(posted.hashes, kind="stable")
    sorted_hashes = posted.hashes[order].astype(np.int64)
    sorted_times = posted.times[order].astype(np.int64)
    queries = (approved.hashes.astype(np.int64)[None, :] + _TOLERANT[:, None]).ravel()
    lo = np.searchsorted(sorted_hashes, queries, side="left")
    hi = np.searchsorted(sorted_hashes, queries, side="right")
    counts = hi - lo
    useful = np.nonzero((counts > 0) & (counts <= _MAX_REPEATS))[0]
    counts = counts[useful]
    query = np.repeat(useful, counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    position = np.repeat(lo[useful], counts) + np.arange(len(query)) - first
    index = query % len(approved)
    return index, sorted_times[position] - approved.times[index].astype(np.int64)


def matched_share(
    pairs: tuple[np.ndarray, np.ndarray], mask: np.ndarray, near_s: float | None = None
) -> tuple[int, int, int | None]:
    """(matched, total, offset in spectra) for the approved landmarks in `mask`.

    The offset is the one most of those landmarks agree on, searched within _NEAR_S of `near_s`
    when given; a landmark counts as matched when one of its pairs lies within one spectrum of it.
    """
    total = int(np.count_nonzero(mask))
    index, offsets = pairs
    inside = mask[index]
    if near_s is not None:
        inside &= np.abs(offsets * HOP_S - near_s) <= _NEAR_S
    index, offsets = index[inside], offsets[inside]
    if len(offsets) == 0:
        return 0, total, None
    low = int(offsets.min())
    votes = np.bincount(offsets - low)
    window = int(np.argmax(np.convolve(votes, np.ones(3, np.int64), mode="same")))
    best = max(window - 1, 0) + int(np.argmax(votes[max(window - 1, 0) : window + 2])) + low
    matched = len(np.unique(index[np.abs(offsets - best) <= 1]))
    return matched, total, best
