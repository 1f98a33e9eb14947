"""The fixtures of support.py, for every persistence test."""

from .support import across, mount, other_device, places, try_mount

__all__ = ["across", "mount", "other_device", "places", "try_mount"]
