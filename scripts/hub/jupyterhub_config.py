"""JupyterHub's configuration for the hub tests and `demo.py --hub` (see scripts/hub_env.py).

A platform's hub, minus Kubernetes: the shared-password authenticator stands for the
platform's login, SimpleLocalProcessSpawner for KubeSpawner (a process and a home per user),
and the spawner's environment hands each server its own user's S3 keys, as KubeSpawner would
from a per-user Secret. Ports, keys and paths come from the settings file that hub_env.py
writes and names in $DATALAKE_HUB_SETTINGS, so that this file stays the same for every run.
"""

import json
import os

from jupyterhub.spawner import SimpleLocalProcessSpawner

c = get_config()  # type: ignore[name-defined]  # noqa: F821 (given by JupyterHub)

with open(os.environ["DATALAKE_HUB_SETTINGS"]) as settings_file:
    S = json.load(settings_file)

# --- the hub, its proxy and its state, all on the loopback and in the run's own directory
c.JupyterHub.bind_url = S["url"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = S["hub_port"]
c.JupyterHub.db_url = "sqlite:///" + os.path.join(S["state_dir"], "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(S["state_dir"], "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = os.path.join(S["state_dir"], "jupyterhub.pid")
c.ConfigurableHTTPProxy.command = [S["proxy"]]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{S['proxy_api_port']}"
c.ConfigurableHTTPProxy.pid_file = os.path.join(S["state_dir"], "proxy.pid")

# --- who may log in: the users that have S3 keys, with one password
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = S["password"]
c.Authenticator.allowed_users = set(S["users"])

# --- server sharing: e.g. bob may act on alice's server (JupyterHub's access:servers scope)
c.JupyterHub.load_roles = [
    {
        "name": f"{guest}-shares",
        "description": f"{guest} may use the servers of {', '.join(owners)}",
        "users": [guest],
        "scopes": [f"access:servers!user={owner}" for owner in owners],
    }
    for guest, owners in S["shares"].items()
]

# --- one process and one home per user
c.JupyterHub.spawner_class = SimpleLocalProcessSpawner
c.SimpleLocalProcessSpawner.home_dir_template = os.path.join(S["homes_dir"], "{username}")
c.Spawner.cmd = [S["singleuser"]]
c.Spawner.default_url = "/lab"
# A loaded machine can take a while to import JupyterLab; the default 60 s is tight there.
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
if os.geteuid() == 0:
    c.Spawner.args = ["--allow-root"]


def _key(name):
    """The user's own credential, looked up when their server starts."""
    return lambda spawner: S["users"][spawner.user.name][name]


environment = {
    "AWS_ACCESS_KEY_ID": _key("access_key"),
    "AWS_SECRET_ACCESS_KEY": _key("secret_key"),
    "AWS_ENDPOINT_URL_S3": S["endpoint"],
    "AWS_REGION": S["region"],
    # The keys above are the only credentials: no profile of whoever runs the hub.
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "DATALAKE_BUCKET": S["bucket"],
    "DATALAKE_HOME": lambda spawner: spawner.home_dir,
    "DATALAKE_AREAS": json.dumps(S["areas"]),
    "DATALAKE_HUB_MARKER": S["marker"],
}
if S.get("pythonpath"):
    environment["PYTHONPATH"] = S["pythonpath"]
c.Spawner.environment = environment
