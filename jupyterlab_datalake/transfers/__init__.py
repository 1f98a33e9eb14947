"""Transfers between home and the lake: ``records`` (what a transfer and its items are),
``journal`` (the list kept across restarts), ``download`` and ``browser`` (the two directions
that are not a plain upload) and ``manager`` (the queue and the run loop, which uses them and
which none of them imports back)."""
