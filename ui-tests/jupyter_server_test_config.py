"""Jupyter server for the UI tests, started by Playwright (`jlpm start`).

The S3 settings come from the environment that scripts/test.sh exports from the test S3
server (AWS_ENDPOINT_URL_S3, AWS_ACCESS_KEY_ID, ...), exactly as a hub admin would set them.
"""

import os

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821

# playwright.config.js makes a fresh home and sets it as HOME too; the file browser shows it.
home = os.environ["DATALAKE_UI_HOME"]
c.ServerApp.root_dir = home  # noqa: F821
c.DataLake.home_dir = home  # noqa: F821
c.DataLake.home_quota = "20Mi"  # noqa: F821 - small, so that tests can cross thresholds

c.ServerApp.allow_root = True  # noqa: F821 - CI runs as root
c.DataLake.username = "galata"  # noqa: F821
c.DataLake.connect_timeout = 3  # noqa: F821
# playwright.config.js picks the port (DATALAKE_UI_PORT), so that two runs can share the machine.
c.ServerApp.port = int(os.environ.get("DATALAKE_UI_PORT", "8888"))  # noqa: F821
