"""Posted-as-approved: does the video a creator posted show the cut that was approved?

`fingerprint_video` turns a file into a small `VideoPrint` (stored as JSON); `compare` tells
whether a posted video is the approved cut, another cut of it, or a different video.
"""

from creatordesk.engine.matching.compare import MatchResult, MatchVerdict, compare
from creatordesk.engine.matching.prints import (
    PrintFormatError,
    UnreadableVideoError,
    VideoPrint,
    fingerprint_video,
)

__all__ = [
    "MatchResult",
    "MatchVerdict",
    "PrintFormatError",
    "UnreadableVideoError",
    "VideoPrint",
    "compare",
    "fingerprint_video",
]
