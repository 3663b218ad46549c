//! Tests of `html.rs`, kept apart so the reader stays readable.
use super::*;

fn cells(t: &Table) -> Vec<Vec<&str>> {
    t.rows
        .iter()
        .map(|r| r.cells.iter().map(String::as_str).collect())
        .collect()
}

#[test]
fn pandas_to_html_with_index_name_aligns_header_and_data() {
    let html = r#"<table border="1" class="dataframe">
  <thead>
<tr style="text-align: right;">
  <th></th>
  <th>nhs_number</th>
  <th>postcode</th>
</tr>
<tr>
  <th>patient</th>
  <th></th>
  <th></th>
</tr>
  </thead>
  <tbody>
<tr>
  <th>0</th>
  <td>943 476 5919</td>
  <td>LS1&nbsp;4AP</td>
</tr>
<tr>
  <th>1</th>
  <td>401 023 2138</td>
  <td>M1 1AE</td>
</tr>
  </tbody>
</table>"#;
    let t = tables(html, "cell 3 output");
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].origin, "cell 3 output");
    assert_eq!(t[0].header, ["patient", "nhs_number", "postcode"]);
    assert_eq!(
        cells(&t[0]),
        [
            ["0", "943 476 5919", "LS1 4AP"],
            ["1", "401 023 2138", "M1 1AE"]
        ]
    );
    assert_eq!(t[0].rows[0].line, 0);
}

#[test]
fn pandas_unnamed_index_gets_an_empty_header() {
    let html = "<TABLE class=dataframe><THEAD><TR><TH></TH><TH>a</TH></TR></THEAD>\
                <TBODY><TR><TH>0</TH><TD>x</TD></TR></TBODY></TABLE>";
    let t = tables(html, "");
    assert_eq!(t[0].header, ["", "a"]);
    assert_eq!(cells(&t[0]), [["0", "x"]]);
}

#[test]
fn first_row_of_th_is_the_header_and_tags_and_entities_are_cleaned() {
    let html = "<p>intro</p><table id='t'><tr><th>Name</th><th>Note</th></tr>\
                <tr><td><b>Ann</b>\n  Smith</td><td>a &amp; b &lt;c&gt; &#39;q&#39; &#x41;&#66; &bogus;</td></tr>\
                <tr><td>Bob<br>Jones</td><td>&quot;x&quot;</td></tr></table>";
    let t = tables(html, "page");
    assert_eq!(t[0].header, ["Name", "Note"]);
    assert_eq!(
        cells(&t[0]),
        [
            ["Ann Smith", "a & b <c> 'q' AB &bogus;"],
            ["Bob Jones", "\"x\""]
        ]
    );
}

#[test]
fn without_th_there_is_no_header() {
    let t = tables("<table><tr><td>1</td><td>2</td></tr></table>", "");
    assert!(t[0].header.is_empty());
    assert_eq!(cells(&t[0]), [["1", "2"]]);
}

#[test]
fn multi_level_columns_and_row_spans_stay_aligned() {
    let html = "<table><thead><tr><th></th><th colspan=\"2\">count</th></tr>\
                <tr><th></th><th>male</th><th>female</th></tr></thead><tbody>\
                <tr><th rowspan=\"2\">2023</th><td>3</td><td>4</td></tr>\
                <tr><td>5</td><td>6</td></tr></tbody></table>";
    let t = tables(html, "");
    assert_eq!(t[0].header, ["", "count male", "count female"]);
    assert_eq!(cells(&t[0]), [["2023", "3", "4"], ["2023", "5", "6"]]);
}

#[test]
fn several_nested_and_unclosed_tables_are_numbered_in_document_order() {
    let html = "<table><tr><td>outer<table><tr><td>inner</td></tr></table></td></tr></table>\
                <table><tr><td>third";
    let t = tables(html, "x");
    let origins: Vec<_> = t.iter().map(|t| t.origin.as_str()).collect();
    assert_eq!(origins, ["x", "x table 2", "x table 3"]);
    assert_eq!(cells(&t[0]), [["outer"]]);
    assert_eq!(cells(&t[1]), [["inner"]]);
    assert_eq!(cells(&t[2]), [["third"]]);
}

#[test]
fn scripts_comments_and_captions_are_not_cells() {
    let html = "<table><caption>Patients</caption><!-- <td>no</td> -->\
                <tr><td>a<script>var s = '<td>no</td>';</SCRIPT></td></tr></table>";
    let t = tables(html, "");
    assert_eq!(cells(&t[0]), [["a"]]);
}

#[test]
fn at_most_fifty_tables_are_kept() {
    let html = "<table><tr><td>1</td></tr></table>".repeat(80);
    assert_eq!(tables(&html, "").len(), MAX_TABLES);
}

#[test]
fn broken_markup_never_panics() {
    let inputs = [
        "<",
        "<table",
        "<table><tr><td",
        "</table></tr></td>",
        "<td>x</td>",
        "<table><td colspan=99999999999>x",
        "<table><tr><td rowspan=5>é</td></tr>",
        "&#xFFFFFFFF;&#99999999999;&",
        "<table><th>ü&",
        "<<<>>>",
        "<table><tr><td>a</td><td rowspan=3 colspan=3>b</td></tr><tr></tr><tr><td>c</td></tr></table>",
        "<!--",
        "<script>",
        "<table '>\"",
        "<table><tr><td>日本<br/>語</td></tr></table>",
    ];
    for html in inputs {
        let _ = tables(html, "x");
    }
    assert_eq!(decode_entities("&#x1F600;&amp"), "\u{1F600}&amp");
}

/// A page that is the whole file gives each row the line of its `<tr>`;
/// a notebook's HTML (a string inside the file) gives none.
#[test]
fn a_pages_rows_carry_their_lines() {
    let page = format!(
        "<html>\n<body>\n{}<table>\n<tr><th>Area</th><th>Count</th></tr>\n<tr><td>A</td><td>0</td></tr>\n\n<tr>\n<td>B</td><td>3</td></tr>\n</table>\n",
        "<p>0</p>\n".repeat(9)
    );
    let t = &tables_with_lines(&page, "")[0];
    let lines: Vec<u32> = t.rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, [14, 16]);
    let t = &tables(&page, "")[0];
    assert!(t.rows.iter().all(|r| r.line == 0));
}
