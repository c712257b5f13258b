# Home Manager's module list for the offline tests.
#
# Its core modules (the list of Home Manager's `minimal` mode) and the program
# modules whose options those core modules set. The full list would need every
# program's packages and formats in the stand-in `pkgs`.
#
# Home Manager also imports two NixOS modules from `pkgs.path`,
# misc/assertions.nix and misc/meta.nix. A checkout of nixpkgs' lib alone
# lacks them; ./assertions.nix and ./meta.nix take their place then.
{
  lib,
  pkgs,
  home-manager,
}:
let
  hmLib = import "${home-manager}/modules/lib/stdlib-extended.nix" lib;

  standins = {
    "assertions.nix" = ./assertions.nix;
    "meta.nix" = ./meta.nix;
  };

  substitute =
    module:
    if (lib.isPath module || lib.isString module) && !builtins.pathExists module then
      standins.${builtins.unsafeDiscardStringContext (baseNameOf module)}
    else
      module;

  core = import "${home-manager}/modules/modules.nix" {
    inherit pkgs;
    lib = hmLib;
    minimal = true;
  };

  programs = map (name: "${home-manager}/modules/programs/${name}") [
    "fish.nix"
    "man"
  ];
in
map substitute core ++ programs
