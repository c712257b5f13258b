# The `skillnet` CLI (package `skillnet-cli`), with shell completions and the
# man page. Called by the flake (`packages.<system>.default`,
# `overlays.default`) and usable with any nixpkgs:
#
#   pkgs.callPackage ./nix/package.nix { }
#   pkgs.callPackage ./nix/package.nix { withPostgres = false; }  # SQLite only
#
# SQLite and libpq are the bundled copies the workspace selects
# (libsqlite3-sys `bundled`, pq-sys `bundled` through pq-src), built from
# source with the C compiler, so this is the binary `cargo install` gives.
# pq-src links OpenSSL: the workspace builds it from source and links it
# statically (openssl-sys `vendored`, which keeps a dynamic libssl off every
# process start); here OPENSSL_NO_VENDOR links nixpkgs' `openssl` instead,
# found through pkg-config. Linking nixpkgs' `sqlite` and
# `postgresql.lib` instead would need workspace features without `bundled`
# (the sys crates then find the libraries through pkg-config); the workspace
# does not offer them today.
{
  lib,
  stdenv,
  rustPlatform,
  installShellFiles,
  pkg-config,
  openssl,
  withSqlite ? true,
  withPostgres ? true,
}:

assert lib.assertMsg (withSqlite || withPostgres) "skillnet needs at least one of withSqlite and withPostgres";

let
  workspace = (lib.importTOML ../Cargo.toml).workspace.package;
in
rustPlatform.buildRustPackage {
  pname = "skillnet";
  inherit (workspace) version;

  # The whole tree minus the Nix files and build outputs, so that editing the
  # Nix files does not rebuild the CLI.
  src = lib.cleanSourceWith {
    name = "skillnet-source";
    src = lib.cleanSource ../.;
    filter =
      path: _type:
      !(lib.elem (lib.removePrefix "${toString ../.}/" (toString path)) [
        "flake.lock"
        "flake.nix"
        "nix"
        "result"
        "target"
      ]);
  };

  cargoLock.lockFile = ../Cargo.lock;

  cargoBuildFlags = [
    "--package"
    "skillnet-cli"
  ];
  buildNoDefaultFeatures = true;
  buildFeatures = lib.optional withSqlite "sqlite" ++ lib.optional withPostgres "postgres";

  nativeBuildInputs = [ installShellFiles ] ++ lib.optional withPostgres pkg-config;
  buildInputs = lib.optional withPostgres openssl;
  env = lib.optionalAttrs withPostgres { OPENSSL_NO_VENDOR = "1"; };

  # The workspace suite needs a PostgreSQL server; it runs in the flake's
  # `checks.<system>.tests`, not on every install.
  doCheck = false;

  postInstall = lib.optionalString (stdenv.buildPlatform.canExecute stdenv.hostPlatform) ''
    installShellCompletion --cmd skillnet \
      --bash <($out/bin/skillnet completions bash) \
      --fish <($out/bin/skillnet completions fish) \
      --zsh <($out/bin/skillnet completions zsh)
    $out/bin/skillnet man > skillnet.1
    installManPage skillnet.1
  '';

  passthru.features = {
    sqlite = withSqlite;
    postgres = withPostgres;
  };

  meta = {
    description = "Calibration store for multi-phase plans";
    homepage = "https://github.com/skillnet/skillnet";
    license = with lib.licenses; [
      mit
      asl20
    ];
    mainProgram = "skillnet";
    platforms = lib.platforms.unix;
  };
}
