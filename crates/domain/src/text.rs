//! Text a person typed, checked the same way wherever it is stored (names, notes, labels):
//! a leaf module, so that every record's own checks may use it.

/// Refuses what a person cannot see or did not mean to type: control characters (NUL
/// among them) but line breaks and tabs, and the invisible marks that reverse or reorder
/// the text around them (right-to-left override…), which would make a name read otherwise
/// than it is stored.
pub fn visible_text(input: &str) -> Result<(), String> {
    let hidden = |c: char| {
        (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
            || matches!(
                c,
                '\u{200B}' | '\u{200E}' | '\u{200F}' | '\u{2028}' | '\u{2029}'
            )
            || ('\u{202A}'..='\u{202E}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
            || c == '\u{FEFF}'
    };
    match input.chars().position(hidden) {
        None => Ok(()),
        Some(at) => Err(format!(
            "Ce texte contient un caractère invisible ou de contrôle (au {}e caractère) : \
             retapez-le.",
            at + 1
        )),
    }
}
