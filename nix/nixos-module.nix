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
# Either way the choice is written to the system-wide config file
# /etc/xdg/skillnet/skillnet.toml (mode 0640, group `group`), which the CLI
# reads in every process (login shells, cron jobs, services), and the URL (or
# the URL file's path) is also exported in the login shells of the group's
# members. A user outside the group cannot read the file and gets an error
# naming it unless they choose a database of their own.
#
# `backup.enable` adds a oneshot service and timer that write a snapshot with
# `skillnet calibration backup` and keep the newest `backup.keep`.
#
# Needs nixpkgs 23.11 or newer (`ensureUsers.*.ensureDBOwnership`).
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

  # The line pg_hba.conf must hold before any catch-all `local all all` rule.
  hbaLine = "local ${name} ${name} peer map=${name}";
  words = line: lib.filter (w: lib.isString w && w != "") (builtins.split "[[:space:]]+" line);
  hbaLines = map words (lib.splitString "\n" config.services.postgresql.authentication);
  hbaIndex = lib.lists.findFirstIndex (w: w == words hbaLine) null hbaLines;
  catchAllIndex = lib.lists.findFirstIndex (w: lib.take 3 w == [
    "local"
    "all"
    "all"
  ]) null hbaLines;
  hbaLineFirst = hbaIndex != null && (catchAllIndex == null || hbaIndex < catchAllIndex);

  # Newer nixpkgs reach `postgresql.target` once the server is up and set up
  # (roles and databases ensured); older ones have only the service, and some
  # a separate `postgresql-setup.service`.
  postgresqlUnits =
    (if config.systemd.targets ? postgresql then [ "postgresql.target" ] else [ "postgresql.service" ])
    ++ lib.optional (config.systemd.services ? postgresql-setup) "postgresql-setup.service";

  # The system-wide config file: the database every process of a member uses.
  systemConfig =
    "[database]\n"
    + (
      if db.createLocally then
        "url = ${builtins.toJSON localUrl}\n"
      else if db.urlFile != null then
        "url_file = ${builtins.toJSON db.urlFile}\n"
      else
        "url = ${builtins.toJSON db.url}\n"
    );

  bk = cfg.backup;

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

        Members read the database choice from
        `/etc/xdg/skillnet/skillnet.toml` (mode 0640, this group) in every
        process, and get `SKILLNET_DATABASE_URL` (or
        `SKILLNET_DATABASE_URL_FILE`) in their login shells. With
        [](#opt-services.skillnet.database.createLocally), each member declared
        in the NixOS configuration is mapped by peer authentication to the
        PostgreSQL role `skillnet`; a user added to the group at run time
        (`usermod`, LDAP) is refused by PostgreSQL until the configuration
        declares them and is rebuilt, since the ident map is written when it is
        built. With [](#opt-services.skillnet.database.urlFile), give this group
        read access to the file.
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

    backup = {
      enable = lib.mkEnableOption ''
        snapshots of the calibration history on a timer, with
        `skillnet calibration backup` (taken while users go on writing). Each
        is a gzip-compressed file `skillnet-<UTC time>.jsonl.gz` that
        `skillnet calibration restore` reads on either backend'';

      startAt = mkOption {
        type = types.str;
        default = "daily";
        example = "*-*-* 03:15:00";
        description = "When to take a snapshot, as a systemd calendar event (`OnCalendar`).";
      };

      directory = mkOption {
        type = types.str;
        default = "/var/backup/skillnet";
        description = ''
          Where the snapshots go: created with mode 0700, owned by the `skillnet`
          system user the service runs as. Point a backup system at it (restic:
          add it to the paths; the snapshots are already consistent, no pre-hook
          needs to stop anything).
        '';
      };

      keep = mkOption {
        type = types.ints.positive;
        default = 14;
        description = "How many snapshots to keep; older ones are removed after each new one.";
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
        {
          assertion = !db.createLocally || hbaLineFirst;
          message = "services.skillnet: services.postgresql.authentication must hold `${hbaLine}` before its first catch-all `local all all` rule, or PostgreSQL refuses the members of ${cfg.group} (while skillnet-migrate still succeeds). A host that sets services.postgresql.authentication with lib.mkForce replaces the module's line: put `${hbaLine}` at the top of that value.";
        }
        {
          assertion = lib.versionAtLeast lib.trivial.release "23.11";
          message = "services.skillnet needs nixpkgs 23.11 or newer (services.postgresql.ensureUsers.*.ensureDBOwnership); this is ${lib.trivial.release}.";
        }
        {
          assertion = lib.hasPrefix "/" bk.directory;
          message = "services.skillnet.backup.directory must be an absolute path, got \"${bk.directory}\".";
        }
      ];

      # Every process of a member finds the database here, not only login
      # shells: the CLI reads $XDG_CONFIG_DIRS/skillnet/skillnet.toml.
      environment.etc."xdg/skillnet/skillnet.toml" = {
        text = systemConfig;
        mode = "0640";
        user = "root";
        inherit (cfg) group;
      };

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
        # First: pg_hba.conf is first-match (checked by an assertion above).
        authentication = lib.mkBefore ''
          ${hbaLine}
        '';
        identMap = lib.concatMapStrings (user: "${name} ${user} ${name}\n") peerUsers;
      };


      # Migrations also run when the CLI opens the database; this unit applies
      # them once at boot and on every switch to a new package, as the owner,
      # once PostgreSQL has created the role and database.
      systemd.services.skillnet-migrate = {
        description = "Apply skillnet calibration database migrations";
        wantedBy = [ "multi-user.target" ];
        requires = postgresqlUnits;
        after = postgresqlUnits;
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

    (mkIf (db.createLocally || bk.enable) {
      users.users.${name} = {
        isSystemUser = true;
        inherit (cfg) group;
        description = "skillnet calibration database owner";
      };
    })

    (mkIf bk.enable {
      systemd.tmpfiles.rules = [ "d ${bk.directory} 0700 ${name} ${cfg.group} - -" ];

      systemd.services.skillnet-backup = {
        description = "Snapshot the skillnet calibration history";
        startAt = bk.startAt;
        wants = lib.optional db.createLocally "skillnet-migrate.service";
        after = lib.optional db.createLocally "skillnet-migrate.service";
        path = [
          cfg.package
          pkgs.coreutils
        ];
        # The database comes from /etc/xdg/skillnet/skillnet.toml, as for the
        # group's members. Snapshot names sort by time: keep the newest ones.
        script = ''
          dir=${lib.escapeShellArg bk.directory}
          skillnet --quiet calibration backup "$dir/skillnet-$(date -u +%Y%m%dT%H%M%SZ).jsonl.gz"
          ls -1 "$dir" | sort -r | {
            n=0
            while IFS= read -r file; do
              case "$file" in
                skillnet-*.jsonl.gz)
                  n=$((n + 1))
                  if [ "$n" -gt ${toString bk.keep} ]; then rm -f -- "$dir/$file"; fi
                  ;;
              esac
            done
          }
        '';
        serviceConfig = {
          Type = "oneshot";
          User = name;
          Group = cfg.group;
          UMask = "0077";
          NoNewPrivileges = true;
          PrivateDevices = true;
          PrivateTmp = true;
          ProtectHome = true;
          ProtectSystem = "strict";
          ReadWritePaths = [ bk.directory ];
        };
      };
    })
  ]);
}
