//! Tags: how a tag that was typed, or came with an import, becomes the word that is
//! stored and matched. `write --tag`, `log --tag` and the jrnl import share these rules.

/// A tag that is not one word.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a tag is one word without spaces (got {0:?})")]
pub(crate) struct NotATag(pub String);

/// The tag without surrounding space or a leading `#` (or jrnl's `@`).
pub(crate) fn bare(raw: &str) -> &str {
    raw.trim().trim_start_matches(['#', '@'])
}

/// A tag the user gave: [`bare`], and then one word (not empty, no spaces or control
/// characters).
pub(crate) fn parse(raw: &str) -> Result<&str, NotATag> {
    let tag = bare(raw);
    if tag.is_empty() || tag.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(NotATag(tag.to_string()));
    }
    Ok(tag)
}

/// The tags the user gave, each [`parse`]d, without repeats, in the order given.
pub(crate) fn parse_all(raw: &[String]) -> Result<Vec<String>, NotATag> {
    let mut out: Vec<String> = Vec::new();
    for tag in raw {
        let tag = parse(tag)?;
        if !out.iter().any(|t| t == tag) {
            out.push(tag.to_string());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_is_one_bare_word_and_repeats_are_dropped() {
        assert_eq!(bare("  #work "), "work");
        assert_eq!(bare("@home"), "home");
        assert_eq!(
            parse_all(&["#work".into(), "home".into(), " work".into()]).unwrap(),
            ["work", "home"]
        );
        assert_eq!(parse("two words"), Err(NotATag("two words".into())));
        assert_eq!(parse(" # "), Err(NotATag(String::new())));
        assert!(parse("bell\u{7}").is_err());
    }
}
