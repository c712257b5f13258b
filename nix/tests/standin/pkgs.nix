# Stand-in for nixpkgs' package set, for evaluating the modules where only
# nixpkgs' `lib` is at hand (no network, no full nixpkgs checkout).
#
# It holds what evaluating `programs.skillnet` and `services.skillnet` (and
# Home Manager's module list around them) reaches, and nothing else: asking
# for anything more is an evaluation error naming the attribute, which is the
# cue to add it here. Packages are real derivations (`builtins.derivation`)
# that are evaluated, never built, so store paths and equality behave as
# with nixpkgs. `formats.toml` keeps nixpkgs' interface: `generate` returns a
# derivation whose store path depends on the name and the settings, and
# which carries the settings as JSON in its `value` attribute, as nixpkgs'
# does.
{
  lib,
  # nixpkgs' source; Home Manager imports lib/services from it.
  nixpkgs,
  system ? "x86_64-linux",
}:
let
  platform = lib.systems.elaborate system;

  mkDerivation =
    {
      name,
      meta ? { },
      passthru ? { },
      ...
    }@attrs:
    builtins.derivation (
      {
        inherit system;
        builder = "/bin/sh";
        args = [
          "-c"
          "echo stand-in > $out"
        ];
      }
      // lib.removeAttrs attrs [
        "meta"
        "passthru"
      ]
    )
    // {
      inherit meta;
    }
    // passthru;

  mkPackage =
    pname:
    mkDerivation {
      name = "${pname}-0";
      inherit pname;
      version = "0";
      meta.mainProgram = pname;
    };

  # nixpkgs' JSON/TOML value type.
  valueType =
    with lib.types;
    nullOr (oneOf [
      bool
      int
      float
      str
      path
      (attrsOf valueType)
      (listOf valueType)
    ])
    // {
      description = "settings value";
    };

  # One of nixpkgs' `pkgs.formats`: given its options, a settings type and a
  # `generate` function.
  format = _options: {
    type = valueType;
    generate =
      name: value:
      mkDerivation {
        inherit name;
        value = builtins.toJSON value;
      };
  };

  pkgs = {
    inherit lib system;

    path = nixpkgs;

    stdenv = {
      hostPlatform = platform;
      buildPlatform = platform;
      targetPlatform = platform;
      inherit system;
      isLinux = platform.isLinux;
      isDarwin = platform.isDarwin;
    };

    formats = {
      toml = format;
      ini = format;
    };

    # Builders: the derivation carries the script or text it would build from.
    runCommand =
      name: env: buildCommand:
      mkDerivation (env // { inherit name buildCommand; });
    runCommandLocal =
      name: env: buildCommand:
      pkgs.runCommand name env buildCommand;
    writeTextFile =
      { name, text, ... }:
      mkDerivation { inherit name text; };
    writeText = name: text: pkgs.writeTextFile { inherit name text; };

    coreutils = mkPackage "coreutils";

    # Installed or referred to by Home Manager's core modules by default.
    glibcLocales = mkPackage "glibc-locales";
    man = mkPackage "man";
    shared-mime-info = mkPackage "shared-mime-info";

    # What `pkgs.skillnet` is after applying the flake's overlay.
    skillnet = mkPackage "skillnet";
  };
in
pkgs
