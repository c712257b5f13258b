# Home Manager module `programs.skillnet`.
#
# It declares which database the `skillnet` CLI uses by speaking the CLI's own
# configuration contract (SPEC §8) and nothing else:
#
# - SQLite at the default place: `SKILLNET_DATA_DIR`, which yields exactly the
#   CLI's default `$XDG_DATA_HOME/skillnet/multi-phase-plan/calibration.sqlite`.
# - SQLite at a custom path: the generated config file's `[database]` table, so
#   the path also holds for programs that never source the session variables.
# - PostgreSQL: `SKILLNET_DATABASE_URL` or `SKILLNET_DATABASE_URL_FILE`.
#
# A user who only sets `enable = true` gets the package, `SKILLNET_DATA_DIR`
# and an activation entry creating that directory: no config file, no other
# variable. `nix/tests/hm.nix` holds that to account.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  inherit (lib)
    literalExpression
    mkIf
    mkMerge
    mkOption
    types
    ;

  cfg = config.programs.skillnet;
  db = cfg.database;
  tomlFormat = pkgs.formats.toml { };

  isSqlite = db.backend == "sqlite";
  isPostgres = db.backend == "postgres";

  # The CLI's own default data directory; exporting it keeps the default file
  # where the CLI would put it while following a customised `xdg.dataHome`.
  dataDir = "${config.xdg.dataHome}/skillnet";

  # The directory the SQLite file lives in, created on activation.
  sqliteDir = if db.path == null then dataDir else dirOf db.path;

  # The names of `url` and `urlFile` that are set, for assertion messages.
  # Messages never quote the URL itself: it may hold a password.
  serverOptions = lib.filter (name: db.${name} != null) [
    "url"
    "urlFile"
  ];
  showOptions = names: lib.concatMapStringsSep " and " (name: "programs.skillnet.database.${name}") names;
  nameVerb = if lib.length serverOptions == 1 then "names" else "name";
in
{
  options.programs.skillnet = {
    enable = lib.mkEnableOption "skillnet, the calibration store for multi-phase plans";

    package = lib.mkPackageOption pkgs "skillnet" {
      extraDescription = ''
        The flake's `homeModules.default` sets this to the flake's package, which
        is built with both database backends (Cargo features `sqlite` and
        `postgres`).
      '';
    };

    settings = mkOption {
      inherit (tomlFormat) type;
      default = { };
      example = literalExpression ''
        {
          database = {
            backend = "sqlite";
            path = "/srv/calibration/calibration.sqlite";
          };
        }
      '';
      description = ''
        Configuration written to {file}`$XDG_CONFIG_HOME/skillnet/skillnet.toml`.
        The file is generated only when these settings are not empty, so the
        default configuration writes no file. Unknown keys are errors in the CLI.

        Prefer the `database` options over `settings.database`: a custom
        [](#opt-programs.skillnet.database.path) is merged in here as
        `database.backend = "sqlite"` and `database.path`, and a PostgreSQL URL
        placed here would be copied into the world-readable Nix store.
      '';
    };

    database = {
      backend = mkOption {
        type = types.enum [
          "sqlite"
          "postgres"
        ];
        default = "sqlite";
        description = ''
          Database backend the CLI uses.

          - `"sqlite"`: a local file, the default; needs the package built with
            the Cargo feature `sqlite`.
          - `"postgres"`: a shared PostgreSQL server given by
            [](#opt-programs.skillnet.database.urlFile) or
            [](#opt-programs.skillnet.database.url); needs the package built
            with the Cargo feature `postgres`.

          The flake's package has both features.
        '';
      };

      path = mkOption {
        type = types.nullOr types.str;
        default = null;
        example = literalExpression ''"''${config.home.homeDirectory}/calibration/calibration.sqlite"'';
        description = ''
          Absolute path of the SQLite database file (backend `"sqlite"` only).

          With `null`, the CLI's default file
          {file}`$XDG_DATA_HOME/skillnet/multi-phase-plan/calibration.sqlite` is
          used: the module exports `SKILLNET_DATA_DIR` as
          {file}`''${config.xdg.dataHome}/skillnet`.

          A custom path is honoured through the generated config file: it is
          merged into [](#opt-programs.skillnet.settings) as
          `database.backend = "sqlite"` and `database.path`, so it also applies
          to programs that do not load the session variables.
          `SKILLNET_DATA_DIR` is then not exported. In both cases the
          activation creates the directory holding the file.
        '';
      };

      url = mkOption {
        type = types.nullOr types.str;
        default = null;
        example = "postgresql://skillnet@db.example.org/skillnet";
        description = ''
          PostgreSQL connection URL (`postgres://` or `postgresql://`, backend
          `"postgres"` only), exported as `SKILLNET_DATABASE_URL`.

          ::: {.warning}
          The URL, with any password in it, ends up in the world-readable Nix
          store. Use [](#opt-programs.skillnet.database.urlFile) for a URL that
          carries a password.
          :::
        '';
      };

      urlFile = mkOption {
        type = types.nullOr types.str;
        default = null;
        example = literalExpression ''config.sops.secrets."skillnet/database-url".path'';
        description = ''
          Absolute path of a file holding the PostgreSQL connection URL (backend
          `"postgres"` only), exported as `SKILLNET_DATABASE_URL_FILE`. The CLI
          reads the file when it runs, so the password stays out of the Nix
          store; a sops-nix or agenix secret fits. A string, not a Nix path
          value, so that the file is never copied into the store.
        '';
      };
    };
  };

  config = mkIf cfg.enable (mkMerge [
    {
      assertions = [
        {
          assertion = isPostgres -> serverOptions != [ ];
          message = "programs.skillnet.database.backend is \"postgres\" but no server is given: set programs.skillnet.database.urlFile (a file holding the URL; keeps the password out of the Nix store) or programs.skillnet.database.url.";
        }
        {
          assertion = lib.length serverOptions < 2;
          message = "programs.skillnet.database.url and programs.skillnet.database.urlFile are both set; set only one of them (urlFile keeps the password out of the Nix store).";
        }
        {
          assertion = isSqlite -> serverOptions == [ ];
          message = "${showOptions serverOptions} ${nameVerb} a PostgreSQL server, but programs.skillnet.database.backend is \"sqlite\": set programs.skillnet.database.backend = \"postgres\", or remove ${showOptions serverOptions} (a custom SQLite file goes in programs.skillnet.database.path).";
        }
        {
          assertion = isPostgres -> db.path == null;
          message = "programs.skillnet.database.path names a SQLite file, but programs.skillnet.database.backend is \"postgres\": remove programs.skillnet.database.path, or set programs.skillnet.database.backend = \"sqlite\".";
        }
        {
          assertion = db.path == null || lib.hasPrefix "/" db.path;
          message = "programs.skillnet.database.path must be an absolute path, got \"${toString db.path}\".";
        }
        {
          assertion = db.urlFile == null || lib.hasPrefix "/" db.urlFile;
          message = "programs.skillnet.database.urlFile must be an absolute path, got \"${toString db.urlFile}\".";
        }
        {
          assertion =
            db.url == null || lib.hasPrefix "postgres://" db.url || lib.hasPrefix "postgresql://" db.url;
          message = "programs.skillnet.database.url must start with postgres:// or postgresql://.";
        }
      ];

      home.packages = [ cfg.package ];

      xdg.configFile."skillnet/skillnet.toml" = mkIf (cfg.settings != { }) {
        source = tomlFormat.generate "skillnet.toml" cfg.settings;
      };
    }

    (mkIf isSqlite {
      home.sessionVariables = mkIf (db.path == null) { SKILLNET_DATA_DIR = dataDir; };

      programs.skillnet.settings = mkIf (db.path != null) {
        database = {
          backend = "sqlite";
          inherit (db) path;
        };
      };

      # SQLite creates the file but not its directory.
      home.activation.skillnetDataDir = lib.hm.dag.entryAfter [ "writeBoundary" ] ''
        run mkdir -p $VERBOSE_ARG ${lib.escapeShellArg sqliteDir}
      '';
    })

    (mkIf isPostgres {
      home.sessionVariables = mkMerge [
        (mkIf (db.url != null) { SKILLNET_DATABASE_URL = db.url; })
        (mkIf (db.urlFile != null) { SKILLNET_DATABASE_URL_FILE = db.urlFile; })
      ];
    })
  ]);
}
