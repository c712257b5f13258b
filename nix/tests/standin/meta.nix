# Stand-in for nixpkgs' `nixos/modules/misc/meta.nix`, which Home Manager's
# module list imports from `pkgs.path`: modules set `meta.maintainers`,
# `meta.doc` and the like for documentation; nothing here reads them.
{ lib, ... }:
{
  options.meta = lib.mkOption {
    type = lib.types.lazyAttrsOf lib.types.unspecified;
    internal = true;
    default = { };
    description = "Documentation metadata of the modules.";
  };
}
