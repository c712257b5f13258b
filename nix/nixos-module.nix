# NixOS module `services.skillnet`: one calibration
# history shared by the users of a host.
#
# By default (`database.createLocally`) it provisions a local PostgreSQL
# database and role, both named `skillnet`, reached over the Unix socket with
# peer authentication, so there is no password anywhere:
#
# - `pg_hba.conf` gets `local skillnet skillnet peer map=skillnet`, above the
#   NixOS defaults (pg_hba is first-match), so connections to database
#   `skillnet` as role `skillnet` are authenticated by the `skillnet` map only;
# - `pg_ident.conf` maps each member of `group` (and the `skillnet` system
#   user that runs migrations) to role `skillnet`. PostgreSQL cannot ask the
#   system about group membership, so the members are read from the NixOS
#   configuration: `users.users.<name>.group`/`extraGroups` and
#   `users.groups.<group>.members`. Users added outside the configuration are
#   not mapped until they are declared.
#
# Alternatively `database.url` / `database.urlFile` name an external server.
# Either way the URL (or the URL file's path) is exported in the global shell
# environment of the group's members only; non-members keep their own default.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  inherit (lib)
    mkIf
    mkMerge
    mkOption
    types
    ;

  cfg = config.services.skillnet;
  db = cfg.database;

  # Database, role, map and system user share one name.
  name = "skillnet";

  # NixOS runs postgresql.service with RuntimeDirectory=postgresql. The socket
  # directory is spelled out because the CLI's bundled libpq defaults to /tmp.
  localUrl = "postgresql://${name}@/${name}?host=/run/postgresql";

  declaredMembers =
    config.users.groups.${cfg.group}.members
    ++ lib.mapAttrsToList (_: user: user.name) (
      lib.filterAttrs (
        _: user: user.group == cfg.group || lib.elem cfg.group user.extraGroups
      ) config.users.users
    );
  peerUsers = lib.unique ([ name ] ++ declaredMembers);

  # What group members get in their shells: the variable and its value.
  exported =
    if db.createLocally then
      {
        name = "SKILLNET_DATABASE_URL";
        value = localUrl;
      }
    else if db.urlFile != null then
      {
        name = "SKILLNET_DATABASE_URL_FILE";
        value = db.urlFile;
      }
    else
      {
        name = "SKILLNET_DATABASE_URL";
        value = db.url;
      };
in
{
  options.services.skillnet = {
    enable = lib.mkEnableOption "a skillnet calibration database shared by the members of a group";

    package = lib.mkPackageOption pkgs "skillnet" {
      extraDescription = ''
        The flake's `nixosModules.default` sets this to the flake's package.
        PostgreSQL needs the package built with the Cargo feature `postgres`;
        the flake's package has both `sqlite` and `postgres`.
      '';
    };

    group = mkOption {
      type = types.str;
      default = "skillnet";
      description = ''
        Group whose members use the shared database. The group is created; add
        users with `users.users.<name>.extraGroups`.

        Members get `SKILLNET_DATABASE_URL` (or `SKILLNET_DATABASE_URL_FILE`)
        in their login shells. With
        [](#opt-services.skillnet.database.createLocally), each member declared
        in the NixOS configuration is mapped by peer authentication to the
        PostgreSQL role `skillnet`; users added imperatively are not. With
        [](#opt-services.skillnet.database.urlFile), give this group read
        access to the file.
      '';
    };

    database = {
      createLocally = mkOption {
        type = types.bool;
        default = true;
        description = ''
          Provision a local PostgreSQL database: enables `services.postgresql`,
          ensures a database and a role both named `skillnet` (the role owns
          the database), authenticates over the Unix socket by peer
          authentication (no password), and applies the migrations in the
          `skillnet-migrate` unit after PostgreSQL is up.

          Set to `false` to use an external server through
          [](#opt-services.skillnet.database.urlFile) or
          [](#opt-services.skillnet.database.url).
        '';
      };

      url = mkOption {
        type = types.nullOr types.str;
        default = null;
        example = "postgresql://skillnet@db.example.org/skillnet";
        description = ''
          URL of an external PostgreSQL server (`postgres://` or
          `postgresql://`); needs `createLocally = false`.

          ::: {.warning}
          The URL, with any password in it, ends up in the world-readable Nix
          store. Use [](#opt-services.skillnet.database.urlFile) for a URL that
          carries a password.
          :::
        '';
      };

      urlFile = mkOption {
        type = types.nullOr types.str;
        default = null;
        example = "/run/secrets/skillnet-database-url";
        description = ''
          Absolute path of a file holding the URL of an external PostgreSQL
          server; needs `createLocally = false`. The CLI reads it at run time
          (`SKILLNET_DATABASE_URL_FILE`), so the password stays out of the Nix
          store. Make it readable by [](#opt-services.skillnet.group), e.g. a
          sops-nix or agenix secret with that group and mode `0440`.
        '';
      };
    };
  };

  config = mkIf cfg.enable (mkMerge [
    {
      assertions = [
        {
          assertion = !(db.createLocally && db.url != null);
          message = "services.skillnet.database.createLocally provisions a local database reached over the Unix socket and cannot be combined with services.skillnet.database.url; set services.skillnet.database.createLocally = false to use the server the URL names.";
        }
        {
          assertion = !(db.createLocally && db.urlFile != null);
          message = "services.skillnet.database.createLocally provisions a local database reached over the Unix socket and cannot be combined with services.skillnet.database.urlFile; set services.skillnet.database.createLocally = false to use the server the file names.";
        }
        {
          assertion = !(db.url != null && db.urlFile != null);
          message = "services.skillnet.database.url and services.skillnet.database.urlFile are both set; set only one of them (urlFile keeps the password out of the Nix store).";
        }
        {
          assertion = db.createLocally || db.url != null || db.urlFile != null;
          message = "services.skillnet.database.createLocally is false but no server is given: set services.skillnet.database.urlFile (recommended) or services.skillnet.database.url, or set createLocally = true.";
        }
        {
          assertion = db.urlFile == null || lib.hasPrefix "/" db.urlFile;
          message = "services.skillnet.database.urlFile must be an absolute path, got \"${toString db.urlFile}\".";
        }
        {
          assertion =
            db.url == null || lib.hasPrefix "postgres://" db.url || lib.hasPrefix "postgresql://" db.url;
          message = "services.skillnet.database.url must start with postgres:// or postgresql://.";
        }
      ];

      environment.systemPackages = [ cfg.package ];

      users.groups.${cfg.group} = { };

      # /etc/set-environment, sourced by every login shell; exported for the
      # group's members only, so that other users keep their own database.
      environment.extraInit = ''
        case " $(${pkgs.coreutils}/bin/id -Gn 2>/dev/null) " in
          *" ${cfg.group} "*) export ${exported.name}=${lib.escapeShellArg exported.value} ;;
        esac
      '';
    }

    (mkIf db.createLocally {
      services.postgresql = {
        enable = true;
        ensureDatabases = [ name ];
        ensureUsers = [
          {
            inherit name;
            ensureDBOwnership = true;
          }
        ];
        authentication = ''
          local ${name} ${name} peer map=${name}
        '';
        identMap = lib.concatMapStrings (user: "${name} ${user} ${name}\n") peerUsers;
      };

      users.users.${name} = {
        isSystemUser = true;
        inherit (cfg) group;
        description = "skillnet calibration database owner";
      };

      # Migrations also run when the CLI opens the database; this unit applies
      # them once at boot and on every switch to a new package, as the owner.
      # postgresql-setup.service is where NixOS creates the role and database.
      systemd.services.skillnet-migrate = {
        description = "Apply skillnet calibration database migrations";
        wantedBy = [ "multi-user.target" ];
        requires = [
          "postgresql.service"
          "postgresql-setup.service"
        ];
        after = [
          "postgresql.service"
          "postgresql-setup.service"
        ];
        environment.SKILLNET_DATABASE_URL = localUrl;
        serviceConfig = {
          Type = "oneshot";
          RemainAfterExit = true;
          User = name;
          Group = cfg.group;
          ExecStart = "${lib.getExe' cfg.package "skillnet"} calibration migrate";
          NoNewPrivileges = true;
          PrivateDevices = true;
          PrivateTmp = true;
          ProtectHome = true;
          ProtectSystem = "strict";
          RestrictAddressFamilies = [ "AF_UNIX" ];
        };
      };
    })
  ]);
}
