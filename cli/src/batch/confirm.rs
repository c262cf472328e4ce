//! The confirmation asked on a terminal before a batch sends anything.

use std::io::{BufRead, Write};

use sectigo_revoke::batch::PlanSummary;

use super::output::format_count;

/// The reply typed at the confirmation prompt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    Yes,
    No,
}

/// Shows what is about to be sent on standard error and reads the reply from
/// standard input, which the caller has checked is a terminal. Only `y` or `yes`, in
/// any case, confirms; an empty line or the end of input declines.
pub fn ask(plan: &PlanSummary, pending: u64, endpoint: &str, login_name: &str) -> std::io::Result<Answer> {
    let mut err = std::io::stderr().lock();
    let noun = if pending == 1 { "request" } else { "requests" };
    writeln!(err, "about to send {pending} revocation {noun} to {endpoint} as {login_name}")?;
    if !plan.per_reason.is_empty() {
        let reasons: Vec<String> =
            plan.per_reason.iter().map(|(reason, count)| format!("{} {count}", reason.name())).collect();
        let scope = if plan.resumed { "reasons in the whole plan" } else { "reasons" };
        writeln!(err, "  {scope}: {}", reasons.join(", "))?;
    }
    if plan.test_mode {
        writeln!(err, "  test mode: on, so Sectigo validates each request and revokes nothing")?;
    } else {
        writeln!(err, "  test mode: off, so the certificates are revoked; a revocation cannot be undone")?;
    }
    if plan.invalid > 0 {
        writeln!(err, "  {} skipped", format_count(plan.invalid, "invalid row is", "invalid rows are"))?;
    }
    write!(err, "send them? [y/N] ")?;
    err.flush()?;
    drop(err);

    let mut reply = String::new();
    std::io::stdin().lock().read_line(&mut reply)?;
    Ok(parse_answer(&reply))
}

fn parse_answer(text: &str) -> Answer {
    match text.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => Answer::Yes,
        _ => Answer::No,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_yes_confirms() {
        for text in ["y\n", "YES\n", " yes \r\n"] {
            assert_eq!(parse_answer(text), Answer::Yes, "{text:?}");
        }
        for text in ["", "\n", "n\n", "no\n", "yess\n", "sure\n"] {
            assert_eq!(parse_answer(text), Answer::No, "{text:?}");
        }
    }
}
