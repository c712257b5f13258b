"""Compare a rendered TOML config file with the settings it must hold.

Usage: compare-toml.py CASE RENDERED.toml EXPECTED.json

Run by ./flake-check.nix for each Home Manager case that generates
skillnet.toml: the file pkgs.formats.toml rendered is parsed back and must
equal the case's settings exactly.
"""

import json
import sys
import tomllib


def main() -> int:
    case, rendered, expected = sys.argv[1:]
    with open(rendered, "rb") as f:
        got = tomllib.load(f)
    with open(expected, encoding="utf-8") as f:
        want = json.load(f)
    if got != want:
        print(f"{case}: skillnet.toml holds {got!r}, expected {want!r}", file=sys.stderr)
        return 1
    print(f"{case}: skillnet.toml holds the expected settings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
