//! The migrated schema of each dialect, read from the catalog: indexes and cascades on every
//! child table, CHECKs that agree with the core enums, `schema.rs` in step with the tables, and
//! an insta snapshot of the whole schema (review the `.snap` files when a migration changes).

use diesel::query_builder::AsQuery;
use diesel::sqlite::Sqlite;
use diesel::{QueryDsl, Table};
use skillnet_core::{Outcome, TagSource};
use skillnet_store::schema::{
    calibration_proposals, heuristic_thresholds, phase_transitions, phases, plans, tags, triggers,
    verifications,
};
use skillnet_store::{Backend, CalibrationStore};

use crate::fixtures::*;
use crate::harness::Raw;

/// The tables that belong to a plan.
const CHILD_TABLES: [&str; 5] = ["phases", "triggers", "verifications", "tags", "phase_transitions"];

/// The whole migrated schema as text, ordered, free of anything that depends on the database's
/// name or on when it was created.
pub fn schema_text(raw: &mut Raw) -> String {
    let sections: Vec<(&str, &str)> = match raw.backend() {
        Backend::Sqlite => vec![(
            "sqlite_master (type name ON tbl_name, then sql)",
            "SELECT type || ' ' || name || ' ON ' || tbl_name || char(10) || coalesce(sql, '(no sql)') AS line
               FROM sqlite_master ORDER BY type, name",
        )],
        Backend::Postgres => vec![
            (
                "tables",
                "SELECT table_name::text AS line FROM information_schema.tables
                  WHERE table_schema = current_schema() ORDER BY table_name",
            ),
            (
                "columns (table.column type nullability default identity)",
                "SELECT format('%s.%s %s %s%s%s', table_name, column_name, data_type,
                               CASE WHEN is_nullable = 'NO' THEN 'NOT NULL' ELSE 'NULL' END,
                               coalesce(' DEFAULT ' || column_default, ''),
                               CASE WHEN is_identity = 'YES' THEN ' IDENTITY ' || identity_generation ELSE '' END)
                        AS line
                   FROM information_schema.columns
                  WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position",
            ),
            (
                "constraints (table name definition)",
                "SELECT format('%s %s %s', conrelid::regclass::text, conname, pg_get_constraintdef(oid)) AS line
                   FROM pg_constraint
                  WHERE connamespace = current_schema()::regnamespace AND contype IN ('c', 'f', 'p', 'u', 'x')
                  ORDER BY conrelid::regclass::text, conname",
            ),
            (
                "indexes",
                "SELECT indexdef AS line FROM pg_indexes
                  WHERE schemaname = current_schema() ORDER BY tablename, indexname",
            ),
        ],
    };
    let mut text = String::new();
    for (title, sql) in sections {
        text.push_str(&format!("-- {title}\n"));
        for line in raw.lines(sql) {
            text.push_str(&line);
            text.push('\n');
        }
        text.push('\n');
    }
    text
}

pub fn migrated_schema_snapshot(store: &dyn CalibrationStore) {
    let text = schema_text(&mut Raw::connect(store));
    insta::assert_snapshot!(format!("migrated_schema_{}", store.backend()).as_str(), text);
}

/// SPEC.md §7: "Every child table has an index on its plan id ... Deleting a plan cascades to
/// everything it owns." An index whose first column is `plan_id` serves `WHERE plan_id = ?`.
pub fn child_tables_have_a_plan_id_index_and_cascade(store: &dyn CalibrationStore) {
    let mut raw = Raw::connect(store);
    for table in CHILD_TABLES {
        let (indexes, cascades) = match raw.backend() {
            Backend::Sqlite => (
                format!(
                    "SELECT count(*) AS n FROM pragma_index_list('{table}') AS il, pragma_index_info(il.name) AS ii
                      WHERE ii.seqno = 0 AND ii.name = 'plan_id'"
                ),
                format!(
                    "SELECT count(*) AS n FROM pragma_foreign_key_list('{table}')
                      WHERE \"table\" = 'plans' AND \"from\" = 'plan_id' AND \"to\" = 'id' AND on_delete = 'CASCADE'"
                ),
            ),
            Backend::Postgres => (
                format!(
                    "SELECT count(*) AS n FROM pg_index i
                       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                      WHERE i.indrelid = '{table}'::regclass AND a.attname = 'plan_id'"
                ),
                format!(
                    "SELECT count(*) AS n FROM pg_constraint
                      WHERE contype = 'f' AND conrelid = '{table}'::regclass AND confrelid = 'plans'::regclass
                        AND confdeltype = 'c'
                        AND pg_get_constraintdef(oid) = 'FOREIGN KEY (plan_id) REFERENCES plans(id) ON DELETE CASCADE'"
                ),
            ),
        };
        assert!(raw.number(&indexes) >= 1, "{table} has no index starting with plan_id");
        assert_eq!(raw.number(&cascades), 1, "{table} has no ON DELETE CASCADE foreign key to plans(id)");
    }

    // And the cascade really happens, for a plan with rows in every child table.
    record(store, &[plan("gone"), plan("kept")]);
    verify(store, "gone", verification(Outcome::Shipped, CREATED));
    verify(store, "kept", verification(Outcome::Shipped, CREATED));
    for plan_id in ["gone", "kept"] {
        let plan_id = skillnet_core::PlanId::new(plan_id).unwrap();
        let first = skillnet_store::PhaseRef::Ordinal(1);
        let running = skillnet_core::phase_status::PhaseStatus::Running;
        store.move_phase(&plan_id, &first, running, CREATED, None).unwrap();
    }
    raw.execute("DELETE FROM plans WHERE id = 'gone'");
    for table in CHILD_TABLES {
        assert_eq!(
            raw.number(&format!("SELECT count(*) AS n FROM {table} WHERE plan_id = 'gone'")),
            0,
            "{table}"
        );
        assert!(
            raw.number(&format!("SELECT count(*) AS n FROM {table} WHERE plan_id = 'kept'")) > 0,
            "{table}"
        );
    }
}

/// The enumerated text columns have CHECK constraints, and they accept exactly the values the
/// core types write: a core enum growing a variant without a migration fails here.
pub fn enumerated_columns_accept_exactly_the_core_values(store: &dyn CalibrationStore) {
    record(store, &[bare_plan("p")]);
    let mut raw = Raw::connect(store);
    let outcomes: Vec<&str> = Outcome::ALL.iter().map(|o| o.as_str()).collect();
    let sources: Vec<&str> = TagSource::ALL.iter().map(|s| s.as_str()).collect();
    let verification =
        "INSERT INTO verifications (plan_id, verified_at, outcome, phase_outcomes) VALUES ('p', 0, '$V', '{}')";
    let tag = "INSERT INTO tags (plan_id, key, value, source) VALUES ('p', 'probe', '$V', '$V')";
    refuses_only_bad_values(&mut raw, verification, &outcomes, &["exploded", "Shipped", ""]);
    refuses_only_bad_values(&mut raw, tag, &sources, &["robot", "User"]);
}

/// The other column rules of both dialects: booleans are booleans, JSON columns hold JSON,
/// counts and durations are not negative, ids are not empty, child rows need their plan.
pub fn columns_refuse_values_that_break_their_rules(store: &dyn CalibrationStore) {
    record(store, &[bare_plan("p")]);
    let mut raw = Raw::connect(store);
    let cases: [(&str, &[&str], &[&str]); 8] = [
        (
            "INSERT INTO triggers (plan_id, name, input_value, threshold, fired) VALUES ('p', 'x', 0, 1, $V)",
            &["false", "true"],
            &["2", "-1"],
        ),
        (
            "INSERT INTO phases (plan_id, ordinal, slug, routing_tier, files) VALUES ('p', 1, 's', 'low', '$V')",
            &["[\"a.rs\"]"],
            &["not json", "[1,"],
        ),
        ("UPDATE plans SET routing_dist = '$V' WHERE id = 'p'", &["{\"low\": 1}"], &["{\"low\": "]),
        ("UPDATE plans SET wave_count = $V WHERE id = 'p'", &["0", "7"], &["-1"]),
        ("UPDATE plans SET phase_count = $V WHERE id = 'p'", &["0"], &["-3"]),
        (
            "INSERT INTO verifications (plan_id, verified_at, elapsed_seconds, outcome, phase_outcomes)
                  VALUES ('p', 0, $V, 'shipped', '{}')",
            &["0", "60"],
            &["-5"],
        ),
        (
            "INSERT INTO plans (id, name, flavor, created_at, recorded_at, phase_count, wave_count,
                                max_chain_depth, repo_spread, routing_dist, shape_hash, capture_reasons)
                  VALUES ('$V', 'n', 'f', 0, 0, 0, 0, 0, 0, '{}', '', '[]')",
            &["q"],
            &[""],
        ),
        ("INSERT INTO tags (plan_id, key, value, source) VALUES ('$V', 'k', 'v', 'user')", &["p"], &["ghost"]),
    ];
    for (template, good, bad) in cases {
        refuses_only_bad_values(&mut raw, template, good, bad);
    }
}

/// Runs `template` with each of `good` in place of `$V` (each must succeed, which proves the
/// statement itself is sound), then with each of `bad` (each must be refused).
fn refuses_only_bad_values(raw: &mut Raw, template: &str, good: &[&str], bad: &[&str]) {
    for value in good {
        let sql = template.replace("$V", value);
        raw.try_execute(&sql).unwrap_or_else(|e| panic!("refused {sql}: {e}"));
    }
    for value in bad {
        let sql = template.replace("$V", value);
        assert!(raw.try_execute(&sql).is_err(), "the database accepted {sql}");
    }
}

/// The column names of a Diesel table, in declaration order, from the SQL Diesel writes for it.
fn diesel_columns<T>(table: T) -> Vec<String>
where
    T: Table + AsQuery + QueryDsl,
    T::Query: diesel::query_builder::QueryFragment<Sqlite>,
{
    let sql = diesel::debug_query::<Sqlite, _>(&table.as_query()).to_string();
    let list = sql
        .strip_prefix("SELECT ")
        .and_then(|rest| rest.split(" FROM ").next())
        .unwrap_or_else(|| panic!("unexpected SQL: {sql}"));
    list.split(", ")
        .map(|column| column.rsplit('.').next().unwrap().trim_matches(['`', '"']).to_owned())
        .collect()
}

/// `skillnet_store::schema` (what the queries are compiled against) names exactly the columns
/// the migrations create, in the same order.
pub fn schema_rs_matches_the_migrated_tables(store: &dyn CalibrationStore) {
    let mut raw = Raw::connect(store);
    let declared = [
        ("plans", diesel_columns(plans::table)),
        ("phases", diesel_columns(phases::table)),
        ("triggers", diesel_columns(triggers::table)),
        ("verifications", diesel_columns(verifications::table)),
        ("tags", diesel_columns(tags::table)),
        ("phase_transitions", diesel_columns(phase_transitions::table)),
        ("calibration_proposals", diesel_columns(calibration_proposals::table)),
        ("heuristic_thresholds", diesel_columns(heuristic_thresholds::table)),
    ];
    for (table, columns) in declared {
        let sql = match raw.backend() {
            Backend::Sqlite => format!("SELECT name AS line FROM pragma_table_info('{table}') ORDER BY cid"),
            Backend::Postgres => format!(
                "SELECT column_name::text AS line FROM information_schema.columns
                  WHERE table_schema = current_schema() AND table_name = '{table}' ORDER BY ordinal_position"
            ),
        };
        assert_eq!(raw.lines(&sql), columns, "columns of {table}");
    }
    let tables = match raw.backend() {
        Backend::Sqlite => raw.lines(
            "SELECT name AS line FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        ),
        Backend::Postgres => raw.lines(
            "SELECT table_name::text AS line FROM information_schema.tables
              WHERE table_schema = current_schema() ORDER BY table_name",
        ),
    };
    assert_eq!(
        tables,
        [
            "__diesel_schema_migrations",
            "calibration_proposals",
            "heuristic_thresholds",
            "phase_transitions",
            "phases",
            "plans",
            // Kept from skillnet 0.6 (its hooks' usage log); not declared in `schema`, since no
            // query of the store reads it yet.
            "skill_invocations",
            "tags",
            "triggers",
            "verifications"
        ]
    );
}
