"""Coding agents on asebench's tasks: the agent's sandbox view, the leakage audit, the
agent solvers, and how an agent's edits become an answer for the judge."""

AGENTS = ("react", "mini-swe-agent")
"""Agent names, as `--agent` and `-T agent=` take them."""
