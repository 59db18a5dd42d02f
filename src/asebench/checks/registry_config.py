"""The registry configuration an environment install may see, and nothing else of the host.

Installing a dataset's packages runs code the dataset chose (a `setup.py`, a build backend), so
it runs sandboxed with a minimal environment (`environment.build_environment`). pip and npm
must still reach the package index the way the user configured them, so this module gathers
exactly that configuration from the host and hands it over as environment variables:

- host variables that configure where packages come from and how the connection is trusted
  (`PIP_INDEX_URL`, `PIP_FIND_LINKS`, `npm_config_registry`, proxies, CA bundles; the full list
  is `PASSED_VARIABLES`), copied as they are;
- the same settings from pip's configuration files (`[global]`, `[install]`, `[download]` of
  the site and user files and `PIP_CONFIG_FILE`) and from the user's `.npmrc` (`registry`,
  `@scope:registry`, `cafile`, proxies), which the sandbox cannot read itself (its `HOME` is
  empty and `/etc` is mostly hidden), turned into the matching variables.

Nothing else passes: no API keys, no `HOME`, no tokens (`_authToken`, `_auth`, passwords of
`.npmrc` are never read into the result). A credential written into an index URL itself is
part of that URL and does reach the install; a registry that needs one is better served by a
local proxy. Files named by these settings (a CA bundle, a find-links folder) must lie where the
sandbox can see them (`/usr`, `/opt`, `/etc/ssl`…).
"""

from __future__ import annotations

import configparser
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

PASSED_VARIABLES = frozenset({
    "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS", "PIP_NO_INDEX",
    "PIP_TRUSTED_HOST", "PIP_CERT", "PIP_PROXY", "PIP_DEFAULT_TIMEOUT", "PIP_TIMEOUT",
    "PIP_RETRIES",
    "NPM_CONFIG_REGISTRY", "NPM_CONFIG_CAFILE", "NPM_CONFIG_STRICT_SSL", "NPM_CONFIG_PROXY",
    "NPM_CONFIG_HTTPS_PROXY", "NPM_CONFIG_NOPROXY",
    "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY",
    "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS",
})
"""Host variables passed to installs (compared case-insensitively, as npm and curl do)."""

PIP_KEYS = ("index-url", "extra-index-url", "find-links", "no-index", "trusted-host", "cert",
            "proxy", "timeout", "default-timeout", "retries")
"""pip configuration-file keys that say where packages come from and how to connect."""
PIP_SECTIONS = ("global", "download", "install")
NPM_KEYS = ("registry", "cafile", "strict-ssl", "proxy", "https-proxy", "noproxy")
"""`.npmrc` keys passed on; plus any `@scope:registry`. Auth keys are never read."""


SITE_PIP_FILES = (Path("/etc/xdg/pip/pip.conf"), Path("/etc/pip.conf"))


def _pip_files(env: Mapping[str, str], home: Path, site: Sequence[Path]) -> list[Path]:
    """pip's configuration files, lowest precedence first (site, user, `PIP_CONFIG_FILE`)."""
    files = [*site, home / ".pip" / "pip.conf", home / ".config" / "pip" / "pip.conf"]
    if env.get("PIP_CONFIG_FILE"):
        files.append(Path(env["PIP_CONFIG_FILE"]))
    return files


def pip_file_settings(files: Sequence[Path]) -> dict[str, str]:
    """`PIP_*` variables for the registry keys of pip configuration `files` (later files win;
    within a file `[install]`/`[download]` win over `[global]`). Unreadable files are skipped."""
    settings: dict[str, str] = {}
    for path in files:
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        try:
            parser.read(path, encoding="utf-8")
        except (OSError, configparser.Error, UnicodeDecodeError):
            continue
        for section in PIP_SECTIONS:
            if not parser.has_section(section):
                continue
            for key in PIP_KEYS:
                value = parser.get(section, key, fallback=None)
                if value is not None:
                    settings[f"PIP_{key.upper().replace('-', '_')}"] = " ".join(value.split())
    return settings


def npmrc_settings(path: Path) -> dict[str, str]:
    """`npm_config_*` variables for the registry keys of one `.npmrc` (no auth keys)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return {}
    settings: dict[str, str] = {}
    for line in lines:
        key, sep, value = line.partition("=")
        key = key.strip()
        if not sep or key.startswith(("#", ";", "//")):
            continue
        if key in NPM_KEYS or (key.startswith("@") and key.endswith(":registry")):
            settings[f"npm_config_{key}"] = value.strip()
    return settings


def registry_environment(env: Mapping[str, str] | None = None, home: Path | None = None,
                         site_files: Sequence[Path] = SITE_PIP_FILES) -> dict[str, str]:
    """The variables an install sandbox gets to reach the registries: see the module text.

    `env` and `home` default to this process's environment and home directory; `site_files`
    are pip's site-wide configuration files.
    """
    env = os.environ if env is None else env
    home = Path(env.get("HOME") or Path.home()) if home is None else home
    result = pip_file_settings(_pip_files(env, home, site_files))
    user_npmrc = Path(env.get("NPM_CONFIG_USERCONFIG") or env.get("npm_config_userconfig")
                      or home / ".npmrc")
    result.update(npmrc_settings(user_npmrc))
    result.update({name: value for name, value in env.items()
                   if name.upper() in PASSED_VARIABLES})
    return result
