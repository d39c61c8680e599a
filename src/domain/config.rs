//! What every part of a merchant's configuration shares: the error naming a bad field by its
//! JSON path, and the checks of numbers and text every settings parser applies. It imports no
//! other domain module, so the program and its parts (tiers, promotions, referrals, sequences,
//! birthdays, the ledger's policies) all build on it without importing one another in a circle.

/// A configuration value out of bounds, named by its JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Returns `value` if it is within `min..=max`, else an error naming `field` and the bounds.
pub fn check_range(field: &str, value: u32, min: u32, max: u32) -> Result<u32, ConfigError> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(ConfigError {
            field: field.into(),
            message: format!("must be between {min} and {max}, got {value}"),
        })
    }
}

/// Returns `value` trimmed if it is 1 to `max_chars` printable characters, else an error naming
/// `field`.
pub fn check_text(field: &str, value: String, max_chars: usize) -> Result<String, ConfigError> {
    let value = value.trim().to_owned();
    let chars = value.chars().count();
    if chars == 0 || chars > max_chars || value.chars().any(char::is_control) {
        return Err(ConfigError {
            field: field.into(),
            message: format!("must be 1 to {max_chars} printable characters"),
        });
    }
    Ok(value)
}
