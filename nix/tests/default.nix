# Evaluation tests of `programs.skillnet` and `services.skillnet`.
#
# Each case evaluates a configuration with the real module system and compares
# what the module generates (session variables, config file, activation
# entries, packages, systemd units, PostgreSQL settings, assertion messages)
# with what the case expects, through `lib.debug.runTests`.
#
# The suite is a function of where the modules and `pkgs` come from, so the
# same cases run in two settings (see README.md):
#
# - `nix flake check`: real nixpkgs, the flake's exported modules and package,
#   NixOS evaluated by `nixosSystem` (./flake-check.nix);
# - offline: nixpkgs' `lib` and Home Manager only, with a small stand-in for
#   `pkgs` and for the NixOS options the module touches (./standin).
{
  lib,
  # Package set the Home Manager configuration is evaluated with.
  pkgs,
  # Home Manager source tree (the flake input).
  home-manager,
  # Evaluates a list of NixOS modules and returns the resulting `config`.
  evalNixos,
  hmModule,
  nixosModule,
  # The package the modules are expected to install by default.
  package,
  # Home Manager's module list; its full list unless given.
  hmModules ? import "${home-manager}/modules/modules.nix" {
    inherit pkgs;
    lib = import "${home-manager}/modules/lib/stdlib-extended.nix" lib;
  },
}:
let
  hm = import ./hm.nix {
    inherit
      lib
      pkgs
      home-manager
      hmModule
      package
      ;
    modules = hmModules;
  };

  nixos = import ./nixos.nix {
    inherit
      lib
      pkgs
      evalNixos
      nixosModule
      package
      ;
  };

  tests = hm.tests // nixos.tests;
  names = lib.attrNames tests;
  failures = lib.debug.runTests tests;

  showFailure = failure: ''
    ✗ ${failure.name}
        expected: ${builtins.toJSON failure.expected}
        got:      ${builtins.toJSON failure.result}'';
in
{
  inherit tests failures;
  inherit (hm) renderedFiles;

  # One line per test; evaluating it throws with every failure when any fails.
  report =
    if failures == [ ] then
      lib.concatMapStrings (name: "✓ ${name}\n") names
      + "${toString (lib.length names)} module tests passed\n"
    else
      throw ''
        ${toString (lib.length failures)} of ${toString (lib.length names)} module tests failed:
        ${lib.concatMapStringsSep "\n" showFailure failures}'';
}
