"""Aligning two sequences of frame hashes in time, and finding the stretches that line up.

Both prints are sampled at the same rate in time, not per frame, so the posted video's other frame
rate does not stretch it: the same picture sits at a constant offset, give or take one sample where
a cut or the encoder's timing shifts it. A monotone alignment (dynamic programming, like a
sequence alignment of DNA) finds the order-preserving pairing with the best total score; the
stretches where it runs along one offset are the parts of the approved video found in the posted one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Measured on a clip re-encoded at 720x1280 CRF 35, 25 fps, with the top cropped and a caption bar:
# the same sample differs by 2.8 bits on average (95 % within 8, worst 14); one sample (a quarter
# second) apart by 17, unrelated pictures by 31 +- 4 (chance for 64 bits is 32, the closest pair
# seen 14). A pair scores _ZERO_BITS minus its distance, so pairs up to 12 bits add to the
# alignment and worse ones cost.
_ZERO_BITS = 12
# Pairs further apart than this are never the same picture (they are 3 sigma closer to unrelated
# pictures than to re-encoded ones); the alignment may not pair them at all.
_MAX_BITS = 20
# Skipping a sample costs 2: a lone worse pair (up to 16 bits) inside a run is cheaper to keep than
# to skip on both sides, while a removed stretch of 3 s (12 samples, cost 24) is easily paid back
# by the content after it.
_GAP = 2.0
BLANK_BITS = 64  # a blank sample against a picture: as far apart as two samples can be

# A stretch counts as found when it lasts at least MIN_RUN_S and its pairs differ by at most
# _RUN_MEAN_BITS on average: a chance run of unrelated pictures that close is three standard
# deviations out for every sample of it.
MIN_RUN_S = 0.75
_RUN_MEAN_BITS = 10.0


@dataclass(frozen=True)
class Run:
    """Approved samples first..last (inclusive) found at posted samples first+offset..last+offset."""

    first: int
    last: int
    posted_first: int
    posted_last: int
    mean_bits: float

    @property
    def length(self) -> int:
        return self.last - self.first + 1

    @property
    def offset(self) -> float:
        """Posted sample index minus approved sample index, averaged over the run."""
        return ((self.posted_first - self.first) + (self.posted_last - self.last)) / 2


def distances(
    approved: np.ndarray, approved_blank: np.ndarray, posted: np.ndarray, posted_blank: np.ndarray
) -> np.ndarray:
    """Hamming distance of every approved sample to every posted sample (uint8, approved x posted)."""
    bits = np.bitwise_count(approved[:, None] ^ posted[None, :]).astype(np.uint8)
    either = approved_blank[:, None] | posted_blank[None, :]
    both = approved_blank[:, None] & posted_blank[None, :]
    bits[either] = BLANK_BITS
    bits[both] = 0
    return bits


def align(dist: np.ndarray) -> list[tuple[int, int]]:
    """The best order-preserving pairing of approved to posted samples, as (approved, posted) pairs.

    Semi-global: skipping samples before the first pair or after the last one is free, so the
    posted video may start or end anywhere in the approved one.
    """
    n, m = dist.shape
    score = np.where(dist <= _MAX_BITS, _ZERO_BITS - dist.astype(np.float32), -np.inf).astype(np.float32)
    pointers = np.zeros((n + 1, m + 1), np.uint8)  # 1 pair, 2 skip approved, 3 skip posted
    previous = np.zeros(m + 1, np.float32)
    last_column = np.zeros(n + 1, np.float32)
    steps = np.arange(m + 1, dtype=np.float32) * _GAP
    for i in range(1, n + 1):
        paired = previous[:-1] + score[i - 1]
        skipped = previous[1:] - _GAP
        best = np.concatenate(([0.0], np.maximum(paired, skipped))).astype(np.float32)
        # Skips along the row: row[j] = max(best[j], row[j-1] - gap), as one running maximum.
        row = np.maximum.accumulate(best + steps) - steps
        pointers[i, 1:] = np.where(paired >= skipped, 1, 2)
        pointers[i, 1:][row[1:] > best[1:]] = 3
        previous = row
        last_column[i] = row[m]
    if previous[m] >= last_column.max():
        i, j = n, int(np.argmax(previous))
    else:
        i, j = int(np.argmax(last_column)), m
    pairs: list[tuple[int, int]] = []
    while i > 0 and j > 0:
        move = pointers[i, j]
        if move == 1:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif move == 2:
            i -= 1
        else:
            j -= 1
    pairs.reverse()
    return pairs


def runs(pairs: list[tuple[int, int]], dist: np.ndarray, fps: float) -> list[Run]:
    """The stretches of the alignment along one offset that are long and close enough to count.

    A stretch may drift by one sample (a dropped or doubled frame) and skip one sample on either
    side, so one bad pair does not split it.
    """
    groups: list[list[tuple[int, int]]] = []
    for i, j in pairs:
        if groups:
            last_i, last_j = groups[-1][-1]
            if i - last_i <= 2 and j - last_j <= 2 and abs((j - i) - (last_j - last_i)) <= 1:
                groups[-1].append((i, j))
                continue
        groups.append([(i, j)])
    min_samples = max(2, round(MIN_RUN_S * fps))
    found = []
    for group in groups:
        bits = float(np.mean([dist[i, j] for i, j in group]))
        run = Run(group[0][0], group[-1][0], group[0][1], group[-1][1], bits)
        if run.length >= min_samples and bits <= _RUN_MEAN_BITS:
            found.append(run)
    return found


def best_elsewhere(dist: np.ndarray, rows: slice, *, axis: int) -> tuple[float, int | None]:
    """Share of the samples in `rows` (of the approved axis 0, or posted axis 1) seen anywhere in the
    other video within _ZERO_BITS, and the offset in samples most of them agree on."""
    block = dist[rows, :] if axis == 0 else dist[:, rows].T
    if block.size == 0:
        return 0.0, None
    nearest = np.argmin(block, axis=1)
    good = block[np.arange(len(block)), nearest] <= _ZERO_BITS
    if not good.any():
        return 0.0, None
    start = rows.start or 0
    offsets = nearest[good] - (np.arange(len(block))[good] + start)
    values, counts = np.unique(offsets, return_counts=True)
    centre = int(values[np.argmax(counts)])
    consistent = int(np.count_nonzero(np.abs(offsets - centre) <= 1))
    return consistent / len(block), centre
