# Stand-in for the NixOS options `services.skillnet` sets or reads, declared
# with the types NixOS gives them, for evaluating the module where only
# nixpkgs' `lib` is at hand. With real nixpkgs the tests use `nixosSystem`
# instead (../flake-check.nix).
#
# It also reproduces the two NixOS behaviours the tests depend on: the
# PostgreSQL module's default pg_hba/pg_ident lines (added after everything
# else, so a rule's position is tested), and a normal user's default primary
# group `users`.
{ config, lib, ... }:
let
  inherit (lib) mkOption types;

  unitNames = mkOption {
    type = types.listOf types.str;
    default = [ ];
  };
in
{
  imports = [ ./assertions.nix ];

  options = {
    services.postgresql = {
      enable = lib.mkEnableOption "PostgreSQL Server";

      ensureDatabases = mkOption {
        type = types.listOf types.str;
        default = [ ];
      };

      ensureUsers = mkOption {
        type = types.listOf (
          types.submodule {
            options = {
              name = mkOption { type = types.str; };
              ensureDBOwnership = mkOption {
                type = types.bool;
                default = false;
              };
            };
          }
        );
        default = [ ];
      };

      authentication = mkOption {
        type = types.lines;
        default = "";
      };

      identMap = mkOption {
        type = types.lines;
        default = "";
      };
    };

    systemd.services = mkOption {
      type = types.attrsOf (
        types.submodule {
          options = {
            description = mkOption {
              type = types.str;
              default = "";
            };
            wantedBy = unitNames;
            requires = unitNames;
            wants = unitNames;
            after = unitNames;
            before = unitNames;
            environment = mkOption {
              type = types.attrsOf (types.nullOr (types.oneOf [ types.str types.path types.package ]));
              default = { };
            };
            serviceConfig = mkOption {
              type = types.attrsOf types.unspecified;
              default = { };
            };
            script = mkOption {
              type = types.lines;
              default = "";
            };
            path = mkOption {
              type = types.listOf types.package;
              default = [ ];
            };
            startAt = mkOption {
              type = types.either types.str (types.listOf types.str);
              default = [ ];
            };
          };
        }
      );
      default = { };
    };

    systemd.targets = mkOption {
      type = types.attrsOf (types.attrsOf types.unspecified);
      default = { };
    };

    systemd.tmpfiles.rules = mkOption {
      type = types.listOf types.str;
      default = [ ];
    };

    users.users = mkOption {
      type = types.attrsOf (
        types.submodule (
          { name, config, ... }:
          {
            options = {
              name = mkOption {
                type = types.str;
                default = name;
              };
              description = mkOption {
                type = types.str;
                default = "";
              };
              isNormalUser = mkOption {
                type = types.bool;
                default = false;
              };
              isSystemUser = mkOption {
                type = types.bool;
                default = false;
              };
              group = mkOption {
                type = types.str;
                default = "";
              };
              extraGroups = mkOption {
                type = types.listOf types.str;
                default = [ ];
              };
            };
            config.group = lib.mkIf config.isNormalUser (lib.mkDefault "users");
          }
        )
      );
      default = { };
    };

    users.groups = mkOption {
      type = types.attrsOf (
        types.submodule (
          { name, ... }:
          {
            options = {
              name = mkOption {
                type = types.str;
                default = name;
              };
              members = mkOption {
                type = types.listOf types.str;
                default = [ ];
              };
            };
          }
        )
      );
      default = { };
    };

    environment = {
      systemPackages = mkOption {
        type = types.listOf types.package;
        default = [ ];
      };

      extraInit = mkOption {
        type = types.lines;
        default = "";
      };

      etc = mkOption {
        type = types.attrsOf (
          types.submodule {
            options = {
              text = mkOption { type = types.lines; };
              mode = mkOption {
                type = types.str;
                default = "symlink";
              };
              user = mkOption {
                type = types.str;
                default = "+0";
              };
              group = mkOption {
                type = types.str;
                default = "+0";
              };
            };
          }
        );
        default = { };
      };
    };
  };

  config = lib.mkIf config.services.postgresql.enable {
    services.postgresql.authentication = lib.mkMerge [
      (lib.mkBefore "# pg_hba.conf")
      (lib.mkAfter ''
        local all postgres peer map=postgres
        local all all peer
        host all all 127.0.0.1/32 md5
        host all all ::1/128 md5
      '')
    ];

    services.postgresql.identMap = lib.mkAfter ''
      postgres postgres postgres
    '';
  };
}
