"""The priority of the threads that move bytes.

A transfer's threads hash and copy every byte, and on a server with two CPUs they are
runnable nearly all the time; the event loop thread, which answers every request the user's
browser makes, then waits behind them for a CPU. Linux gives each thread its own nice value,
so the transfer threads take a lower priority than the loop: when both want a CPU the loop
goes first, and when the loop is idle, which is most of the time, the transfers lose nothing.
"""

from __future__ import annotations

import contextlib
import os

# Nice value added to a transfer thread's; 10 of 19 is "background" without starving it
# behind other processes' normal work.
NICER = 10


def background() -> None:
    """Lower the calling thread's priority (a ThreadPoolExecutor initializer) to NICER below
    the main thread's: a thread started by a transfer thread inherits its nice value, so it is
    set from the main thread's (whose thread id is the process id), not added again."""
    # Lowering one's own priority needs no privilege; where even that is refused (a seccomp
    # policy, another OS), the thread runs at the normal priority.
    with contextlib.suppress(OSError, AttributeError):
        wanted = min(19, os.getpriority(os.PRIO_PROCESS, os.getpid()) + NICER)
        if os.getpriority(os.PRIO_PROCESS, 0) < wanted:
            os.setpriority(os.PRIO_PROCESS, 0, wanted)
