//! What the plan parser needs from a Markdown file, read once with a CommonMark parser (GFM
//! tables on): its headings, its tables cell by cell, its text blocks (paragraphs and list
//! items), and its code blocks apart, so that nothing inside a fence is ever a title, a section,
//! a table or a callout.

use std::borrow::Cow;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// One inline piece of a cell or a text block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Plain text, escapes resolved; a line break inside a block is `"\n"`. Text never follows
    /// text: the parser's parts of one run of text are one piece.
    Text(String),
    /// The content of a code span.
    Code(String),
    /// The target of a link (the link's text follows as further pieces).
    Link(String),
    /// An HTML line break (`<br>`, `<br/>`, `<br />`).
    Break,
}

/// The plain text of `pieces`: text and code spans, without link targets; breaks as newlines.
pub fn plain_text(pieces: &[Piece]) -> String {
    text_with_links(pieces, |_, _| {})
}

/// The plain text of `pieces`, as [`plain_text`], with `link` given the text so far and each
/// link's target where the link starts, to write what it makes of it.
pub fn text_with_links(pieces: &[Piece], mut link: impl FnMut(&mut String, &str)) -> String {
    let mut text = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(t) | Piece::Code(t) => text.push_str(t),
            Piece::Break => text.push('\n'),
            Piece::Link(target) => link(&mut text, target),
        }
    }
    text
}

/// GitHub's anchor of a heading's title: lower case, letters, digits, `-` and `_` kept, spaces
/// as `-`, anything else dropped (`## 3. The CLI` is `3-the-cli`).
pub fn heading_anchor(title: &str) -> String {
    let kept = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    title
        .to_lowercase()
        .chars()
        .filter_map(|c| if c == ' ' { Some('-') } else { kept(c).then_some(c) })
        .collect()
}

/// The lines of a block's pieces: split at line breaks in its text and at `<br>`.
fn piece_lines(pieces: &[Piece]) -> Vec<Vec<Piece>> {
    let mut lines = vec![Vec::new()];
    for piece in pieces {
        match piece {
            Piece::Text(text) => {
                for (n, part) in text.split('\n').enumerate() {
                    if n > 0 {
                        lines.push(Vec::new());
                    }
                    if !part.is_empty() {
                        lines.last_mut().expect("never empty").push(Piece::Text(part.to_owned()));
                    }
                }
            }
            Piece::Break => lines.push(Vec::new()),
            other => lines.last_mut().expect("never empty").push(other.clone()),
        }
    }
    lines
}

/// A line's runs of pieces, parted where a label starts after the end of a sentence or clause:
/// `Phase 2. Blocks: 4 and 5` (from `**Depends on:** Phase 2. **Blocks:** 4 and 5`) is `Phase
/// 2` and `Blocks: 4 and 5`. A label there is a few words that start with a capital letter,
/// then a colon and a space.
fn label_runs(line: Vec<Piece>) -> Vec<Vec<Piece>> {
    let mut runs = vec![Vec::new()];
    for piece in line {
        let Piece::Text(text) = piece else {
            runs.last_mut().expect("never empty").push(piece);
            continue;
        };
        let mut rest = text.as_str();
        while let Some((end, label)) = later_label(rest) {
            let before = rest[..end].trim_end();
            if !before.is_empty() {
                runs.last_mut().expect("never empty").push(Piece::Text(before.to_owned()));
            }
            runs.push(Vec::new());
            rest = &rest[label..];
        }
        if !rest.is_empty() {
            runs.last_mut().expect("never empty").push(Piece::Text(rest.to_owned()));
        }
    }
    runs
}

/// Where the first label after a `.`, `;` or `·` and a space in `text` starts ([`label_runs`]):
/// the offset of that punctuation and of the label.
fn later_label(text: &str) -> Option<(usize, usize)> {
    text.match_indices(['.', ';', '·']).find_map(|(end, mark)| {
        let after = &text[end + mark.len()..];
        let label = after.trim_start();
        if label.len() == after.len() {
            return None;
        }
        let (words, value) = label.split_once(':')?;
        let short = words.len() <= 40 && words.split_whitespace().count() <= 5;
        let capital = words.starts_with(|c: char| c.is_uppercase());
        let wordy = words.chars().all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '/' | '(' | ')'));
        let spaced = value.is_empty() || value.starts_with(char::is_whitespace);
        (short && capital && wordy && spaced).then_some((end, text.len() - label.len()))
    })
}

/// A heading: its level, where it starts and ends, its title as written and what it links.
#[derive(Debug, Clone)]
pub struct Heading {
    pub level: u8,
    pub start: usize,
    pub end: usize,
    /// The title's source text without the `#` marks, trimmed (Markdown inside is kept).
    pub title: String,
    /// The target of the title's first link, as written.
    pub link: Option<String>,
}

/// A table: where it starts, its header cells, then each body row with the offset where it
/// starts.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub start: usize,
    pub header: Vec<Vec<Piece>>,
    pub rows: Vec<(usize, Vec<Vec<Piece>>)>,
}

/// What kind of text block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    /// A list item's own text (its nested lists are items of their own).
    Item,
}

/// A paragraph or list item outside code blocks and tables.
#[derive(Debug, Clone)]
pub struct Block {
    pub kind: BlockKind,
    pub start: usize,
    pub pieces: Vec<Piece>,
}

/// A fenced or indented code block: where it starts, its language and its text.
#[derive(Debug, Clone)]
pub struct CodeBlock {
    pub start: usize,
    /// The first word of the fence's info string, lower case (`mermaid` for `` ```mermaid ``);
    /// empty for an indented block or a fence without one.
    pub language: String,
    pub text: String,
}

/// A labelled text block ([`Outline::fields`]).
#[derive(Debug, Clone)]
pub struct Field {
    /// What follows the label and its colon on its line; empty when the label stands alone.
    pub value: Vec<Piece>,
    /// Where a label alone on its block's last line gives its value: from the block after it,
    /// with the list items that follow, to the next paragraph or heading (tables inside
    /// included); an empty range for a label with a value.
    pub body: std::ops::Range<usize>,
}

/// The outline of one Markdown file.
#[derive(Debug, Clone, Default)]
pub struct Outline {
    pub headings: Vec<Heading>,
    pub tables: Vec<Table>,
    pub blocks: Vec<Block>,
    /// The code blocks, which are neither text blocks nor sections nor tables.
    pub code_blocks: Vec<CodeBlock>,
    /// The `key: value` lines of the YAML front matter the file opens with, in order, nested
    /// keys included: keys lower case with `-` as `_`, values without quotes, a list's items
    /// joined by `, ` (`depends_on: [01, 02]` and `depends_on:` over `- 01`, `- 02` alike).
    pub front_matter: Vec<(String, String)>,
    line_starts: Vec<usize>,
}

impl Outline {
    /// Reads `text` (LF line endings). Front matter is read as `key: value` lines, not as
    /// Markdown (where it would be a rule and a heading).
    pub fn parse(text: &str) -> Self {
        let mut reader = Reader::default();
        let (markdown, front_matter) = match front_matter(text) {
            // Blanked rather than cut off, so that offsets stay those of `text`: a space for each
            // byte, so a character of several bytes (`—`) leaves as many.
            Some((end, pairs)) => {
                let blank: String =
                    text[..end].bytes().map(|b| if b == b'\n' { '\n' } else { ' ' }).collect();
                (Cow::Owned(blank + &text[end..]), pairs)
            }
            None => (Cow::Borrowed(text), Vec::new()),
        };
        for (event, range) in Parser::new_ext(&markdown, Options::ENABLE_TABLES).into_offset_iter() {
            reader.event(text, event, range);
        }
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Outline {
            headings: reader.headings,
            tables: reader.tables,
            blocks: reader.blocks,
            code_blocks: reader.code_blocks,
            front_matter,
            line_starts,
        }
    }

    /// The 1-based line of byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset)
    }

    /// Whether a heading starts between byte offsets `from` and `to`.
    pub fn heading_between(&self, from: usize, to: usize) -> bool {
        let first_after = self.headings.partition_point(|h| h.start <= from);
        self.headings.get(first_after).is_some_and(|h| h.start < to)
    }

    /// The body of the first level-2 section titled `title` (ASCII case ignored, a trailing
    /// colon or parenthetical allowed: `Files likely touched (estimate):`), else of the first
    /// such level-3 section (a file that puts its sections one level down): the byte range from
    /// the end of its heading to the next heading of its level or above, or the end of the file.
    pub fn section(&self, title: &str) -> Option<std::ops::Range<usize>> {
        [2, 3].into_iter().find_map(|level| {
            let mut headings = self.headings.iter().enumerate();
            let (index, _) = headings
                .find(|(_, h)| h.level == level && bare_title(&h.title).eq_ignore_ascii_case(title))?;
            Some(self.body(index))
        })
    }

    /// The bodies of every level-2 section whose title (without a trailing colon or
    /// parenthetical) passes `wanted`, in order; without one, of every such level-3 section.
    pub fn sections(&self, wanted: impl Fn(&str) -> bool) -> Vec<std::ops::Range<usize>> {
        [2, 3]
            .into_iter()
            .map(|level| {
                let headings = self.headings.iter().enumerate();
                let found = headings.filter(|(_, h)| h.level == level && wanted(bare_title(&h.title)));
                found.map(|(index, _)| self.body(index)).collect::<Vec<_>>()
            })
            .find(|ranges| !ranges.is_empty())
            .unwrap_or_default()
    }

    /// The bodies of the headings inside `range` whose title (lower case, without emphasis, a
    /// trailing colon or parenthetical) passes `wanted`: a section's own sections (`### Modify`).
    pub fn subsections(
        &self,
        range: std::ops::Range<usize>,
        wanted: impl Fn(&str) -> bool,
    ) -> Vec<std::ops::Range<usize>> {
        let headings = self.headings.iter().enumerate().filter(|(_, h)| range.contains(&h.start));
        let title = |h: &Heading| bare_title(h.title.trim_matches(['*', '_'])).to_lowercase();
        headings.filter(|(_, h)| wanted(&title(h))).map(|(index, _)| self.body(index)).collect()
    }

    /// The paragraphs that are a label alone without a colon over a list (`**Do not modify**`
    /// over `- a.rs`) whose label (lower case, without a trailing parenthetical) passes
    /// `wanted`, each as what it stands over ([`Field::body`]).
    pub fn lone_labels(&self, wanted: impl Fn(&str) -> bool) -> Vec<std::ops::Range<usize>> {
        let over_a_list =
            |index: usize| self.blocks.get(index + 1).is_some_and(|b| b.kind == BlockKind::Item);
        let blocks = self.blocks.iter().enumerate().filter(|(index, b)| {
            let label = plain_text(&b.pieces);
            b.kind == BlockKind::Paragraph
                && over_a_list(*index)
                && !label.contains(COLONS)
                && !label.contains('\n')
                && wanted(&bare_title(label.trim()).to_lowercase())
        });
        blocks.map(|(index, _)| self.under(index)).collect()
    }

    /// The body of heading `index`: from the end of the heading to the next heading of its
    /// level or above, or the end of the file (`usize::MAX`).
    pub fn body(&self, index: usize) -> std::ops::Range<usize> {
        let heading = &self.headings[index];
        let next = self.headings[index + 1..].iter().find(|h| h.level <= heading.level);
        heading.end..next.map_or(usize::MAX, |h| h.start)
    }

    /// The lines of text blocks that open with a label and a colon ([`COLONS`]) whose label (lower
    /// case, without a trailing parenthetical) passes `wanted`, in order: `**Working tree:**
    /// /srv/app`, `- **Files touched:** `a.rs``, any line of a paragraph of such lines, or a label
    /// alone over what gives its value (`**Files likely touched:**` over a list). A label after the
    /// end of a sentence on the line ends the value before it and is read too (`**Depends on:** 02.
    /// **Blocks:** 04`; see [`label_runs`]).
    pub fn fields(&self, wanted: impl Fn(&str) -> bool) -> Vec<Field> {
        let mut fields = Vec::new();
        let has_colon =
            |block: &&Block| block.pieces.iter().any(|p| matches!(p, Piece::Text(t) if t.contains(COLONS)));
        for (index, block) in self.blocks.iter().enumerate().filter(|(_, block)| has_colon(block)) {
            let lines = piece_lines(&block.pieces).into_iter().flat_map(label_runs).collect::<Vec<_>>();
            let last = lines.len() - 1;
            for (at, line) in lines.into_iter().enumerate() {
                let Some(Piece::Text(first)) = line.first() else { continue };
                let Some((label, rest)) = first.split_once(COLONS) else { continue };
                if !wanted(&bare_title(label.trim()).to_lowercase()) {
                    continue;
                }
                let rest =
                    Some(Piece::Text(rest.trim_start().to_owned())).filter(|_| !rest.trim().is_empty());
                let value: Vec<Piece> = rest.into_iter().chain(line[1..].iter().cloned()).collect();
                if !plain_text(&value).trim().is_empty() {
                    let at_label = block.start..block.start;
                    fields.push(Field { value, body: at_label });
                } else if at == last {
                    fields.push(Field { value: Vec::new(), body: self.under(index) });
                }
            }
        }
        fields
    }

    /// The rows of tables, header rows included, whose first cell is a label that (lower case,
    /// without a trailing colon or parenthetical) passes `wanted`, each as its other cells: a
    /// table of fields (`| **Files touched** | `a.rs` |`).
    pub fn table_fields(&self, wanted: impl Fn(&str) -> bool) -> Vec<&[Vec<Piece>]> {
        let rows =
            self.tables.iter().flat_map(|t| std::iter::once(&t.header).chain(t.rows.iter().map(|(_, r)| r)));
        rows.filter_map(|cells| {
            let (label, values) = cells.split_first()?;
            wanted(&bare_title(plain_text(label).trim()).to_lowercase()).then_some(values)
        })
        .collect()
    }

    /// What a label alone in block `index` stands over: the next block, and the list items
    /// after it, up to the next paragraph or heading.
    fn under(&self, index: usize) -> std::ops::Range<usize> {
        let start = self.blocks[index].start + 1;
        let heading = self.headings.iter().find(|h| h.start >= start).map_or(usize::MAX, |h| h.start);
        let mut later = self.blocks.iter().skip(index + 2);
        let paragraph = later.find(|b| b.kind == BlockKind::Paragraph).map_or(usize::MAX, |b| b.start);
        start..heading.min(paragraph)
    }

    /// The text blocks that start inside `range`, in order.
    pub fn blocks_in(&self, range: std::ops::Range<usize>) -> impl Iterator<Item = &Block> {
        self.blocks.iter().filter(move |b| range.contains(&b.start))
    }
}

#[derive(Default)]
struct Reader {
    headings: Vec<Heading>,
    tables: Vec<Table>,
    blocks: Vec<Block>,
    code_blocks: Vec<CodeBlock>,
    /// The heading being read: level and start.
    heading: Option<(u8, usize)>,
    /// The first link of the heading being read.
    heading_link: Option<String>,
    in_code: bool,
    /// The table cell being read.
    cell: Option<Vec<Piece>>,
    in_table_head: bool,
    /// The block receiving text, and whether a paragraph (rather than an item) opened it.
    current: Option<(usize, bool)>,
}

impl Reader {
    fn push(&mut self, piece: Piece) {
        if self.in_code {
            if let (Some(block), Piece::Text(text)) = (self.code_blocks.last_mut(), piece) {
                block.text.push_str(&text);
            }
            return;
        }
        if self.heading.is_some() {
            if let (None, Piece::Link(target)) = (&self.heading_link, piece) {
                self.heading_link = Some(target);
            }
            return;
        }
        let pieces = if let Some(cell) = &mut self.cell {
            cell
        } else if let Some((block, _)) = self.current {
            &mut self.blocks[block].pieces
        } else {
            return;
        };
        // Text the parser hands over in parts (around a line break, an escape) is one piece, so
        // that what stands between two code spans is one text: `a.rs`,⏎`b.rs`.
        match (pieces.last_mut(), piece) {
            (Some(Piece::Text(last)), Piece::Text(text)) => last.push_str(&text),
            (_, piece) => pieces.push(piece),
        }
    }

    fn open_block(&mut self, kind: BlockKind, start: usize) {
        self.blocks.push(Block { kind, start, pieces: Vec::new() });
        self.current = Some((self.blocks.len() - 1, kind == BlockKind::Paragraph));
    }

    fn event(&mut self, text: &str, event: Event<'_>, range: std::ops::Range<usize>) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                self.current = None;
                self.heading = Some((heading_level(level), range.start));
                self.heading_link = None;
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, start)) = self.heading.take() {
                    let title = heading_title(&text[start..range.end]);
                    let link = self.heading_link.take();
                    self.headings.push(Heading { level, start, end: range.end, title, link });
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                self.current = None;
                self.in_code = true;
                let language = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or_default().to_lowercase()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                self.code_blocks.push(CodeBlock { start: range.start, language, text: String::new() });
            }
            Event::End(TagEnd::CodeBlock) => self.in_code = false,
            Event::Start(Tag::Table(_)) => {
                self.current = None;
                self.tables.push(Table { start: range.start, ..Table::default() });
            }
            Event::Start(Tag::TableHead) => self.in_table_head = true,
            Event::End(TagEnd::TableHead) => self.in_table_head = false,
            Event::Start(Tag::TableRow) => {
                if let Some(table) = self.tables.last_mut() {
                    table.rows.push((range.start, Vec::new()));
                }
            }
            Event::Start(Tag::TableCell) => self.cell = Some(Vec::new()),
            Event::End(TagEnd::TableCell) => {
                let cell = self.cell.take().unwrap_or_default();
                if let Some(table) = self.tables.last_mut() {
                    if self.in_table_head {
                        table.header.push(cell);
                    } else if let Some((_, row)) = table.rows.last_mut() {
                        row.push(cell);
                    }
                }
            }
            Event::Start(Tag::Item) => self.open_block(BlockKind::Item, range.start),
            Event::Start(Tag::List(_)) | Event::End(TagEnd::Item) => self.current = None,
            Event::Start(Tag::Paragraph) if self.current.is_none() && self.cell.is_none() => {
                self.open_block(BlockKind::Paragraph, range.start);
            }
            // A paragraph ends the block it belongs to; a loose item's later paragraphs are
            // prose about it, not its text.
            Event::End(TagEnd::Paragraph) => self.current = None,
            Event::Start(Tag::Link { dest_url, .. }) => self.push(Piece::Link(dest_url.into_string())),
            Event::Text(t) => self.push(Piece::Text(t.into_string())),
            Event::Code(t) => self.push(Piece::Code(t.into_string())),
            Event::SoftBreak | Event::HardBreak => self.push(Piece::Text("\n".into())),
            Event::InlineHtml(html) | Event::Html(html) => {
                let tag: String = html.chars().filter(|c| !c.is_whitespace()).collect();
                if matches!(tag.to_ascii_lowercase().as_str(), "<br>" | "<br/>") {
                    self.push(Piece::Break);
                }
            }
            _ => {}
        }
    }
}

/// The end of the YAML front matter `text` opens with, and its `key: value` pairs (see
/// [`Outline::front_matter`]): a `---` line, a `key: value` line (no space in the key), then
/// only YAML-looking lines (such pairs, `- item`, indented lines, comments, blank lines), then
/// `---` or `...`.
/// A rule followed by prose (`Status: ready` is YAML, `Recommended model: X` is not) is not
/// front matter.
fn front_matter(text: &str) -> Option<(usize, Vec<(String, String)>)> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next()?;
    let mut lines = lines.peekable();
    // The line after the rule is a key: a rule over a blank line or a heading is Markdown.
    if first.trim_end() != "---" || yaml_pair(lines.peek()?.trim_end()).is_none() {
        return None;
    }
    let mut end = first.len();
    let mut pairs: Vec<(String, String)> = Vec::new();
    // Whether the last key's value is a block list still being read.
    let mut in_list = false;
    for line in lines {
        end += line.len();
        let content = line.trim_end();
        if content == "---" || content == "..." {
            return (!pairs.is_empty()).then_some((end, pairs));
        }
        let trimmed = content.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let item = trimmed.strip_prefix("- ");
        if let Some(pair) = yaml_pair(item.unwrap_or(trimmed)) {
            in_list = pair.1.is_empty();
            pairs.push(pair);
        } else if let (Some(item), true, Some((_, value))) = (item, in_list, pairs.last_mut()) {
            if !value.is_empty() {
                value.push_str(", ");
            }
            value.push_str(unquoted(item));
        } else if item.is_none() && content.len() == trimmed.len() {
            return None;
        }
    }
    None
}

/// A `key: value` line of YAML (key lower case, `-` as `_`; value unquoted, without a comment,
/// a flow list's items joined by `, `), when its key holds no space.
fn yaml_pair(line: &str) -> Option<(String, String)> {
    let (key, value) = line.split_once(':')?;
    let is_key_char = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.');
    let spaced = value.is_empty() || value.starts_with([' ', '\t']);
    if key.is_empty() || !key.chars().all(is_key_char) || !spaced {
        return None;
    }
    let value = value.trim();
    // A comment follows ` #` outside quotes.
    let value = match value.starts_with(['"', '\'']) {
        false => value.split_once(" #").map_or(value, |(before, _)| before),
        true => value,
    };
    let value = unquoted(value);
    let value = match value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
        Some(list) => list.split(',').map(unquoted).filter(|i| !i.is_empty()).collect::<Vec<_>>().join(", "),
        None => value.to_owned(),
    };
    Some((key.to_lowercase().replace('-', "_"), value))
}

/// A YAML scalar, trimmed, without its quotes.
fn unquoted(value: &str) -> &str {
    let value = value.trim();
    ['"', '\''].iter().find_map(|&q| value.strip_prefix(q).and_then(|v| v.strip_suffix(q))).unwrap_or(value)
}

/// A heading's title without a trailing colon or parenthetical remark.
fn bare_title(title: &str) -> &str {
    let title = title.trim_end_matches(COLONS).trim_end();
    let title = match title.strip_suffix(')').and_then(|t| t.rfind('(').map(|open| &t[..open])) {
        Some(before) if !before.trim().is_empty() => before,
        _ => title,
    };
    title.trim_end().trim_end_matches(COLONS).trim_end()
}

/// `text` without what it says in parentheses (full-width ones too: `（…）`), nested ones
/// included.
pub fn without_parentheses(text: &str) -> String {
    let mut depth = 0_u32;
    let mut kept = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = depth.saturating_sub(1),
            _ if depth == 0 => kept.push(c),
            _ => {}
        }
    }
    kept
}

/// The colons that end a label: `:`, and the full-width `：` Chinese and Japanese write.
pub const COLONS: [char; 2] = [':', '：'];

/// The commas that part the items of a list: `,`, and the `、` and `，` Chinese and Japanese
/// write.
pub const COMMAS: [char; 3] = [',', '、', '，'];

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The title of a heading from its source: an ATX heading's first line without its `#` marks,
/// or a setext heading's text lines.
fn heading_title(source: &str) -> String {
    let trimmed = source.trim_start();
    if trimmed.starts_with('#') {
        let line = trimmed.lines().next().unwrap_or_default();
        line.trim_start_matches('#').trim().to_owned()
    } else {
        let lines: Vec<&str> = source.lines().collect();
        let text = &lines[..lines.len().saturating_sub(1)];
        text.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ")
    }
}

/// `text` with each inline link (or image) written as its text, as GitHub renders a heading
/// and names its anchor: `[Phase 1](01-a.md) ✅` is `Phase 1 ✅`; brackets that open no link
/// stay (`[WIP] Phase 1`).
pub fn links_as_their_text(text: &str) -> Cow<'_, str> {
    if !text.contains("](") {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let inner = &rest[open + 1..];
        let link = inner.find(']').and_then(|close| {
            let target = inner[close + 1..].strip_prefix('(')?;
            Some((close, target.find(')')? + close + 2))
        });
        let Some((close, end)) = link else {
            out.push_str(&rest[..=open]);
            rest = inner;
            continue;
        };
        out.push_str(rest[..open].strip_suffix('!').unwrap_or(&rest[..open]));
        out.push_str(&inner[..close]);
        rest = &inner[end + 1..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_without_outer_pipes_with_escapes_and_code_spans_split_right() {
        let outline =
            Outline::parse("intro\n\nPhase | File | Depends on\n--- | --- | ---\n01 | `a\\|b` | x \\| y\n");
        let table = &outline.tables[0];
        assert_eq!(plain_text(&table.header[2]), "Depends on");
        assert_eq!(table.rows[0].1.len(), 3);
        assert_eq!(table.rows[0].1[1], vec![Piece::Code("a|b".into())]);
        assert_eq!(plain_text(&table.rows[0].1[2]), "x | y");
        assert_eq!(outline.line_of(table.rows[0].0), 5);
    }

    #[test]
    fn fenced_code_holds_no_headings_tables_or_blocks() {
        let outline = Outline::parse("```\n# not a title\n| a | b |\n|---|---|\n- x\n```\n\n# Title\n");
        assert_eq!(outline.headings.len(), 1);
        assert_eq!(outline.headings[0].title, "Title");
        assert!(outline.tables.is_empty());
        assert!(outline.blocks.is_empty());
    }

    #[test]
    fn a_code_block_knows_the_language_its_fence_names() {
        let outline = Outline::parse("```Mermaid title\ngraph TD\n```\n\n```\nplain\n```\n\n    indented\n");
        let languages: Vec<&str> = outline.code_blocks.iter().map(|code| code.language.as_str()).collect();
        assert_eq!(languages, ["mermaid", "", ""]);
        assert_eq!(outline.code_blocks[0].text, "graph TD\n");
    }

    #[test]
    fn sections_end_at_the_next_heading_of_level_two_or_less() {
        let text = "# T\n\n## Files likely touched:\n\n- a.rs\n\n### Sub\n\n- b.rs\n\n## Next\n\n- c.rs\n";
        let outline = Outline::parse(text);
        let range = outline.section("files likely touched").unwrap();
        let items: Vec<String> = outline.blocks_in(range).map(|b| plain_text(&b.pieces)).collect();
        assert_eq!(items, ["a.rs", "b.rs"]);
        for heading in
            ["Files Likely Touched (no code yet)", "Files likely touched (estimate):", "FILES LIKELY TOUCHED"]
        {
            let outline = Outline::parse(&format!("## {heading}\n\n- a.rs\n"));
            assert!(outline.section("files likely touched").is_some(), "{heading}");
        }
        assert!(Outline::parse("## Files likely touched later\n").section("files likely touched").is_none());
        assert!(Outline::parse("## (Files likely touched)\n").section("files likely touched").is_none());
    }

    #[test]
    fn a_level_three_section_counts_when_no_level_two_one_has_the_title() {
        let text = "# T\n\n## Phase 1\n\n### Files likely touched\n\n- a.rs\n\n### Pitfalls\n\n- b.rs\n";
        let outline = Outline::parse(text);
        let range = outline.section("files likely touched").unwrap();
        let items: Vec<String> = outline.blocks_in(range).map(|b| plain_text(&b.pieces)).collect();
        assert_eq!(items, ["a.rs"]);
        let both =
            Outline::parse("### Files likely touched\n\n- a.rs\n\n## Files likely touched\n\n- b.rs\n");
        let items: Vec<String> = both
            .blocks_in(both.section("files likely touched").unwrap())
            .map(|b| plain_text(&b.pieces))
            .collect();
        assert_eq!(items, ["b.rs"]);
    }

    #[test]
    fn nested_items_are_blocks_of_their_own_and_breaks_are_pieces() {
        let outline = Outline::parse("- a.rs\n  - b.rs\n\n| h |\n|---|\n| x<br/>y |\n");
        let items: Vec<String> = outline.blocks.iter().map(|b| plain_text(&b.pieces)).collect();
        assert_eq!(items, ["a.rs", "b.rs"]);
        assert!(outline.tables[0].rows[0].1[0].contains(&Piece::Break));
    }

    #[test]
    fn front_matter_is_read_as_keys_and_values_not_as_a_rule_and_a_heading() {
        let text = "---\nphase: AX\nRecommended-Model: 'opus'\ndepends_on: [\"01\", 02]\nblocked_by:\n  - 03\n  - 04\n\
                    llm:\n  reasoning_effort: high # the hard part\nsummary: >\n  two lines\n  of prose\n---\n\n# Phase 05\n\nText.\n";
        let outline = Outline::parse(text);
        let pairs: Vec<(&str, &str)> =
            outline.front_matter.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            pairs,
            [
                ("phase", "AX"),
                ("recommended_model", "opus"),
                ("depends_on", "01, 02"),
                ("blocked_by", "03, 04"),
                ("llm", ""),
                ("reasoning_effort", "high"),
                ("summary", ">"),
            ]
        );
        let titles: Vec<(u8, &str)> = outline.headings.iter().map(|h| (h.level, h.title.as_str())).collect();
        assert_eq!(titles, [(1, "Phase 05")]);
        assert_eq!(outline.line_of(outline.headings[0].start), 15);
        assert_eq!(plain_text(&outline.blocks[0].pieces), "Text.");
    }

    #[test]
    fn text_after_front_matter_that_is_not_ascii_keeps_its_offsets() {
        let text = "---\ntitle: Phase 2 — the CLI ✅\n---\n🙂\n## Files likely touched\n\n- `a.rs`\n";
        let outline = Outline::parse(text);
        assert_eq!(outline.front_matter, [("title".to_owned(), "Phase 2 — the CLI ✅".to_owned())]);
        assert_eq!(outline.headings[0].title, "Files likely touched");
        assert_eq!(outline.line_of(outline.headings[0].start), 5);
        let files = outline.section("files likely touched").unwrap();
        assert_eq!(outline.blocks_in(files).map(|b| plain_text(&b.pieces)).collect::<Vec<_>>(), ["a.rs"]);
    }

    #[test]
    fn a_rule_over_prose_is_not_front_matter() {
        // `Recommended model` is not a YAML key; the callout stays a text block.
        let outline = Outline::parse("---\nStatus: ready\nRecommended model: GPT-5.5 high\n\n---\n\n# P\n");
        assert!(outline.front_matter.is_empty());
        assert!(plain_text(&outline.blocks[0].pieces).contains("Recommended model"));
        // A rule, a blank line, a title: Markdown.
        let outline = Outline::parse("---\n\n# Title\n\nmodel: opus\n\n---\n");
        assert!(outline.front_matter.is_empty());
        assert_eq!(outline.headings[0].title, "Title");
        let outline = Outline::parse("---\n# Title\n\nmodel: opus\n---\n");
        assert!(outline.front_matter.is_empty());
        // Unclosed.
        assert!(Outline::parse("---\nmodel: opus\n\n# Title\n").front_matter.is_empty());
    }

    #[test]
    fn a_label_later_on_a_line_ends_the_value_before_it_and_gives_its_own() {
        let text = "**Depends on:** Phase 2. **Blocks:** Phases 4 and 5.\n\n\
                    **Est.** 10 h. **Depends on:** nothing. **Risk:** low; **Owner:** me · **Size:** M\n\n\
                    Depends on: 01 (see: notes), 02; then 03\n\nDepends on: `a.rs`. See `b.rs`: later\n";
        let outline = Outline::parse(text);
        let values = |label: &str| -> Vec<String> {
            outline.fields(|l| l == label).iter().map(|field| plain_text(&field.value)).collect()
        };
        assert_eq!(
            values("depends on"),
            ["Phase 2", "nothing", "01 (see: notes), 02; then 03", "a.rs. See b.rs: later"]
        );
        assert_eq!(values("blocks"), ["Phases 4 and 5."]);
        assert_eq!(values("risk"), ["low"]);
        assert_eq!(values("owner"), ["me"]);
        assert_eq!(values("size"), ["M"]);
    }
}
