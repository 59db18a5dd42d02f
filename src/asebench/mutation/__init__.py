"""Mutated instances: the same vulnerability in code a memorising model has never seen.

Operators (semantic renames, structural rewrites) run over tree-sitter parses of the masked
files, deterministically from a seed; `engine` applies an instance's `mutation:` spec to its
source tree, `mutant` writes mutant instances, `revalidate` keeps only those the oracles
still judge right and measures how far each moved (`distance`) and whether verbatim upstream
code still fits (`memorisation`).
"""
