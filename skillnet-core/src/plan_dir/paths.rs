//! Paths as plans write them: in code spans, as link targets or as bare words, with commentary
//! after them, with brace lists. One rule for every place a path appears (a README Touches item,
//! a file bullet, a working tree).

use super::markdown::{plain_text, Piece, COMMAS};

/// The paths one item names: its first link when that comes before every code span and its
/// text reads as a path, else its first code span that reads as a path (with the code spans
/// listed right after it: `` `a.rs`, `b.rs` and `c.rs` ``), else its first link, else its
/// first code span (0.6's path, a name), else its first words that read as paths
/// ([`listed_words`]). A link gives its target, or the path its text gives from the
/// repository's root; commentary after it is dropped, `a/{b,c}.rs` expands to `a/b.rs` and
/// `a/c.rs`, trailing `.,;:` and line numbers (`:42`, `#L5`) are stripped, and words that are
/// not paths ("new fixtures") give nothing.
pub fn paths_of(pieces: &[Piece]) -> Vec<String> {
    let code = listed_code_spans(pieces);
    let link_at = pieces.iter().position(|p| matches!(p, Piece::Link(_)));
    let link = link_at.map(|at| {
        let Piece::Link(target) = &pieces[at] else { unreachable!("position found a link") };
        let target = link_target(target);
        path_named_by_link_text(&target, &pieces[at + 1..]).unwrap_or(target)
    });
    // A link named by a path that comes before every code span is the path; the code spans
    // after it are in its text or in the commentary (`` [src/x.rs](../x.rs) — the `Foo` type ``).
    // A link named in prose (`` see [the README](README.md): `/src/app` ``) is not.
    let code_at = pieces.iter().position(|p| matches!(p, Piece::Code(_)));
    let link_first =
        link_at.is_some_and(|l| code_at.is_none_or(|c| l < c) && starts_with_path(&pieces[l + 1..]));
    let link = link.filter(|target| !target.is_empty());
    let candidates = match (code.first(), link) {
        (_, Some(target)) if link_first => vec![clean(&target)],
        (Some(first), _) if is_one_word(first) && looks_like_path(first) => listed(&code),
        // A link names a file; a code span that does not read as a path more likely names a
        // type or a function (`` `Foo` in [src/a.rs](../src/a.rs) ``).
        (_, Some(target)) => vec![clean(&target)],
        (Some(first), None) if is_one_word(first) => listed(&code),
        _ => listed_words(&plain_text(pieces)),
    };
    candidates
        .iter()
        .filter(|c| !c.is_empty() && !matches!(c.as_str(), "-" | "—" | "–"))
        .flat_map(|c| expand_braces(c))
        .collect()
}

/// The paths a plain text names, as [`paths_of`] reads a text without code spans or links (a
/// front matter value, a line of a code fence).
pub fn paths_of_text(text: &str) -> Vec<String> {
    paths_of(&[Piece::Text(text.to_owned())])
}

/// The paths a README Touches cell names: each of its items' ([`touches_items`]).
pub fn touches_paths(cell: &[Piece]) -> Vec<String> {
    touches_items(cell).iter().flat_map(|item| paths_of(item)).collect()
}

/// Whether `pieces` begin with a path: a code span or bare word that reads as one, or a link
/// (prose that only mentions a path somewhere does not).
pub fn starts_with_path(pieces: &[Piece]) -> bool {
    match pieces.first() {
        Some(Piece::Code(code)) => looks_like_path(code.trim()),
        Some(Piece::Link(_)) => true,
        Some(Piece::Text(text)) => {
            looks_like_path(&clean(text.split_whitespace().next().unwrap_or_default()))
        }
        Some(Piece::Break) | None => false,
    }
}

/// The path a link's text gives when it names the link's file from the repository's root, as
/// editors write them: `[src/core/x.rs](../../../../src/core/x.rs)`,
/// `[src/a.ts](file:///home/me/app/src/a.ts)`, `[docs/guide.md](guide.md)`,
/// `[README.md](../../../README.md)`. The text's first word counts when the target only climbs
/// to it (`../`), or when it has a folder and one of text and target ends in the other at a
/// `/`; then it is the path as the plan's code spans write them, where the target is only where
/// the file is from the plan's own file.
fn path_named_by_link_text(target: &str, text: &[Piece]) -> Option<String> {
    let text = plain_text(text);
    let word = clean(text.split_whitespace().next()?);
    /// What precedes `short` in `long` when `long` ends in it at a `/`.
    fn head_of<'a>(long: &'a str, short: &str) -> Option<&'a str> {
        long.strip_suffix(short).filter(|head| head.ends_with('/'))
    }
    let climbs_to = head_of(target, &word).is_some_and(|head| head.split_terminator('/').all(|s| s == ".."));
    let tail = word.contains('/') && (head_of(target, &word).is_some() || head_of(&word, target).is_some());
    (looks_like_path(&word) && (word == target || climbs_to || tail)).then_some(word)
}

/// The first code span of `pieces` that reads as a path (else its first code span: a name 0.6 took
/// for one) and the code spans after it that only separators (commas, `、` and `，` too, semicolons,
/// `&`, `+`, `/`, `and`, `or`) and parenthetical remarks part from it, trimmed; the spans after the
/// first are taken only while they read as paths (`` `a.rs` (new), `b.rs` ``, not
/// `` `a.rs`, `Foo` ``).
fn listed_code_spans(pieces: &[Piece]) -> Vec<&str> {
    let is_code = |p: &Piece| matches!(p, Piece::Code(_));
    let is_path = |p: &Piece| matches!(p, Piece::Code(code) if is_one_word(&code.trim()) && looks_like_path(code.trim()));
    let Some(first) = pieces.iter().position(is_path).or_else(|| pieces.iter().position(is_code)) else {
        return Vec::new();
    };
    let mut spans = Vec::new();
    let mut rest = pieces[first..].iter();
    while let Some(Piece::Code(code)) = rest.next() {
        if !spans.is_empty() && !looks_like_path(code.trim()) {
            break;
        }
        spans.push(code.trim());
        let Some(Piece::Text(text)) = rest.next() else { break };
        let mut between: &str = text;
        // A remark in parentheses, code spans and all, parts two listed spans as a comma does.
        let mut depth = 0_usize;
        loop {
            let (remark_end, open) = parenthesis_depth(between, depth);
            depth = open;
            if depth == 0 {
                between = &between[remark_end..];
                break;
            }
            match (rest.next(), rest.next()) {
                (Some(Piece::Code(_)), Some(Piece::Text(text))) => between = text,
                _ => return spans,
            }
        }
        if !is_separator(between) {
            break;
        }
    }
    spans
}

/// Where the parenthetical remark that `text` opens (or, with `depth` parentheses already open,
/// continues) ends: the byte after the `)` that closes it, and 0 still open; or, when it does
/// not close in `text`, how many are still open. Text before a remark opens is not a remark:
/// then `(0, 0)`.
fn parenthesis_depth(text: &str, mut depth: usize) -> (usize, usize) {
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    return (i + 1, 0);
                }
            }
            _ if depth == 0 && !c.is_whitespace() => return (0, 0),
            _ => {}
        }
    }
    (0, depth)
}

/// Whether text between two code spans only separates them: `, `, ` and `, ` or `,
/// ` and/or `, `; `, ` & `, `/`, ...
fn is_separator(text: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || COMMAS.contains(&c) || matches!(c, ';' | '&' | '+' | '/'))
        .all(|word| word.is_empty() || ["and", "or", "and/or"].iter().any(|w| word.eq_ignore_ascii_case(w)))
}

/// The bare paths a text opens with, after a label if it has one (`rs-harbor: flake.nix`): its
/// first word when it reads as a path, and the words listed right after it that do (`src/a.rs,
/// src/b.rs and tests/c.rs`), up to the first that does not, or to anything but a comma, a
/// semicolon, `and`, `or` or `&` between them.
fn listed_words(text: &str) -> Vec<String> {
    let mut words = text.split_whitespace().peekable();
    // A label before them (`rs-harbor: flake.nix`: the repository they are in) is not one.
    words.next_if(|first| first.ends_with(':') && !looks_like_path(&clean(first)));
    let mut paths = Vec::new();
    while let Some(word) = words.next() {
        let path = clean(word);
        if !looks_like_path(&path) {
            break;
        }
        paths.push(path);
        let conjunction = words.next_if(|next| matches!(*next, "and" | "or" | "&"));
        if conjunction.is_none() && !word.ends_with([',', ';']) {
            break;
        }
    }
    paths
}

/// Listed code spans as paths: those of one word each, up to the first phrase.
fn listed(code: &[&str]) -> Vec<String> {
    code.iter().take_while(|c| is_one_word(c)).map(|c| clean(c)).collect()
}

/// Whether a code span is one word (a path, not a phrase).
fn is_one_word(code: &&str) -> bool {
    !code.is_empty() && !code.contains(char::is_whitespace)
}

/// A link target (as the Markdown parser gives it: no title, no angle brackets) without its
/// `#anchor` or `?query`, leading `./` or `file://`, percent-decoded (`01%20setup.md` is
/// `01 setup.md`).
pub fn link_target(target: &str) -> String {
    let target = target.trim().split(['#', '?']).next().unwrap_or_default();
    let target = target.strip_prefix("file://").unwrap_or(target);
    let target = strip_dot_slash(target);
    match target.contains('%') {
        true => percent_encoding::percent_decode_str(target).decode_utf8_lossy().into_owned(),
        false => target.to_owned(),
    }
}

/// Strips every leading `./`.
pub fn strip_dot_slash(mut path: &str) -> &str {
    while let Some(rest) = path.strip_prefix("./") {
        path = rest;
    }
    path
}

/// Surrounding quotes, emphasis and brackets off, trailing punctuation off, leading `./` off.
fn clean(word: &str) -> String {
    let word = word.trim_matches(|c: char| {
        matches!(c, '`' | '"' | '\'' | '*' | '_' | '(' | ')' | '[' | ']' | '<' | '>')
    });
    let word = without_line_numbers(word.trim_end_matches(['.', ',', ';', ':']));
    strip_dot_slash(word).to_owned()
}

/// A path without the line numbers editors and forges write after it: `src/a.rs:42`,
/// `src/a.rs:10-20`, `src/a.rs:42:7`, `src/a.rs#L5`, `src/a.rs#L5-L10`.
fn without_line_numbers(mut path: &str) -> &str {
    if !path.contains([':', '#']) {
        return path;
    }
    let is_lines = |tail: &str| {
        tail.starts_with(|c: char| c.is_ascii_digit())
            && tail.chars().all(|c| c.is_ascii_digit() || matches!(c, '-' | '–' | 'L'))
    };
    if let Some((file, _)) = path.rsplit_once("#L").filter(|(_, lines)| is_lines(lines)) {
        path = file;
    }
    while let Some((file, _)) =
        path.rsplit_once(':').filter(|(file, lines)| !file.is_empty() && is_lines(lines))
    {
        path = file;
    }
    path
}

/// Whether a word is one of the slashed words of prose (`n/a`, `and/or`, `w/o`, `I/O`): neither
/// a path nor a list of phases.
pub fn is_slashed_prose(word: &str) -> bool {
    ["n/a", "and/or", "w/o", "i/o"].iter().any(|prose| word.eq_ignore_ascii_case(prose))
}

/// Whether a bare word reads as a path: it has a `/`, or a dot with a name after it
/// (`Cargo.toml`, `*.md`, `.github`; not `etc.` or `create(...)`), or is one of the usual
/// extensionless file names; and it is not one of the slashed words of prose (`n/a`, `and/or`,
/// `w/o`, `I/O`), nor an agent's slash command (`/conductor:setup`).
pub fn looks_like_path(word: &str) -> bool {
    const NAMES: [&str; 8] =
        ["Makefile", "Justfile", "justfile", "Dockerfile", "Containerfile", "LICENSE", "Procfile", "Gemfile"];
    let has_name_chars = word.chars().any(|c| c.is_alphanumeric());
    has_name_chars
        && !is_slashed_prose(word)
        && !word.strip_prefix('/').is_some_and(|command| command.contains(':') && !command.contains('/'))
        && (word.contains('/')
            || word.trim_start_matches('.').split('.').skip(1).any(|ext| ext.starts_with(is_name_char))
            || (word.starts_with('.') && word.len() > 1)
            || NAMES.contains(&word))
}

/// Whether a character may open a file's name or extension.
fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Expands the brace lists of `path` (`src/{a,b}.rs` → `src/a.rs`, `src/b.rs`), left to right.
pub fn expand_braces(path: &str) -> Vec<String> {
    let Some(open) = path.find('{') else {
        return vec![path.to_owned()];
    };
    let Some(close) = path[open..].find('}').map(|i| open + i) else {
        return vec![path.to_owned()];
    };
    let (head, tail) = (&path[..open], &path[close + 1..]);
    path[open + 1..close]
        .split(',')
        .map(str::trim)
        .filter(|alt| !alt.is_empty())
        .flat_map(|alt| expand_braces(&format!("{head}{alt}{tail}")))
        .collect()
}

/// Splits a README Touches cell into its items: at `<br>` breaks, at commas (`、` and `，` too)
/// outside braces and code spans, and at a spaced `+` outside parentheses too (`new extractor +
/// package.json`).
pub fn touches_items(cell: &[Piece]) -> Vec<Vec<Piece>> {
    let mut items = vec![Vec::new()];
    for piece in cell {
        match piece {
            Piece::Break => items.push(Vec::new()),
            Piece::Text(text) => {
                let (mut braces, mut parentheses) = (0_i32, 0_i32);
                let mut current = String::new();
                let mut chars = text.chars().peekable();
                while let Some(c) = chars.next() {
                    match c {
                        '{' => braces += 1,
                        '}' => braces -= 1,
                        '(' => parentheses += 1,
                        ')' => parentheses -= 1,
                        _ => {}
                    }
                    let ends_item = match c {
                        c if COMMAS.contains(&c) => braces <= 0,
                        '+' => {
                            braces <= 0
                                && parentheses <= 0
                                && current.ends_with(' ')
                                && chars.peek() == Some(&' ')
                        }
                        _ => false,
                    };
                    if ends_item {
                        push_text(&mut items, std::mem::take(&mut current));
                        items.push(Vec::new());
                    } else {
                        current.push(c);
                    }
                }
                push_text(&mut items, current);
            }
            other => items.last_mut().expect("never empty").push(other.clone()),
        }
    }
    items.retain(|item| {
        !plain_text(item).trim().is_empty() || item.iter().any(|p| matches!(p, Piece::Link(_)))
    });
    items
}

fn push_text(items: &mut [Vec<Piece>], text: String) {
    if !text.is_empty() {
        items.last_mut().expect("never empty").push(Piece::Text(text));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Vec<Piece> {
        vec![Piece::Text(s.into())]
    }

    #[test]
    fn the_path_is_the_code_span_and_the_commentary_is_dropped() {
        let item = vec![Piece::Code("Cargo.toml".into()), Piece::Text(" (feature + optional dep).".into())];
        assert_eq!(paths_of(&item), ["Cargo.toml"]);
        assert_eq!(paths_of(&text("src/lib.rs — the entry point")), ["src/lib.rs"]);
        assert_eq!(paths_of(&text("tests/cli.rs.")), ["tests/cli.rs"]);
    }

    #[test]
    fn code_spans_listed_together_are_each_a_path() {
        let item = vec![
            Piece::Code("web/fork-flow.tsx".into()),
            Piece::Text(", ".into()),
            Piece::Code("fork-chip.tsx".into()),
            Piece::Text(" and ".into()),
            Piece::Code("src/{a,b}.rs".into()),
            Piece::Text(" (new), see ".into()),
            Piece::Code("docs/x.md".into()),
        ];
        assert_eq!(paths_of(&item), ["web/fork-flow.tsx", "fork-chip.tsx", "src/a.rs", "src/b.rs"]);
        let commentary = vec![
            Piece::Code("src/view.rs".into()),
            Piece::Text(" — comparator, ".into()),
            Piece::Code("DriftEntry".into()),
        ];
        assert_eq!(paths_of(&commentary), ["src/view.rs"]);
        let remark = vec![
            Piece::Code("Cargo.toml".into()),
            Piece::Text(" (workspace ".into()),
            Piece::Code("members".into()),
            Piece::Text("), ".into()),
            Piece::Code("Cargo.lock".into()),
        ];
        assert_eq!(paths_of(&remark), ["Cargo.toml", "Cargo.lock"]);
        let names = vec![
            Piece::Code("src/x.rs".into()),
            Piece::Text(" (new), ".into()),
            Piece::Code("Foo".into()),
            Piece::Text(", ".into()),
            Piece::Code("Bar".into()),
        ];
        assert_eq!(paths_of(&names), ["src/x.rs"]);
        let prose_between = vec![
            Piece::Code("a.rs".into()),
            Piece::Text(" (new), see (".into()),
            Piece::Code("b.rs".into()),
            Piece::Text("), ".into()),
            Piece::Code("c.rs".into()),
        ];
        assert_eq!(paths_of(&prose_between), ["a.rs"]);
        let either = vec![
            Piece::Code("crates/x/Cargo.toml".into()),
            Piece::Text(" and/or ".into()),
            Piece::Code("src/main.rs".into()),
            Piece::Text(" or ".into()),
            Piece::Code("build.rs".into()),
            Piece::Text(" — the renderer".into()),
        ];
        assert_eq!(paths_of(&either), ["crates/x/Cargo.toml", "src/main.rs", "build.rs"]);
        let slashed = vec![
            Piece::Code("flake.nix".into()),
            Piece::Text("/".into()),
            Piece::Code("nix/deps.nix".into()),
            Piece::Text(" / ".into()),
            Piece::Code("Vm".into()),
        ];
        assert_eq!(paths_of(&slashed), ["flake.nix", "nix/deps.nix"]);
    }

    #[test]
    fn line_numbers_after_a_path_are_not_part_of_it() {
        for written in ["src/a.rs:42", "src/a.rs:10-20", "src/a.rs:42:7", "src/a.rs#L5", "src/a.rs#L5-L10"] {
            assert_eq!(paths_of(&[Piece::Code(written.into())]), ["src/a.rs"], "{written}");
            assert_eq!(paths_of(&text(&format!("{written} — parser"))), ["src/a.rs"], "{written}");
        }
        assert_eq!(paths_of(&[Piece::Code("C:\\src\\a.rs".into())]), ["C:\\src\\a.rs"]);
        assert_eq!(paths_of(&[Piece::Code("docs/notes.md#later".into())]), ["docs/notes.md#later"]);
    }

    #[test]
    fn bare_paths_listed_together_are_each_a_path() {
        assert_eq!(
            paths_of(&text("src/a.rs, src/b.rs and tests/c.rs")),
            ["src/a.rs", "src/b.rs", "tests/c.rs"]
        );
        assert_eq!(paths_of(&text("src/a.rs; src/b.rs")), ["src/a.rs", "src/b.rs"]);
        assert_eq!(paths_of(&text("src/a.rs, then wire it in")), ["src/a.rs"]);
        assert_eq!(paths_of(&text("src/a.rs and the docs")), ["src/a.rs"]);
        assert_eq!(paths_of(&text("src/a.rs (new), src/b.rs")), ["src/a.rs"]);
    }

    #[test]
    fn a_label_before_bare_paths_is_not_one() {
        // The repository a path is in, as a plan over several writes it: `rs-harbor: flake.nix`.
        assert_eq!(paths_of(&text("rs-harbor: flake.nix")), ["flake.nix"]);
        assert_eq!(paths_of(&text("canix-toolbelt: lib/, README.md")), ["lib/", "README.md"]);
        assert_eq!(paths_of(&text("rs-modde: website")), Vec::<String>::new());
        // A path with a colon is still the path.
        assert_eq!(paths_of(&text("src/a.rs: the parser")), ["src/a.rs"]);
        assert_eq!(paths_of(&text("Note: nothing here")), Vec::<String>::new());
    }

    #[test]
    fn brace_lists_expand() {
        assert_eq!(
            paths_of(&[Piece::Code("src/commands/{view,status}.rs".into())]),
            ["src/commands/view.rs", "src/commands/status.rs"]
        );
        assert_eq!(expand_braces("{a,b}/{c,d}"), ["a/c", "a/d", "b/c", "b/d"]);
    }

    #[test]
    fn words_that_are_not_paths_give_nothing() {
        assert!(paths_of(&text("new fixtures")).is_empty());
        for word in ["n/a", "N/A — docs only.", "and/or", "w/o tests", "I/O"] {
            assert!(paths_of(&text(word)).is_empty(), "{word}");
        }
        assert!(paths_of(&text("---")).is_empty());
        assert_eq!(paths_of(&text("Makefile")), ["Makefile"]);
        assert_eq!(paths_of(&text(".github/workflows/ci.yml")), [".github/workflows/ci.yml"]);
        // A dot that no name goes on after is not a file's extension (a call, an ellipsis).
        for word in ["createMatch(...)", "etc.", "...", "/conductor:setup", "/gsd:plan-phase"] {
            assert!(!looks_like_path(word), "{word}");
        }
        for word in ["Cargo.toml", "*.md", ".github", "v1.2", "src/x"] {
            assert!(looks_like_path(word), "{word}");
        }
    }

    #[test]
    fn links_lose_titles_anchors_and_dot_slash() {
        assert_eq!(link_target("./01-a.md#top"), "01-a.md");
        assert_eq!(link_target("./02 x.md"), "02 x.md");
        assert_eq!(link_target("file:///data/x/simit"), "/data/x/simit");
        // Link targets are URLs: editors write a space or a letter beyond ASCII percent-encoded.
        assert_eq!(link_target("01%20setup.md"), "01 setup.md");
        assert_eq!(link_target("./02-%EC%84%A4%EA%B3%84.md#x"), "02-설계.md");
        assert_eq!(link_target("03-100%.md"), "03-100%.md");
        let item = vec![Piece::Link("./docs/a.md".into()), Piece::Text("the doc".into())];
        assert_eq!(paths_of(&item), ["docs/a.md"]);
    }

    #[test]
    fn a_link_named_by_its_path_from_the_repository_root_gives_that_path() {
        let link =
            |target: &str, text: &str| paths_of(&[Piece::Link(target.into()), Piece::Text(text.into())]);
        // The text names the file from the repository's root, the target from the plan's file.
        assert_eq!(
            link("../../../../src/core/module.rs", "src/core/module.rs — struct + tests."),
            ["src/core/module.rs"]
        );
        assert_eq!(link("file:///C:/Users/me/app/src/a.ts", "src/a.ts"), ["src/a.ts"]);
        assert_eq!(link("javascript.md", "docs/javascript.md"), ["docs/javascript.md"]);
        assert_eq!(link("../../../../../README.md", "README.md"), ["README.md"]);
        // Otherwise the target, as before: a text that is not a path, or names another file,
        // or names the file without its folders.
        assert_eq!(link("../../src/a.rs", "the reader"), ["../../src/a.rs"]);
        assert_eq!(link("../../src/a.rs", "src/b.rs"), ["../../src/a.rs"]);
        assert_eq!(link("../../src/core/module.rs", "module.rs"), ["../../src/core/module.rs"]);
        assert_eq!(link("../src/a.rs", "xsrc/a.rs"), ["../src/a.rs"]);
    }

    #[test]
    fn a_link_before_the_first_code_span_names_the_path() {
        let item = vec![
            Piece::Link("../../../../src/lib.rs".into()),
            Piece::Text("src/lib.rs — resolver + fall-through for ".into()),
            Piece::Code("ssh_key".into()),
            Piece::Text("/".into()),
            Piece::Code("vm_user".into()),
        ];
        assert_eq!(paths_of(&item), ["src/lib.rs"]);
        let code_in_link = vec![
            Piece::Link("../x/a.rs".into()),
            Piece::Code("x/a.rs".into()),
            Piece::Text(" — see ".into()),
            Piece::Code("Foo".into()),
        ];
        assert_eq!(paths_of(&code_in_link), ["x/a.rs"]);
        // A link whose text is prose does not name the item's file.
        let prose_link = vec![
            Piece::Text("See ".into()),
            Piece::Link("../README.md".into()),
            Piece::Text("the README: ".into()),
            Piece::Code("/data/x/app".into()),
        ];
        assert_eq!(paths_of(&prose_link), ["/data/x/app"]);
        let code_first =
            vec![Piece::Code("a.rs".into()), Piece::Text(" — see ".into()), Piece::Link("b.md".into())];
        assert_eq!(paths_of(&code_first), ["a.rs"]);
    }

    #[test]
    fn a_code_span_that_reads_as_a_path_wins_over_a_name_before_it() {
        let item = vec![
            Piece::Code("mkMicroVM".into()),
            Piece::Text(" moves to ".into()),
            Piece::Code("nix/lib/microvm-runner.nix".into()),
            Piece::Text(" and ".into()),
            Piece::Code("nix/lib/test-cluster.nix".into()),
        ];
        assert_eq!(paths_of(&item), ["nix/lib/microvm-runner.nix", "nix/lib/test-cluster.nix"]);
        // With no span that reads as a path, the first span is the path, as in 0.6.
        let names =
            vec![Piece::Code("Justfile".into()), Piece::Text(" and ".into()), Piece::Code("build".into())];
        assert_eq!(paths_of(&names), ["Justfile"]);
        assert_eq!(paths_of(&[Piece::Code("scripts".into()), Piece::Text(" (new)".into())]), ["scripts"]);
        let then_link =
            vec![Piece::Code("Foo".into()), Piece::Text(" in ".into()), Piece::Link("../src/a.rs".into())];
        assert_eq!(paths_of(&then_link), ["../src/a.rs"]);
        let phrase = vec![Piece::Code("see src/a.rs".into()), Piece::Text(" src/b.rs".into())];
        assert_eq!(paths_of(&phrase), Vec::<String>::new());
    }

    #[test]
    fn touches_split_on_breaks_and_commas_outside_braces() {
        let cell = vec![
            Piece::Code("src/{a,b}.rs".into()),
            Piece::Text(", ".into()),
            Piece::Code("c.rs".into()),
            Piece::Break,
            Piece::Text("d.rs".into()),
        ];
        let items: Vec<Vec<String>> = touches_items(&cell).iter().map(|i| paths_of(i)).collect();
        assert_eq!(items, [vec!["src/a.rs", "src/b.rs"], vec!["c.rs"], vec!["d.rs"]]);
    }

    #[test]
    fn touches_split_on_a_spaced_plus_outside_parentheses() {
        let paths = |text: &str| -> Vec<String> {
            touches_items(&[Piece::Text(text.into())]).iter().flat_map(|i| paths_of(i)).collect()
        };
        assert_eq!(paths("new extractor + golden dataset + package.json"), ["package.json"]);
        assert_eq!(paths("new resolver + index.ts:594 wiring"), ["index.ts"]);
        // A plus in a remark is commentary, and so is one without spaces.
        assert_eq!(paths("compute.ts (seam + gate.rs)"), ["compute.ts"]);
        assert_eq!(paths("a.rs (+ b.rs)"), ["a.rs"]);
        assert_eq!(paths("c++/x.cc"), ["c++/x.cc"]);
    }
}
