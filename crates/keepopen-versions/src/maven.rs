//! Maven's version ordering: the algorithm of
//! `org.apache.maven.artifact.versioning.ComparableVersion`
//! (<https://maven.apache.org/pom.html#version-order-specification>).
//!
//! The version is lower-cased and split into items on `.`, on `-` and at
//! digit/letter transitions; a `-` or a transition opens a nested list, so
//! `1-rc-2` is `[1, [rc, [2]]]`. Empty items are 0; `a`, `b`, `m` directly
//! followed by a digit mean alpha, beta, milestone; `ga`, `final` and
//! `release` are the empty qualifier and `cr` is `rc`. Trailing null items
//! (0, the empty qualifier, empty lists) are trimmed from every list. Items
//! then compare as Maven's `Item`s do: numbers numerically, qualifiers
//! alpha < beta < milestone < rc < snapshot < "" < sp < unknown (unknown
//! ones alphabetically), a qualifier < a list < a number, and a missing item
//! as the null item. The behaviour is that of Maven 3.8.7 and later,
//! including MNG-7644, against whose `maven-artifact` jar it was checked.

use std::cmp::Ordering;

use crate::numeric::cmp_digits;
use crate::{Ecosystem, VersionError};

/// Deeper nesting than this is no real version, and would make comparison
/// recurse without bound.
const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    /// A number, leading zeros stripped.
    Int(String),
    /// A qualifier, aliases resolved.
    Str(String),
    List(Vec<Item>),
}

const QUALIFIERS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];

impl Item {
    fn number(digits: &str) -> Item {
        Item::Int(digits.trim_start_matches('0').to_owned())
    }

    fn qualifier(text: &str, followed_by_digit: bool) -> Item {
        let text = match (followed_by_digit, text) {
            (true, "a") => "alpha",
            (true, "b") => "beta",
            (true, "m") => "milestone",
            (_, "ga" | "final" | "release") => "",
            (_, "cr") => "rc",
            (_, other) => other,
        };
        Item::Str(text.to_owned())
    }

    fn is_null(&self) -> bool {
        match self {
            Item::Int(n) => n.is_empty(),
            Item::Str(s) => s.is_empty(),
            Item::List(items) => items.is_empty(),
        }
    }

    /// Compares with an absent item, as Maven's `compareTo(null)` does.
    fn cmp_null(&self) -> Ordering {
        match self {
            Item::Int(n) if n.is_empty() => Ordering::Equal,
            Item::Int(_) => Ordering::Greater,
            Item::Str(s) => qualifier_rank(s).cmp(&qualifier_rank("")),
            Item::List(items) => items
                .iter()
                .map(Item::cmp_null)
                .find(|ord| ord.is_ne())
                .unwrap_or(Ordering::Equal),
        }
    }

    fn cmp_item(&self, other: &Item) -> Ordering {
        match (self, other) {
            (Item::Int(a), Item::Int(b)) => cmp_digits(a, b),
            (Item::Int(_), _) => Ordering::Greater,
            (_, Item::Int(_)) => Ordering::Less,
            (Item::Str(a), Item::Str(b)) => qualifier_rank(a).cmp(&qualifier_rank(b)),
            (Item::Str(_), Item::List(_)) => Ordering::Less,
            (Item::List(_), Item::Str(_)) => Ordering::Greater,
            (Item::List(a), Item::List(b)) => cmp_lists(a, b),
        }
    }
}

/// Maven's `comparableQualifier`: known qualifiers by position, unknown ones
/// after all of them and alphabetically among themselves.
fn qualifier_rank(q: &str) -> (usize, &str) {
    match QUALIFIERS.iter().position(|known| *known == q) {
        Some(i) => (i, ""),
        None => (QUALIFIERS.len(), q),
    }
}

fn cmp_lists(a: &[Item], b: &[Item]) -> Ordering {
    for i in 0..a.len().max(b.len()) {
        let ord = match (a.get(i), b.get(i)) {
            (Some(x), Some(y)) => x.cmp_item(y),
            (Some(x), None) => x.cmp_null(),
            (None, Some(y)) => y.cmp_null().reverse(),
            (None, None) => Ordering::Equal,
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}

/// Lists are built in an arena while parsing (each `-` or transition adds a
/// child list to the current one), then assembled innermost first so each
/// is trimmed after its children, as Maven's stack of lists does.
struct Builder {
    lists: Vec<Vec<Node>>,
    current: usize,
    depth: Vec<usize>,
}

enum Node {
    Leaf(Item),
    List(usize),
}

impl Builder {
    fn push(&mut self, item: Item) {
        self.lists[self.current].push(Node::Leaf(item));
    }

    fn current_is_nonempty(&self) -> bool {
        !self.lists[self.current].is_empty()
    }

    fn open_list(&mut self) -> bool {
        let id = self.lists.len();
        let depth = self.depth[self.current] + 1;
        self.lists.push(Vec::new());
        self.depth.push(depth);
        self.lists[self.current].push(Node::List(id));
        self.current = id;
        depth <= MAX_DEPTH
    }

    fn finish(self) -> Vec<Item> {
        let mut built: Vec<Option<Vec<Item>>> = (0..self.lists.len()).map(|_| None).collect();
        for (id, nodes) in self.lists.into_iter().enumerate().rev() {
            let mut items: Vec<Item> = nodes
                .into_iter()
                .map(|node| match node {
                    Node::Leaf(item) => item,
                    Node::List(child) => Item::List(
                        built
                            .get_mut(child)
                            .and_then(Option::take)
                            .unwrap_or_default(),
                    ),
                })
                .collect();
            // `ListItem.normalize`: drop trailing nulls, looking past
            // non-null lists but stopping at the first non-null leaf.
            let mut i = items.len();
            while i > 0 {
                i -= 1;
                if items[i].is_null() {
                    items.remove(i);
                } else if !matches!(items[i], Item::List(_)) {
                    break;
                }
            }
            built[id] = Some(items);
        }
        built.first_mut().and_then(Option::take).unwrap_or_default()
    }
}

/// `ComparableVersion.parseVersion`, including MNG-7644 (Maven 3.8.8 and
/// 3.9.x): a qualifier that ends the version or is followed by a digit opens
/// a list of its own unless it starts one, so `1.0.0.RC1` = `1.0.0-RC1`.
fn parse(input: &str) -> Result<Vec<Item>, VersionError> {
    let version = input.trim().to_lowercase();
    if version.is_empty() {
        return Err(VersionError::invalid(
            Ecosystem::Maven,
            input,
            "version string is empty",
        ));
    }
    let too_deep =
        || VersionError::invalid(Ecosystem::Maven, input, "version is nested too deeply");
    let mut b = Builder {
        lists: vec![Vec::new()],
        current: 0,
        depth: vec![0],
    };
    let chars: Vec<char> = version.chars().collect();
    let text = |from: usize, to: usize| chars[from..to].iter().collect::<String>();
    let mut is_digit = false;
    let mut start = 0;
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '.' | '-' => {
                if i == start {
                    b.push(Item::Int(String::new()));
                } else if is_digit {
                    b.push(Item::number(&text(start, i)));
                } else {
                    b.push(Item::qualifier(&text(start, i), false));
                }
                start = i + 1;
                if c == '-' && !b.open_list() {
                    return Err(too_deep());
                }
            }
            c if c.is_ascii_digit() => {
                if !is_digit && i > start {
                    if b.current_is_nonempty() && !b.open_list() {
                        return Err(too_deep());
                    }
                    b.push(Item::qualifier(&text(start, i), true));
                    start = i;
                    if !b.open_list() {
                        return Err(too_deep());
                    }
                }
                is_digit = true;
            }
            _ => {
                if is_digit && i > start {
                    b.push(Item::number(&text(start, i)));
                    start = i;
                    if !b.open_list() {
                        return Err(too_deep());
                    }
                }
                is_digit = false;
            }
        }
    }
    if chars.len() > start {
        if !is_digit && b.current_is_nonempty() && !b.open_list() {
            return Err(too_deep());
        }
        let rest = text(start, chars.len());
        b.push(if is_digit {
            Item::number(&rest)
        } else {
            Item::qualifier(&rest, false)
        });
    }
    Ok(b.finish())
}

pub(crate) fn compare(a: &str, b: &str) -> Result<Ordering, VersionError> {
    Ok(cmp_lists(&parse(a)?, &parse(b)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        compare(a, b).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn orders_the_well_known_qualifiers() {
        let chain = [
            "1-alpha-1",
            "1-beta-1",
            "1-milestone-1",
            "1-rc-1",
            "1-snapshot",
            "1",
            "1-sp",
            "1-abc",
            "1-1",
            "1.1",
        ];
        for pair in chain.windows(2) {
            assert_eq!(cmp(pair[0], pair[1]), Ordering::Less, "{pair:?}");
        }
    }

    #[test]
    fn resolves_aliases_and_trims_nulls() {
        assert_eq!(cmp("1.0.0", "1"), Ordering::Equal);
        assert_eq!(cmp("1-ga", "1.final"), Ordering::Equal);
        assert_eq!(cmp("1a1", "1-alpha-1"), Ordering::Equal);
        assert_eq!(cmp("1cr", "1RC"), Ordering::Equal);
        assert_eq!(
            cmp("1-1.foo-bar-1-baz-0.1", "1-1.foo-bar1baz-.1"),
            Ordering::Equal
        );
    }

    #[test]
    fn rejects_empty_and_absurdly_nested_versions() {
        assert!(compare("", "1").is_err());
        assert!(compare(&"1-".repeat(1000), "1").is_err());
    }
}
