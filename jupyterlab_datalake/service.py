"""The server part's single owner of state: the resolved settings, the data lake client, the
usage monitor and the report of what is lost at restart.

Handlers reach it through ``self.settings["datalake"]``; there is one per server.
"""

from __future__ import annotations

import asyncio
import functools
import os
import time
from dataclasses import asdict
from typing import Any

from traitlets import TraitError

from ._version import __version__
from .config import ConfigError, DataLake, Settings
from .errors import Connection, Refused
from .home.saves import watch_saves
from .home.usage import UsageMonitor
from .lake import areas
from .lake.client import Lake, invalid_config
from .lake.contents import LakeContents
from .lake.objects import Objects
from .lake.probe import Prober
from .lake.search import Search
from .lake.share import Sharer
from .lake.tables import Tables
from .persistence.mounts import Classification, classify, read_mounts
from .persistence.packages import packages_installed_since
from .persistence.rescue import rescue
from .persistence.watched import distinct_locations, watched_report
from .transfers.manager import Transfer, TransferManager


class DataLakeService:
    def __init__(
        self,
        settings: Settings | None,
        config_error: str | None = None,
        contents_root: str | None = None,
    ):
        self.settings = settings
        self.config_error = config_error
        self.contents_root = contents_root
        # Packages installed after this moment into a non-persistent place are reported.
        self.started_at = time.time()
        self._at_risk: dict[str, Any] | None = None
        self._at_risk_lock = asyncio.Lock()
        self.lake = Lake(settings) if settings else None
        self.prober = Prober(settings, self.lake) if settings else None
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
        configured = settings is not None and self.lake.configured
        usage = self.usage
        self.transfers = (
            TransferManager(
                settings,
                self.lake,
                contents_root,
                # A download checks the quota against the usage monitor's figure, and tells it
                # that home changed.
                used=(lambda: usage.result.used if usage.result else None) if usage else None,
                home_changed=usage.mark_stale if usage else None,
            )
            if configured
            else None
        )
        self.objects = Objects(settings, self.lake) if configured else None
        self.sharer = Sharer(settings, self.lake) if configured else None
        self.contents = (
            LakeContents(settings, self.lake, self.objects) if self.objects is not None else None
        )
        self.tables = Tables(settings, self.lake, self.objects) if configured else None
        self.search = Search(settings, self.lake) if configured else None

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
        areas: list[dict[str, Any]] | None = None
        if self.prober is None:
            connection = invalid_config(self.config_error or "Invalid configuration.")
        else:
            connection, areas = await self.prober.check()
        root = None
        if s and self.contents_root:
            root = asdict((await self.classify([self.contents_root]))[0])
        return {
            "version": __version__,
            "user": s.username if s else None,
            "bucket": s.bucket if s else None,
            "endpoint_host": s.endpoint_host if s else None,
            # Each configured area, with what this user's S3 identity may do there.
            "areas": areas,
            "connection": connection.to_json(),
            "checked_at": time.time(),
            # Whether the file browser's root survives a restart: a server started somewhere
            # else than home loses everything saved there.
            "root": root,
            # The largest object the `datalake:` drive opens whole; above it, preview or download.
            "open_limit": s.open_limit if s else None,
        }

    # ----- what is lost at restart ----------------------------------------------------------

    async def classify(self, paths: list[str]) -> list[Classification]:
        s = self.settings
        return await in_thread(classify, paths, s.home_dir, list(s.persistent_paths))

    async def at_risk(self, top: int = 10, refresh: bool = False) -> dict[str, Any]:
        """What sits in the watched places; `top` entries per place, largest first (0: all).

        Walking /tmp can take seconds, so the full report is kept for a minute: showing all
        entries, or another browser tab asking, reuses it; `refresh` walks again.
        """
        async with self._at_risk_lock:
            cached = self._at_risk
            if refresh or cached is None or time.time() - cached["checked_at"] > 60:
                cached = self._at_risk = await in_thread(self._collect_at_risk)
        report = dict(cached)
        report["locations"] = [
            {**location, "entries": location["entries"][: top or None]}
            for location in cached["locations"]
        ]
        return report

    def _collect_at_risk(self) -> dict[str, Any]:
        s = self.settings
        mounts = read_mounts()
        persistent = list(s.persistent_paths)
        locations = watched_report(
            list(s.watched_paths),
            s.home_dir,
            persistent,
            top=10_000,
            mounts=mounts,
            since=self.started_at,
        )
        packages = packages_installed_since(self.started_at, s.home_dir, persistent, mounts=mounts)
        _, skipped = distinct_locations(list(s.watched_paths))
        return {
            "home": s.home_dir,
            "since": self.started_at,
            "checked_at": time.time(),
            "locations": [asdict(location) for location in locations],
            "skipped": [asdict(place) for place in skipped],
            "packages": [asdict(package) for package in packages],
        }

    def _forget_at_risk(self, sources: list[str]) -> None:
        """Drop moved entries from the kept report, so that it need not walk /tmp again; a
        source deeper than a listed entry changes that entry's size, so then walk again."""
        report = self._at_risk
        if report is None:
            return
        gone = set(sources)
        listed = {e["path"] for loc in report["locations"] for e in loc["entries"]}
        if not gone <= listed:
            self._at_risk = None
            return
        for location in report["locations"]:
            for entry in [e for e in location["entries"] if e["path"] in gone]:
                location["entries"].remove(entry)
                location["bytes"] -= entry["bytes"]
                location["files"] -= entry["files"]
                location["entry_count"] -= 1

    async def rescue(self, paths: list[str]) -> dict[str, Any]:
        s = self.settings
        used = None
        if s.home_quota and self.usage is not None:
            used = (await self.usage.get())["used"]
        rescued = await in_thread(
            rescue,
            paths,
            s.home_dir,
            list(s.watched_paths),
            s.rescue_folder,
            s.home_quota,
            used,
            since=self.started_at,
        )
        if self.usage is not None:
            await self.usage.get(refresh=True)
        self._forget_at_risk(paths)
        return {
            "rescued": [asdict(r) for r in rescued],
            "folder": s.rescue_folder,
            "home_in_contents": self.usage.home_in_contents() if self.usage else None,
        }

    # ----- transfers ------------------------------------------------------------------------

    def _not_configured(self) -> Refused:
        connection = self.lake.check_configured() if self.lake else None
        return Refused(
            503, connection.message if connection else self.config_error or "Not configured."
        )

    def require_transfers(self) -> TransferManager:
        if self.transfers is None:
            raise self._not_configured()
        return self.transfers

    def require_objects(self) -> Objects:
        if self.objects is None:
            raise self._not_configured()
        return self.objects

    def require_contents(self) -> LakeContents:
        if self.contents is None:
            raise self._not_configured()
        return self.contents

    def require_sharer(self) -> Sharer:
        if self.sharer is None:
            raise self._not_configured()
        return self.sharer

    def require_tables(self) -> Tables:
        if self.tables is None:
            raise self._not_configured()
        return self.tables

    def require_search(self) -> Search:
        if self.search is None:
            raise self._not_configured()
        return self.search

    async def plan_copy(self, body: dict[str, Any], user: str) -> Transfer:
        """Plan a copy or move inside the lake (lake_ops handler's body); starts nothing."""
        manager = self.require_transfers()
        destination = body.get("destination_area", body.get("area"))
        if self.prober is not None:
            self.prober.require_write(areas.find(self.settings, destination))
        return await self.in_lake_thread(
            manager.copy_planner.plan,
            body.get("operation"),
            body.get("area"),
            body.get("keys"),
            destination,
            body.get("prefix", ""),
            body.get("name"),
            body.get("conflict", "ask"),
            user,
            body.get("undeletable", "refuse"),
        )

    async def plan_transfer(
        self, direction: str, sources: list[str], area: str, where: str, conflict: str
    ) -> Transfer:
        """Plan an upload from home into ``where`` (a prefix of ``area``), or a download into
        ``where`` (a home folder); starts nothing."""
        manager = self.require_transfers()
        # Planning walks folders and asks S3 which keys exist: both block.
        if direction == "download":
            return await self.in_lake_thread(manager.downloads.plan, sources, area, where, conflict)
        if self.prober is not None:
            self.prober.require_write(areas.find(self.settings, area))
        return await self.in_lake_thread(manager.plan, sources, area, where, conflict)

    async def in_lake_thread(self, func, *args):
        """Run blocking work that talks to S3 on the data lake's own threads."""
        return await self.lake.run(func, *args)

    def watch_saves(self, contents_manager) -> None:
        """Keep the usage figure current from saves, and explain saves that fail for space."""
        if self.usage is not None:
            watch_saves(contents_manager, self.usage)


async def in_thread(func, *args, **kwargs):
    """Run blocking file-system work off the event loop."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, functools.partial(func, *args, **kwargs))
