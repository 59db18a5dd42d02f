"""The `files-read` fixture instance the mutation tests share: a small Python project whose
`read` opens a joined path unchecked (the masked region, lines 16-18), its gold, rule and record."""

import textwrap

PROJECT = textwrap.dedent('''\
    import os

    _ROOT = "/srv"


    def _is_inside(base, path):
        real = os.path.realpath(path)
        return real.startswith(os.path.realpath(base) + os.sep)


    def _join(base, name):
        return os.path.join(base, name)


    def read(name):
        target = _join(_ROOT, name)
        with open(target) as handle:
            return handle.read()


    def size(name):
        target = _join(_ROOT, name)
        if not os.path.exists(target):
            return 0
        else:
            return os.path.getsize(target)
    ''')
GOLD = textwrap.dedent('''\
    target = _join(_ROOT, name)
    if not _is_inside(_ROOT, target):
        raise ValueError(name)
    with open(target) as handle:
        return handle.read()
    ''')
RULE = textwrap.dedent('''\
    rules:
      - id: read-outside-root
        languages: [python]
        severity: ERROR
        message: opens a path without checking that it stays inside the root
        patterns:
          - pattern: open($P)
          - pattern-not-inside: |
              if not _is_inside($B, $P):
                  raise $E
              ...
    ''')
RECORD = textwrap.dedent('''\
    id: files-read
    cwe: CWE-22
    language: python
    description: Reads a file below the configured root.
    source: {kind: local, path: ../project}
    locations:
      - file: pkg/files.py
        start: 16
        end: 18
        gold_file: gold/1.py
    ''')
