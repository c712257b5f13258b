# `devShells.<system>.default`: the package's build inputs plus the tools the
# workspace uses (SPEC §12: the test suite starts PostgreSQL from `initdb` and
# `pg_ctl`; `schema.rs` is generated with the Diesel CLI).
{
  mkShell,
  cargo-insta,
  clippy,
  diesel-cli,
  nixfmt,
  postgresql,
  rust-analyzer,
  rustfmt,
  sqlite,
  skillnet,
}:
mkShell {
  inputsFrom = [ skillnet ];
  packages = [
    cargo-insta
    clippy
    diesel-cli
    nixfmt
    postgresql
    rust-analyzer
    rustfmt
    sqlite
  ];
}
