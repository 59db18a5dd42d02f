"""Inspect AI entry point: registers the `asebench/ase` task and the `bwrap` sandbox."""

# ruff: noqa: F401
from asebench.harness.task import ase
