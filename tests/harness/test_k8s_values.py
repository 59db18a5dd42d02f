"""A.S.E container instances get Helm values for Inspect's Kubernetes sandbox that describe the
same container as the docker provider's compose file: image, long-running command, no
network, privileged only when the instance asks."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from asebench.dataset.schema import ContainerSpec, Instance, LocalSource, Location
from asebench.harness.coverage import has_runnable_poc
from asebench.harness.sandboxes import compose_file, sample_sandbox
from asebench.sources.tree import SourceTree


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASEBENCH_CACHE", str(tmp_path / "cache"))


def _instance(container: ContainerSpec) -> Instance:
    return Instance(id="ase-1", cwe="CWE-89", language="python",
                    source=LocalSource(path="."), container=container,
                    locations=[Location(file="app.py", start=1, end=2)])


def _values(instance: Instance, tmp_path: Path) -> dict[str, object]:
    spec = sample_sandbox(instance, SourceTree(tmp_path, "digest"), "k8s")
    assert spec is not None and spec.type == "k8s"
    loaded: dict[str, object] = yaml.safe_load(Path(str(spec.config)).read_text())
    return loaded


def test_the_values_name_the_image_and_keep_the_container_running(tmp_path: Path) -> None:
    spec = ContainerSpec(image="example/app:cve-1", inner_path="/src", poc_cmd="run-poc")
    values = _values(_instance(spec), tmp_path)
    assert values == {"services": {"default": {"image": "example/app:cve-1",
                                               "command": ["tail", "-f", "/dev/null"]}}}
    compose = yaml.safe_load(Path(compose_file(spec)).read_text())["services"]["default"]
    assert compose["image"] == "example/app:cve-1" and compose["network_mode"] == "none"
    assert "allowDomains" not in values  # the chart's default: no internet, like network_mode


def test_the_image_command_and_privilege_carry_over(tmp_path: Path) -> None:
    spec = ContainerSpec(image="example/svc:1", inner_path="/src", run_cmd="service start",
                         privileged=True)
    default = _values(_instance(spec), tmp_path)["services"]["default"]  # type: ignore[index]
    assert default["command"] == ["sh", "-c", "service start"]
    assert default["securityContext"] == {"privileged": True}


def test_one_image_gives_one_values_file(tmp_path: Path) -> None:
    spec = ContainerSpec(image="example/app:cve-1", inner_path="/src")
    first = sample_sandbox(_instance(spec), SourceTree(tmp_path, "d"), "k8s")
    again = sample_sandbox(_instance(spec), SourceTree(tmp_path, "d"), "k8s")
    assert first is not None and again is not None and first.config == again.config


def test_a_container_poc_counts_as_runnable_under_k8s() -> None:
    spec = ContainerSpec(image="example/app:cve-1", inner_path="/src", poc_cmd="run-poc")
    assert has_runnable_poc(_instance(spec), dynamic=True, sandbox="k8s")
    assert not has_runnable_poc(_instance(spec), dynamic=True, sandbox="bwrap")
