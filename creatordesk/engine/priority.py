"""Keep a background review from starving the processes that answer users.

Two levers, both cheap:

* A lower CPU priority for the thread that runs the review. On Linux the nice value belongs to the
  thread, not the process (setpriority(2), section BUGS), and every thread and child process started
  afterwards inherits it: the runner's step threads, the model thread pools (made on first use),
  ffmpeg and tesseract. Without an explicit I/O priority an I/O scheduler that honours priorities
  (BFQ) derives one from the nice value (ioprio_set(2)), so the review's reads yield as well.
* A bound on the threads of libraries that size their pools for the whole machine by default and take
  no per-call limit (OpenCV). The other libraries get `ReviewContext.threads` where they are opened.
"""

from __future__ import annotations

import os


def lower_priority(nice: int) -> int:
    """Lower the calling thread to at least `nice` (0-19) and return the nice value now in force.

    Never raises the priority (an unprivileged process could not take it back), so calling it before
    every review keeps the level stable instead of adding up.
    """
    if not hasattr(os, "getpriority"):  # not POSIX
        return 0
    current = os.getpriority(os.PRIO_PROCESS, 0)
    if nice > current:
        os.nice(nice - current)
    return os.getpriority(os.PRIO_PROCESS, 0)


def limit_library_threads(threads: int) -> None:
    """Hold OpenCV's process-wide thread pool to `threads`."""
    import cv2

    if cv2.getNumThreads() != threads:
        cv2.setNumThreads(threads)
