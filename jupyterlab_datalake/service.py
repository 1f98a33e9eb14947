"""The server part's single owner of state: resolved settings and the data lake client.

Handlers reach it through ``self.settings["datalake"]``; later features (usage, transfers) hang
off it too, so that one object is created per server and closed when the server stops.
"""

from __future__ import annotations

import os
import time
from typing import Any

from traitlets import TraitError

from ._version import __version__
from .config import ConfigError, DataLake, Settings
from .lake import Connection, Lake, invalid_config
from .saves import watch_saves
from .usage import UsageMonitor


class DataLakeService:
    def __init__(
        self,
        settings: Settings | None,
        config_error: str | None = None,
        contents_root: str | None = None,
    ):
        self.settings = settings
        self.config_error = config_error
        self.lake = Lake(settings) if settings else None
        self.usage = (
            UsageMonitor(
                home=settings.home_dir,
                quota=settings.home_quota,
                top=settings.usage_top,
                max_age=settings.scan_interval,
                processes=settings.scan_processes,
                contents_root=contents_root,
            )
            if settings
            else None
        )

    @classmethod
    def from_config(cls, config, log, contents_root: str | None = None) -> DataLakeService:
        try:
            settings = DataLake(config=config).resolve()
        except (ConfigError, TraitError) as err:
            # One line that names the setting: admins read the pod log, not a traceback.
            log.error("jupyterlab-datalake is disabled: invalid setting %s", err)
            return cls(None, config_error=f"Invalid setting {err}")
        if not os.path.isdir(settings.home_dir):
            log.error("jupyterlab-datalake: home %s is not a folder", settings.home_dir)
        missing = settings.missing()
        if missing:
            log.warning(
                "jupyterlab-datalake: data lake not configured (%s not set)", ", ".join(missing)
            )
        else:
            log.info(
                "jupyterlab-datalake: bucket %s at %s for user %s",
                settings.bucket,
                settings.endpoint_host,
                settings.username,
            )
        return cls(settings, contents_root=contents_root)

    async def status(self) -> dict[str, Any]:
        s = self.settings
        connection: Connection
        if self.lake is None:
            connection = invalid_config(self.config_error or "Invalid configuration.")
        else:
            connection = await self.lake.check()
        return {
            "version": __version__,
            "user": s.username if s else None,
            "bucket": s.bucket if s else None,
            "endpoint_host": s.endpoint_host if s else None,
            "areas": {"shared": s.shared_prefix, "mine": s.user_prefix} if s else None,
            "connection": connection.to_json(),
            "checked_at": time.time(),
        }

    def watch_saves(self, contents_manager) -> None:
        """Keep the usage figure current from saves, and explain saves that fail for space."""
        if self.usage is not None:
            watch_saves(contents_manager, self.usage)

    def close(self) -> None:
        if self.lake:
            self.lake.close()
