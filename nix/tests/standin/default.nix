# The module tests with nothing but nixpkgs' `lib` and Home Manager's source:
# the flake output `moduleTests`, which ../README.md runs offline with
# `--override-input`. Home Manager is its real module list; `pkgs` and the
# NixOS options are the stand-ins in this directory.
{
  lib,
  # nixpkgs' source: a checkout of its lib alone is enough.
  nixpkgs,
  home-manager,
}:
let
  pkgs = import ./pkgs.nix { inherit lib nixpkgs; };
in
import ../default.nix {
  inherit lib pkgs home-manager;

  # The bare module files: their package option defaults to `pkgs.skillnet`,
  # which the stand-in provides as the flake's overlay would.
  hmModule = ../../hm-module.nix;
  nixosModule = ../../nixos-module.nix;
  package = pkgs.skillnet;

  hmModules = import ./hm-modules.nix { inherit lib pkgs home-manager; };

  evalNixos =
    modules:
    (lib.evalModules {
      class = "nixos";
      modules = [
        ./nixos.nix
        { _module.args.pkgs = pkgs; }
      ]
      ++ modules;
    }).config;
}
