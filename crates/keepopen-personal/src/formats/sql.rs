//! Rows in SQL: `INSERT INTO patients (nhs_number, dob) VALUES (...),
//! (...);`, as database dumps and seed scripts write them. Each target
//! table becomes a [`Table`]; a statement without a column list gets
//! unnamed columns. A small tokenizer rather than a SQL parser: dumps from
//! every dialect must read, and nothing else in a statement matters.

use crate::table::Table;
use std::collections::BTreeMap;

/// Does `data` hold `INSERT INTO`?
pub fn looks_like(data: &[u8]) -> bool {
    Phrase::insert(data).find(0).is_some()
}

/// Where a phrase is next in `data`, in any case, for searches from
/// places that only move forward. It runs on every text blob of a
/// history, so the search is SIMD `memmem` for the two spellings of its
/// tail after the first letter (`insert`, `Insert`, `INSERT`), checked
/// case-insensitively only where one is found. Each spelling's next place
/// is kept until the search passes it: a dump of thousands of `INSERT`s
/// with no `insert` is searched for `nsert` once, not once per statement.
struct Phrase<'d> {
    data: &'d [u8],
    phrase: &'static [u8],
    spellings: [&'static memchr::memmem::Finder<'static>; 2],
    /// Per spelling: where it was last searched from, and what was found.
    next: [Option<(usize, Option<usize>)>; 2],
}

impl<'d> Phrase<'d> {
    /// `INSERT INTO`.
    fn insert(data: &'d [u8]) -> Self {
        static SPELLINGS: std::sync::OnceLock<[memchr::memmem::Finder<'static>; 2]> =
            std::sync::OnceLock::new();
        Self::new(data, b"insert into", &SPELLINGS, [b"nsert", b"NSERT"])
    }

    /// `CREATE TABLE`: searched only in a dump whose inserts name no
    /// columns.
    fn create(data: &'d [u8]) -> Self {
        static SPELLINGS: std::sync::OnceLock<[memchr::memmem::Finder<'static>; 2]> =
            std::sync::OnceLock::new();
        Self::new(
            data,
            b"create table",
            &SPELLINGS,
            [b"reate table", b"REATE TABLE"],
        )
    }

    fn new(
        data: &'d [u8],
        phrase: &'static [u8],
        cell: &'static std::sync::OnceLock<[memchr::memmem::Finder<'static>; 2]>,
        tails: [&'static [u8]; 2],
    ) -> Self {
        let [lower, upper] = cell.get_or_init(|| tails.map(memchr::memmem::Finder::new));
        Phrase {
            data,
            phrase,
            spellings: [lower, upper],
            next: [None; 2],
        }
    }

    /// The next place of the phrase at or after `from`.
    fn find(&mut self, from: usize) -> Option<usize> {
        let mut at = from + 1;
        loop {
            let next = (0..2).filter_map(|k| self.spelling_at(k, at)).min()?;
            let start = next - 1;
            if self
                .data
                .get(start..start + self.phrase.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(self.phrase))
            {
                return Some(start);
            }
            at = next + self.spellings[0].needle().len();
        }
    }

    /// Spelling `k`'s first place at or after `at`.
    fn spelling_at(&mut self, k: usize, at: usize) -> Option<usize> {
        if let Some((searched, found)) = self.next[k]
            && searched <= at
            && found.is_none_or(|f| f >= at)
        {
            return found;
        }
        let found = self
            .data
            .get(at..)
            .and_then(|hay| self.spellings[k].find(hay))
            .map(|i| i + at);
        self.next[k] = Some((at, found));
        found
    }
}

/// Column names of every `CREATE TABLE`, with where each statement starts:
/// a dump (mysqldump, pg_dump with `--inserts`) writes its inserts without a
/// column list, after the table's definition.
fn definitions(data: &[u8]) -> Vec<(usize, String, Vec<String>)> {
    let mut out = Vec::new();
    let mut at = 0;
    let mut creates = Phrase::create(data);
    while let Some(s) = creates.find(at) {
        at = s + 12;
        let mut p = Cursor { data, i: at };
        p.space();
        if p.keyword(b"if not exists") {
            p.space();
        }
        let name = p.name();
        p.space();
        if name.is_empty() || p.peek() != Some(b'(') {
            continue;
        }
        p.i += 1;
        let columns = p.columns();
        at = at.max(p.i);
        if !columns.is_empty() {
            out.push((s, name, columns));
        }
    }
    out
}

/// The tables of every `INSERT`, in order of first appearance.
pub fn read(data: &[u8]) -> Vec<Table> {
    let mut tables: BTreeMap<String, (usize, Table)> = BTreeMap::new();
    let mut defined: Option<Vec<(usize, String, Vec<String>)>> = None;
    let mut lines = Lines::default();
    let mut at = 0;
    let mut inserts = Phrase::insert(data);
    while let Some(s) = inserts.find(at) {
        let mut p = Cursor { data, i: s + 11 };
        at = s + 11;
        p.space();
        let name = p.name();
        if name.is_empty() {
            continue;
        }
        p.space();
        let header: Vec<String> = if p.peek() == Some(b'(') {
            p.i += 1;
            p.list().into_iter().map(|(v, _)| v).collect()
        } else {
            // The columns of the latest definition of this table before it.
            defined
                .get_or_insert_with(|| definitions(data))
                .iter()
                .rev()
                .find(|(at, n, _)| *at < s && unquoted_eq(n, &name))
                .map(|(_, _, c)| c.clone())
                .unwrap_or_default()
        };
        p.space();
        if !p.keyword(b"values") {
            continue;
        }
        let n = tables.len();
        let entry = tables
            .entry(name.clone())
            .or_insert_with(|| (n, Table::new(format!("table {name}"), header.clone())));
        loop {
            p.space();
            if p.peek() != Some(b'(') {
                break;
            }
            let line = lines.at(data, p.i);
            p.i += 1;
            let row: Vec<String> = p.list().into_iter().map(|(v, _)| v).collect();
            entry.1.push(line, row);
            p.space();
            if p.peek() == Some(b',') {
                p.i += 1;
            } else {
                break;
            }
        }
        at = at.max(p.i);
    }
    let mut out: Vec<(usize, Table)> = tables.into_values().collect();
    out.sort_by_key(|(n, _)| *n);
    out.into_iter().map(|(_, t)| t).collect()
}

/// Line numbers of offsets that only grow, counted from the last one: a
/// dump of thousands of rows costs one pass, not one pass per row.
#[derive(Default)]
struct Lines {
    offset: usize,
    newlines: usize,
}

impl Lines {
    fn at(&mut self, data: &[u8], offset: usize) -> u32 {
        if offset < self.offset {
            *self = Lines::default();
        }
        self.newlines += memchr::memchr_iter(b'\n', &data[self.offset..offset]).count();
        self.offset = offset;
        1 + self.newlines as u32
    }
}

/// Table names compared as SQL compares them: case aside, and a schema
/// prefix on one side only (`public.users` and `users`) aside.
fn unquoted_eq(a: &str, b: &str) -> bool {
    let last = |n: &str| n.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    a.eq_ignore_ascii_case(b) || last(a) == last(b)
}

struct Cursor<'a> {
    data: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.data.get(self.i).copied()
    }

    fn space(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    fn keyword(&mut self, k: &[u8]) -> bool {
        let ok = self
            .data
            .get(self.i..self.i + k.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(k));
        if ok {
            self.i += k.len();
        }
        ok
    }

    /// A possibly quoted, possibly dotted name: `dbo.[patients]`.
    fn name(&mut self) -> String {
        let s = self.i;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b"_.`\"[]$".contains(&b))
        {
            self.i += 1;
        }
        String::from_utf8_lossy(&self.data[s..self.i]).replace(['`', '"', '[', ']'], "")
    }

    /// Comma-separated values up to the closing parenthesis; each with
    /// whether it was quoted.
    fn list(&mut self) -> Vec<(String, bool)> {
        let mut out = Vec::new();
        let mut depth = 0;
        loop {
            self.space();
            let Some(b) = self.peek() else { return out };
            match b {
                b')' if depth == 0 => {
                    self.i += 1;
                    return out;
                }
                b',' => self.i += 1,
                b'\'' | b'"' | b'`' => out.push((self.quoted(b), true)),
                _ => {
                    let s = self.i;
                    while let Some(c) = self.peek() {
                        match c {
                            b'(' => depth += 1,
                            b')' if depth == 0 => break,
                            b')' => depth -= 1,
                            b',' if depth == 0 => break,
                            _ => {}
                        }
                        self.i += 1;
                    }
                    let v = String::from_utf8_lossy(&self.data[s..self.i])
                        .trim()
                        .to_string();
                    out.push((
                        if v.eq_ignore_ascii_case("null") {
                            String::new()
                        } else {
                            v
                        },
                        false,
                    ));
                }
            }
            if out.len() > 10_000 {
                return out;
            }
        }
    }

    /// The column names of a table definition, up to its closing
    /// parenthesis: the first word of each definition, leaving out keys and
    /// constraints (`PRIMARY KEY (id)`, `CONSTRAINT fk …`).
    fn columns(&mut self) -> Vec<String> {
        const NOT_COLUMNS: &[&str] = &[
            "primary",
            "key",
            "unique",
            "constraint",
            "index",
            "foreign",
            "check",
            "fulltext",
            "spatial",
            "exclude",
            "period",
            "like",
        ];
        let mut out = Vec::new();
        loop {
            self.space();
            // A quoted name is a column whatever it spells (`key`).
            let (name, quoted) = match self.peek() {
                None => return out,
                Some(b')') => {
                    self.i += 1;
                    return out;
                }
                Some(q @ (b'`' | b'"')) => (self.quoted(q), true),
                Some(_) => (self.name(), false),
            };
            if !name.is_empty()
                && (quoted || !NOT_COLUMNS.contains(&name.to_ascii_lowercase().as_str()))
            {
                out.push(name);
            }
            // The rest of the definition: to a comma or the closing
            // parenthesis outside brackets and quotes.
            let mut depth = 0usize;
            loop {
                match self.peek() {
                    None => return out,
                    Some(q @ (b'\'' | b'"' | b'`')) => {
                        self.quoted(q);
                    }
                    Some(b'(') => {
                        depth += 1;
                        self.i += 1;
                    }
                    Some(b')') if depth == 0 => break,
                    Some(b')') => {
                        depth -= 1;
                        self.i += 1;
                    }
                    Some(b',') if depth == 0 => {
                        self.i += 1;
                        break;
                    }
                    Some(_) => self.i += 1,
                }
            }
            if out.len() > 10_000 {
                return out;
            }
        }
    }

    /// A quoted value; a doubled quote is one quote, a backslash escapes.
    fn quoted(&mut self, q: u8) -> String {
        self.i += 1;
        let mut v = Vec::new();
        while let Some(c) = self.peek() {
            self.i += 1;
            if c == b'\\' {
                if let Some(n) = self.peek() {
                    v.push(n);
                    self.i += 1;
                }
            } else if c == q {
                if self.peek() == Some(q) {
                    v.push(q);
                    self.i += 1;
                } else {
                    break;
                }
            } else {
                v.push(c);
            }
        }
        String::from_utf8_lossy(&v).trim().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every place of `phrase` whose tail is spelled as one of `tails`,
    /// byte by byte.
    fn every_place(data: &[u8], phrase: &[u8], tails: [&[u8]; 2]) -> Vec<usize> {
        (0..data.len())
            .filter(|&s| {
                data.get(s..s + phrase.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(phrase))
                    && tails.iter().any(|t| data[s + 1..].starts_with(t))
            })
            .collect()
    }

    #[test]
    fn phrases_are_found_wherever_they_are_spelled_either_way() {
        let pieces: [&[u8]; 10] = [
            b"insert into",
            b"INSERT INTO",
            b"Insert Into",
            b"nsert",
            b"NSERT",
            b"xnsert ",
            b"create table",
            b"CREATE TABLE",
            b"reate ",
            b" ",
        ];
        let mut rng = crate::testing::XorShift(0x9e37_79b9_7f4a_7c15);
        for _ in 0..3000 {
            let mut data = Vec::new();
            for _ in 0..(rng.next() % 12) {
                data.extend_from_slice(pieces[(rng.next() % 10) as usize]);
            }
            let walk = |mut p: Phrase<'_>| {
                let (mut out, mut at) = (Vec::new(), 0);
                while let Some(s) = p.find(at) {
                    out.push(s);
                    at = s + 1;
                }
                out
            };
            assert_eq!(
                walk(Phrase::insert(&data)),
                every_place(&data, b"insert into", [b"nsert", b"NSERT"]),
                "{:?}",
                String::from_utf8_lossy(&data)
            );
            assert_eq!(
                walk(Phrase::create(&data)),
                every_place(&data, b"create table", [b"reate table", b"REATE TABLE"]),
                "{:?}",
                String::from_utf8_lossy(&data)
            );
        }
    }

    #[test]
    fn inserts_become_one_table_per_target() {
        let sql = b"-- seed\nINSERT INTO dbo.[patients] (nhs_number, dob, name) VALUES\n ('4010232138', '1984-03-12', 'O''Brien'),\n (6123456786, NULL, 'x');\ninsert into other values (1, now());\nINSERT INTO patients (nhs_number, dob, name) VALUES ('1', '2', '3');";
        let ts = read(sql);
        assert_eq!(ts.len(), 3, "dbo.patients, other, patients");
        assert_eq!(ts[0].origin, "table dbo.patients");
        assert_eq!(ts[0].header, vec!["nhs_number", "dob", "name"]);
        assert_eq!(ts[0].rows.len(), 2);
        assert_eq!(
            ts[0].rows[0].cells,
            vec!["4010232138", "1984-03-12", "O'Brien"]
        );
        assert_eq!(ts[0].rows[0].line, 3);
        assert_eq!(ts[0].rows[1].line, 4);
        assert_eq!(ts[1].rows[0].line, 5);
        assert_eq!(ts[2].rows[0].line, 6);
        assert_eq!(ts[0].rows[1].cells[1], "");
        assert_eq!(ts[1].rows[0].cells, vec!["1", "now()"]);
    }

    /// A dump of many rows is read in one pass: counting each row's line
    /// from the start of the file made openeyes' 3.7 MB seed dump take 18 s.
    #[test]
    fn rows_of_a_long_dump_keep_their_lines() {
        let mut sql = String::new();
        for i in 0..20_000 {
            sql.push_str(&format!("INSERT INTO t (a) VALUES ({i});\n"));
        }
        let ts = read(sql.as_bytes());
        assert_eq!(ts[0].total_rows, 20_000);
        let last = ts[0].rows.last().expect("rows");
        assert_eq!(
            last.cells[0].parse::<u32>().ok().map(|i| i + 1),
            Some(last.line)
        );
    }

    /// mysqldump writes `INSERT INTO `user` VALUES (...)` after the
    /// table's `CREATE TABLE`: the definition names the columns.
    #[test]
    fn inserts_without_columns_take_them_from_the_definition() {
        let sql = b"CREATE TABLE `user` (\n  `id` int(10) unsigned NOT NULL AUTO_INCREMENT,\n  `first_name` varchar(40) COLLATE utf8_unicode_ci NOT NULL DEFAULT 'a,b',\n  `price` decimal(10,2),\n  `key` varchar(64),\n  PRIMARY KEY (`id`),\n  CONSTRAINT `fk` FOREIGN KEY (`id`) REFERENCES `x` (`id`)\n) ENGINE=InnoDB;\nINSERT INTO `user` VALUES (1,'Ada','1.00','k');\nINSERT INTO other VALUES (2);\ncreate table if not exists public.t (a text, \"b c\" text);\ninsert into t values ('x', 'y');";
        let ts = read(sql);
        assert_eq!(ts[0].header, vec!["id", "first_name", "price", "key"]);
        assert_eq!(ts[0].rows[0].cells, vec!["1", "Ada", "1.00", "k"]);
        assert!(ts[1].header.is_empty(), "no definition: unnamed columns");
        assert_eq!(ts[2].header, vec!["a", "b c"]);
    }

    #[test]
    fn truncated_statements_do_not_panic() {
        for cut in 0..60 {
            let whole = b"INSERT INTO t (a, b) VALUES ('x', (1, 2)), ('y\\'";
            let _ = read(&whole[..cut.min(whole.len())]);
            let create =
                b"CREATE TABLE u (a int, `b` text DEFAULT '(');\nINSERT INTO u VALUES (1, 'x')";
            let _ = read(&create[..cut.min(create.len())]);
        }
    }
}
