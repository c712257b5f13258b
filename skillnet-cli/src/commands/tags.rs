//! `calibration tag` and `calibration untag`.

use skillnet_core::TagKey;

use super::{count, plan_id, Context};
use crate::input::InputError;
use crate::output;

/// Adds user tags to a plan.
pub fn tag(ctx: &Context, plan: &str, tags: &[String]) -> anyhow::Result<()> {
    let id = plan_id(plan)?;
    let tags = super::tags(tags)?;
    let added = ctx.store()?.add_tags(&id, &tags)?;
    // skillnet 0.6's confirmation line counts the tags given; the note, the ones that were new.
    output::text(format!("tagged {id} ({} tags)", tags.len()))?;
    output::note(ctx.quiet, format!("{} added", count(added, "tag")));
    Ok(())
}

/// Removes tags from a plan: `KEY=VALUE`, or `KEY` for every value.
pub fn untag(ctx: &Context, plan: &str, tags: &[String]) -> anyhow::Result<()> {
    let id = plan_id(plan)?;
    let mut selectors = Vec::with_capacity(tags.len());
    for text in tags {
        let (key, value) = match text.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (text.as_str(), None),
        };
        let key = TagKey::new(key).map_err(|e| InputError(e.to_string()))?;
        selectors.push((key, value.map(str::to_owned)));
    }
    let store = ctx.store()?;
    let mut removed = 0;
    for (key, value) in &selectors {
        removed += store.remove_tags(&id, key, value.as_deref())?;
    }
    output::text(format!("untagged {id} ({} tags)", selectors.len()))?;
    output::note(ctx.quiet, format!("{} removed", count(removed, "tag")));
    Ok(())
}
