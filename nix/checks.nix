# The Rust checks of `checks.<system>` (SPEC §10): clippy and the workspace
# test suite, as variants of the package derivation so that they share its
# source, vendored dependencies and toolchain.
{
  lib,
  clippy,
  postgresql,
  skillnet,
}:
{
  clippy = skillnet.overrideAttrs (old: {
    pname = "skillnet-clippy";
    nativeBuildInputs = old.nativeBuildInputs ++ [ clippy ];
    buildPhase = ''
      runHook preBuild
      cargo clippy --workspace --all-targets --all-features --offline -- --deny warnings
      runHook postBuild
    '';
    doCheck = false;
    installPhase = ''
      touch "$out"
    '';
  });

  # The suite starts its own PostgreSQL from `initdb`/`pg_ctl` on PATH
  # (SPEC §12); CI=true makes a missing server a failure, not a skip.
  tests = skillnet.overrideAttrs (old: {
    pname = "skillnet-tests";
    doCheck = true;
    nativeCheckInputs = (old.nativeCheckInputs or [ ]) ++ [ postgresql ];
    CI = "true";
    cargoTestFlags = [ "--workspace" ];
    cargoCheckNoDefaultFeatures = false;
    cargoCheckFeatures = [ ];
  });
}
