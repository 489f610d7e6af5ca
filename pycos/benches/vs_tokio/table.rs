//! The result table: one row per figure, pycos beside tokio.

/// What a row's ratio (pycos / tokio) must be.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Target {
    /// Higher is better: ratio at least this.
    AtLeast(f64),
    /// Lower is better: ratio at most this.
    AtMost(f64),
    /// Shown for information.
    None,
}

/// One measured figure of both runtimes.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub(crate) workload: String,
    pub(crate) unit: &'static str,
    pub(crate) pycos: f64,
    pub(crate) tokio: f64,
    pub(crate) target: Target,
}

impl Row {
    pub(crate) fn ratio(&self) -> f64 {
        self.pycos / self.tokio
    }

    fn target_text(&self) -> String {
        match self.target {
            Target::AtLeast(x) => format!("≥ {x}×"),
            Target::AtMost(x) => format!("≤ {x}×"),
            Target::None => "—".to_owned(),
        }
    }

    fn verdict(&self) -> &'static str {
        let ratio = self.ratio();
        match self.target {
            Target::AtLeast(x) if ratio >= x => "met",
            Target::AtMost(x) if ratio <= x => "met",
            Target::None => "—",
            _ => "NOT met",
        }
    }
}

/// The rows as a Markdown table.
pub(crate) fn render(rows: &[Row]) -> String {
    let header = ["workload", "pycos", "tokio", "ratio", "target", "met"];
    let body: Vec<[String; 6]> = rows
        .iter()
        .map(|row| {
            [
                row.workload.clone(),
                format!("{} {}", figure(row.pycos), row.unit),
                format!("{} {}", figure(row.tokio), row.unit),
                format!("{:.2}×", row.ratio()),
                row.target_text(),
                row.verdict().to_owned(),
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for line in &body {
        for (width, cell) in widths.iter_mut().zip(line) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut push_line = |cells: &[String]| {
        out.push('|');
        for (cell, width) in cells.iter().zip(widths) {
            let pad = width - cell.chars().count();
            out.push_str(&format!(" {cell}{} |", " ".repeat(pad)));
        }
        out.push('\n');
    };
    push_line(&header.map(str::to_owned));
    push_line(&widths.map(|w| "-".repeat(w)));
    for line in &body {
        push_line(line);
    }
    out
}

/// Three significant digits, without scientific notation.
fn figure(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0}")
    } else if value >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}
