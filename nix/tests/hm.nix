# Home Manager cases for `programs.skillnet`.
#
# Every case is evaluated twice with Home Manager's module list: once with
# the case's configuration and once as the baseline without skillnet. The
# difference between the two (packages, session variables, activation entries,
# files, user services) is what the module added, and must be exactly what the
# case expects; "nothing else" is part of every expectation.
{
  lib,
  pkgs,
  home-manager,
  hmModule,
  package,
  # Home Manager's module list.
  modules,
}:
let
  hmLib = import "${home-manager}/modules/lib/stdlib-extended.nix" lib;
  inherit ((lib.importJSON "${home-manager}/release.json")) release;

  tomlFormat = pkgs.formats.toml { };

  home = "/home/alice";
  dataDir = "${home}/.local/share/skillnet";
  configFile = "${home}/.config/skillnet/skillnet.toml";
  secretFile = "/run/user/1000/secrets/skillnet-database-url";
  serverUrl = "postgresql://skillnet@db.example.org/skillnet";

  base = {
    _module.args.pkgs = lib.mkForce pkgs;
    home = {
      username = "alice";
      homeDirectory = home;
      stateVersion = release;
    };
  };

  # What `home-manager/modules/default.nix` evaluates, without its final step
  # that throws on failed assertions, so that their messages can be compared.
  # The test configuration passes `pkgs` as it is, like Home Manager's own
  # tests, so that the nixpkgs module does not import nixpkgs again.
  eval =
    configuration:
    hmLib.evalModules {
      class = "homeManager";
      modules = [
        hmModule
        base
        configuration
      ]
      ++ modules;
      specialArgs.modulesPath = "${home-manager}/modules";
    };

  # Packages are told apart by name, so that Home Manager's own packages (its
  # manual, say) need not be evaluated down to their store paths.
  footprint = config: {
    packages = config.home.packages;
    sessionVariables = config.home.sessionVariables;
    inherit (config.home) sessionPath;
    activation = config.home.activation;
    files = lib.attrNames config.home.file;
    userServices = lib.attrNames config.systemd.user.services;
  };

  baseline = footprint (eval { }).config;

  # What `new` has that `baseline` has not.
  added =
    new:
    let
      newAttrs = attrs: old: removeAttrs attrs (lib.attrNames old);
      newItems = items: old: lib.filter (item: !(lib.elem item old)) items;
    in
    {
      packages = map toString (
        lib.filter (package: !(lib.elem package.name (map (p: p.name) baseline.packages))) new.packages
      );
      sessionVariables = newAttrs new.sessionVariables baseline.sessionVariables;
      sessionPath = newItems new.sessionPath baseline.sessionPath;
      activation = newAttrs new.activation baseline.activation;
      files = newItems new.files baseline.files;
      userServices = newItems new.userServices baseline.userServices;
    };

  failedAssertions = config: map (a: a.message) (lib.filter (a: !a.assertion) config.assertions);

  nothing = {
    packages = [ ];
    sessionVariables = { };
    sessionPath = [ ];
    activation = { };
    files = [ ];
    userServices = [ ];
  };

  mkdirEntry = dir: {
    after = [ "writeBoundary" ];
    before = [ ];
    data = "run mkdir -p $VERBOSE_ARG ${dir}\n";
  };

  # Valid cases: what the module adds, and the settings of the config file
  # (`{ }`: no file).
  valid = {
    "default" = {
      config.programs.skillnet.enable = true;
      added = nothing // {
        packages = [ (toString package) ];
        sessionVariables.SKILLNET_DATA_DIR = dataDir;
        activation.skillnetDataDir = mkdirEntry dataDir;
      };
      settings = { };
    };

    "default follows xdg.dataHome" = {
      config = {
        programs.skillnet.enable = true;
        xdg.dataHome = "/data/alice";
      };
      added = nothing // {
        packages = [ (toString package) ];
        sessionVariables.SKILLNET_DATA_DIR = "/data/alice/skillnet";
        activation.skillnetDataDir = mkdirEntry "/data/alice/skillnet";
      };
      settings = { };
    };

    "sqlite with a custom path" = {
      config.programs.skillnet = {
        enable = true;
        database.path = "${home}/calibration/work.sqlite";
      };
      added = nothing // {
        packages = [ (toString package) ];
        activation.skillnetDataDir = mkdirEntry "${home}/calibration";
        files = [ configFile ];
      };
      settings.database = {
        backend = "sqlite";
        path = "${home}/calibration/work.sqlite";
      };
    };

    "sqlite path merged with user settings" = {
      config.programs.skillnet = {
        enable = true;
        database.path = "/srv/calibration/work.sqlite";
        settings.database.backend = "sqlite";
      };
      added = nothing // {
        packages = [ (toString package) ];
        activation.skillnetDataDir = mkdirEntry "/srv/calibration";
        files = [ configFile ];
      };
      settings.database = {
        backend = "sqlite";
        path = "/srv/calibration/work.sqlite";
      };
    };

    "postgres url" = {
      config.programs.skillnet = {
        enable = true;
        database = {
          backend = "postgres";
          url = serverUrl;
        };
      };
      added = nothing // {
        packages = [ (toString package) ];
        sessionVariables.SKILLNET_DATABASE_URL = serverUrl;
      };
      settings = { };
    };

    "postgres urlFile" = {
      config.programs.skillnet = {
        enable = true;
        database = {
          backend = "postgres";
          urlFile = secretFile;
        };
      };
      added = nothing // {
        packages = [ (toString package) ];
        sessionVariables.SKILLNET_DATABASE_URL_FILE = secretFile;
      };
      settings = { };
    };
  };

  # Misconfigurations: the one assertion message each must produce.
  invalid = {
    "postgres without a server" = {
      config.programs.skillnet = {
        enable = true;
        database.backend = "postgres";
      };
      message = ''programs.skillnet.database.backend is "postgres" but no server is given: set programs.skillnet.database.urlFile (a file holding the URL; keeps the password out of the Nix store) or programs.skillnet.database.url.'';
    };

    "postgres with both url and urlFile" = {
      config.programs.skillnet = {
        enable = true;
        database = {
          backend = "postgres";
          url = serverUrl;
          urlFile = secretFile;
        };
      };
      message = "programs.skillnet.database.url and programs.skillnet.database.urlFile are both set; set only one of them (urlFile keeps the password out of the Nix store).";
    };

    "sqlite with url" = {
      config.programs.skillnet = {
        enable = true;
        database.url = serverUrl;
      };
      message = ''programs.skillnet.database.url names a PostgreSQL server, but programs.skillnet.database.backend is "sqlite": set programs.skillnet.database.backend = "postgres", or remove programs.skillnet.database.url (a custom SQLite file goes in programs.skillnet.database.path).'';
    };

    "sqlite with urlFile" = {
      config.programs.skillnet = {
        enable = true;
        database.urlFile = secretFile;
      };
      message = ''programs.skillnet.database.urlFile names a PostgreSQL server, but programs.skillnet.database.backend is "sqlite": set programs.skillnet.database.backend = "postgres", or remove programs.skillnet.database.urlFile (a custom SQLite file goes in programs.skillnet.database.path).'';
    };

    "postgres with a path" = {
      config.programs.skillnet = {
        enable = true;
        database = {
          backend = "postgres";
          urlFile = secretFile;
          path = "${home}/calibration.sqlite";
        };
      };
      message = ''programs.skillnet.database.path names a SQLite file, but programs.skillnet.database.backend is "postgres": remove programs.skillnet.database.path, or set programs.skillnet.database.backend = "sqlite".'';
    };

    "relative path" = {
      config.programs.skillnet = {
        enable = true;
        database.path = "calibration.sqlite";
      };
      message = ''programs.skillnet.database.path must be an absolute path, got "calibration.sqlite".'';
    };

    "url with another scheme" = {
      config.programs.skillnet = {
        enable = true;
        database = {
          backend = "postgres";
          url = "mysql://skillnet:secret@db.example.org/skillnet";
        };
      };
      message = "programs.skillnet.database.url must start with postgres:// or postgresql://.";
    };
  };

  configFileOf =
    config:
    let
      file = config.xdg.configFile."skillnet/skillnet.toml" or null;
    in
    if file == null then null else toString file.source;

  validTests = lib.concatMapAttrs (
    name: case:
    let
      inherit (eval case.config) config;
      prefix = "test hm ${name}:";
    in
    {
      "${prefix} adds exactly these" = {
        expr = added (footprint config);
        expected = case.added;
      };
      "${prefix} settings" = {
        expr = config.programs.skillnet.settings;
        expected = case.settings;
      };
      "${prefix} config file is the rendered settings" = {
        expr = configFileOf config;
        expected =
          if case.settings == { } then null else toString (tomlFormat.generate "skillnet.toml" case.settings);
      };
      "${prefix} no failed assertions" = {
        expr = failedAssertions config;
        expected = [ ];
      };
    }
  ) valid;

  invalidTests = lib.concatMapAttrs (
    name: case:
    let
      prefix = "test hm ${name}:";
    in
    {
      "${prefix} assertion message" = {
        expr = failedAssertions (eval case.config).config;
        expected = [ case.message ];
      };
    }
  ) invalid;

  # A URL given through urlFile must not reach anything the module generates.
  secretTests = {
    "test hm postgres urlFile: no URL in generated configuration" = {
      expr =
        let
          inherit (eval valid."postgres urlFile".config) config;
        in
        lib.hasInfix "://" (
          builtins.toJSON {
            added = added (footprint config);
            inherit (config.programs.skillnet) settings;
          }
        );
      expected = false;
    };
  };
in
{
  tests = validTests // invalidTests // secretTests;

  # The config files of the valid cases with the settings they must hold,
  # checked after building by ./flake-check.nix.
  renderedFiles = lib.mapAttrsToList (name: case: {
    inherit name;
    file = configFileOf (eval case.config).config;
    inherit (case) settings;
  }) (lib.filterAttrs (_: case: case.settings != { }) valid);
}
