//! Progress of a batch run on standard error: a bar redrawn in place when standard
//! error is a terminal, else a plain line at a fixed interval.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sectigo_revoke::batch::{Counts, Progress};

/// Shortest time between two redraws of the bar, so that fast runs do not flood the
/// terminal.
const BAR_REDRAW_INTERVAL: Duration = Duration::from_millis(100);

/// Terminal width assumed when the terminal does not report one.
const DEFAULT_TERMINAL_COLUMNS: usize = 80;

/// Set while a bar is drawn on standard error without a line break after it. Other
/// output to standard error first clears that line, and the next redraw restores it.
static STATUS_LINE_SHOWN: AtomicBool = AtomicBool::new(false);

/// Writes one line to standard error, clearing the progress bar first if one is
/// shown. Log records and interruption messages go through here.
pub fn eprint_line(text: &str) {
    let mut err = std::io::stderr().lock();
    if STATUS_LINE_SHOWN.swap(false, Ordering::SeqCst) {
        let _ = err.write_all(b"\r\x1b[K");
    }
    let _ = writeln!(err, "{text}");
}

/// The form of the progress display.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// A bar redrawn in place, for a terminal.
    Bar,
    /// One line per interval, for a log file or a pipe.
    Lines(Duration),
}

/// The progress display of one run, fed by the run's progress callback.
pub struct Display {
    style: Style,
    state: Mutex<State>,
}

struct State {
    last_shown: Instant,
    last: Option<Snapshot>,
}

impl Display {
    /// Creates a display. The first plain line comes one interval after the start.
    pub fn new(style: Style) -> Self {
        Display { style, state: Mutex::new(State { last_shown: Instant::now(), last: None }) }
    }

    /// Shows the progress if the style's interval has passed since it was last shown.
    pub fn update(&self, progress: &Progress) {
        let snapshot = Snapshot::from(progress);
        let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let finished = snapshot.done >= snapshot.total;
        let due = match self.style {
            Style::Bar => finished || state.last_shown.elapsed() >= BAR_REDRAW_INTERVAL,
            Style::Lines(interval) => state.last_shown.elapsed() >= interval,
        };
        state.last = Some(snapshot);
        if !due {
            return;
        }
        state.last_shown = Instant::now();
        match self.style {
            Style::Bar => draw_bar(&snapshot),
            Style::Lines(_) => eprint_line(&format!("progress: {}", snapshot.line())),
        }
    }

    /// Ends the display: the bar is drawn one last time and followed by a line break.
    pub fn finish(&self) {
        let state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let (Style::Bar, Some(snapshot)) = (self.style, &state.last) {
            draw_bar(snapshot);
            if STATUS_LINE_SHOWN.swap(false, Ordering::SeqCst) {
                let _ = writeln!(std::io::stderr().lock());
            }
        }
    }
}

fn draw_bar(snapshot: &Snapshot) {
    let text = snapshot.bar(terminal_columns());
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "\r{text}\x1b[K");
    let _ = err.flush();
    STATUS_LINE_SHOWN.store(true, Ordering::SeqCst);
}

/// Returns the width of the terminal on standard error.
#[cfg(unix)]
fn terminal_columns() -> usize {
    // SAFETY: TIOCGWINSZ writes one `winsize` through the pointer, which is valid.
    let mut size: libc::winsize = unsafe { std::mem::zeroed() };
    let result = unsafe { libc::ioctl(libc::STDERR_FILENO, libc::TIOCGWINSZ, &mut size) };
    if result == 0 && size.ws_col > 0 {
        usize::from(size.ws_col)
    } else {
        DEFAULT_TERMINAL_COLUMNS
    }
}

#[cfg(not(unix))]
fn terminal_columns() -> usize {
    DEFAULT_TERMINAL_COLUMNS
}

/// The numbers one display shows.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Snapshot {
    done: u64,
    total: u64,
    elapsed: Duration,
    counts: Counts,
}

impl From<&Progress> for Snapshot {
    fn from(progress: &Progress) -> Self {
        Snapshot { done: progress.done, total: progress.total, elapsed: progress.elapsed, counts: progress.counts }
    }
}

impl Snapshot {
    /// Rows finished per second since the run started.
    fn rows_per_second(&self) -> f64 {
        self.done as f64 / self.elapsed.as_secs_f64().max(0.001)
    }

    fn percent(&self) -> u64 {
        (self.done * 100).checked_div(self.total).unwrap_or(100)
    }

    /// Returns the estimated time left at the rate so far, or `--` before the first row.
    fn time_left(&self) -> String {
        if self.done == 0 {
            return "--".to_owned();
        }
        let left = self.total.saturating_sub(self.done) as f64 / self.rows_per_second();
        format_duration(Duration::from_secs_f64(left.min(1e9)))
    }

    /// Returns the counts by result: `1180 accepted, 15 already final, 3 failed, …`.
    fn results(&self) -> String {
        let counts = &self.counts;
        let already_final = counts.already_revoked + counts.already_rejected + counts.expired;
        format!(
            "{} accepted, {already_final} already final, {} failed, {} unknown, {} retryable",
            counts.accepted, counts.failed, counts.unknown, counts.retryable
        )
    }

    /// Returns the plain progress line.
    fn line(&self) -> String {
        format!(
            "{}/{} rows ({}%), {:.1} rows/s, {} left; {}",
            self.done,
            self.total,
            self.percent(),
            self.rows_per_second(),
            self.time_left(),
            self.results()
        )
    }

    /// Returns the bar for a terminal `columns` wide, shorter than the width so that
    /// the line never wraps: the counts are dropped first, then the bar narrows.
    fn bar(&self, columns: usize) -> String {
        let numbers = format!(
            "{}/{} {:>3}% {:.1}/s {} left",
            self.done,
            self.total,
            self.percent(),
            self.rows_per_second(),
            self.time_left()
        );
        let results = self.results();
        let room = columns.saturating_sub(1);

        let with_results = numbers.len() + results.len() + 4;
        let (bar_width, show_results) = if room >= with_results + 12 {
            ((room - with_results - 2).min(40), true)
        } else {
            (room.saturating_sub(numbers.len() + 3).min(40), false)
        };

        let mut text = String::new();
        if bar_width >= 10 {
            let filled = (self.done * bar_width as u64).checked_div(self.total).unwrap_or(bar_width as u64) as usize;
            text.push('[');
            text.push_str(&"#".repeat(filled.min(bar_width)));
            text.push_str(&"-".repeat(bar_width - filled.min(bar_width)));
            text.push_str("] ");
        }
        text.push_str(&numbers);
        if show_results {
            text.push_str(" | ");
            text.push_str(&results);
        }
        text.chars().take(room).collect()
    }
}

/// Formats a duration as `42s`, `3m05s` or `1h02m`.
pub fn format_duration(duration: Duration) -> String {
    let seconds = duration.as_secs();
    match seconds {
        0..=59 => format!("{seconds}s"),
        60..=3599 => format!("{}m{:02}s", seconds / 60, seconds % 60),
        _ => format!("{}h{:02}m", seconds / 3600, seconds % 3600 / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(done: u64, total: u64, seconds: u64) -> Snapshot {
        let mut counts = Counts::default();
        counts.accepted = done.saturating_sub(3);
        counts.already_revoked = done.min(2);
        counts.failed = done.min(1);
        Snapshot { done, total, elapsed: Duration::from_secs(seconds), counts }
    }

    #[test]
    fn line_shows_rate_and_time_left() {
        let line = snapshot(100, 400, 10).line();
        assert_eq!(
            line,
            "100/400 rows (25%), 10.0 rows/s, 30s left; 97 accepted, 2 already final, 1 failed, 0 unknown, 0 retryable"
        );
    }

    #[test]
    fn time_left_unknown_before_first_row() {
        assert_eq!(snapshot(0, 400, 3).time_left(), "--");
        assert_eq!(snapshot(0, 0, 3).percent(), 100);
    }

    #[test]
    fn bar_fits_the_terminal() {
        let wide = snapshot(200, 400, 10).bar(160);
        assert!(
            wide.starts_with("[####################--------------------] 200/400  50% 20.0/s 10s left | "),
            "{wide}"
        );
        assert!(wide.ends_with("197 accepted, 2 already final, 1 failed, 0 unknown, 0 retryable"), "{wide}");
        for columns in [20, 40, 60, 80, 100] {
            let bar = snapshot(200, 400, 10).bar(columns);
            assert!(bar.chars().count() < columns, "{columns}: {bar}");
            assert!(bar.contains("200/400"), "{columns}: {bar}");
        }
        assert!(!snapshot(200, 400, 10).bar(80).contains("accepted"), "counts are dropped first on 80 columns");
    }

    #[test]
    fn durations_formatted() {
        assert_eq!(format_duration(Duration::from_secs(42)), "42s");
        assert_eq!(format_duration(Duration::from_secs(185)), "3m05s");
        assert_eq!(format_duration(Duration::from_secs(3720)), "1h02m");
    }
}
