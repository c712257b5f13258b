//! `calibration heuristics list|show`: the catalog of SPEC §3 beside the thresholds in force.
//!
//! A heuristic's active threshold is the one set by its newest accepted proposal, else the catalog
//! default. Proposals accepted under filter tags set thresholds that apply only to plans carrying
//! those tags; they are listed beside the overall one. Both commands only read.

use serde::Serialize;
use skillnet_core::catalog::{self, Category, Heuristic};
use skillnet_core::threshold::{in_force, InForce};
use skillnet_core::Tag;
use skillnet_store::{ActiveThreshold, CalibrationStore, Proposal};

use super::Context;
use crate::cli::Format;
use crate::exit_codes::NotFoundError;
use crate::output::{self, number, or_dash, time};

/// Where a threshold in force comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Source {
    /// The catalog default: no proposal was accepted.
    Default,
    /// An accepted proposal.
    Proposal {
        /// The proposal's id.
        proposal_id: i64,
        /// When it was accepted (unix seconds).
        accepted_at: i64,
    },
    /// An override skillnet 0.6 accepted that names no proposal (in an adopted history).
    Override {
        /// Who set it, as 0.6 wrote it.
        updated_by: Option<String>,
        /// When (unix seconds).
        updated_at: i64,
    },
    /// A custom trigger with no accepted threshold: each plan's recorded threshold applies.
    Recorded,
}

impl Source {
    /// Where an accepted threshold came from.
    pub fn of(t: &ActiveThreshold) -> Self {
        match t.proposal_id {
            Some(proposal_id) => Source::Proposal { proposal_id, accepted_at: t.updated_at },
            None => Source::Override { updated_by: t.updated_by.clone(), updated_at: t.updated_at },
        }
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Default => f.write_str("default"),
            Source::Proposal { proposal_id, accepted_at } => {
                write!(f, "proposal {proposal_id}, accepted {}", time(*accepted_at))
            }
            Source::Override { updated_by, updated_at } => {
                write!(f, "{}, set {}", updated_by.as_deref().unwrap_or("override"), time(*updated_at))
            }
            Source::Recorded => f.write_str("as recorded with the plans"),
        }
    }
}

/// Where a threshold comes from, as skillnet 0.6 printed it (`eval`, `heuristics list|show`):
/// the default, or an override with the time it was set and who set it (`proposal:<id>`, as 0.6
/// wrote it).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ZeroSixSource {
    /// The catalog default (or, for a custom trigger, the thresholds recorded with the plans).
    Default,
    /// An accepted threshold.
    Override {
        /// When, as `YYYY-MM-DD HH:MM:SS` (UTC).
        updated_at: String,
        /// Who set it: `proposal:<id>`, or what 0.6 wrote.
        updated_by: Option<String>,
        /// The accepted proposal, when there is one.
        #[serde(skip_serializing_if = "Option::is_none")]
        proposal_id: Option<i64>,
    },
}

impl From<&Source> for ZeroSixSource {
    fn from(source: &Source) -> Self {
        // Unix seconds as `YYYY-MM-DD HH:MM:SS`, the form 0.6 printed these times in.
        let sql_time = |unix: i64| time(unix).replacen('T', " ", 1).trim_end_matches('Z').to_owned();
        match source {
            Source::Default | Source::Recorded => ZeroSixSource::Default,
            Source::Proposal { proposal_id, accepted_at } => ZeroSixSource::Override {
                updated_at: sql_time(*accepted_at),
                updated_by: Some(format!("proposal:{proposal_id}")),
                proposal_id: Some(*proposal_id),
            },
            Source::Override { updated_by, updated_at } => ZeroSixSource::Override {
                updated_at: sql_time(*updated_at),
                updated_by: updated_by.clone(),
                proposal_id: None,
            },
        }
    }
}

/// A threshold accepted under filter tags.
#[derive(Debug, Clone, Serialize)]
struct FilteredThreshold {
    filter_tags: Vec<Tag>,
    threshold: f64,
    proposal_id: Option<i64>,
    accepted_at: i64,
}

/// One heuristic with its thresholds: a line of `list`, the head of `show`.
#[derive(Debug, Serialize)]
struct Entry {
    name: String,
    /// Not in the catalog: a trigger only the history knows.
    custom: bool,
    category: Option<Category>,
    default_threshold: Option<f64>,
    section_added: Option<&'static str>,
    /// The step a proposal moves the threshold by.
    notch: f64,
    /// The overall threshold in force; `null` for a custom trigger that has none.
    active_threshold: Option<f64>,
    source: Source,
    /// Thresholds accepted under filter tags, which apply to plans carrying those tags.
    by_filter_tags: Vec<FilteredThreshold>,
    /// What the input value measures; `null` for a custom trigger.
    description: Option<&'static str>,
    /// skillnet 0.6's name for `active_threshold`.
    current_threshold: Option<f64>,
    /// skillnet 0.6's `source`.
    threshold_source: ZeroSixSource,
    /// skillnet 0.6's name for `section_added`.
    section_added_template: Option<&'static str>,
}

/// `show`'s document: the entry and every proposal for the heuristic, oldest first.
#[derive(Debug, Serialize)]
struct Details {
    #[serde(flatten)]
    entry: Entry,
    proposals: Vec<Proposal>,
}

/// How a custom trigger's recorded threshold is looked up ([`InForce::Recorded`]): in the
/// store, or nowhere when the caller has no history.
pub type Recorded<'a> = &'a dyn Fn(&str) -> anyhow::Result<Option<f64>>;

/// The recorded threshold of a custom trigger, from `store`.
pub fn recorded_in(store: &dyn CalibrationStore) -> impl Fn(&str) -> anyhow::Result<Option<f64>> + '_ {
    move |trigger| Ok(store.recorded_threshold(trigger)?)
}

/// The threshold in force for `trigger` under `filter_tags` (the rule of
/// [`skillnet_core::threshold`], which the analysis follows too) and where it comes from.
pub fn active_for(
    thresholds: &[ActiveThreshold],
    trigger: &str,
    filter_tags: &[Tag],
    recorded: Recorded<'_>,
) -> anyhow::Result<(Option<f64>, Source)> {
    Ok(match in_force(thresholds, trigger, filter_tags) {
        InForce::Accepted(t) => (Some(t.threshold), Source::of(t)),
        InForce::Default(threshold) => (Some(threshold), Source::Default),
        InForce::Recorded => (recorded(trigger)?, Source::Recorded),
    })
}

fn entry(
    name: &str,
    heuristic: Option<&'static Heuristic>,
    thresholds: &[ActiveThreshold],
    recorded: Recorded<'_>,
) -> anyhow::Result<Entry> {
    let (active_threshold, source) = active_for(thresholds, name, &[], recorded)?;
    let threshold_source = ZeroSixSource::from(&source);
    Ok(Entry {
        name: name.to_owned(),
        custom: heuristic.is_none(),
        category: heuristic.map(|h| h.category),
        default_threshold: heuristic.map(|h| h.default_threshold),
        section_added: heuristic.and_then(|h| h.section_added),
        notch: catalog::notch(name),
        active_threshold,
        source,
        by_filter_tags: thresholds
            .iter()
            .filter(|t| t.trigger == name && !t.filter_tags.is_empty())
            .map(|t| FilteredThreshold {
                filter_tags: t.filter_tags.clone(),
                threshold: t.threshold,
                proposal_id: t.proposal_id,
                accepted_at: t.updated_at,
            })
            .collect(),
        description: heuristic.map(|h| h.description),
        current_threshold: active_threshold,
        threshold_source,
        section_added_template: heuristic.and_then(|h| h.section_added),
    })
}

/// The catalog in its SPEC order, then custom triggers that have an accepted threshold, by name.
fn entries(thresholds: &[ActiveThreshold], recorded: Recorded<'_>) -> anyhow::Result<Vec<Entry>> {
    let mut custom: Vec<&str> = thresholds
        .iter()
        .map(|t| t.trigger.as_str())
        .filter(|name| catalog::heuristic(name).is_none())
        .collect();
    custom.sort_unstable();
    custom.dedup();
    let catalog = catalog::CATALOG.iter().map(|h| entry(h.name, Some(h), thresholds, recorded));
    catalog.chain(custom.into_iter().map(|name| entry(name, None, thresholds, recorded))).collect()
}

fn filtered_text(entry: &Entry) -> String {
    if entry.by_filter_tags.is_empty() {
        return "-".into();
    }
    let lines: Vec<String> = entry
        .by_filter_tags
        .iter()
        .map(|t| {
            let by = t.proposal_id.map_or_else(|| "0.6 override".to_owned(), |id| format!("proposal {id}"));
            format!("{}: {} ({by})", output::tags(&t.filter_tags), number(t.threshold))
        })
        .collect();
    lines.join("\n")
}

/// Lists the catalog and the thresholds in force.
pub fn list(ctx: &Context, category: Option<&str>, format: Format) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let mut entries = entries(&store.thresholds()?, &recorded_in(&*store))?;
    if let Some(category) = category {
        entries.retain(|e| e.category.is_some_and(|c| c.as_str() == category));
    }
    match format {
        Format::Json => output::json(&entries),
        Format::Table => {
            // skillnet 0.6's columns (CURRENT is the threshold in force), then the thresholds
            // accepted under filter tags.
            let mut table = output::table([
                "name",
                "category",
                "default",
                "current",
                "source",
                "section",
                "under filter tags",
            ]);
            for e in &entries {
                table.add_row([
                    e.name.clone(),
                    or_dash(e.category),
                    or_dash(e.default_threshold.map(number)),
                    or_dash(e.active_threshold.map(number)),
                    e.source.to_string(),
                    or_dash(e.section_added),
                    filtered_text(e),
                ]);
            }
            output::text(table)
        }
    }
}

/// Shows one heuristic, its thresholds and its proposals.
pub fn show(ctx: &Context, name: &str, format: Format) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let thresholds = store.thresholds()?;
    let proposals: Vec<Proposal> = store.proposals(None)?.into_iter().filter(|p| p.trigger == name).collect();
    let entry = entry(name, catalog::heuristic(name), &thresholds, &recorded_in(&*store))?;
    if entry.custom
        && entry.active_threshold.is_none()
        && proposals.is_empty()
        && entry.by_filter_tags.is_empty()
    {
        return Err(NotFoundError(format!(
            "unknown heuristic {name}: it is not in the catalog and no verified plan has a trigger \
             of that name (`skillnet calibration heuristics list` lists the catalog)"
        ))
        .into());
    }
    let details = Details { entry, proposals };
    match format {
        Format::Json => output::json(&details),
        Format::Table => output::text(render_details(&details)),
    }
}

fn render_details(d: &Details) -> String {
    let e = &d.entry;
    let mut facts = output::facts("heuristic", &e.name);
    let category = if e.custom { "custom (not in the catalog)".to_owned() } else { or_dash(e.category) };
    let rows: [(&str, String); 6] = [
        ("category", category),
        ("default threshold", or_dash(e.default_threshold.map(number))),
        ("section added", or_dash(e.section_added)),
        ("notch", number(e.notch)),
        ("active threshold", or_dash(e.active_threshold.map(number))),
        ("source", e.source.to_string()),
    ];
    for (k, v) in rows {
        facts.add_row([k.to_owned(), v]);
    }
    let mut out = facts.to_string();

    out.push_str("\n\nThresholds under filter tags");
    if e.by_filter_tags.is_empty() {
        out.push_str("\nnone");
    } else {
        let mut table = output::table(["filter tags", "threshold", "proposal", "accepted"]);
        for t in &e.by_filter_tags {
            table.add_row([
                output::tags(&t.filter_tags),
                number(t.threshold),
                or_dash(t.proposal_id),
                time(t.accepted_at),
            ]);
        }
        out.push_str(&format!("\n{table}"));
    }

    out.push_str("\n\nProposals");
    if d.proposals.is_empty() {
        out.push_str("\nnone");
    } else {
        out.push_str(&format!("\n{}", super::proposals::table(&d.proposals)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepted(trigger: &str, tags: &[&str], threshold: f64, proposal_id: i64) -> ActiveThreshold {
        ActiveThreshold {
            trigger: trigger.into(),
            filter_tags: tags.iter().map(|t| t.parse().unwrap()).collect(),
            threshold,
            proposal_id: Some(proposal_id),
            updated_at: 1_779_624_000,
            updated_by: None,
        }
    }

    #[test]
    fn the_threshold_in_force_prefers_exact_filter_tags_then_overall_then_default() {
        let tags = |list: &[&str]| list.iter().map(|t| t.parse().unwrap()).collect::<Vec<Tag>>();
        let thresholds = [
            accepted("long-serial-chain", &[], 5.0, 1),
            accepted("long-serial-chain", &["team=core", "flavor=codex"], 3.0, 2),
            accepted("my-custom", &["flavor=codex"], 7.0, 3),
        ];
        let by = |id, at| Source::Proposal { proposal_id: id, accepted_at: at };
        let cases = [
            ("long-serial-chain", tags(&[]), Some(5.0), by(1, 1_779_624_000)),
            // Order and repeats of the filter tags do not matter.
            (
                "long-serial-chain",
                tags(&["flavor=codex", "team=core", "team=core"]),
                Some(3.0),
                by(2, 1_779_624_000),
            ),
            ("long-serial-chain", tags(&["flavor=codex"]), Some(5.0), by(1, 1_779_624_000)),
            ("convergence-point", tags(&["flavor=codex"]), Some(3.0), Source::Default),
            // A custom trigger no proposal set takes its recorded threshold.
            ("my-custom", tags(&[]), Some(0.25), Source::Recorded),
            ("my-custom", tags(&["flavor=codex"]), Some(7.0), by(3, 1_779_624_000)),
        ];
        let recorded = |trigger: &str| Ok((trigger == "my-custom").then_some(0.25));
        for (trigger, filter, threshold, source) in cases {
            assert_eq!(
                active_for(&thresholds, trigger, &filter, &recorded).unwrap(),
                (threshold, source),
                "{trigger} {filter:?}"
            );
        }
    }

    #[test]
    fn the_list_is_the_catalog_then_custom_triggers_with_thresholds() {
        let thresholds = [accepted("zz-custom", &[], 2.0, 4), accepted("aa-custom", &["team=x"], 1.0, 5)];
        let entries = entries(&thresholds, &|_| Ok(None)).unwrap();
        assert_eq!(entries.len(), 17);
        assert_eq!(entries[0].name, "shared-file-contention");
        assert_eq!(entries[14].name, "hidden-prerequisite");
        assert_eq!((entries[15].name.as_str(), entries[15].active_threshold), ("aa-custom", None));
        assert_eq!(entries[15].by_filter_tags.len(), 1);
        assert_eq!((entries[16].name.as_str(), entries[16].active_threshold), ("zz-custom", Some(2.0)));
        assert!(entries[16].custom && !entries[0].custom);
    }
}
