"""Which Inspect sandbox a sample's functional test and PoC run in.

Native instances with a PoC or test get the `bwrap` provider over their own source tree;
A.S.E v2 container instances get Inspect's `docker` provider (a compose file naming the image)
when `--sandbox docker` is chosen, or the Kubernetes one (`k8s`, Helm values naming the image).
Instances with nothing dynamic get no sandbox.
"""

from __future__ import annotations

import hashlib
from typing import Literal

import yaml
from inspect_ai.util import SandboxEnvironmentSpec

from asebench.cache import cache_dir
from asebench.checks.sample_sandbox import bwrap_config
from asebench.dataset.schema import ContainerSpec, Instance
from asebench.harness.k8s_values import k8s_values_file
from asebench.sources.tree import SourceTree

SandboxKind = Literal["bwrap", "docker", "k8s"]
SANDBOX_KINDS: tuple[str, ...] = ("bwrap", "docker", "k8s")
CONTAINER_KINDS: tuple[str, ...] = ("docker", "k8s")
"""Providers that run an A.S.E image (`k8s`: Inspect's Kubernetes sandbox, installed apart)."""


def compose_file(spec: ContainerSpec) -> str:
    """A compose file for an A.S.E image (no network, the image's own long-running command)."""
    service: dict[str, object] = {
        "image": spec.image,
        "command": spec.run_cmd or "tail -f /dev/null",
        "network_mode": "none",
        "init": True,
    }
    if spec.privileged:
        service["privileged"] = True
    text = yaml.safe_dump({"services": {"default": service}}, sort_keys=False)
    path = cache_dir("compose") / f"{hashlib.sha256(text.encode()).hexdigest()[:16]}.yaml"
    if not path.exists():
        path.write_text(text, encoding="utf-8")
    return str(path)


def container_sandbox(spec: ContainerSpec, kind: SandboxKind) -> SandboxEnvironmentSpec | None:
    """The sandbox spec of an A.S.E container instance: its image under the `docker` or `k8s`
    provider; None under `bwrap` (its commands cannot run there)."""
    if kind == "k8s":
        return SandboxEnvironmentSpec("k8s", k8s_values_file(spec))
    if kind != "docker":
        return None
    return SandboxEnvironmentSpec("docker", compose_file(spec))


def sample_sandbox(instance: Instance, tree: SourceTree, kind: SandboxKind
                   ) -> SandboxEnvironmentSpec | None:
    """The sandbox spec of one sample, or None when it has no dynamic check to run."""
    if instance.container is not None:
        return container_sandbox(instance.container, kind)
    if instance.poc is None and instance.test is None:
        return None
    return SandboxEnvironmentSpec("bwrap", bwrap_config(instance, tree.root, tree.digest))
