"""Helm values for Inspect's Kubernetes sandbox (`inspect-k8s-sandbox`, provider `k8s`) of an
A.S.E container instance: the same environment as the docker provider's compose file
(`sandboxes.compose_file`), for users who judge more samples than one machine can.

The package's built-in `agent-env` chart reads a compose-like `values.yaml`: one `default`
service with the instance's image and long-running command. Internet access stays off (the
chart allows none unless `allowDomains` says so), as `network_mode: none` does for docker;
`privileged` becomes the container's security context. Files are content-addressed under
`cache_dir("k8s")`, so every sample of one image shares one file.
"""

from __future__ import annotations

import hashlib

import yaml

from asebench.cache import cache_dir
from asebench.dataset.schema import ContainerSpec

IDLE_COMMAND = ["tail", "-f", "/dev/null"]
"""Keeps the container alive while Inspect execs the instance's commands in it."""


def k8s_values(spec: ContainerSpec) -> dict[str, object]:
    """The `agent-env` chart values of one A.S.E image (a dict, as written to the file)."""
    service: dict[str, object] = {
        "image": spec.image,
        "command": ["sh", "-c", spec.run_cmd] if spec.run_cmd else IDLE_COMMAND,
    }
    if spec.privileged:
        service["securityContext"] = {"privileged": True}
    return {"services": {"default": service}}


def k8s_values_file(spec: ContainerSpec) -> str:
    """The path of the values file of `spec` (written once; the same spec, the same file)."""
    text = yaml.safe_dump(k8s_values(spec), sort_keys=False)
    path = cache_dir("k8s") / f"{hashlib.sha256(text.encode()).hexdigest()[:16]}.yaml"
    if not path.exists():
        path.write_text(text, encoding="utf-8")
    return str(path)
