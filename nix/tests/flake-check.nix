# `checks.<system>.modules`: the module tests (./default.nix) against real
# nixpkgs, NixOS and Home Manager's full module list, with the modules and the
# package the flake exports. Evaluating the check runs every case; building it
# also renders each generated config file and compares it, parsed back, with
# the settings the case expects.
{
  lib,
  pkgs,
  home-manager,
  nixosSystem,
  hmModule,
  nixosModule,
  package,
}:
let
  suite = import ./default.nix {
    inherit
      lib
      pkgs
      home-manager
      hmModule
      nixosModule
      package
      ;

    evalNixos =
      modules:
      (nixosSystem {
        modules = [
          {
            nixpkgs.pkgs = pkgs;
            # What any machine needs to evaluate; unrelated to skillnet.
            boot.loader.grub.enable = false;
            fileSystems."/" = {
              device = "none";
              fsType = "tmpfs";
            };
            system.stateVersion = lib.trivial.release;
          }
        ]
        ++ modules;
      }).config;
  };

  compareRendered =
    { name, file, settings }:
    ''
      python3 ${./compare-toml.py} ${lib.escapeShellArg name} ${file} ${pkgs.writeText "expected.json" (builtins.toJSON settings)}
    '';
in
pkgs.runCommand "skillnet-module-tests"
  {
    nativeBuildInputs = [ pkgs.python3 ];
    inherit (suite) report;
    passAsFile = [ "report" ];
  }
  ''
    ${lib.concatMapStrings compareRendered suite.renderedFiles}
    cat "$reportPath"
    cp "$reportPath" "$out"
  ''
