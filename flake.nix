{
  description = "skillnet: the calibration store for multi-phase plans";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixpkgs-unstable";
    # Only the module tests use Home Manager; a consumer that imports
    # `homeModules.default` can make this follow its own input.
    home-manager = {
      url = "github:nix-community/home-manager";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs =
    {
      self,
      nixpkgs,
      home-manager,
    }:
    let
      inherit (nixpkgs) lib;

      systems = [
        "x86_64-linux"
        "aarch64-linux"
        "aarch64-darwin"
      ];

      forAllSystems = f: lib.genAttrs systems (system: f system nixpkgs.legacyPackages.${system});

      # The flake's package for the system a module is evaluated for.
      packageFor = pkgs: self.packages.${pkgs.stdenv.hostPlatform.system}.default;
    in
    {
      overlays.default = final: _prev: {
        skillnet = final.callPackage ./nix/package.nix { };
      };

      packages = forAllSystems (
        _system: pkgs: {
          default = pkgs.callPackage ./nix/package.nix { };
        }
      );

      homeModules.default =
        { lib, pkgs, ... }:
        {
          imports = [ ./nix/hm-module.nix ];
          programs.skillnet.package = lib.mkDefault (packageFor pkgs);
        };
      homeManagerModules.default = self.homeModules.default;

      nixosModules.default =
        { lib, pkgs, ... }:
        {
          imports = [ ./nix/nixos-module.nix ];
          services.skillnet.package = lib.mkDefault (packageFor pkgs);
        };

      devShells = forAllSystems (
        system: pkgs: {
          default = pkgs.callPackage ./nix/dev-shell.nix { skillnet = self.packages.${system}.default; };
        }
      );

      formatter = forAllSystems (_system: pkgs: pkgs.nixfmt-tree);

      checks = forAllSystems (
        system: pkgs:
        let
          package = self.packages.${system}.default;
        in
        {
          inherit package;
        }
        // import ./nix/checks.nix {
          inherit (pkgs) lib clippy postgresql;
          skillnet = package;
        }
        // lib.optionalAttrs pkgs.stdenv.hostPlatform.isLinux {
          modules = import ./nix/tests/flake-check.nix {
            inherit lib pkgs package;
            inherit (nixpkgs.lib) nixosSystem;
            home-manager = home-manager.outPath;
            hmModule = self.homeModules.default;
            nixosModule = self.nixosModules.default;
          };
        }
      );

      # The module tests with only nixpkgs' lib and Home Manager's source, for
      # running them offline (nix/tests/README.md):
      #   nix eval --raw .#moduleTests.report \
      #     --override-input nixpkgs <nixpkgs.lib checkout> \
      #     --override-input home-manager <home-manager checkout>
      moduleTests = import ./nix/tests/standin {
        inherit lib;
        nixpkgs = nixpkgs.outPath;
        home-manager = home-manager.outPath;
      };
    };
}
