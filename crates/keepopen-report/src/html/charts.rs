//! Bar charts drawn inline in SVG: no script, no fetch. Each chart is an
//! image whose accessible name is its caption and whose description lists
//! every bar's number, so that the chart says what it shows without sight.

use maud::{Markup, html};

const ROW: u32 = 24;
const LABEL: u32 = 150;
const WIDTH: u32 = 460;

/// Horizontal bars, one per (label, value), labelled by the element
/// `caption_id`.
pub(super) fn bars(data: &[(String, u64)], caption_id: &str) -> Markup {
    let max = data.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let height = ROW * data.len().max(1) as u32 + 4;
    let span = WIDTH - LABEL - 50;
    let described: Vec<String> = data.iter().map(|(k, n)| format!("{k}: {n}")).collect();
    html! {
        svg xmlns="http://www.w3.org/2000/svg" role="img" width=(WIDTH) height=(height)
            viewBox={ "0 0 " (WIDTH) " " (height) } aria-labelledby=(caption_id) {
            desc { (described.join(", ")) }
            @for (i, (label, n)) in data.iter().enumerate() {
                @let y = i as u32 * ROW + 2;
                @let w = (*n as f64 / max as f64 * span as f64).round() as u32;
                g {
                    title { (label) ": " (n) }
                    text x=(LABEL - 6) y=(y + 16) text-anchor="end" font-size="14" fill="#0b0c0c" { (label) }
                    rect x=(LABEL) y=(y + 3) width=(w.max(if *n > 0 { 2 } else { 0 })) height=(ROW - 8) fill="#1d70b8" {}
                    text x=(LABEL + w + 6) y=(y + 16) font-size="14" fill="#0b0c0c" { (n) }
                }
            }
        }
    }
}
