//! The arrows of a Mermaid flowchart (a ` ```mermaid ` fence that opens with `graph` or
//! `flowchart`): each node's label, and which node each arrow leaves and which it enters. A
//! README may draw the order of its phases so (`P1[Phase 1: Core] --> P2[Phase 2: CLI]`), or in
//! a Gantt chart, whose tasks start after others (`section Phase 2` over `Build :p2, after p1,
//! 5d`).

use std::collections::BTreeMap;

/// One flowchart's nodes and arrows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flowchart {
    /// Each node's label by its id, as written inside its shape (`Phase 1: Core` for
    /// `P1[Phase 1: Core]`, `(["..."])` and `{{...}}` alike), the last one given where a node
    /// is labelled twice; a node never labelled is labelled with its id.
    pub labels: BTreeMap<String, String>,
    /// The arrows, from the id of the node they leave to the id of the node they point at
    /// (`A <-- B` is `B` to `A`); links without a head (`A --- B`) are not arrows.
    pub arrows: Vec<(String, String)>,
}

/// The flowchart a Mermaid code block draws; `None` for any other kind of diagram (a sequence
/// diagram, a Gantt chart, ...). Statements it does not read (`subgraph`, `style`, `click`, a
/// node in the newer `A@{ ... }` form) add nothing.
pub fn flowchart(code: &str) -> Option<Flowchart> {
    let (keyword, after, lines) = diagram(code)?;
    if !matches!(keyword, "graph" | "flowchart") {
        return None;
    }
    // The rest of the first line is the direction, then maybe statements after a `;`.
    let on_first_line = after.split_once(';').map(|(_, statements)| statements);
    let mut chart = Flowchart::default();
    for statement in on_first_line.into_iter().chain(lines).flat_map(statements) {
        chart.read(statement);
    }
    Some(chart)
}

/// The order a Mermaid Gantt chart draws, as a flowchart: each task a node labelled by its
/// section (`section Phase 2` over `Build :p2, after p1, 5d`), or by its name outside one, and
/// an arrow to it from each task it starts after. `None` for any other kind of diagram.
pub fn gantt(code: &str) -> Option<Flowchart> {
    const SETTINGS: [&str; 13] = [
        "title",
        "dateFormat",
        "axisFormat",
        "tickInterval",
        "excludes",
        "includes",
        "todayMarker",
        "weekday",
        "weekend",
        "inclusiveEndDates",
        "topAxis",
        "displayMode",
        "click",
    ];
    const TAGS: [&str; 4] = ["active", "done", "crit", "milestone"];
    let (keyword, _, lines) = diagram(code)?;
    if keyword != "gantt" {
        return None;
    }
    let mut chart = Flowchart::default();
    let mut section = None;
    for (at, line) in lines.enumerate() {
        let first = line.split_whitespace().next().unwrap_or_default();
        if first == "section" {
            section = Some(line["section".len()..].trim());
            continue;
        }
        let Some((name, meta)) = line.split_once(':').filter(|_| !SETTINGS.contains(&first)) else {
            continue;
        };
        // `[tags,] [id,] [start,] end`, where the start may be `after` other tasks.
        let items = meta.split(',').map(str::trim).filter(|item| !TAGS.contains(item));
        let (after, rest): (Vec<&str>, Vec<&str>) = items.partition(|item| item.starts_with("after "));
        let with_id = if after.is_empty() { 3 } else { 2 };
        let id = match rest.first() {
            Some(id) if rest.len() == with_id => (*id).to_owned(),
            // A task without an id: none can start after it, but it may start after others.
            _ => format!("\u{0}{at}"),
        };
        chart.labels.insert(id.clone(), section.unwrap_or(name.trim()).to_owned());
        for before in after.iter().flat_map(|item| item["after ".len()..].split_whitespace()) {
            chart.arrows.push((before.to_owned(), id.clone()));
        }
    }
    Some(chart)
}

/// The keyword a Mermaid diagram opens with (`flowchart`, `gantt`) after its front matter
/// (`---`, `title: ...`, `---`), the rest of that line, and its other lines, trimmed, without
/// blank lines and comments.
fn diagram(code: &str) -> Option<(&str, &str, impl Iterator<Item = &str>)> {
    let mut lines = code.lines().map(str::trim).filter(|line| !line.is_empty() && !line.starts_with("%%"));
    let mut first = lines.next()?;
    if first == "---" {
        lines.by_ref().find(|line| *line == "---")?;
        first = lines.next()?;
    }
    let keyword_end = first.find(|c: char| c.is_whitespace() || c == ';').unwrap_or(first.len());
    let (keyword, after) = first.split_at(keyword_end);
    Some((keyword, after, lines))
}

/// The statements of a line: its parts between semicolons outside shapes and quotes.
fn statements(line: &str) -> impl Iterator<Item = &str> {
    let mut parts = Vec::new();
    let (mut depth, mut quoted, mut start) = (0_usize, false, 0);
    for (at, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '[' | '(' | '{' if !quoted => depth += 1,
            ']' | ')' | '}' if !quoted => depth = depth.saturating_sub(1),
            ';' if !quoted && depth == 0 => {
                parts.push(&line[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    parts.push(&line[start..]);
    parts.into_iter().map(str::trim).filter(|part| !part.is_empty())
}

/// Which way a link points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Head {
    /// `A --> B`: from A to B.
    Forward,
    /// `A <-- B`: from B to A.
    Backward,
    /// `A --- B`, `A <--> B`, `A ~~~ B`: no one way.
    None,
}

impl Flowchart {
    /// Reads one statement: nodes (several joined by `&`) and the links between them, a chain
    /// of any length (`A --> B -.-> C`).
    fn read(&mut self, statement: &str) {
        let keyword = statement.split_whitespace().next().unwrap_or_default();
        let skipped = ["subgraph", "end", "classDef", "class", "style", "linkStyle", "click", "direction"];
        if skipped.contains(&keyword) {
            return;
        }
        let mut rest = statement;
        let mut before: Vec<String> = Vec::new();
        let mut head = Head::None;
        loop {
            let mut group = Vec::new();
            loop {
                let Some((id, label, after)) = node(rest.trim_start()) else { return };
                match label {
                    Some(label) => {
                        self.labels.insert(id.to_owned(), label);
                    }
                    None => {
                        self.labels.entry(id.to_owned()).or_insert_with(|| id.to_owned());
                    }
                }
                group.push(id.to_owned());
                rest = after.trim_start();
                match rest.strip_prefix('&') {
                    Some(after) => rest = after,
                    None => break,
                }
            }
            for from in &before {
                for to in &group {
                    match head {
                        Head::Forward => self.arrows.push((from.clone(), to.clone())),
                        Head::Backward => self.arrows.push((to.clone(), from.clone())),
                        Head::None => {}
                    }
                }
            }
            let Some((next_head, after)) = link(rest) else { return };
            (before, head, rest) = (group, next_head, after);
        }
    }
}

/// A node at the start of `text`: its id, its label when a shape gives one, and the text after
/// it (a `:::class` after the shape skipped).
fn node(text: &str) -> Option<(&str, Option<String>, &str)> {
    let (id, mut rest) = text.split_at(id_end(text));
    if id.is_empty() {
        return None;
    }
    let mut label = None;
    if let Some(opener) = rest.chars().next().filter(|c| matches!(c, '[' | '(' | '{' | '>')) {
        let (inner, after) = match shape_close(rest, opener) {
            Some(close) => (&rest[1..close], &rest[close + 1..]),
            None => (&rest[1..], ""),
        };
        label = Some(label_text(inner));
        rest = after;
    }
    if let Some(class) = rest.strip_prefix(":::") {
        let end = class.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-')).unwrap_or(class.len());
        rest = &class[end..];
    }
    Some((id, label, rest))
}

/// Where a node's id at the start of `text` ends: letters, digits and `_`, and a `-` between
/// two of them (`phase-1`; `A-->B` is `A` and an arrow).
fn id_end(text: &str) -> usize {
    let is_id_char = |c: char| c.is_alphanumeric() || c == '_';
    let mut chars = text.char_indices().peekable();
    let mut end = 0;
    while let Some((at, c)) = chars.next() {
        let joins =
            c == '-' && end == at && at > 0 && chars.peek().is_some_and(|&(_, next)| is_id_char(next));
        if !(is_id_char(c) || joins) {
            break;
        }
        end = at + c.len_utf8();
    }
    end
}

/// Where the closing bracket of the shape that opens `text` is: brackets are counted outside
/// quotes, and `>label]` (an asymmetric node) closes at its `]`. `None` when it never closes.
fn shape_close(text: &str, opener: char) -> Option<usize> {
    let (mut depth, mut quoted) = (0_usize, false);
    for (at, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            _ if quoted => {}
            ']' if opener == '>' => return Some(at),
            '[' | '(' | '{' => depth += 1,
            ']' | ')' | '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(at);
                }
            }
            _ => {}
        }
    }
    None
}

/// A label as it reads: the inner brackets and slashes of its shape (`(["..."])`, `[/.../]`),
/// quotes, Markdown emphasis and backticks dropped, and line breaks (`<br/>`, `\n`) as spaces.
fn label_text(inner: &str) -> String {
    let bare = inner.trim_matches(|c: char| matches!(c, '[' | ']' | '(' | ')' | '{' | '}' | '/' | '\\'));
    let mut text = bare.trim().trim_matches(|c: char| matches!(c, '"' | '\'' | '`')).to_owned();
    for line_break in ["<br/>", "<br />", "<br>", "\\n"] {
        text = text.replace(line_break, " ");
    }
    text.retain(|c| !matches!(c, '*' | '`'));
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A link at the start of `text` (after spaces): which way it points and the text after it
/// (and after its `|text|`, or, for `-- text -->`, after the text and the closing arrow).
fn link(text: &str) -> Option<(Head, &str)> {
    let text = text.trim_start();
    let is_link_char = |c: char| matches!(c, '-' | '=' | '.' | '<' | '>' | '~');
    let end = text.find(|c: char| !is_link_char(c)).unwrap_or(text.len());
    if end < 2 {
        return None;
    }
    let (mut run, mut rest) = text.split_at(end);
    // `--o` and `--x` end in a circle or a cross instead of an arrowhead.
    let mut ends_in_mark = false;
    if let Some(mark) = rest.strip_prefix(['o', 'x']).filter(|after| after.starts_with(char::is_whitespace)) {
        ends_in_mark = true;
        rest = mark;
    }
    // `-- text -->`, `-. text .->`, `== text ==>`: an opening run, then the text, then the link.
    if !ends_in_mark && matches!(run, "--" | "==" | "-.") && rest.starts_with(char::is_whitespace) {
        let closing = closing_run(rest)?;
        let after = &rest[closing..];
        let close_end = after.find(|c: char| !is_link_char(c)).unwrap_or(after.len());
        run = &after[..close_end];
        rest = &after[close_end..];
    }
    let rest = rest.trim_start();
    let rest = match rest.strip_prefix('|') {
        Some(label) => label.find('|').map_or("", |close| &label[close + 1..]),
        None => rest,
    };
    let forward = run.ends_with('>') || ends_in_mark;
    let head = match (run.starts_with('<'), forward) {
        (false, true) => Head::Forward,
        (true, false) => Head::Backward,
        _ => Head::None,
    };
    Some((head, rest))
}

/// Where the link that closes a `-- text -->` starts in `text`: the first run of at least two
/// link characters.
fn closing_run(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(1)).find(|&at| {
        matches!(bytes[at], b'-' | b'=' | b'.') && matches!(bytes[at + 1], b'-' | b'=' | b'.' | b'>')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arrows(code: &str) -> Vec<(String, String)> {
        flowchart(code).expect("a flowchart").arrows
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn a_gantt_chart_draws_its_tasks_after_those_they_start_after_each_labelled_by_its_section() {
        let code = "gantt\n    title Plan: phases\n    dateFormat YYYY-MM-DD\n    section Phase 1\n    \
                    Core :p1, 2026-08-25, 3d\n    Tests :p1t, after p1, 2d\n\n    section Phase 2: CLI\n    \
                    Flags :active, p2, after p1t, 4d\n    Docs :after p2 p1, 1d\n    Release :crit, 2026-09-10, 1d\n";
        let chart = gantt(code).expect("a Gantt chart");
        assert_eq!(chart.arrows, pairs(&[("p1", "p1t"), ("p1t", "p2"), ("p2", "\u{0}7"), ("p1", "\u{0}7")]));
        let labels: Vec<(&str, &str)> =
            chart.labels.iter().map(|(id, label)| (id.as_str(), label.as_str())).collect();
        assert_eq!(
            labels,
            [
                ("\u{0}7", "Phase 2: CLI"),
                ("\u{0}8", "Phase 2: CLI"),
                ("p1", "Phase 1"),
                ("p1t", "Phase 1"),
                ("p2", "Phase 2: CLI")
            ]
        );
        // Outside a section, a task is labelled by its name; a flowchart is no Gantt chart.
        let bare =
            gantt("gantt\n  Phase 1 Core :a1, 2026-01-01, 3d\n  Phase 2 CLI :a2, after a1, 3d\n").unwrap();
        assert_eq!((bare.labels["a2"].as_str(), bare.arrows), ("Phase 2 CLI", pairs(&[("a1", "a2")])));
        assert_eq!(gantt("flowchart LR\n  A --> B\n"), None);
        assert_eq!(flowchart(code), None);
    }

    #[test]
    fn arrows_go_from_node_to_node_in_chains_groups_and_every_link_style() {
        let chart = flowchart(
            "graph TD\n    P0[Phase 0: Precomputed] --> P1[Phase 1: Core]\n    P1 -.->|RLS required for| P2\n\
             A & B --> C --> D\n    E == text ==> F\n    G -- some text --> H\n    I --o J\n    K <-- L\n",
        )
        .unwrap();
        assert_eq!(
            chart.arrows,
            pairs(&[
                ("P0", "P1"),
                ("P1", "P2"),
                ("A", "C"),
                ("B", "C"),
                ("C", "D"),
                ("E", "F"),
                ("G", "H"),
                ("I", "J"),
                ("L", "K"),
            ])
        );
        assert_eq!(chart.labels["P0"], "Phase 0: Precomputed");
        assert_eq!(chart.labels["P2"], "P2");
        // A node labelled after its first use takes that label.
        let late = flowchart("graph TD\n  A --> B\n  B[Phase 2]\n").unwrap();
        assert_eq!(late.labels["B"], "Phase 2");
    }

    #[test]
    fn links_without_one_way_are_not_arrows() {
        assert!(arrows("flowchart LR\n  A --- B\n  C <--> D\n  E ~~~ F\n  G -.- H\n").is_empty());
    }

    #[test]
    fn labels_lose_their_shapes_quotes_emphasis_and_line_breaks() {
        let chart = flowchart(
            "flowchart LR\n  a([\"Phase 1<br/>Core\"]) --> b{{\"**Phase 2**\\nCLI\"}}\n  c[/Phase 3/] --> d>Phase 4]\n\
             e[\"Phase 5 [docs]; done\"]:::late --> f((Phase 6 (last)))\n",
        )
        .unwrap();
        let label = |id: &str| chart.labels[id].clone();
        assert_eq!(label("a"), "Phase 1 Core");
        assert_eq!(label("b"), "Phase 2 CLI");
        assert_eq!(label("c"), "Phase 3");
        assert_eq!(label("d"), "Phase 4");
        assert_eq!(label("e"), "Phase 5 [docs]; done");
        assert_eq!(label("f"), "Phase 6 (last");
        assert_eq!(chart.arrows, pairs(&[("a", "b"), ("c", "d"), ("e", "f")]));
    }

    #[test]
    fn statements_part_at_semicolons_and_skip_what_draws_no_arrow() {
        let code =
            "---\ntitle: Order\n---\n%%{init: {}}%%\ngraph LR; A --> B; B --> C\nsubgraph one [Wave 1]\n\
                    D --> E\nend\nstyle A fill:#fff\nclassDef done fill:#0f0\nclick A href \"x\"\n";
        assert_eq!(arrows(code), pairs(&[("A", "B"), ("B", "C"), ("D", "E")]));
    }

    #[test]
    fn other_diagrams_are_not_flowcharts() {
        assert!(flowchart("sequenceDiagram\n  A->>B: hi\n").is_none());
        assert!(flowchart("gantt\n  title Plan\n").is_none());
        assert!(flowchart("").is_none());
    }
}
