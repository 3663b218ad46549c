//! Ansible inventories and hosts files: the estate's machines by name and
//! role (`[db_servers]`), the first thing an attacker inside the network
//! wants.

use crate::address::internal_hosts_and_keys;

/// Is `path` named as an inventory is: `hosts`, `inventory`, `hosts.ini`,
/// `inventory.yml`, or any file in an `inventory/` or `inventories/`
/// folder (`host_vars/` and `group_vars/` inside them too).
pub fn named_as_inventory(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let stem = name.split('.').next().unwrap_or(name);
    let ext_ok = !name.contains('.')
        || [".ini", ".yml", ".yaml", ".cfg"]
            .iter()
            .any(|e| name.ends_with(e));
    (matches!(stem, "hosts" | "inventory") && ext_ok)
        || lower
            .split('/')
            .rev()
            .skip(1)
            .any(|d| d == "inventory" || d == "inventories")
}

/// What an inventory lists: its internal hosts (first line of each) and
/// its groups.
pub struct Inventory {
    pub hosts: Vec<(u32, String)>,
    pub groups: usize,
}

/// Reads an inventory (INI or YAML, line by line) for the hosts that name
/// the inside of the estate; `None` when it lists none.
pub fn read(text: &str) -> Option<Inventory> {
    let mut inv = Inventory {
        hosts: Vec::new(),
        groups: 0,
    };
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.starts_with('#') || t.starts_with(';') {
            continue;
        }
        if t.starts_with('[') && t.ends_with(']') && !t.contains(":vars") {
            inv.groups += 1;
            continue;
        }
        if t.ends_with("hosts:") || t.ends_with("children:") {
            inv.groups += 1;
        }
        for s in internal_hosts_and_keys(line) {
            if !inv.hosts.iter().any(|(_, h)| h == s.host) {
                inv.hosts.push((i as u32 + 1, s.host.to_string()));
            }
        }
    }
    (!inv.hosts.is_empty()).then_some(inv)
}
