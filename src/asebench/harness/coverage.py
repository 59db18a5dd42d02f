"""Which instances of a run have a security oracle, said before any model is called.

A sample of an instance with no semgrep rule and no PoC that can run here can only end
"unjudged"; A.S.E v2 container instances run their commands only with a container sandbox
(`--sandbox docker`, or `k8s` with inspect-k8s-sandbox installed).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from asebench.dataset.schema import Instance
from asebench.harness.sandboxes import CONTAINER_KINDS


def has_runnable_poc(instance: Instance, *, dynamic: bool, sandbox: str) -> bool:
    """Whether the instance's PoC can run in this configuration."""
    if not dynamic:
        return False
    if instance.container is not None:
        return sandbox in CONTAINER_KINDS and bool(instance.container.poc_cmd)
    return instance.poc is not None


def oracle_coverage(instances: Sequence[Instance], *, dynamic: bool, sandbox: str
                    ) -> dict[str, Any]:
    """`{"instances": N, "no_oracle": [ids], "needs_docker": [ids]}`: the instances that have
    no rule and no runnable PoC, and the container instances that need `--sandbox docker`."""
    no_oracle = [i.id for i in instances
                 if not i.rules and not has_runnable_poc(i, dynamic=dynamic, sandbox=sandbox)]
    needs_docker = [i.id for i in instances
                    if i.container is not None and sandbox not in CONTAINER_KINDS and dynamic]
    return {"instances": len(instances), "no_oracle": no_oracle, "needs_docker": needs_docker}


def coverage_lines(coverage: dict[str, Any]) -> list[str]:
    """What `asebench run` prints up front about oracle coverage (nothing when complete)."""
    lines = []
    needs = coverage.get("needs_docker") or []
    if needs:
        lines.append(f"{len(needs)} of {coverage['instances']} instances are A.S.E container "
                     "instances whose build, test and PoC run only with --sandbox docker: "
                     "their security is unjudged unless a rule decides")
    missing = coverage.get("no_oracle") or []
    if missing:
        shown = ", ".join(missing[:5]) + (", …" if len(missing) > 5 else "")
        lines.append(f"{len(missing)} of {coverage['instances']} instances have no security "
                     f"oracle here (no rule, no runnable PoC): their samples will be unjudged "
                     f"({shown})")
    return lines
