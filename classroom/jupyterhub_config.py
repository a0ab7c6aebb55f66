"""JupyterHub configuration for a ConvLens class on one server (docs/classroom.md explains each part).

Run as `jupyterhub -f classroom/jupyterhub_config.py` with the Python environment that has the pins of
requirements.txt and the ConvLens kernelspec installed into it (`convlens install --sys-prefix`), so
every student's single-user server, started from the same environment, finds the kernel.

Every setting a teacher changes comes from an environment variable, so the file itself stays as
shipped (the benchmark and the test start the hub with their own values):

| variable | default | what |
| --- | --- | --- |
| CONVLENS_HUB_URL | http://127.0.0.1:8000 | the public address (the proxy listens there) |
| CONVLENS_HUB_INTERNAL_PORT, CONVLENS_HUB_PROXY_API_PORT | 8081, 8001 | the hub's own API and the proxy's API, both on loopback |
| CONVLENS_HUB_STATE | /srv/convlens/hub | the hub's database, cookie secret and proxy token |
| CONVLENS_CLASS_SPAWNER | system | `system`: one Unix account per student (LocalProcessSpawner); `shared`: one account, a home folder per student (SimpleLocalProcessSpawner) |
| CONVLENS_CLASS_HOMES | /srv/convlens/homes | the students' home folders with `shared` |
| CONVLENS_CLASS_NOTEBOOKS | the repository's notebooks/ | the course notebooks copied to each student at first spawn |
| CONVLENS_CLASS_FOLDER | course | the folder in each home that receives them |
| CONVLENS_ASSETS | the repository's .cache/assets | the one shared, read-only copy of weights and photos |
| CONVLENS_CLASS_STUDENTS | (none) | comma-separated user names allowed to log in |
| CONVLENS_CLASS_ADMINS | (none) | comma-separated teacher accounts (JupyterHub admins) |
| CONVLENS_CLASS_AUTH | pam | `pam` (Unix accounts), `dummy` (tests only: anyone gets in), or another authenticator's short name |
| CONVLENS_CLASS_ADMIN_TOKEN | (unset) | a service token allowed to manage users, servers and tokens (scripts, the benchmark) |
| CONVLENS_CLASS_BLAS_THREADS | 1 | OpenBLAS threads per student kernel |
| CONVLENS_CLASS_KERNEL_IDLE | 3600 | seconds after which an idle kernel is shut down (frees its memory) |
| CONVLENS_CLASS_SERVER_IDLE | 7200 | seconds after which a student server with no activity stops itself |
"""
import os
import sys
from pathlib import Path

# traitlets executes this file with __file__ set to its path.
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from course_copy import copy_course  # noqa: E402  (needs the path above)

c = get_config()  # noqa: F821  (provided by traitlets when it loads this file)


def setting(name, default):
    value = os.environ.get(name, "").strip()
    return value if value else default


def names(variable):
    return {name.strip() for name in os.environ.get(variable, "").split(",") if name.strip()}


REPOSITORY = HERE.parent
STATE = Path(setting("CONVLENS_HUB_STATE", "/srv/convlens/hub"))
STATE.mkdir(parents=True, exist_ok=True, mode=0o700)
NOTEBOOKS = Path(setting("CONVLENS_CLASS_NOTEBOOKS", str(REPOSITORY / "notebooks")))
FOLDER = setting("CONVLENS_CLASS_FOLDER", "course")
ASSETS = setting("CONVLENS_ASSETS", str(REPOSITORY / ".cache" / "assets"))
MODE = setting("CONVLENS_CLASS_SPAWNER", "system")
if MODE not in ("system", "shared"):
    raise ValueError(f"CONVLENS_CLASS_SPAWNER is {MODE!r}; use 'system' (a Unix account per student) or 'shared'")

# --- Network: the proxy is the only public port; the hub and the proxy's API stay on loopback.
c.JupyterHub.bind_url = setting("CONVLENS_HUB_URL", "http://127.0.0.1:8000")
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{setting('CONVLENS_HUB_INTERNAL_PORT', '8081')}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{setting('CONVLENS_HUB_PROXY_API_PORT', '8001')}"
# Debian's configurable-http-proxy finds its modules under /usr/share/nodejs; Debian's own node looks
# there itself, a node from elsewhere (NodeSource) needs NODE_PATH. The proxy inherits this environment.
if Path("/usr/share/nodejs/configurable-http-proxy").is_dir():
    os.environ.setdefault("NODE_PATH", "/usr/share/nodejs")
c.ConfigurableHTTPProxy.command = ["configurable-http-proxy"]

# --- State: one folder the hub owns (sqlite database, cookie secret, pid file).
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")
# Stopping the hub stops every student's server too, so nothing outlives it.
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True

# --- Who logs in.
allowed, admins = names("CONVLENS_CLASS_STUDENTS"), names("CONVLENS_CLASS_ADMINS")
AUTH = setting("CONVLENS_CLASS_AUTH", "pam")
if AUTH == "dummy":
    # Tests only: any name and any password get in (the benchmark logs in through the API anyway).
    c.JupyterHub.authenticator_class = "dummy"
    c.Authenticator.allow_all = not allowed
elif AUTH != "pam":
    # Any other registered authenticator by its short name ("nativeauthenticator", "ldapauthenticator",
    # "github", ...); its own settings go in a jupyterhub_config.py of the teacher's that loads this one.
    c.JupyterHub.authenticator_class = AUTH
# "pam" is JupyterHub's default: the server's Unix accounts, which goes with the `system` spawner.
if allowed:
    c.Authenticator.allowed_users = allowed
if admins:
    c.Authenticator.admin_users = admins

token = os.environ.get("CONVLENS_CLASS_ADMIN_TOKEN")
if token:
    c.JupyterHub.services = [{"name": "classroom-admin", "api_token": token}]
    c.JupyterHub.load_roles = [{
        "name": "classroom-admin",
        "scopes": ["admin:users", "admin:servers", "tokens", "list:users", "read:users"],
        "services": ["classroom-admin"],
    }]

# --- Each student's server: the same Python environment as the hub, so the system-wide kernelspec
# (`convlens install --sys-prefix`) is the one every student gets; one kernel process per notebook.
c.Spawner.cmd = [str(Path(sys.executable).parent / "jupyterhub-singleuser")]
c.Spawner.default_url = f"/lab/tree/{FOLDER}/index.ipynb"
c.Spawner.notebook_dir = "~"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.environment = {
    "CONVLENS_ASSETS": ASSETS,
    # Many kernels share few cores: one BLAS thread each keeps them from fighting over the cores.
    "OPENBLAS_NUM_THREADS": setting("CONVLENS_CLASS_BLAS_THREADS", "1"),
}
c.Spawner.args = [
    f"--MappingKernelManager.cull_idle_timeout={setting('CONVLENS_CLASS_KERNEL_IDLE', '3600')}",
    "--MappingKernelManager.cull_interval=300",
    f"--ServerApp.shutdown_no_activity_timeout={setting('CONVLENS_CLASS_SERVER_IDLE', '7200')}",
]

if MODE == "shared":
    # One Unix account for everyone; each student's files live in HOMES/<name>, which is the root
    # of their Jupyter server (its contents API serves nothing outside it). Kernels run as the hub's
    # account, so code in a cell could still reach another home: fine for a trusted lab, not a class
    # of strangers (docs/classroom.md, "Isolation").
    from jupyterhub.spawner import SimpleLocalProcessSpawner

    homes = Path(setting("CONVLENS_CLASS_HOMES", "/srv/convlens/homes"))
    c.JupyterHub.spawner_class = SimpleLocalProcessSpawner
    c.SimpleLocalProcessSpawner.home_dir_template = str(homes / "{username}")
    if os.geteuid() == 0:
        # Jupyter refuses root without this; a shared hub is better run as an unprivileged account.
        c.Spawner.args.append("--allow-root")

    def pre_spawn_hook(spawner):
        home = Path(spawner.home_dir)
        home.mkdir(parents=True, exist_ok=True, mode=0o700)
        copy_course(NOTEBOOKS, home / FOLDER)
else:
    # A Unix account per student (`adduser`): their server and kernels run as that account, so file
    # permissions keep students apart and the shared assets are read-only to them.
    c.JupyterHub.spawner_class = "localprocess"

    def pre_spawn_hook(spawner):
        import pwd

        try:
            account = pwd.getpwnam(spawner.user.name)
        except KeyError:
            raise RuntimeError(f"student {spawner.user.name!r} has no Unix account on this server: "
                               f"adduser {spawner.user.name} (docs/classroom.md, step 4)") from None
        home = Path(account.pw_dir)
        copy_course(NOTEBOOKS, home / FOLDER, owner=(account.pw_uid, account.pw_gid))

c.Spawner.pre_spawn_hook = pre_spawn_hook
