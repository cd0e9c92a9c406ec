//! Charts as server-rendered SVG: the geometry is computed here (pure), the markup is in
//! `templates/reports/*_chart.html` with a `<title>` and `<desc>` for screen readers. No
//! script and nothing loaded from outside.

use time::OffsetDateTime;

use crate::domain::format;

pub struct Segment {
    pub x: f64,
    pub width: f64,
    pub class: &'static str,
    pub label: String,
}

pub struct BarRow {
    pub label: String,
    pub y: f64,
    pub segments: Vec<Segment>,
    pub value: String,
}

pub struct BarChart {
    pub id: &'static str,
    pub title: String,
    pub desc: String,
    pub width: f64,
    pub height: f64,
    pub label_width: f64,
    pub bar_width: f64,
    pub rows: Vec<BarRow>,
    pub legend: Vec<(&'static str, &'static str)>,
}

pub const ROW_HEIGHT: f64 = 22.0;

/// Coordinates to a tenth of a pixel: enough on screen, short in the page.
fn tenth(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}
const LABEL_WIDTH: f64 = 270.0;
const BAR_WIDTH: f64 = 420.0;
const VALUE_WIDTH: f64 = 150.0;

fn frame(id: &'static str, title: String, desc: String, rows: Vec<BarRow>) -> BarChart {
    BarChart {
        id,
        title,
        desc,
        width: LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH,
        height: rows.len() as f64 * ROW_HEIGHT + 8.0,
        label_width: LABEL_WIDTH,
        bar_width: BAR_WIDTH,
        rows,
        legend: Vec::new(),
    }
}

/// One bar per row: the share of TPS that are ready.
pub fn readiness(title: String, rows: &[(String, i64, i64)]) -> BarChart {
    let bars = rows
        .iter()
        .enumerate()
        .map(|(i, (label, ready, stations))| {
            let share = if *stations > 0 {
                *ready as f64 / *stations as f64
            } else {
                0.0
            };
            BarRow {
                label: label.clone(),
                y: i as f64 * ROW_HEIGHT + 4.0,
                segments: vec![Segment {
                    x: LABEL_WIDTH,
                    width: tenth((share * BAR_WIDTH).max(0.0)),
                    class: "ready",
                    label: format!("{label}: {ready} dari {stations} TPS siap"),
                }],
                value: format!(
                    "{} ({}/{})",
                    format::percent(*ready, *stations),
                    format::number(*ready),
                    format::number(*stations)
                ),
            }
        })
        .collect();
    let desc = "Persentase TPS yang semua butir wajib kesiapannya siap, per baris.".to_owned();
    let mut chart = frame("grafik-kesiapan", title, desc, bars);
    chart.legend = vec![("ready", "TPS siap")];
    chart
}

/// One 100% bar per row split into DPT, DPTb and DPK.
pub fn composition(title: String, rows: &[(String, i64, i64, i64)]) -> BarChart {
    let bars = rows
        .iter()
        .enumerate()
        .map(|(i, (label, dpt, dptb, dpk))| {
            let total = dpt + dptb + dpk;
            let mut x = LABEL_WIDTH;
            let mut segments = Vec::new();
            for (class, name, v) in [
                ("dpt", "DPT", dpt),
                ("dptb", "DPTb", dptb),
                ("dpk", "DPK", dpk),
            ] {
                let width = if total > 0 {
                    *v as f64 / total as f64 * BAR_WIDTH
                } else {
                    0.0
                };
                segments.push(Segment {
                    x: tenth(x),
                    width: tenth(width),
                    class,
                    label: format!(
                        "{label}: {name} {} ({})",
                        format::number(*v),
                        format::percent(*v, total)
                    ),
                });
                x += width;
            }
            BarRow {
                label: label.clone(),
                y: i as f64 * ROW_HEIGHT + 4.0,
                segments,
                value: format::number(total),
            }
        })
        .collect();
    let desc =
        "Komposisi pemilih per baris: DPT, DPTb dan DPK sebagai bagian dari jumlah hak pilih."
            .to_owned();
    let mut chart = frame("grafik-komposisi", title, desc, bars);
    chart.legend = vec![("dpt", "DPT"), ("dptb", "DPTb"), ("dpk", "DPK")];
    chart
}

pub struct LineChart {
    pub title: String,
    pub desc: String,
    pub width: f64,
    pub height: f64,
    pub points: String,
    pub y_labels: Vec<(f64, String)>,
    pub x_labels: Vec<(f64, String)>,
    pub left: f64,
    pub bottom: f64,
}

/// A step line of a total over time (`series` in time order). `None` with fewer than two
/// points: nothing to draw.
pub fn timeline(title: String, series: &[(OffsetDateTime, i64)]) -> Option<LineChart> {
    if series.len() < 2 {
        return None;
    }
    let (w, h, left, top, bottom) = (720.0, 220.0, 70.0, 10.0, 190.0);
    let t0 = series[0].0.unix_timestamp() as f64;
    let t1 = series[series.len() - 1].0.unix_timestamp() as f64;
    let span = (t1 - t0).max(1.0);
    let max = series.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1) as f64;
    let x = |t: OffsetDateTime| left + (t.unix_timestamp() as f64 - t0) / span * (w - left - 10.0);
    let y = |v: i64| bottom - v as f64 / max * (bottom - top);
    let mut points = Vec::new();
    let mut last: Option<f64> = None;
    for (t, v) in series {
        let (px, py) = (x(*t), y(*v));
        if let Some(ly) = last {
            points.push(format!("{px:.1},{ly:.1}"));
        }
        points.push(format!("{px:.1},{py:.1}"));
        last = Some(py);
    }
    let y_labels = [0.0, 0.5, 1.0]
        .iter()
        .map(|f| {
            let v = (max * f).round() as i64;
            (y(v), format::number(v))
        })
        .collect();
    let x_labels = vec![
        (left, format::date(series[0].0.date())),
        (w - 10.0, format::date(series[series.len() - 1].0.date())),
    ];
    let first = series[0].1;
    let now = series[series.len() - 1].1;
    Some(LineChart {
        desc: format!(
            "Jumlah hak pilih (DPT + DPTb + DPK) dari {} menjadi {} setelah {} perubahan.",
            format::number(first),
            format::number(now),
            series.len() - 1
        ),
        title,
        width: w,
        height: h,
        points: points.join(" "),
        y_labels,
        x_labels,
        left,
        bottom,
    })
}

/// The running total of every TPS's latest value after each change: `changes` are
/// `(time, station, value)` in time order.
pub fn running_total(changes: &[(OffsetDateTime, i64, i64)]) -> Vec<(OffsetDateTime, i64)> {
    let mut current = std::collections::HashMap::new();
    let mut total = 0i64;
    let mut out: Vec<(OffsetDateTime, i64)> = Vec::new();
    for &(t, station, value) in changes {
        let before = current.insert(station, value).unwrap_or(0);
        total += value - before;
        match out.last_mut() {
            Some(last) if last.0 == t => last.1 = total,
            _ => out.push((t, total)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn running_total_follows_each_station_latest_value() {
        let t1 = datetime!(2024-01-01 0:00 UTC);
        let t2 = datetime!(2024-01-02 0:00 UTC);
        let t3 = datetime!(2024-01-03 0:00 UTC);
        let changes = [(t1, 1, 100), (t1, 2, 50), (t2, 1, 120), (t3, 2, 40)];
        assert_eq!(
            running_total(&changes),
            vec![(t1, 150), (t2, 170), (t3, 160)]
        );
    }

    #[test]
    fn composition_segments_fill_the_bar() {
        let c = composition("x".into(), &[("A".into(), 9_084, 1_913, 2_522)]);
        let total: f64 = c.rows[0].segments.iter().map(|s| s.width).sum();
        assert!((total - BAR_WIDTH).abs() < 0.2);
        assert_eq!(c.rows[0].value, "13.519");
    }

    #[test]
    fn a_timeline_needs_two_points() {
        assert!(timeline("x".into(), &[(datetime!(2024-01-01 0:00 UTC), 5)]).is_none());
    }
}
