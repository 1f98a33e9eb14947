"""Transfers between home and the lake: ``records`` (what a transfer and its items are),
``journal`` (the list kept across restarts), ``planning``, ``upload``, ``download`` and
``browser`` (the three directions) and ``manager`` (the queue and the run loop, which uses them and
which none of them imports back)."""
