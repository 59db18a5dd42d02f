"""Inspect AI entry point: registers the `asebench/ase` task and the `bwrap` sandbox."""

# ruff: noqa: F401
from asebench.checks.sandbox.inspect_provider import BwrapSandboxEnvironment
from asebench.harness.task import ase
