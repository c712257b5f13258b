//! `calibration walkthrough`: the analysis's suggestions one at a time.
//!
//! For each suggested threshold move the user accepts, skips, refines the filter tags (the
//! trigger is analysed again under them, and the new suggestion shown), or quits. An accepted
//! suggestion is stored as a proposal and accepted at once (`propose` then `decide accept`), with
//! the user's rationale as the decision's; the proposal's own rationale says what the analysis
//! suggested. The run ends with the changelog of what it accepted.
//!
//! The answers come from a [`Chooser`]: [`Interactive`] asks on the terminal (prompts on stderr,
//! answers read line by line from stdin), [`Scripted`] reads them from a decisions file
//! (`--non-interactive --decisions FILE`, format in the README). Without a terminal and without
//! `--non-interactive` the command refuses to start rather than wait for answers that never come.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use serde::Deserialize;
use skillnet_core::analysis::{ProposalSuggestion, TriggerReport};
use skillnet_core::proposal::Decision;
use skillnet_core::Tag;
use skillnet_store::{AnalysisQuery, CalibrationStore, DecisionOutcome, ProposalRequest};

use super::{changelog, count, Context};
use crate::cli::WalkthroughArgs;
use crate::exit_codes::{NotFoundError, UsageError};
use crate::input::InputError;
use crate::output::{self, number};
use skillnet_core::threshold::same_filter;

/// What to do with the suggestion in view.
#[derive(Debug, Clone, PartialEq)]
enum Choice {
    /// Store and accept it, with this decision rationale.
    Accept(String),
    /// Leave it; go on with the next one.
    Skip,
    /// Analyse the trigger again under these filter tags (they replace the current ones).
    Refine(Vec<Tag>),
    /// Stop asking; what was accepted stays accepted.
    Quit,
}

/// A trigger's analysis under some filter tags, as shown to the user.
#[derive(Debug)]
struct View<'a> {
    /// 1-based position among the suggestions, and how many there are.
    position: (usize, usize),
    trigger: &'a str,
    filter_tags: &'a [Tag],
    /// The trigger's line of the analysis; `None` when no verified plan matches the filter tags.
    line: Option<&'a TriggerReport>,
    /// The suggested move; `None` when the analysis under these filter tags suggests none.
    suggestion: Option<&'a ProposalSuggestion>,
}

/// Where the answers come from.
trait Chooser {
    /// The choice for `view`. Never [`Choice::Accept`] when `view.suggestion` is `None`.
    fn choose(&mut self, view: &View<'_>) -> anyhow::Result<Choice>;
    /// Called once every suggestion was seen or the user quit.
    fn finish(&mut self) {}
}

/// Runs the walkthrough.
pub fn walkthrough(ctx: &Context, args: &WalkthroughArgs) -> anyhow::Result<()> {
    let base_tags = super::tags(&args.filter.filter_tags)?;
    let mut chooser = chooser(ctx, args)?;
    // --since wins over --skill-md, as in skillnet 0.6: the file is not even read then.
    let skill_md =
        args.skill_md.as_deref().filter(|_| args.since.is_none()).map(SkillMd::read).transpose()?;
    let store = ctx.store()?;
    let at = args.at.unwrap_or_else(output::now);
    let analyse = |trigger: Option<&str>, filter_tags: &[Tag]| {
        store.analyze(&AnalysisQuery {
            trigger: trigger.map(str::to_owned),
            filter_tags: filter_tags.to_vec(),
            min_n: args.filter.min_n,
            analyzed_at: at,
        })
    };
    let dry = if args.dry_run { "[DRY RUN] " } else { "" };

    let report = analyse(None, &base_tags)?;
    if report.proposals.is_empty() {
        output::note(
            ctx.quiet,
            format!("the analysis suggests no threshold change (min-n {})", args.filter.min_n),
        );
    }
    let total = report.proposals.len();
    let mut accepted = 0;
    let mut failure: Option<anyhow::Error> = None;
    'suggestions: for (i, first) in report.proposals.iter().enumerate() {
        let trigger = first.trigger.as_str();
        let mut filter_tags = base_tags.clone();
        let mut line = report.triggers.iter().find(|t| t.trigger == trigger).cloned();
        let mut suggestion = Some(first.clone());
        loop {
            let view = View {
                position: (i + 1, total),
                trigger,
                filter_tags: &filter_tags,
                line: line.as_ref(),
                suggestion: suggestion.as_ref(),
            };
            match chooser.choose(&view)? {
                Choice::Quit => {
                    output::note(ctx.quiet, "quit: the suggestions left are untouched");
                    break 'suggestions;
                }
                Choice::Skip => {
                    output::note(ctx.quiet, format!("skipped {trigger}"));
                    break;
                }
                Choice::Refine(tags) => {
                    let again = analyse(Some(trigger), &tags)?;
                    line = again.triggers.into_iter().find(|t| t.trigger == trigger);
                    suggestion = again.proposals.into_iter().find(|p| p.trigger == trigger);
                    filter_tags = tags;
                }
                Choice::Accept(rationale) => {
                    let Some(s) = &suggestion else { break };
                    let under = if filter_tags.is_empty() {
                        String::new()
                    } else {
                        format!(" under {}", output::tags(&filter_tags))
                    };
                    let what = format!(
                        "{trigger} {} -> {}{under}",
                        number(s.current_threshold),
                        number(s.proposed_threshold)
                    );
                    if args.dry_run {
                        output::note(ctx.quiet, format!("{dry}would accept {what}"));
                        accepted += 1;
                    } else {
                        match accept(&*store, s, &filter_tags, &rationale, args.filter.min_n, at) {
                            Ok(outcome) => {
                                let superseded = outcome
                                    .superseded
                                    .map(|id| format!(", superseding proposal {id}"))
                                    .unwrap_or_default();
                                output::note(
                                    ctx.quiet,
                                    format!("proposal {} accepted: {what}{superseded}", outcome.proposal.id),
                                );
                                accepted += 1;
                            }
                            Err(e) => {
                                output::warn(format!("cannot accept {what}: {e:#}"));
                                failure.get_or_insert(e);
                            }
                        }
                    }
                    break;
                }
            }
        }
    }
    chooser.finish();
    let verb = if args.dry_run { "would accept" } else { "accepted" };
    output::note(ctx.quiet, format!("{dry}{verb} {} of {total}", count(accepted, "suggestion")));

    // The changelog, as skillnet 0.6 ended the walkthrough: every accepted change since the date
    // asked for (or since the SKILL.md's newest entry), not only this run's.
    let since = args.since.or_else(|| skill_md.as_ref().and_then(|md| md.newest));
    let changes = changelog::accepted_since(&*store, since)?;
    if let Some(md) = &skill_md {
        // The file's newest day is included, as in skillnet 0.6, so a change accepted later that
        // day is not lost; the entries of that day the file already holds are pointed out.
        let held: Vec<String> =
            changes.iter().map(changelog::heading).filter(|heading| md.holds(heading)).collect();
        if !held.is_empty() {
            output::note(
                ctx.quiet,
                format!(
                    "{} already holds {} of these changes: {}",
                    md.path.display(),
                    held.len(),
                    held.join("; ")
                ),
            );
        }
    }
    if args.dry_run {
        output::text("[DRY RUN]")?;
    }
    output::text(changelog::render_or_empty(&changes))?;
    failure.map_or(Ok(()), Err)
}

/// Where the answers come from: the terminal when asked to or when stdin is one, else the
/// decisions file (if any; a suggestion it does not decide is skipped, as in skillnet 0.6).
fn chooser(ctx: &Context, args: &WalkthroughArgs) -> anyhow::Result<Box<dyn Chooser>> {
    let terminal = std::io::stdin().is_terminal();
    if args.interactive && !terminal {
        return Err(UsageError(
            "--interactive asks on the terminal, and stdin is not one; pass --non-interactive \
             --decisions FILE to take the answers from a file"
                .into(),
        )
        .into());
    }
    if args.interactive || (terminal && !args.non_interactive) {
        return Ok(Box::new(Interactive { input: std::io::stdin().lock(), prompt: std::io::stderr() }));
    }
    match &args.decisions {
        Some(file) => Ok(Box::new(Scripted::read(file, ctx.quiet)?)),
        None => {
            if !args.non_interactive {
                output::note(
                    ctx.quiet,
                    "stdin is not a terminal, so nothing is asked and every suggestion is skipped; \
                     pass --non-interactive --decisions FILE to decide them from a file",
                );
            }
            Ok(Box::new(Scripted::none(ctx.quiet)))
        }
    }
}

/// A SKILL.md whose changelog the walkthrough continues.
#[derive(Debug)]
struct SkillMd {
    /// Where it is.
    path: std::path::PathBuf,
    /// Its lines, trimmed.
    lines: std::collections::HashSet<String>,
    /// The day of its newest changelog entry (unix seconds at 00:00 UTC).
    newest: Option<i64>,
}

impl SkillMd {
    fn read(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            let message = format!("cannot read the SKILL.md {}: {e}", path.display());
            if e.kind() == std::io::ErrorKind::NotFound {
                anyhow::Error::new(NotFoundError(message))
            } else {
                anyhow::Error::new(InputError(message))
            }
        })?;
        Ok(Self { path: path.to_owned(), ..Self::parse(&text) })
    }

    /// Changelog entries are level-3 headings that start with a day: `### 2026-05-24 — ...` as
    /// skillnet 0.6 and skillnet write them (the `### 2026-05-24: ...` headings of earlier skillnet
    /// builds count too). Dates elsewhere in the file are not entries.
    fn parse(text: &str) -> Self {
        let newest = text
            .lines()
            .filter_map(|line| {
                let rest = line.strip_prefix("### ")?;
                let (day, after) = (rest.get(..10)?, rest.get(10..)?);
                if !(after.starts_with(" \u{2014}") || after.starts_with(':')) {
                    return None;
                }
                crate::dates::parse_date(day).ok().filter(|_| day.len() == 10 && day.contains('-'))
            })
            .max();
        Self {
            path: std::path::PathBuf::new(),
            lines: text.lines().map(|l| l.trim().to_owned()).collect(),
            newest,
        }
    }

    /// Whether the file holds this line already.
    fn holds(&self, line: &str) -> bool {
        self.lines.contains(line)
    }
}

/// `raise threshold 4 -> 5`.
fn movement(s: &ProposalSuggestion) -> String {
    let verb = match s.action {
        skillnet_core::analysis::ProposalAction::LowerThreshold => "lower",
        skillnet_core::analysis::ProposalAction::RaiseThreshold => "raise",
    };
    format!("{verb} threshold {} -> {}", number(s.current_threshold), number(s.proposed_threshold))
}

/// Stores the suggestion as a proposal and accepts it. The proposal's rationale says what the
/// analysis suggested; `rationale` is the decision's.
fn accept(
    store: &dyn CalibrationStore,
    s: &ProposalSuggestion,
    filter_tags: &[Tag],
    rationale: &str,
    min_n: u64,
    at: i64,
) -> anyhow::Result<DecisionOutcome> {
    let request = ProposalRequest {
        trigger: s.trigger.clone(),
        filter_tags: filter_tags.to_vec(),
        threshold: Some(s.proposed_threshold),
        supporting_plan_ids: None,
        rationale: format!(
            "suggested by the analysis: {} (signal rate {}, fire rate {}, {})",
            movement(s),
            output::signal(Some(s.signal_rate)),
            output::rate(s.fire_rate),
            count(s.supporting_plan_ids.len(), "supporting plan"),
        ),
        min_n,
        at,
    };
    let proposal = store.propose(&request)?;
    let outcome = store.decide(proposal.id, Decision::Accept, rationale, at).map_err(|e| {
        anyhow::Error::new(e).context(format!("proposal {} was stored but is still pending", proposal.id))
    })?;
    Ok(outcome)
}

/// The suggestion in view, in a few lines.
fn describe(view: &View<'_>) -> String {
    let (n, total) = view.position;
    let head = format!("[{n}/{total}] {} (filter tags: {})", view.trigger, output::tags(view.filter_tags));
    let Some(line) = view.line else {
        return format!("{head}: no verified plan matches, nothing to propose");
    };
    let counts = format!(
        "{} (fire rate {}), signal rate {}; TP {}, FP {}, FN {}, TN {}",
        super::fires_and_misses(line.fires, line.misses),
        output::rate(line.fire_rate),
        output::signal(line.signal_rate),
        line.true_positives,
        line.false_positives,
        line.false_negatives,
        line.true_negatives
    );
    match view.suggestion {
        Some(s) => format!(
            "{head}: {}\n    {counts}\n    supporting plans: {}",
            movement(s),
            if s.supporting_plan_ids.is_empty() { "none".into() } else { s.supporting_plan_ids.join(", ") }
        ),
        None => format!("{head}: {}, nothing to propose\n    {counts}", line.verdict_text()),
    }
}

/// Asks on a terminal: prompts to `prompt`, answers read line by line from `input`. The end of
/// the input counts as quitting.
struct Interactive<R, W> {
    input: R,
    prompt: W,
}

impl<R: BufRead, W: Write> Interactive<R, W> {
    /// Prints `question` and reads one answer, trimmed; `None` at the end of the input.
    fn ask(&mut self, question: &str) -> anyhow::Result<Option<String>> {
        write!(self.prompt, "{question}")?;
        self.prompt.flush()?;
        let mut answer = String::new();
        if self.input.read_line(&mut answer)? == 0 {
            writeln!(self.prompt)?;
            return Ok(None);
        }
        Ok(Some(answer.trim().to_owned()))
    }
}

impl<R: BufRead, W: Write> Chooser for Interactive<R, W> {
    fn choose(&mut self, view: &View<'_>) -> anyhow::Result<Choice> {
        writeln!(self.prompt, "\n{}", describe(view))?;
        let can_accept = view.suggestion.is_some();
        let question = if can_accept {
            "accept, skip, refine filter tags, or quit? [a/s/r/q] "
        } else {
            "skip, refine filter tags, or quit? [s/r/q] "
        };
        loop {
            let Some(answer) = self.ask(question)? else { return Ok(Choice::Quit) };
            match answer.to_ascii_lowercase().as_str() {
                "a" | "accept" if can_accept => loop {
                    let Some(rationale) = self.ask("rationale (why accept it): ")? else {
                        return Ok(Choice::Quit);
                    };
                    if !rationale.is_empty() {
                        return Ok(Choice::Accept(rationale));
                    }
                    writeln!(self.prompt, "a rationale is required: it goes into the changelog")?;
                },
                "s" | "skip" => return Ok(Choice::Skip),
                "q" | "quit" => return Ok(Choice::Quit),
                "r" | "refine" => loop {
                    let Some(text) =
                        self.ask("filter tags (KEY=VALUE separated by spaces; empty for none): ")?
                    else {
                        return Ok(Choice::Quit);
                    };
                    let words: Vec<String> = text.split_whitespace().map(str::to_owned).collect();
                    match super::tags(&words) {
                        Ok(tags) => return Ok(Choice::Refine(tags)),
                        Err(e) => writeln!(self.prompt, "{e}")?,
                    }
                },
                _ => writeln!(
                    self.prompt,
                    "please answer {}",
                    if can_accept { "a, s, r or q" } else { "s, r or q" }
                )?,
            }
        }
    }
}

/// One entry of a decisions file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    /// The trigger whose suggestion this decides.
    trigger: String,
    /// `accept`, `skip`, `refine` (accept under `filter_tags`, which it requires) or `quit`
    /// (`action` in skillnet 0.6's files).
    #[serde(alias = "action")]
    decision: FileDecision,
    /// Why (the changelog's rationale); [`DEFAULT_RATIONALE`] when missing, as in skillnet 0.6.
    #[serde(default)]
    rationale: Option<String>,
    /// Analyse the trigger under these filter tags instead of the command line's, and decide the
    /// suggestion made under them: a list of `{key, value}`, or a `{key: value}` map as in
    /// skillnet 0.6's files.
    #[serde(default, deserialize_with = "tags_list_or_map")]
    filter_tags: Option<Vec<Tag>>,
}

/// Filter tags as a list of `{key, value}` pairs or as a `{key: value}` map.
fn tags_list_or_map<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Option<Vec<Tag>>, D::Error> {
    use serde::de::Error;
    match Option::<serde_json::Value>::deserialize(de)? {
        None => Ok(None),
        Some(serde_json::Value::Object(map)) => map
            .into_iter()
            .map(|(key, value)| match value {
                serde_json::Value::String(value) => Tag::new(key, value).map_err(D::Error::custom),
                other => Err(D::Error::custom(format!(
                    "the filter tag `{key}` has a value that is not text: {other}"
                ))),
            })
            .collect::<Result<_, _>>()
            .map(Some),
        Some(list) => serde_json::from_value(list).map(Some).map_err(D::Error::custom),
    }
}

/// The decisions a file can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum FileDecision {
    /// Accept the suggestion.
    Accept,
    /// Leave it.
    Skip,
    /// Accept the suggestion made under the entry's filter tags.
    Refine,
    /// Stop: this suggestion and the ones after it are left untouched.
    Quit,
}

/// The rationale of an accepting entry that gives none (skillnet 0.6's words).
const DEFAULT_RATIONALE: &str = "accepted by walkthrough";

/// Answers from a decisions file, matched to suggestions by trigger name. Suggestions without an
/// entry are skipped; entries without a suggestion are reported at the end.
#[derive(Debug)]
struct Scripted {
    file: String,
    entries: Vec<Entry>,
    used: Vec<bool>,
    quiet: bool,
}

impl Scripted {
    /// Reads and checks the whole file before anything is asked or written.
    fn read(path: &Path, quiet: bool) -> anyhow::Result<Self> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| InputError(format!("cannot read the decisions file {file}: {e}")))?;
        Self::parse(&text, file, quiet)
    }

    fn parse(text: &str, file: String, quiet: bool) -> anyhow::Result<Self> {
        let entries: Vec<Entry> =
            serde_json::from_str(text).map_err(|e| InputError(format!("decisions file {file}: {e}")))?;
        for (i, e) in entries.iter().enumerate() {
            let at = format!("decisions file {file}, entry {}", i + 1);
            if e.trigger.trim().is_empty() {
                return Err(InputError(format!("{at}: the trigger is empty")).into());
            }
            if e.rationale.as_deref().is_some_and(|r| r.trim().is_empty()) {
                return Err(InputError(format!("{at}: the rationale for `{}` is empty", e.trigger)).into());
            }
            if e.decision == FileDecision::Refine && e.filter_tags.as_ref().is_none_or(Vec::is_empty) {
                return Err(InputError(format!(
                    "{at}: `{}` is to be refined, but the entry has no filter_tags",
                    e.trigger
                ))
                .into());
            }
            for tag in e.filter_tags.iter().flatten() {
                Tag::new(tag.key.as_str(), tag.value.as_str())
                    .map_err(|err| InputError(format!("{at}: {err}")))?;
            }
            if let Some(first) = entries[..i].iter().position(|other| other.trigger == e.trigger) {
                return Err(InputError(format!(
                    "{at}: `{}` is decided twice (entries {} and {})",
                    e.trigger,
                    first + 1,
                    i + 1
                ))
                .into());
            }
        }
        Ok(Self { file, used: vec![false; entries.len()], entries, quiet })
    }

    /// No decisions at all: every suggestion is skipped.
    fn none(quiet: bool) -> Self {
        Self { file: String::new(), entries: Vec::new(), used: Vec::new(), quiet }
    }
}

impl Chooser for Scripted {
    fn choose(&mut self, view: &View<'_>) -> anyhow::Result<Choice> {
        let Some(i) = self.entries.iter().position(|e| e.trigger == view.trigger) else {
            if !self.file.is_empty() {
                output::note(self.quiet, format!("no decision for `{}` in {}", view.trigger, self.file));
            }
            return Ok(Choice::Skip);
        };
        self.used[i] = true;
        let entry = &self.entries[i];
        if let Some(tags) = &entry.filter_tags {
            if !same_filter(tags, view.filter_tags) {
                return Ok(Choice::Refine(tags.clone()));
            }
        }
        let rationale = entry.rationale.clone().unwrap_or_else(|| DEFAULT_RATIONALE.to_owned());
        Ok(match (entry.decision, view.suggestion) {
            (FileDecision::Quit, _) => Choice::Quit,
            (FileDecision::Skip, _) => Choice::Skip,
            (FileDecision::Accept | FileDecision::Refine, None) => {
                output::warn(format!(
                    "`{}` under filter tags {}: the analysis suggests no change, so nothing was accepted",
                    view.trigger,
                    output::tags(view.filter_tags)
                ));
                Choice::Skip
            }
            (FileDecision::Accept | FileDecision::Refine, Some(_)) => Choice::Accept(rationale),
        })
    }

    fn finish(&mut self) {
        let unused: Vec<&str> = self
            .entries
            .iter()
            .zip(&self.used)
            .filter(|(_, used)| !**used)
            .map(|(e, _)| e.trigger.as_str())
            .collect();
        if !unused.is_empty() {
            output::warn(format!(
                "{} names triggers the analysis made no suggestion for, ignored: {}",
                self.file,
                unused.join(", ")
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use skillnet_core::analysis::ProposalAction;

    fn suggestion() -> ProposalSuggestion {
        ProposalSuggestion {
            trigger: "long-serial-chain".into(),
            action: ProposalAction::RaiseThreshold,
            current_threshold: 4.0,
            proposed_threshold: 5.0,
            fire_rate: 2.0 / 3.0,
            signal_rate: 0.0,
            supporting_plan_ids: vec!["p-1".into()],
        }
    }

    fn view<'a>(tags: &'a [Tag], suggestion: Option<&'a ProposalSuggestion>) -> View<'a> {
        View { position: (1, 2), trigger: "long-serial-chain", filter_tags: tags, line: None, suggestion }
    }

    /// Feeds `answers` to an interactive chooser; returns its choice and what it printed.
    fn ask(answers: &str, suggestion: Option<&ProposalSuggestion>) -> (Choice, String) {
        let mut prompt = Vec::new();
        let mut chooser = Interactive { input: answers.as_bytes(), prompt: &mut prompt };
        let choice = chooser.choose(&view(&[], suggestion)).unwrap();
        (choice, String::from_utf8(prompt).unwrap())
    }

    #[test]
    fn interactive_answers() {
        let s = suggestion();
        let tag = |t: &str| t.parse::<Tag>().unwrap();
        #[rustfmt::skip]
        let cases = [
            ("a\nthe chain never stalls\n", Some(&s), Choice::Accept("the chain never stalls".into())),
            // A rationale is required: asked again.
            ("accept\n\n  \nbecause\n", Some(&s), Choice::Accept("because".into())),
            ("s\n", Some(&s), Choice::Skip),
            ("Q\n", Some(&s), Choice::Quit),
            // Unknown answers are asked again; the end of the input quits.
            ("maybe\n", Some(&s), Choice::Quit),
            ("", Some(&s), Choice::Quit),
            ("a\n", Some(&s), Choice::Quit),
            ("r\nflavor=codex team=core\n", Some(&s), Choice::Refine(vec![tag("flavor=codex"), tag("team=core")])),
            // A bad tag is asked again; an empty answer clears the filter tags.
            ("r\nBad=x\n\n", Some(&s), Choice::Refine(vec![])),
            // Nothing to accept: `a` is not an answer.
            ("a\ns\n", None, Choice::Skip),
        ];
        for (answers, suggestion, expected) in cases {
            assert_eq!(ask(answers, suggestion).0, expected, "{answers:?}");
        }
        let (_, printed) = ask("maybe\nr\nBad=x\n\n", Some(&s));
        assert!(
            printed.contains("[1/2] long-serial-chain (filter tags: none): no verified plan matches"),
            "{printed}"
        );
        assert!(printed.contains("please answer a, s, r or q"), "{printed}");
        assert!(printed.contains("invalid tag key `Bad`"), "{printed}");
        let (_, printed) = ask("x\n", None);
        assert!(printed.contains("please answer s, r or q"), "{printed}");
    }

    #[test]
    fn decisions_files_are_checked_whole_before_use() {
        let parse = |text: &str| Scripted::parse(text, "d.json".into(), true).map_err(|e| e.to_string());
        let ok = parse(
            r#"[{"trigger": "a", "decision": "accept", "rationale": "yes"},
                {"trigger": "b", "decision": "skip"},
                {"trigger": "c", "decision": "accept", "rationale": "narrower",
                 "filter_tags": [{"key": "flavor", "value": "codex"}]}]"#,
        )
        .unwrap();
        assert_eq!(ok.entries.len(), 3);
        // skillnet 0.6's files say `action` and give filter tags as a map.
        let old = parse(
            r#"[{"trigger": "a", "action": "accept", "rationale": "yes", "filter_tags": {"flavor": "codex"}},
                {"trigger": "b", "action": "skip"}]"#,
        )
        .unwrap();
        assert_eq!(old.entries[0].decision, FileDecision::Accept);
        assert_eq!(old.entries[0].filter_tags.as_ref().unwrap()[0].to_string(), "flavor=codex");
        assert_eq!(old.entries[1].decision, FileDecision::Skip);
        assert_eq!(ok.entries[2].filter_tags.as_ref().unwrap()[0].to_string(), "flavor=codex");
        #[rustfmt::skip]
        let bad = [
            ("{}", "decisions file d.json: invalid type: map, expected a sequence at line 1 column 0"),
            (r#"[{"trigger": "a", "decision": "maybe"}]"#, "unknown variant `maybe`, expected one of `accept`, `skip`, `refine`, `quit`"),
            (r#"[{"trigger": "a", "decision": "skip", "rational": "x"}]"#, "unknown field `rational`"),
            (r#"[{"trigger": "a", "decision": "accept", "rationale": " "}]"#, "decisions file d.json, entry 1: the rationale for `a` is empty"),
            (r#"[{"trigger": "a", "action": "refine", "rationale": "x"}]"#, "entry 1: `a` is to be refined, but the entry has no filter_tags"),
            (r#"[{"trigger": "a", "action": "refine", "filter_tags": {}}]"#, "entry 1: `a` is to be refined, but the entry has no filter_tags"),
            (r#"[{"trigger": " ", "decision": "skip"}]"#, "entry 1: the trigger is empty"),
            (r#"[{"trigger": "a", "decision": "skip", "filter_tags": [{"key": "Bad", "value": "x"}]}]"#, "invalid tag key `Bad`"),
            (r#"[{"trigger": "a", "decision": "skip", "filter_tags": [{"key": "team", "value": ""}]}]"#, "entry 1: invalid tag `team=`: the value is empty"),
            (r#"[{"trigger": "a", "decision": "skip"}, {"trigger": "a", "decision": "skip"}]"#, "entry 2: `a` is decided twice (entries 1 and 2)"),
        ];
        for (text, message) in bad {
            let err = parse(text).unwrap_err();
            assert!(err.contains(message), "{text}: {err}");
        }
    }

    #[test]
    fn scripted_answers_refine_first_then_decide() {
        let mut chooser = Scripted::parse(
            r#"[{"trigger": "long-serial-chain", "decision": "accept", "rationale": "ok",
                 "filter_tags": [{"key": "flavor", "value": "codex"}]}]"#,
            "d.json".into(),
            true,
        )
        .unwrap();
        let s = suggestion();
        let codex: Vec<Tag> = vec!["flavor=codex".parse().unwrap()];
        assert_eq!(chooser.choose(&view(&[], Some(&s))).unwrap(), Choice::Refine(codex.clone()));
        assert_eq!(chooser.choose(&view(&codex, Some(&s))).unwrap(), Choice::Accept("ok".into()));
        // No suggestion under the refined tags: nothing to accept.
        assert_eq!(chooser.choose(&view(&codex, None)).unwrap(), Choice::Skip);
        let other = View { trigger: "convergence-point", ..view(&[], Some(&s)) };
        assert_eq!(chooser.choose(&other).unwrap(), Choice::Skip);
        assert_eq!(chooser.used, [true]);
    }

    #[test]
    fn scripted_answers_as_skillnet_0_6_wrote_them() {
        let mut chooser = Scripted::parse(
            r#"[{"trigger": "long-serial-chain", "action": "accept"},
                {"trigger": "convergence-point", "action": "refine", "filter_tags": {"flavor": "codex"}},
                {"trigger": "phase-count", "action": "quit"}]"#,
            "d.json".into(),
            true,
        )
        .unwrap();
        let s = suggestion();
        let codex: Vec<Tag> = vec!["flavor=codex".parse().unwrap()];
        assert_eq!(chooser.choose(&view(&[], Some(&s))).unwrap(), Choice::Accept(DEFAULT_RATIONALE.into()));
        let refined = View { trigger: "convergence-point", ..view(&[], Some(&s)) };
        assert_eq!(chooser.choose(&refined).unwrap(), Choice::Refine(codex.clone()));
        let refined = View { trigger: "convergence-point", ..view(&codex, Some(&s)) };
        assert_eq!(chooser.choose(&refined).unwrap(), Choice::Accept(DEFAULT_RATIONALE.into()));
        let quit = View { trigger: "phase-count", ..view(&[], Some(&s)) };
        assert_eq!(chooser.choose(&quit).unwrap(), Choice::Quit);
        // Without a file, everything is skipped.
        assert_eq!(Scripted::none(true).choose(&view(&[], Some(&s))).unwrap(), Choice::Skip);
    }

    #[test]
    fn a_skill_md_changelog_starts_at_its_newest_entry() {
        let md = SkillMd::parse(
            "# Skill\n\nReleased 2030-01-01.\n\n## Calibration changelog\n\n\
             ### 2026-05-24 \u{2014} long-serial-chain: 4 \u{2192} 5\n\n- **Rationale**: x\n\n\
             ### 2026-06-01: `convergence-point` threshold 3 -> 4 (raise)\n\
             ### 2099-13-01 \u{2014} not a day\n### 2026-07-01 no separator\n",
        );
        assert_eq!(md.newest, Some(crate::dates::parse_date("2026-06-01").unwrap()));
        assert!(md.holds("### 2026-05-24 \u{2014} long-serial-chain: 4 \u{2192} 5"));
        assert!(!md.holds("### 2026-05-24 \u{2014} long-serial-chain: 5 \u{2192} 6"));
        assert_eq!(SkillMd::parse("no changelog\n").newest, None);
    }
}
