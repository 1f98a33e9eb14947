"""The persistent home: ``scan`` (a fast du of it), ``usage`` (its use against the quota, and
the trash), ``space`` (its volume, free space and shortfall) and ``saves`` (saves that would
not fit are refused before anything is written)."""
