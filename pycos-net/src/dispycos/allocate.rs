//! Which nodes a client uses, and how many of their CPUs (pycos'
//! `DispycosNodeAllocate`).

use serde::{Deserialize, Serialize};

/// One allocation rule: the nodes it matches, and how many CPUs to take
/// from each. A client's rules are tried in order; the first that gives
/// a number of CPUs of 0 or more decides (0 ignores the node), and a
/// catch-all rule that takes every CPU comes last.
///
/// # Examples
///
/// ```
/// use pycos_net::dispycos::NodeAllocate;
///
/// // Two CPUs of every node on 192.168.1.*, but only on Linux.
/// let rule = NodeAllocate::new("192.168.1.*").platform("linux").cpus(2);
/// assert!(rule.matches_node("192.168.1.7", "n7_dispycosnode"));
/// assert!(!rule.matches_node("10.0.0.7", "n7_dispycosnode"));
/// assert_eq!(rule.allocate("linux-6.1-x86_64", 8, 1 << 30, 1 << 30), 2);
/// assert_eq!(rule.allocate("darwin-23-arm64", 8, 1 << 30, 1 << 30), -1);
///
/// // All CPUs but one.
/// assert_eq!(NodeAllocate::new("*").cpus(-1).allocate("linux", 8, 0, 0), 7);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeAllocate {
    node: String,
    port: Option<u16>,
    platform: String,
    cpus: Option<i64>,
    memory: Option<u64>,
    disk: Option<u64>,
}

impl NodeAllocate {
    /// A rule for the nodes whose address or name matches `node`: a host
    /// name or address, where `*` matches any run of characters.
    pub fn new(node: impl Into<String>) -> NodeAllocate {
        NodeAllocate {
            node: node.into(),
            port: None,
            platform: String::new(),
            cpus: None,
            memory: None,
            disk: None,
        }
    }

    /// The node daemon's port, for a node named without wildcards: the
    /// scheduler peers with it there directly.
    pub fn port(mut self, port: u16) -> NodeAllocate {
        self.port = Some(port);
        self
    }

    /// Only nodes whose platform text (lowercase) contains `pattern`.
    pub fn platform(mut self, pattern: impl Into<String>) -> NodeAllocate {
        self.platform = pattern.into().to_lowercase();
        self
    }

    /// How many CPUs: `n > 0` takes `n` (none if the node has fewer), `0`
    /// none, `n < 0` all but `-n`. Unset takes every CPU.
    pub fn cpus(mut self, cpus: i64) -> NodeAllocate {
        self.cpus = Some(cpus);
        self
    }

    /// Only nodes with at least this much memory available, in bytes.
    pub fn memory(mut self, bytes: u64) -> NodeAllocate {
        self.memory = Some(bytes);
        self
    }

    /// Only nodes with at least this much disk available, in bytes.
    pub fn disk(mut self, bytes: u64) -> NodeAllocate {
        self.disk = Some(bytes);
        self
    }

    /// The node pattern as given.
    pub fn node(&self) -> &str {
        &self.node
    }

    /// The port given with [`port`](NodeAllocate::port).
    pub fn node_port(&self) -> Option<u16> {
        self.port
    }

    /// The pattern has no wildcard: it names one node.
    pub fn is_exact(&self) -> bool {
        !self.node.contains('*')
    }

    /// Whether the rule applies to the node at `addr` named `name`.
    pub fn matches_node(&self, addr: &str, name: &str) -> bool {
        wildcard_match(&self.node, addr) || wildcard_match(&self.node, name)
    }

    /// The CPUs this rule gives a node with `cpus` CPUs and the memory
    /// and disk available: -1 when the platform does not match (try the
    /// next rule), 0 when the node is refused (too little memory or disk,
    /// or too few CPUs), else the count (pycos' `allocate`).
    pub fn allocate(&self, platform: &str, cpus: usize, memory: u64, disk: u64) -> i64 {
        if !self.platform.is_empty() && !platform.to_lowercase().contains(&self.platform) {
            return -1;
        }
        if self.memory.is_some_and(|min| memory < min) || self.disk.is_some_and(|min| disk < min) {
            return 0;
        }
        let cpus = i64::try_from(cpus).unwrap_or(i64::MAX);
        match self.cpus {
            None => cpus,
            Some(n) if n > cpus => 0,
            Some(n) if n >= 0 => n,
            Some(n) => (cpus + n).max(0),
        }
    }
}

/// Whether `text` matches `pattern` whole, `*` standing for any run of
/// characters (pycos turns the pattern into a regex the same way).
fn wildcard_match(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_whole_texts() {
        assert!(wildcard_match("*", ""));
        assert!(wildcard_match("*", "10.0.0.1"));
        assert!(wildcard_match("10.0.0.1", "10.0.0.1"));
        assert!(!wildcard_match("10.0.0.1", "10.0.0.12"));
        assert!(wildcard_match("10.*.1", "10.0.0.1"));
        assert!(!wildcard_match("10.*.1", "10.0.0.2"));
        assert!(wildcard_match("*_dispycosnode", "a_dispycosnode"));
        assert!(!wildcard_match("a*b*c", "acb"));
        assert!(wildcard_match("a*b*c", "aXbYc"));
    }

    #[test]
    fn cpus_follow_pycos_rules() {
        let all = NodeAllocate::new("*");
        assert_eq!(all.allocate("linux", 4, 0, 0), 4);
        assert_eq!(all.clone().cpus(0).allocate("linux", 4, 0, 0), 0);
        assert_eq!(all.clone().cpus(3).allocate("linux", 4, 0, 0), 3);
        assert_eq!(all.clone().cpus(5).allocate("linux", 4, 0, 0), 0);
        assert_eq!(all.clone().cpus(-1).allocate("linux", 4, 0, 0), 3);
        assert_eq!(all.clone().cpus(-9).allocate("linux", 4, 0, 0), 0);
    }

    #[test]
    fn memory_disk_and_platform_limits() {
        let rule = NodeAllocate::new("*")
            .memory(100)
            .disk(50)
            .platform("Linux");
        assert_eq!(rule.allocate("linux-6", 2, 100, 50), 2);
        assert_eq!(rule.allocate("linux-6", 2, 99, 50), 0);
        assert_eq!(rule.allocate("linux-6", 2, 100, 49), 0);
        assert_eq!(rule.allocate("windows", 2, 100, 50), -1);
    }
}
