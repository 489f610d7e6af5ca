//! The result table: one row per figure, with its baseline and target.

/// What a row must reach.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Target {
    /// Higher is better: the ratio to the baseline at least this.
    AtLeast(f64),
    /// The figure itself at least this (in the row's unit).
    Absolute(f64),
    /// The figure itself at most this (in the row's unit): a time.
    AtMost(f64),
    /// Shown for information.
    None,
}

/// One measured figure.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    /// Which workload (for the rows that compare with it later).
    pub(crate) key: &'static str,
    pub(crate) workload: String,
    pub(crate) unit: &'static str,
    pub(crate) ours: f64,
    pub(crate) baseline: Option<f64>,
    /// The ratio when measured pair by pair (else `ours / baseline`).
    pub(crate) paired: Option<f64>,
    pub(crate) target: Target,
}

impl Row {
    fn ratio(&self) -> Option<f64> {
        self.paired
            .or_else(|| self.baseline.map(|base| self.ours / base))
    }

    fn target_text(&self) -> String {
        match self.target {
            Target::AtLeast(x) => format!("≥ {x}×"),
            Target::Absolute(x) => format!("≥ {} {}", figure(x), self.unit),
            Target::AtMost(x) => format!("≤ {} {}", figure(x), self.unit),
            Target::None => "—".to_owned(),
        }
    }

    fn verdict(&self) -> &'static str {
        let met = match self.target {
            Target::AtLeast(x) => self.ratio().is_some_and(|r| r >= x),
            Target::Absolute(x) => self.ours >= x,
            Target::AtMost(x) => self.ours <= x,
            Target::None => return "—",
        };
        if met { "met" } else { "NOT met" }
    }
}

/// The rows as a Markdown table.
pub(crate) fn render(rows: &[Row]) -> String {
    let header = [
        "workload",
        "pycos-net",
        "baseline",
        "ratio",
        "target",
        "met",
    ];
    let body: Vec<[String; 6]> = rows
        .iter()
        .map(|row| {
            [
                row.workload.clone(),
                format!("{} {}", figure(row.ours), row.unit),
                row.baseline.map_or("—".to_owned(), |base| {
                    format!("{} {}", figure(base), row.unit)
                }),
                row.ratio().map_or("—".to_owned(), |r| format!("{r:.2}×")),
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
pub(crate) fn figure(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0}")
    } else if value >= 10.0 {
        format!("{value:.1}")
    } else if value >= 1.0 || value <= 0.0 {
        format!("{value:.2}")
    } else {
        // Below 1: as many decimals as three significant digits need.
        let decimals = (2 - value.log10().floor() as i32).clamp(2, 9) as usize;
        format!("{value:.decimals$}")
    }
}
