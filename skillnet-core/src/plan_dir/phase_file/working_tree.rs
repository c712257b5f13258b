//! The working tree a phase file names: where its phase runs, when not in the plan's own
//! repository.

use std::borrow::Cow;

use crate::plan_dir::markdown::{plain_text, Block, BlockKind, Outline};
use crate::plan_dir::paths::{looks_like_path, paths_of};

/// Working-tree texts that mean the plan's own repository.
const PRIMARY: [&str; 8] = [
    "primary",
    "same as primary",
    "same as working tree",
    "this repo",
    "primary repo",
    "none",
    "n/a",
    "same repo",
];

/// The titles of the section that names a phase's working tree, in the order they are looked
/// for: SPEC's `Working tree`, then the names plans also give it.
const WORKING_TREE_SECTIONS: [&str; 4] = ["working tree", "worktree", "working directory", "cwd"];

/// The working tree section's paths (or, failing a section or a label, the [`repositories`]
/// a line gives), none for the primary tree: the path of its first line,
/// and when the section lists repositories (`- /data/x/simit — release tagging`), the absolute
/// or home paths that lead its list items (then the first line's path only when it reads as
/// a path, since such a section often opens with prose: "Multi-repo. The agent will `cd` ...").
pub(super) fn working_trees(outline: &Outline) -> Vec<String> {
    let blocks: Vec<Cow<'_, Block>> =
        match WORKING_TREE_SECTIONS.iter().find_map(|title| outline.section(title)) {
            Some(range) => outline.blocks_in(range).map(Cow::Borrowed).collect(),
            // No section: a label names it (`**Working tree:** /srv/app`, or the label alone over it).
            None => match outline.fields(|label| WORKING_TREE_SECTIONS.contains(&label)).into_iter().next() {
                Some(field) if field.value.is_empty() => {
                    outline.blocks_in(field.body).map(Cow::Borrowed).collect()
                }
                Some(field) => {
                    vec![Cow::Owned(Block {
                        kind: BlockKind::Paragraph,
                        start: field.body.start,
                        pieces: field.value,
                    })]
                }
                None => return repositories(outline),
            },
        };
    let mut blocks = blocks.iter().filter(|b| !plain_text(&b.pieces).trim().is_empty());
    let Some(first) = blocks.next() else {
        return Vec::new();
    };
    let text = plain_text(&first.pieces);
    let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or_default().to_lowercase();
    let words = first_line.trim_matches(|c: char| !c.is_alphanumeric() && c != '/');
    if words.is_empty() || PRIMARY.iter().any(|p| words == *p || words.starts_with(&format!("{p} "))) {
        return Vec::new();
    }
    let listed: Vec<String> = std::iter::once(first)
        .chain(blocks)
        .filter(|b| b.kind == BlockKind::Item)
        .filter_map(|b| paths_of(&b.pieces).into_iter().next())
        .filter(|path| path.starts_with('/') || path.starts_with("~/"))
        .collect();
    // A lead that says it is the plan's own repository names no other tree, whatever path it
    // gives; the repositories a section lists still count.
    let own = says_same_repository(&text.to_lowercase());
    let lead = paths_of(&first.pieces).into_iter().next();
    let lead = lead.filter(|path| !own && (listed.is_empty() || looks_like_path(path)));
    let mut trees: Vec<String> =
        lead.into_iter().chain(listed).map(|p| p.trim_end_matches('/').to_owned()).collect();
    trees.retain(|t| !t.is_empty());
    trees.sort();
    trees.dedup();
    trees
}

/// The absolute or home paths the first `Repo:` (or `Repository:`) line gives (`**Repo:**
/// `~/remanence``): where the phase runs, when nothing names its working tree. A repository
/// named by its owner and name (`org/app`) or a relative path is not a place on this machine.
fn repositories(outline: &Outline) -> Vec<String> {
    let fields = outline.fields(|label| matches!(label, "repo" | "repository"));
    let Some(field) = fields.into_iter().next() else { return Vec::new() };
    let paths =
        paths_of(&field.value).into_iter().filter(|path| path.starts_with('/') || path.starts_with("~/"));
    let mut trees: Vec<String> = paths.map(|path| path.trim_end_matches('/').to_owned()).collect();
    trees.sort();
    trees.dedup();
    trees
}

/// Whether a working tree's text (lower case) says it is the plan's own repository, whatever
/// path it also gives: `` `/src/app`. Same repo as the parent project. ``
fn says_same_repository(text: &str) -> bool {
    const AFFIRM: [&str; 5] = ["same repo", "same repository", "parent project", "parent repo", "this repo"];
    const DENY: [&str; 7] = ["not ", "n't", "different", "another", "other repo", "external", "separate"];
    text.split(['.', ';', '\n', '!', '?']).any(|sentence| {
        AFFIRM.iter().any(|p| sentence.contains(p)) && !DENY.iter().any(|w| sentence.contains(w))
    })
}

#[cfg(test)]
mod tests {
    use crate::plan_dir::phase_file::parse;

    #[test]
    fn working_trees() {
        let tree = |body: &str| {
            let trees = parse(&format!("# P\n\n## Working tree\n\n{body}\n\n## Next\n")).working_trees;
            assert!(trees.len() <= 1, "{trees:?}");
            trees.into_iter().next()
        };
        assert_eq!(tree("same as primary"), None);
        assert_eq!(tree("Same as primary."), None);
        assert_eq!(tree("- `primary`"), None);
        assert_eq!(tree("This repo"), None);
        assert_eq!(tree("/tmp/external-repo"), Some("/tmp/external-repo".into()));
        assert_eq!(tree("[/data/x/canix](file:///data/x/canix)"), Some("/data/x/canix".into()));
        assert_eq!(
            tree("- `/data/x/skillnet/` (skillnet `main`, working tree must"),
            Some("/data/x/skillnet".into())
        );
        assert!(parse("# P\n").working_trees.is_empty());
        assert_eq!(tree("`/data/x/sorrel`. Same repo as the parent project."), None);
        assert_eq!(tree("[/data/x/simit](file:///data/x/simit)\n— same repo as the parent project."), None);
        assert_eq!(tree("`/data/x/plinth` (this repository). Do not push."), None);
        assert_eq!(
            tree("`/data/x/other` — not the same repo as the parent project."),
            Some("/data/x/other".into())
        );
    }

    #[test]
    fn a_working_directory_section_is_the_working_tree() {
        for title in ["Working directory", "Worktree", "CWD"] {
            let file = parse(&format!("# P\n\n## {title}\n\n`/data/x/canix`\n"));
            assert_eq!(file.working_trees, ["/data/x/canix"], "{title}");
        }
    }

    #[test]
    fn a_working_tree_may_list_several_repositories() {
        let trees =
            |body: &str| parse(&format!("# P\n\n## Working tree\n\n{body}\n\n## Next\n")).working_trees;
        assert_eq!(
            trees("Multi-repo:\n\n- `/data/x/simit` — release tagging.\n- `/data/x/canix` — flake.lock bump and\n  activation."),
            ["/data/x/canix", "/data/x/simit"]
        );
        assert_eq!(
            trees(
                "Multi-repo. The agent will `cd` between project\ndirectories. Main tree:\n`/data/x/a`.\n\n\
                 Per-project working trees:\n\n- `/data/x/a`\n- `/data/x/b/`\n- ~/src/c"
            ),
            ["/data/x/a", "/data/x/b", "~/src/c"]
        );
        assert_eq!(trees("- `/data/x/a` (the main checkout)\n- `/data/x/b`"), ["/data/x/a", "/data/x/b"]);
        assert!(trees("- `cwd = /data/x/plinth` (the plinth repo).\n- This is **Wave 0**.").is_empty());
        assert_eq!(
            trees("Multi-repo: this repo and canix.\n\n- `/data/x/canix` — lock bump."),
            ["/data/x/canix"]
        );
        assert_eq!(trees("`../sibling`\n\n- You touch only `crates/shared/`."), ["../sibling"]);
    }

    #[test]
    fn a_labelled_line_stands_in_for_a_working_tree_section() {
        let trees =
            |text: &str| parse(&format!("# P\n\n{text}\n\n## Steps\n\n- `/not/this`\n")).working_trees;
        assert_eq!(trees("**Working tree:** `/srv/other`"), ["/srv/other"]);
        assert_eq!(trees("- **Worktree**: /srv/other — the service repo"), ["/srv/other"]);
        assert_eq!(trees("**Working tree:**\n\n`/srv/other`"), ["/srv/other"]);
        assert!(trees("**Working tree:** same as primary").is_empty());
        assert!(trees("**Working tree:**").is_empty());
        let section = "# P\n\n**Working tree:** `/srv/label`\n\n## Working tree\n\nsame as primary\n";
        assert!(parse(section).working_trees.is_empty());
        // A label may open any line of a paragraph of them.
        let fields = "# P\n\n**Model:** Claude Opus · **Effort:** high\n**Worktree:** `../wt-1`\n\
                      **Files touched:** `a.rs`, `b.rs`<br>**Risk:** low\n";
        let file = parse(fields);
        assert_eq!(
            (file.working_trees, file.files),
            (vec!["../wt-1".to_owned()], vec!["a.rs".into(), "b.rs".into()])
        );
    }

    #[test]
    fn a_repository_given_as_an_absolute_or_home_path_is_the_working_tree_when_nothing_else_is() {
        let trees = |text: &str| parse(&format!("# P\n\n{text}\n")).working_trees;
        assert_eq!(trees("**Repo:** `~/remanence`. **Status:** pending"), ["~/remanence"]);
        assert_eq!(
            trees("**Repository:** `~/sutradhara` (receive core) + `/srv/sutra-agent` (relay client)."),
            ["/srv/sutra-agent", "~/sutradhara"]
        );
        assert_eq!(trees("**Repo:** `/srv/app` · **Port:** 3001"), ["/srv/app"]);
        // A repository named by its owner and name, or relative, is not a place on this machine.
        assert!(trees("**Repository:** biblica/open-bible").is_empty());
        assert!(trees("**Repo:** `crates/core`").is_empty());
        // A working tree, stated, wins.
        assert_eq!(trees("**Repo:** `/srv/a`\n**Working tree:** `/srv/b`"), ["/srv/b"]);
    }
}
