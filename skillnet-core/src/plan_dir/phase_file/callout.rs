//! The model callout of a phase file: the routing tier and the agent family it recommends.

use std::borrow::Cow;

use super::{front_matter_value, row_lines, Family, DEFAULT_TIER};
use crate::plan_dir::markdown::{plain_text, Block, Heading, Outline, Table};

/// The family a lower-case line names first: `codex` or a GPT model (`gpt-5.5`, GPT-5.6's
/// `astra`, `sol`, `terra`, `luna`) is Codex; `claude` or a Claude model (`fable`, `mythos`,
/// `opus`, `sonnet`, `haiku`) is Claude.
fn family_named(line: &str) -> Option<Family> {
    line.split(|c: char| !c.is_ascii_alphanumeric()).find_map(|word| {
        if word.contains("codex")
            || word.starts_with("gpt")
            || matches!(word, "astra" | "sol" | "terra" | "luna")
        {
            Some(Family::Codex)
        } else if word.contains("claude") || matches!(word, "sonnet" | "opus" | "haiku" | "fable" | "mythos")
        {
            Some(Family::Claude)
        } else {
            None
        }
    })
}

/// The first model callout ([`callout_lines`]): a line or heading with `recommended` and
/// `model`, or labelled with the model (`Model:`), that names Codex or Claude, or one of their
/// models; its tier is the one the words after "model" name, else the one a reasoning-effort
/// line right under it names (`Reasoning effort: high`), else a Claude model's, else medium.
/// Without one, the front matter's model and reasoning effort ([`front_matter_tier`]); failing
/// that, the first line labelled with the agent that runs the phase ([`Label::Agent`]) read the
/// same way; failing that, the first line with `recommended` that names a tier but another
/// family (`Recommended model: DeepSeek V4 high`) gives that tier, and no family.
pub(super) fn callout(outline: &Outline) -> Option<(&'static str, Option<Family>)> {
    let named = |label| {
        callout_lines(outline, label).find_map(|(line, next)| {
            let family = family_named(&line)?;
            Some((callout_tier(&line, next.as_deref()).unwrap_or(DEFAULT_TIER), Some(family)))
        })
    };
    // A line only labelled `Model:` counts when it names a family.
    let recommended = |(line, next): (String, Option<String>)| {
        line.contains("recommended").then(|| Some((callout_tier(&line, next.as_deref())?, None))).flatten()
    };
    named(Label::Model)
        .or_else(|| front_matter_tier(outline))
        .or_else(|| named(Label::Agent))
        .or_else(|| callout_lines(outline, Label::Model).find_map(recommended))
}

/// The tier and family a file's front matter states, read as a callout's: the family its
/// model names (`model:`, `recommended_model:`, `model_family:`), the tier its reasoning effort
/// names (`reasoning_effort:`, `effort:`, `reasoning:`, `thinking:`), else its model's;
/// `None` when it states neither.
fn front_matter_tier(outline: &Outline) -> Option<(&'static str, Option<Family>)> {
    let lower = |keys: &[&str]| front_matter_value(outline, keys).map(|value| value.to_lowercase());
    let model = lower(&["recommended_model", "model", "suggested_model", "model_family"]).unwrap_or_default();
    let effort = lower(&["reasoning_effort", "model_reasoning_effort", "effort", "reasoning", "thinking"]);
    let family = family_named(&model);
    let tier =
        effort.as_deref().and_then(tier_word).or_else(|| tier_word(&model)).or_else(|| model_tier(&model));
    (tier.is_some() || family.is_some()).then(|| (tier.unwrap_or(DEFAULT_TIER), family))
}

/// What a callout line is labelled with: the model a phase runs on (a callout proper), or the
/// agent that runs it (`**Agent:** Codex (gpt-5.5, high)`), read only when nothing names the
/// model's family.
#[derive(Debug, Clone, Copy)]
enum Label {
    Model,
    Agent,
}

impl Label {
    /// Whether a lower-case line (or one of a block's lines) is a callout with this label: it
    /// opens with the label (`Model:`, `Suggested model:`, `Agent:`), or, for a model, has
    /// `recommended` and `model` in it.
    fn is_callout(self, line: &str) -> bool {
        matches!(self, Self::Model) && line.contains("recommended") && line.contains("model")
            || line.lines().any(|line| line.split_once(':').is_some_and(|(label, _)| self.labels(label)))
    }

    /// Whether a lower-case label is this one ([`is_label`]).
    fn labels(self, label: &str) -> bool {
        match self {
            Self::Model => is_label(label, "model"),
            Self::Agent => is_label(label, "agent"),
        }
    }
}

/// Whether a lower-case label names the model (`word` = `model`) or the agent a phase runs on:
/// `Model`, `Recommended Codex model`, `2. Suggested model`, `Model / effort`, `Provider /
/// model`, `Agent`, `Suggested agent`; not `Data model`, `The model` or `User agent`.
fn is_label(label: &str, word: &str) -> bool {
    const WORDS: [&str; 16] = [
        "recommended",
        "suggested",
        "preferred",
        "target",
        "default",
        "agent",
        "provider",
        "llm",
        "ai",
        "codex",
        "claude",
        "model",
        "tier",
        "effort",
        "reasoning",
        "and",
    ];
    if !label.contains(word) {
        return false;
    }
    let mut label_words = words(label).filter(|word| !word.chars().all(|c| c.is_ascii_digit()));
    words(label).any(|named| named == word) && label_words.all(|word| WORDS.contains(&word))
}

/// Every callout line (lower case) in document order, each with the line right under it. The
/// callout lines are the lines of the text blocks, the headings and the table rows that are
/// callouts (skillnet 0.6 reads a callout wherever it stands); see [`block_callouts`],
/// [`heading_callout`] and [`row_callouts`].
fn callout_lines(outline: &Outline, label: Label) -> impl Iterator<Item = (String, Option<String>)> + '_ {
    let mut others: Vec<(usize, String, Option<String>)> = outline
        .headings
        .iter()
        .filter(|heading| {
            let title = heading.title.to_lowercase();
            label.is_callout(&title) || label.labels(title.trim_end().trim_end_matches(':'))
        })
        .filter_map(|heading| {
            heading_callout(outline, heading, label).map(|(line, under)| (heading.start, line, under))
        })
        .chain(outline.tables.iter().flat_map(|table| row_callouts(table, label)))
        .collect();
    others.sort_by_key(|(start, ..)| *start);
    let mut others = others.into_iter().peekable();
    let mut blocks = outline.blocks.iter().enumerate().peekable();
    // The text blocks are read lazily: the first callout is usually near the top.
    std::iter::from_fn(move || match (others.peek(), blocks.peek()) {
        (Some((start, ..)), next) if next.is_none_or(|(_, block)| *start < block.start) => {
            others.next().map(|(_, line, under)| vec![(line, under)])
        }
        _ => blocks.next().map(|(index, block)| block_callouts(outline, index, block, label)),
    })
    .flatten()
}

/// The rows of a table that are callouts, header row included, each as a line (lower case, see
/// [`row_lines`]) with where it starts and the next row under it.
fn row_callouts(table: &Table, label: Label) -> Vec<(usize, String, Option<String>)> {
    let rows: Vec<(usize, String)> =
        row_lines(table).map(|(start, line)| (start, line.to_lowercase())).collect();
    let callouts = rows.iter().enumerate().filter(|(_, (_, line))| label.is_callout(line));
    callouts
        .map(|(at, (start, line))| (*start, line.clone(), rows.get(at + 1).map(|(_, next)| next.clone())))
        .collect()
}

/// The callout lines of text block `index`, each with the line right under it: the next line
/// of the block, else the first line of the next block when no heading stands between them.
fn block_callouts(
    outline: &Outline,
    index: usize,
    block: &Block,
    label: Label,
) -> Vec<(String, Option<String>)> {
    let text = plain_text(&block.pieces).to_lowercase();
    if !label.is_callout(&text) {
        return Vec::new();
    }
    let lines: Vec<&str> = text.lines().collect();
    let found = lines.iter().enumerate().filter(|(_, line)| label.is_callout(line));
    found
        .map(|(at, line)| {
            let next =
                lines.get(at + 1).map(|next| (*next).to_owned()).or_else(|| first_line_under(outline, index));
            ((*line).to_owned(), next)
        })
        .collect()
}

/// A callout heading as a callout line, with the line right under it, or when that line says
/// nothing of reasoning effort, the first line of its section that does (a fence holding
/// `GPT-5.6 Sol` over `Reasoning: High`). A heading that only names the callout (`## Recommended
/// model`, `## 3. Recommended Codex model:`) has its model on the first line under it: that line
/// is read as the rest of the callout, or the first line of a fence right under it.
fn heading_callout(outline: &Outline, heading: &Heading, label: Label) -> Option<(String, Option<String>)> {
    let title = heading.title.to_lowercase();
    // The first text block under the heading.
    let under = outline.blocks.partition_point(|block| block.start < heading.end);
    let is_label = label.labels(title.trim_end().trim_end_matches(':'));
    let (line, next) = if is_label {
        // Its first text block, or the fence that comes before any.
        let section_end =
            outline.headings.iter().find(|h| h.start > heading.start).map_or(usize::MAX, |h| h.start);
        let block = outline.blocks.get(under).filter(|block| block.start < section_end);
        let fence = outline.code_blocks.iter().find(|code| (heading.end..section_end).contains(&code.start));
        let (text, from_block) = match (block, fence) {
            (Some(block), Some(code)) if code.start < block.start => (code.text.to_lowercase(), false),
            (Some(block), _) => (plain_text(&block.pieces).to_lowercase(), true),
            (None, Some(code)) => (code.text.to_lowercase(), false),
            (None, None) => return None,
        };
        let mut lines = text.lines();
        let line = format!("{title} {}", lines.next().unwrap_or_default());
        let below = || from_block.then(|| first_line_under(outline, under)).flatten();
        (line, lines.next().map(str::to_owned).or_else(below))
    } else {
        (title, first_line_after(outline, heading.start, under))
    };
    // The reasoning effort may come further down its section, in a fence too.
    let next = match next.as_deref().and_then(effort_tier) {
        Some(_) => next,
        None => effort_line_under(outline, heading).or(next),
    };
    Some((line, next))
}

/// The first line about reasoning effort ([`effort_tier`]) between a heading and the next
/// heading, in its text blocks or its code blocks, lower case.
fn effort_line_under(outline: &Outline, heading: &Heading) -> Option<String> {
    let end = outline.headings.iter().find(|h| h.start > heading.start).map_or(usize::MAX, |h| h.start);
    let body = heading.end..end;
    let blocks =
        outline.blocks_in(body.clone()).map(|block| (block.start, Cow::Owned(plain_text(&block.pieces))));
    let code = outline.code_blocks.iter().filter(|code| body.contains(&code.start));
    let mut texts: Vec<(usize, Cow<'_, str>)> =
        blocks.chain(code.map(|code| (code.start, Cow::Borrowed(code.text.as_str())))).collect();
    texts.sort_by_key(|(start, _)| *start);
    let lines = texts.iter().flat_map(|(_, text)| text.lines()).map(str::to_lowercase);
    lines.into_iter().find(|line| effort_tier(line).is_some())
}

/// The first line (lower case) of the text block after block `index`, when no heading stands
/// between them.
fn first_line_under(outline: &Outline, index: usize) -> Option<String> {
    first_line_after(outline, outline.blocks.get(index)?.start, index + 1)
}

/// The first line (lower case) of text block `index`, when no heading stands between offset
/// `from` and it.
fn first_line_after(outline: &Outline, from: usize, index: usize) -> Option<String> {
    let block = outline.blocks.get(index)?;
    if outline.heading_between(from, block.start) {
        return None;
    }
    plain_text(&block.pieces).lines().next().map(str::to_lowercase)
}

/// The tier of a callout line (lower case): the tier word after "model" (after "agent" on an
/// agent's line that names no model), else the one the line under it names when that line is
/// about reasoning effort (`reasoning effort: high`, `reasoning: xhigh`, `effort: low`,
/// `thinking: high`), else a Claude model's.
fn callout_tier(line: &str, next: Option<&str>) -> Option<&'static str> {
    let at = line
        .find("model")
        .map(|at| at + "model".len())
        .or_else(|| line.find("agent").map(|at| at + "agent".len()));
    let after_model = at.map_or("", |at| &line[at..]);
    tier_word(after_model).or_else(|| effort_tier(next?)).or_else(|| model_tier(after_model))
}

/// The tier a lower-case line about reasoning effort names (`reasoning effort: high`,
/// `reasoning: xhigh`, `effort: low`, `thinking: high`).
fn effort_tier(line: &str) -> Option<&'static str> {
    let first = line.split(|c: char| !c.is_ascii_alphanumeric()).find(|w| !w.is_empty())?;
    matches!(first, "reasoning" | "effort" | "thinking").then(|| tier_word(line)).flatten()
}

/// The first of `low`, `medium`, `high`, `max`, `xhigh` (= `max`, also spelled `x-high` or
/// `extra high`) among a lower-case text's words; the efforts above `xhigh`, GPT's `ultra` and
/// Claude Code's `ultracode`, are `max` too.
fn tier_word(text: &str) -> Option<&'static str> {
    let mut before = "";
    words(text).find_map(|word| {
        let tier = match word {
            "low" => Some("low"),
            "medium" => Some("medium"),
            "high" if matches!(before, "x" | "extra") => Some("max"),
            "high" => Some("high"),
            "max" | "xhigh" | "ultra" | "ultracode" => Some("max"),
            _ => None,
        };
        before = word;
        tier
    })
}

/// The tier of the first Claude model a lower-case text names: `haiku` low, `sonnet` medium,
/// `opus` high, `fable` and `mythos` (above Opus) max.
fn model_tier(text: &str) -> Option<&'static str> {
    words(text).find_map(|word| match word {
        "haiku" => Some("low"),
        "sonnet" => Some("medium"),
        "opus" => Some("high"),
        "fable" | "mythos" => Some("max"),
        _ => None,
    })
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty())
}

/// The tier and family a README's Model cell gives (`GPT 5.5 high`, `5.4 / medium`), for a
/// phase whose file has no callout; `None` when it names no tier (`mixed (see phase README)`).
pub fn model_cell(cell: &str) -> Option<(&'static str, Option<Family>)> {
    let lower = cell.to_lowercase();
    Some((tier_word(&lower).or_else(|| model_tier(&lower))?, family_named(&lower)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan_dir::phase_file::{parse, parse_with_dependencies};

    /// The tier and family of a phase file.
    fn read(text: &str) -> (String, Option<Family>) {
        let file = parse(text);
        (file.routing_tier, file.family)
    }

    /// The tier and family of a phase file whose callout is `callout`.
    fn tier(callout: &str) -> (String, Option<Family>) {
        read(&format!("# P\n\n> **{callout}**\n"))
    }

    #[test]
    fn callouts_give_the_tier_and_family() {
        assert_eq!(tier("Recommended Codex model: GPT 5.5 high"), ("high".into(), Some(Family::Codex)));
        assert_eq!(tier("recommended codex model: gpt-5.5 xhigh"), ("max".into(), Some(Family::Codex)));
        for spelled in ["x-high", "X-High", "extra high", "extra-high"] {
            let callout = format!("Recommended Codex model: GPT 5.5 {spelled}");
            assert_eq!(tier(&callout), ("max".into(), Some(Family::Codex)), "{spelled}");
        }
        assert_eq!(
            tier("Recommended Codex model: GPT 5.5, very high care"),
            ("high".into(), Some(Family::Codex))
        );
        assert_eq!(
            tier("Recommended Codex model: GPT 5.5 medium (maximum care)"),
            ("medium".into(), Some(Family::Codex))
        );
        assert_eq!(
            tier("Recommended Claude model: Opus — thinking high"),
            ("high".into(), Some(Family::Claude))
        );
        assert_eq!(tier("Recommended Claude model: Sonnet"), ("medium".into(), Some(Family::Claude)));
        assert_eq!(tier("Recommended Claude model: Haiku"), ("low".into(), Some(Family::Claude)));
        assert_eq!(tier("Some model note"), ("medium".into(), None));
    }

    #[test]
    fn a_callout_may_name_the_model_instead_of_its_family() {
        assert_eq!(
            tier("Recommended model for merge/orchestration: GPT 5.5 high"),
            ("high".into(), Some(Family::Codex))
        );
        assert_eq!(tier("Recommended model: gpt-5.5 (reasoning: low)"), ("low".into(), Some(Family::Codex)));
        assert_eq!(tier("Recommended model: Opus 4.1"), ("high".into(), Some(Family::Claude)));
        assert_eq!(tier("Recommended model: any"), ("medium".into(), None));
    }

    #[test]
    fn newer_models_and_efforts_are_known() {
        let codex = |tier: &str| (tier.to_owned(), Some(Family::Codex));
        let claude = |tier: &str| (tier.to_owned(), Some(Family::Claude));
        // Claude's Fable and Mythos stand above Opus; GPT-5.6 is Astra, Sol, Terra or Luna.
        assert_eq!(tier("Recommended model: Fable 5"), claude("max"));
        assert_eq!(tier("Recommended model: claude-mythos-5"), claude("max"));
        assert_eq!(tier("Recommended model: Sol High"), codex("high"));
        assert_eq!(tier("Recommended model: `Luna Max`"), codex("max"));
        assert_eq!(tier("Recommended model: GPT-5.6 Terra"), codex("medium"));
        // `ultra` (GPT) and `ultracode` (Claude Code) are efforts above `xhigh`.
        assert_eq!(tier("Recommended Codex model: GPT-5.6 Sol, ultra"), codex("max"));
        assert_eq!(read("# P\n\n**Model:** Opus 5\n**Effort:** ultracode\n"), claude("max"));
        // Other words stay words: a moon, a sun, a fable in prose.
        assert_eq!(read("# P\n\nThe Luna release had a fable about the sol.\n"), ("medium".into(), None));
    }

    #[test]
    fn a_callout_naming_another_family_gives_its_tier_without_a_family() {
        assert_eq!(tier("Recommended model: DeepSeek V4 high"), ("high".into(), None));
        assert_eq!(
            tier("Recommended Model & Thinking Budget: Tier 2 — Gemini 3.1 Pro (Low) or Gemini 3.8 Flash (High)"),
            ("low".into(), None)
        );
        // A callout that names a family still wins, wherever it stands.
        let file =
            parse("# P\n\nRecommended model: Gemini 3.1 Pro, low\n\n> **Recommended Claude model: Opus**\n");
        assert_eq!((file.routing_tier.as_str(), file.family), ("high", Some(Family::Claude)));
    }

    #[test]
    fn a_line_labelled_agent_that_names_a_family_is_a_callout() {
        let high = ("high".to_owned(), Some(Family::Codex));
        assert_eq!(read("# P\n\n**Agent:** Codex (gpt-5.5, high effort)\n**Branch:** x\n"), high);
        assert_eq!(read("# P\n\n- **Suggested agent**: codex high\n"), high);
        assert_eq!(read("# P\n\n**Agent:** Claude Code (Opus)\n"), ("high".into(), Some(Family::Claude)));
        assert_eq!(read("# P\n\n**Agent:** Codex\n"), ("medium".into(), Some(Family::Codex)));
        // A callout wins over it, wherever it stands.
        let both = "# P\n\n**Agent:** Codex high\n\n> **Recommended Claude model: Sonnet**\n";
        assert_eq!(read(both), ("medium".into(), Some(Family::Claude)));
        // An agent that names no family, or another label, is not one.
        for other in ["**Agent:** backend-architect, high priority", "User agent: Claude crawler, high load"]
        {
            assert_eq!(read(&format!("# P\n\n{other}\n")), ("medium".into(), None), "{other}");
        }
    }

    #[test]
    fn a_line_labelled_model_that_names_a_family_is_a_callout() {
        let high = ("high".to_owned(), Some(Family::Codex));
        assert_eq!(read("# P\n\n**Model:** Codex GPT 5.5 high\n"), high);
        assert_eq!(read("# P\n\n- **Suggested model**: `gpt-5.5`, high\n"), high);
        assert_eq!(read("# P\n\n| Model | Codex (high) |\n|---|---|\n"), high);
        assert_eq!(read("# P\n\n## Model\n\nCodex, high reasoning.\n"), high);
        assert_eq!(read("# P\n\n## Agent model\n\nClaude Opus\n"), ("high".into(), Some(Family::Claude)));
        assert_eq!(read("# P\n\nPreferred model: Sonnet\n"), ("medium".into(), Some(Family::Claude)));
        let provider = "# P\n\n**Provider / Model:** claude-cli / opus  \n**Tools:** Read\n";
        assert_eq!(read(provider), ("high".into(), Some(Family::Claude)));
        // Without a family, or under another label, it is not one.
        for other in [
            "**Model:** high-level sketch of the data",
            "Data model: GPT conversation record, high volume",
            "The model: Claude writes the tests",
            "## Model\n\nThe `User` model, high priority.",
            "| Phase | Model |\n|---|---|\n| 02 | Codex high |",
        ] {
            assert_eq!(read(&format!("# P\n\n{other}\n")), ("medium".into(), None), "{other}");
        }
    }

    #[test]
    fn a_heading_may_be_the_callout() {
        let high = ("high".to_owned(), Some(Family::Codex));
        // skillnet 0.6 reads the first callout line wherever it stands, headings included.
        assert_eq!(read("# P\n\n## Recommended Codex model: GPT 5.5 high\n\nText.\n"), high);
        assert_eq!(
            read("# P\n\n### Recommended Claude model — Opus\n"),
            ("high".into(), Some(Family::Claude))
        );
        // A callout paragraph right over a `---` rule is, to Markdown, a heading.
        assert_eq!(read("# P\n\n**Recommended Codex model: GPT 5.5 low**\n---\n\nText.\n").0, "low");
        // A heading that only says "recommended model" has its model in the lines under it.
        assert_eq!(read("# P\n\n## Recommended model\n\nCodex GPT-5.5, high reasoning\n"), high);
        assert_eq!(
            read("# P\n\n## 3. Recommended Codex model:\n\n- GPT-5.5\n- Reasoning effort: high\n"),
            high
        );
        assert_eq!(
            read("# P\n\n## Recommended Codex model\n\nGPT-5.5 (`gpt-5.5`)\nReasoning effort: xhigh\n"),
            ("max".into(), Some(Family::Codex))
        );
        // Its section may give the reasoning effort further down, in a fence too.
        let fenced = "# P\n\n# 7. Recommended Codex model for Phase 16\n\nPhase 16 is harder than 15.\n\n\
                      Recommended:\n\n```text\nGPT-5.6 Sol\nReasoning: High\n```\n\nFallback:\n\n\
                      ```text\nGPT-5.6 Terra\nReasoning: Medium\n```\n";
        assert_eq!(read(fenced), high);
        // A heading that only names the callout may have its model in a fence right under it.
        let model_in_a_fence =
            "# P\n\n## Recommended Codex model\n\n```text\nGPT-5.6 Sol\nReasoning: High\n```\n\n\
                                ## Steps\n\nReasoning: low, then review.\n";
        assert_eq!(read(model_in_a_fence), high);
        // The body of another section is not the model, nor its effort.
        assert_eq!(
            read("# P\n\n## Recommended model\n\n## Steps\n\nUse Codex, high care.\n"),
            ("medium".into(), None)
        );
        let later = "# P\n\n## Recommended Codex model\n\nGPT-5.5\n\n## Steps\n\nReasoning effort: low\n";
        assert_eq!(read(later), ("medium".into(), Some(Family::Codex)));
        // A heading that only mentions a model does not take its section's words.
        assert_eq!(
            read("# P\n\n## Why not the recommended model\n\nThe stakes are high.\n"),
            ("medium".into(), None)
        );
        // The first callout wins, heading or not.
        let first =
            "# P\n\n> **Recommended Codex model: GPT 5.5 low**\n\n## Recommended Codex model: GPT 5.5 max\n";
        assert_eq!(read(first).0, "low");
    }

    #[test]
    fn a_key_and_value_table_row_may_be_the_callout_or_the_dependencies() {
        // skillnet 0.6 reads a callout on any line, a table row's included.
        let fields = "# P\n\n| Field | Value |\n|---|---|\n| Status | ready |\n\
                      | **Recommended Codex model** | GPT 5.5 |\n| Reasoning effort | high |\n\
                      | Depends on | 01, 02 |\n";
        assert_eq!(read(fields), ("high".into(), Some(Family::Codex)));
        assert_eq!(parse_with_dependencies(fields).depends.as_deref(), Some("01, 02"));
        // The header row may be the first pair.
        let header = "# P\n\n| Recommended model | Opus |\n|---|---|\n| Blocked by | — |\n";
        assert_eq!(read(header), ("high".into(), Some(Family::Claude)));
        assert_eq!(parse_with_dependencies(header).depends.as_deref(), Some("—"));
        // A table of models is not a callout, nor are its rows dependencies.
        let models =
            "# P\n\n| Phase | Recommended model | Depends on |\n|---|---|---|\n| 02 | Codex high | 01 |\n";
        assert_eq!(read(models), ("medium".into(), None));
        assert_eq!(parse_with_dependencies(models).depends, None);
        // A line before the table wins.
        let both = "# P\n\n> **Recommended Codex model: GPT 5.5 low**\n\n| Recommended model | GPT 5.5 max |\n|---|---|\n";
        assert_eq!(read(both).0, "low");
    }

    #[test]
    fn a_reasoning_effort_line_right_under_a_callout_gives_its_tier() {
        let high = ("high".to_owned(), Some(Family::Codex));
        // A ticket's header lines: the model, then its reasoning effort.
        let ticket = "# 01: Align\n\nStatus: ready\nRecommended model: GPT-5.6 Luna (`gpt-5.6-luna`)\n\
                      Reasoning effort: high\n\n## Parent\n";
        assert_eq!(read(ticket), high);
        // In a quote, as the paragraph after the callout.
        assert_eq!(
            read("# P\n\n> **Recommended Codex model:** GPT-5.5\n>\n> **Reasoning:** xhigh\n"),
            ("max".into(), Some(Family::Codex))
        );
        assert_eq!(
            read("# P\n\n- Recommended model: gpt-5.5\n- Effort: low\n"),
            ("low".into(), Some(Family::Codex))
        );
        // It names the tier before a Claude model's name does.
        assert_eq!(
            read("# P\n\nRecommended Claude model: Sonnet\nThinking: high\n"),
            ("high".into(), Some(Family::Claude))
        );
        assert_eq!(
            read("# P\n\nRecommended model: DeepSeek V4\nReasoning effort: max\n"),
            ("max".into(), None)
        );
        // The callout's own tier wins.
        assert_eq!(
            read("# P\n\nRecommended Codex model: GPT 5.5 low\nReasoning effort: high\n"),
            ("low".into(), Some(Family::Codex))
        );
        // Only the very next line, and only one about effort.
        let medium = ("medium".to_owned(), Some(Family::Codex));
        assert_eq!(read("# P\n\nRecommended Codex model: GPT-5.5\nPriority: high\n"), medium);
        assert_eq!(
            read("# P\n\nRecommended Codex model: GPT-5.5\nRationale: bounded.\nReasoning effort: high\n"),
            medium
        );
        // Not across a heading.
        assert_eq!(read("# P\n\nRecommended Codex model: GPT-5.5\n\n## Steps\n\nEffort: high\n"), medium);
    }

    #[test]
    fn front_matter_gives_the_tier_and_family_when_no_callout_names_a_family() {
        let front = |lines: &str| read(&format!("---\n{lines}\n---\n\n# Phase 03\n\nText.\n"));
        assert_eq!(front("model: claude-opus-4-7"), ("high".into(), Some(Family::Claude)));
        assert_eq!(
            front("model: claude-opus-4-7\nreasoning_effort: medium"),
            ("medium".into(), Some(Family::Claude))
        );
        assert_eq!(
            front("llm:\n  model: gpt-5.5\n  reasoning_effort: xhigh"),
            ("max".into(), Some(Family::Codex))
        );
        assert_eq!(front("recommended_model: sonnet"), ("medium".into(), Some(Family::Claude)));
        assert_eq!(front("effort: low"), ("low".into(), None));
        assert_eq!(front("recommended_model: deep-reasoning\nstatus: draft"), ("medium".into(), None));
        // What the model was, not what it should be, says nothing.
        assert_eq!(front("actual_model: Codex GPT-5 high"), ("medium".into(), None));
        // A callout that names a family wins; front matter wins over one that does not.
        let both = "---\nmodel: haiku\n---\n\n> **Recommended Codex model: GPT 5.5 high**\n";
        assert_eq!(read(both), ("high".into(), Some(Family::Codex)));
        let other = "---\nmodel: haiku\n---\n\nRecommended model: DeepSeek V4 max\n";
        assert_eq!(read(other), ("low".into(), Some(Family::Claude)));
    }

    #[test]
    fn a_callout_inside_a_fence_is_not_read() {
        let file = parse("# P\n\n```\nRecommended Codex model: GPT 5.5 max\n```\n");
        assert_eq!(file.routing_tier, "medium");
    }
}
