//! The pages, embedded in the binary: no build step, no CDN, and the
//! dashboard works offline. Plain HTML, CSS and one script; the script
//! draws the charts as SVG.

/// A file the dashboard serves.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Asset {
    pub(crate) content_type: &'static str,
    pub(crate) body: &'static str,
}

const HTML: &str = "text/html; charset=utf-8";

/// Every file, by path.
const ASSETS: [(&str, Asset); 6] = [
    (
        "/cluster.html",
        asset(HTML, include_str!("assets/cluster.html")),
    ),
    ("/node.html", asset(HTML, include_str!("assets/node.html"))),
    (
        "/server.html",
        asset(HTML, include_str!("assets/server.html")),
    ),
    (
        "/dashboard.js",
        asset(
            "text/javascript; charset=utf-8",
            include_str!("assets/dashboard.js"),
        ),
    ),
    (
        "/dashboard.css",
        asset(
            "text/css; charset=utf-8",
            include_str!("assets/dashboard.css"),
        ),
    ),
    (
        "/favicon.svg",
        asset("image/svg+xml", include_str!("assets/favicon.svg")),
    ),
];

const fn asset(content_type: &'static str, body: &'static str) -> Asset {
    Asset { content_type, body }
}

/// The pages load only their own files and talk only to this server.
pub(crate) const CSP: &str = "default-src 'self'; img-src 'self' data:; \
    frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// The file at `path` (`/` and `/index.html` are the cluster page).
pub(crate) fn find(path: &str) -> Option<Asset> {
    let path = match path {
        "/" | "/index.html" => "/cluster.html",
        "/favicon.ico" => "/favicon.svg",
        other => other,
    };
    ASSETS.iter().find(|(p, _)| *p == path).map(|(_, a)| *a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_is_the_cluster_page() {
        let index = find("/").unwrap();
        assert_eq!(index.body, find("/cluster.html").unwrap().body);
        assert_eq!(index.content_type, HTML);
        assert!(find("/../Cargo.toml").is_none());
        assert!(find("/nope.html").is_none());
    }

    #[test]
    fn every_page_loads_the_script() {
        for page in ["/cluster.html", "/node.html", "/server.html"] {
            assert!(find(page).unwrap().body.contains("dashboard.js"), "{page}");
        }
    }
}
