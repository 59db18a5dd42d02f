"""Inspect AI entry point: registers the `asebench/ase` task and the `bwrap` and
`asebench-agent` sandboxes."""

# ruff: noqa: F401
from asebench.agents.sandbox_view import AgentSandboxEnvironment
from asebench.checks.sandbox.inspect_provider import BwrapSandboxEnvironment
from asebench.harness.task import ase
