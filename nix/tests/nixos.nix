# NixOS cases for `services.skillnet`.
#
# Each case is evaluated on top of two users: `alice`, a member of the
# skillnet group, and `bob`, who is not. Expectations compare the parts of the
# configuration the module owns; lists that NixOS itself extends (unit
# ordering, packages, shell init, pg_hba/pg_ident lines) are checked for the
# module's entries rather than for equality.
{
  lib,
  pkgs,
  evalNixos,
  nixosModule,
  package,
}:
let
  localUrl = "postgresql://skillnet@/skillnet?host=/run/postgresql";
  hbaMessage = "services.skillnet: services.postgresql.authentication must hold `local skillnet skillnet peer map=skillnet` before its first catch-all `local all all` rule, or PostgreSQL refuses the members of skillnet (while skillnet-migrate still succeeds). A host that sets services.postgresql.authentication with lib.mkForce replaces the module's line: put `local skillnet skillnet peer map=skillnet` at the top of that value.";
  secretFile = "/run/secrets/skillnet-database-url";
  serverUrl = "postgresql://skillnet@db.example.org/skillnet";

  users = group: {
    users.users.alice = {
      isNormalUser = true;
      extraGroups = [ group ];
    };
    users.users.bob.isNormalUser = true;
  };

  eval =
    { group ? "skillnet", config }:
    evalNixos [
      nixosModule
      (users group)
      config
    ];

  failedAssertions = config: map (a: a.message) (lib.filter (a: !a.assertion) config.assertions);
  lines = text: lib.filter (line: line != "") (lib.splitString "\n" text);
  includes = expected: actual: lib.all (item: lib.elem item actual) expected;
  # `lib.hasInfix` for text that names store paths.
  contains =
    needle: text:
    lib.hasInfix (builtins.unsafeDiscardStringContext needle) (builtins.unsafeDiscardStringContext text);

  # The shell code that exports the database to the group's members.
  exportFor = group: variable: value: ''
    case " $(${pkgs.coreutils}/bin/id -Gn 2>/dev/null) " in
      *" ${group} "*) export ${variable}=${lib.escapeShellArg value} ;;
    esac
  '';

  # The system-wide config file the module writes, as the CLI reads it.
  systemConfigObservation = group: text: config: {
    "system-wide config file for every process of the group" = {
      expr = {
        inherit (config.environment.etc."xdg/skillnet/skillnet.toml") text mode user group;
      };
      expected = {
        inherit text group;
        mode = "0640";
        user = "root";
      };
    };
  };

  # The units skillnet-migrate waits for: postgresql.target where nixpkgs has
  # it (else postgresql.service), and postgresql-setup.service where it exists.
  postgresqlUnits =
    config:
    (if config.systemd.targets ? postgresql then [ "postgresql.target" ] else [ "postgresql.service" ])
    ++ lib.optional (config.systemd.services ? postgresql-setup) "postgresql-setup.service";

  # Observations for a case that provisions the local database.
  localObservations =
    group: config:
    let
      migrate = config.systemd.services.skillnet-migrate;
    in
    {
      "postgresql enabled" = {
        expr = config.services.postgresql.enable;
        expected = true;
      };
      "database ensured" = {
        expr = lib.elem "skillnet" config.services.postgresql.ensureDatabases;
        expected = true;
      };
      "role ensured and owning the database" = {
        expr = map (user: { inherit (user) name ensureDBOwnership; }) (
          lib.filter (user: user.name == "skillnet") config.services.postgresql.ensureUsers
        );
        expected = [
          {
            name = "skillnet";
            ensureDBOwnership = true;
          }
        ];
      };
      # pg_hba.conf is first-match: the module's rule must come before the
      # default `local all all peer`.
      "peer rule is the first local rule" = {
        expr = lib.findFirst (lib.hasPrefix "local") null (lines config.services.postgresql.authentication);
        expected = "local skillnet skillnet peer map=skillnet";
      };
      "no password authentication for skillnet" = {
        expr = lib.filter (line: lib.hasInfix "skillnet" line) (lines config.services.postgresql.authentication);
        expected = [ "local skillnet skillnet peer map=skillnet" ];
      };
      "members mapped to the role, non-members not" = {
        expr = lib.filter (lib.hasPrefix "skillnet ") (lines config.services.postgresql.identMap);
        expected = [
          "skillnet skillnet skillnet"
          "skillnet alice skillnet"
        ];
      };
      "system user" = {
        expr = {
          inherit (config.users.users.skillnet) isSystemUser group;
        };
        expected = {
          isSystemUser = true;
          inherit group;
        };
      };
      "group created" = {
        expr = config.users.groups ? ${group};
        expected = true;
      };
      "migrate unit runs the migrations as skillnet" = {
        expr = {
          inherit (migrate.serviceConfig)
            Type
            RemainAfterExit
            User
            Group
            ExecStart
            ;
          inherit (migrate.environment) SKILLNET_DATABASE_URL;
        };
        expected = {
          Type = "oneshot";
          RemainAfterExit = true;
          User = "skillnet";
          Group = group;
          ExecStart = "${lib.getExe' package "skillnet"} calibration migrate";
          SKILLNET_DATABASE_URL = localUrl;
        };
      };
      "migrate unit ordered after and requiring postgresql" = {
        expr = {
          inherit (migrate) after requires;
        };
        expected = {
          after = postgresqlUnits config;
          requires = postgresqlUnits config;
        };
      };
      "migrate unit started at boot" = {
        expr = lib.elem "multi-user.target" migrate.wantedBy;
        expected = true;
      };
      "URL exported to the group's members" = {
        expr = contains (exportFor group "SKILLNET_DATABASE_URL" localUrl) config.environment.extraInit;
        expected = true;
      };
      "package installed" = {
        expr = lib.elem (toString package) (map toString config.environment.systemPackages);
        expected = true;
      };
      "no failed assertions" = {
        expr = failedAssertions config;
        expected = [ ];
      };
    }
    // systemConfigObservation group "[database]\nurl = \"${localUrl}\"\n" config;

  # Observations for a case with an external server.
  externalObservations = variable: value: config: {
    "no local postgresql" = {
      expr = config.services.postgresql.enable;
      expected = false;
    };
    "no migrate unit" = {
      expr = config.systemd.services ? skillnet-migrate;
      expected = false;
    };
    "no system user" = {
      expr = config.users.users ? skillnet;
      expected = false;
    };
    "group created" = {
      expr = config.users.groups ? skillnet;
      expected = true;
    };
    "${variable} exported to the group's members" = {
      expr = contains (exportFor "skillnet" variable value) config.environment.extraInit;
      expected = true;
    };
    "package installed" = {
      expr = lib.elem (toString package) (map toString config.environment.systemPackages);
      expected = true;
    };
    "no failed assertions" = {
      expr = failedAssertions config;
      expected = [ ];
    };
  }
  // systemConfigObservation "skillnet" (
    if variable == "SKILLNET_DATABASE_URL_FILE" then
      "[database]\nurl_file = \"${value}\"\n"
    else
      "[database]\nurl = \"${value}\"\n"
  ) config;

  valid = {
    "createLocally default" = localObservations "skillnet" (eval {
      config.services.skillnet.enable = true;
    });

    "createLocally with another group" = localObservations "calibration" (eval {
      group = "calibration";
      config.services.skillnet = {
        enable = true;
        group = "calibration";
      };
    });

    "external urlFile" =
      let
        config = eval {
          config.services.skillnet = {
            enable = true;
            database = {
              createLocally = false;
              urlFile = secretFile;
            };
          };
        };
      in
      externalObservations "SKILLNET_DATABASE_URL_FILE" secretFile config
      // {
        "no URL in the shell environment" = {
          expr = contains "://" config.environment.extraInit;
          expected = false;
        };
      };

    "newer nixpkgs with postgresql.target" =
      let
        config = eval {
          config = {
            services.skillnet.enable = true;
            systemd.targets.postgresql = { };
            systemd.services.postgresql-setup = { };
          };
        };
        migrate = config.systemd.services.skillnet-migrate;
      in
      {
        "migrate unit waits for the target and the setup" = {
          expr = {
            inherit (migrate) after requires;
          };
          expected = {
            after = [
              "postgresql.target"
              "postgresql-setup.service"
            ];
            requires = [
              "postgresql.target"
              "postgresql-setup.service"
            ];
          };
        };
      };

    "a host that forces authentication with the module's line on top" =
      let
        config = eval {
          config = {
            services.skillnet.enable = true;
            services.postgresql.authentication = lib.mkForce ''
              local   skillnet skillnet   peer map=skillnet
              local all all peer
            '';
          };
        };
      in
      {
        "no failed assertions" = {
          expr = failedAssertions config;
          expected = [ ];
        };
      };

    "backup on a timer" =
      let
        config = eval {
          config.services.skillnet = {
            enable = true;
            backup.enable = true;
          };
        };
        service = config.systemd.services.skillnet-backup;
      in
      {
        "service runs as skillnet on the calendar" = {
          expr = {
            inherit (service) startAt;
            inherit (service.serviceConfig) Type User Group UMask;
            readWrite = service.serviceConfig.ReadWritePaths;
          };
          expected = {
            startAt = "daily";
            Type = "oneshot";
            User = "skillnet";
            Group = "skillnet";
            UMask = "0077";
            readWrite = [ "/var/backup/skillnet" ];
          };
        };
        "directory owned by skillnet, mode 0700" = {
          expr = config.systemd.tmpfiles.rules;
          expected = [ "d /var/backup/skillnet 0700 skillnet skillnet - -" ];
        };
        "snapshot and retention commands" = {
          expr = map (needle: contains needle service.script) [
            ''skillnet --quiet calibration backup "$dir/skillnet-$(date -u +%Y%m%dT%H%M%SZ).jsonl.gz"''
            ''ls -1 "$dir" | sort -r''
            ''if [ "$n" -gt 14 ]; then rm -f -- "$dir/$file"; fi''
          ];
          expected = [
            true
            true
            true
          ];
        };
        "the CLI and coreutils on the path" = {
          expr = includes (map toString [ package pkgs.coreutils ]) (map toString service.path);
          expected = true;
        };
        "after the migrations" = {
          expr = lib.elem "skillnet-migrate.service" service.after;
          expected = true;
        };
        "no failed assertions" = {
          expr = failedAssertions config;
          expected = [ ];
        };
      };

    "backup of an external server, kept 3, at 03:15" =
      let
        config = eval {
          config.services.skillnet = {
            enable = true;
            database = {
              createLocally = false;
              urlFile = secretFile;
            };
            backup = {
              enable = true;
              startAt = "*-*-* 03:15:00";
              directory = "/srv/backup/skillnet";
              keep = 3;
            };
          };
        };
        service = config.systemd.services.skillnet-backup;
      in
      {
        "calendar, directory and retention as set" = {
          expr = {
            inherit (service) startAt;
            rules = config.systemd.tmpfiles.rules;
            keeps3 = contains ''if [ "$n" -gt 3 ]; then'' service.script;
          };
          expected = {
            startAt = "*-*-* 03:15:00";
            rules = [ "d /srv/backup/skillnet 0700 skillnet skillnet - -" ];
            keeps3 = true;
          };
        };
        "the system user it runs as" = {
          expr = config.users.users.skillnet.isSystemUser;
          expected = true;
        };
        "no failed assertions" = {
          expr = failedAssertions config;
          expected = [ ];
        };
      };

    "external url" = externalObservations "SKILLNET_DATABASE_URL" serverUrl (eval {
      config.services.skillnet = {
        enable = true;
        database = {
          createLocally = false;
          url = serverUrl;
        };
      };
    });
  };

  invalid = {
    "createLocally with url" = {
      config.services.skillnet = {
        enable = true;
        database.url = serverUrl;
      };
      messages = [
        "services.skillnet.database.createLocally provisions a local database reached over the Unix socket and cannot be combined with services.skillnet.database.url; set services.skillnet.database.createLocally = false to use the server the URL names."
      ];
    };

    "createLocally with urlFile" = {
      config.services.skillnet = {
        enable = true;
        database.urlFile = secretFile;
      };
      messages = [
        "services.skillnet.database.createLocally provisions a local database reached over the Unix socket and cannot be combined with services.skillnet.database.urlFile; set services.skillnet.database.createLocally = false to use the server the file names."
      ];
    };

    "both url and urlFile" = {
      config.services.skillnet = {
        enable = true;
        database = {
          createLocally = false;
          url = serverUrl;
          urlFile = secretFile;
        };
      };
      messages = [
        "services.skillnet.database.url and services.skillnet.database.urlFile are both set; set only one of them (urlFile keeps the password out of the Nix store)."
      ];
    };

    "no database at all" = {
      config.services.skillnet = {
        enable = true;
        database.createLocally = false;
      };
      messages = [
        "services.skillnet.database.createLocally is false but no server is given: set services.skillnet.database.urlFile (recommended) or services.skillnet.database.url, or set createLocally = true."
      ];
    };

    "relative urlFile" = {
      config.services.skillnet = {
        enable = true;
        database = {
          createLocally = false;
          urlFile = "secrets/skillnet";
        };
      };
      messages = [
        ''services.skillnet.database.urlFile must be an absolute path, got "secrets/skillnet".''
      ];
    };

    "a host that forces authentication without the module's line" = {
      config = {
        services.skillnet.enable = true;
        services.postgresql.authentication = lib.mkForce ''
          local all all peer
        '';
      };
      messages = [ hbaMessage ];
    };

    "the module's line after a catch-all rule" = {
      config = {
        services.skillnet.enable = true;
        services.postgresql.authentication = lib.mkForce ''
          local all all trust
          local skillnet skillnet peer map=skillnet
        '';
      };
      messages = [ hbaMessage ];
    };

    "relative backup directory" = {
      config.services.skillnet = {
        enable = true;
        backup = {
          enable = true;
          directory = "backup";
        };
      };
      messages = [ ''services.skillnet.backup.directory must be an absolute path, got "backup".'' ];
    };

    "url with another scheme" = {
      config.services.skillnet = {
        enable = true;
        database = {
          createLocally = false;
          url = "mysql://skillnet@db.example.org/skillnet";
        };
      };
      messages = [ "services.skillnet.database.url must start with postgres:// or postgresql://." ];
    };
  };

  # The module's own file under a nixpkgs older than it supports: the same module, handed a
  # `lib` whose release is 23.05.
  olderNixpkgsModule =
    let
      module = import ../nixos-module.nix;
      olderLib = lib.extend (_final: prev: { trivial = prev.trivial // { release = "23.05"; }; });
    in
    lib.setFunctionArgs (args: module (args // { lib = olderLib; })) (lib.functionArgs module);

  olderNixpkgsTests = {
    "test nixos nixpkgs older than 23.11: assertion message" = {
      expr = failedAssertions (evalNixos [
        olderNixpkgsModule
        (users "skillnet")
        { services.skillnet.enable = true; }
      ]);
      expected = [
        "services.skillnet needs nixpkgs 23.11 or newer (services.postgresql.ensureUsers.*.ensureDBOwnership); this is 23.05."
      ];
    };
  };

  validTests = lib.concatMapAttrs (
    case: observations:
    lib.mapAttrs' (name: test: lib.nameValuePair "test nixos ${case}: ${name}" test) observations
  ) valid;

  invalidTests = lib.mapAttrs' (
    name: case:
    lib.nameValuePair "test nixos ${name}: assertion message" {
      expr = failedAssertions (eval { inherit (case) config; });
      expected = case.messages;
    }
  ) invalid;
in
{
  tests = validTests // invalidTests // olderNixpkgsTests;
}
