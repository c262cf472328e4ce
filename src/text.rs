//! Checks shared by every free-text parameter.

use crate::error::InvalidRequest;
use crate::field::Field;

/// Checks a text value against a length limit in characters and rejects control
/// characters, which the form encoding would carry but no Sectigo field accepts.
///
/// The message never quotes the value, because the value may be the password.
pub(crate) fn check_text(field: Field, value: &str, max_chars: usize) -> Result<(), InvalidRequest> {
    let length = value.chars().count();
    if length > max_chars {
        return Err(InvalidRequest::new(
            field,
            format!("{length} characters is more than the {max_chars} allowed; shorten the value"),
        ));
    }

    if let Some((position, character)) = value.chars().enumerate().find(|(_, c)| c.is_control()) {
        return Err(InvalidRequest::new(
            field,
            format!(
                "control character U+{:04X} at character {}; remove line breaks, tabs and other control characters",
                u32::from(character),
                position + 1
            ),
        ));
    }

    Ok(())
}

/// Checks a required text value: present, within the limit, with no control characters.
pub(crate) fn check_required_text(field: Field, value: &str, max_chars: usize) -> Result<(), InvalidRequest> {
    if value.is_empty() {
        return Err(InvalidRequest::new(field, "missing; the value is required and may not be empty"));
    }
    check_text(field, value, max_chars)
}
