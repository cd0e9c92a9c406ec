//! The module graph of `src/` (read from each file's `crate::`/`super::` paths) has no cycle,
//! and its layers point one way: the shell over the features, the features over the shared
//! read models, those over the web kit, that over the pure rules and the database. A feature
//! never uses another feature. Run alone with `cargo test --test app layers`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Top-level modules by layer, top first. A module may use modules of its own layer (except
/// features, which may not use each other) and of the layers below.
const LAYERS: &[(&str, &[&str])] = &[
    ("shell", &["cli", "demo", "devtools", "web"]),
    (
        "features",
        &[
            "auth",
            "users",
            "elections",
            "audit",
            "facilities",
            "rolls",
            "stations",
            "reports",
            "reconcile",
            "incidents",
            "help",
        ],
    ),
    ("read models", &["read"]),
    ("web kit", &["http"]),
    ("rules", &["domain"]),
    ("storage", &["db", "config"]),
];

type Module = Vec<String>;

/// Every module of `src/` (by path: `["rolls", "import"]`) and its file.
fn modules(root: &Path) -> BTreeMap<Module, PathBuf> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(root).unwrap().with_extension("");
                let mut parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                if matches!(
                    parts.last().map(String::as_str),
                    Some("mod" | "lib" | "main")
                ) {
                    parts.pop();
                }
                out.insert(parts, path);
            }
        }
    }
    out
}

/// The code of a file without comments and without its unit tests.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => &text[..],
    };
    text.lines()
        .map(|l| match l.find("//") {
            Some(at) if !l[..at].contains('"') => &l[..at],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The paths a file names: `crate::a::b::{c, d}` gives `[a, b, c]` and `[a, b, d]`; `super::x`
/// is resolved against the file's module.
fn paths(code: &str, module: &Module) -> Vec<Module> {
    let mut out = Vec::new();
    for (start, prefix) in [("crate::", 0usize), ("super::", 1)] {
        let mut rest = code;
        while let Some(at) = rest.find(start) {
            let before = rest[..at].chars().last();
            rest = &rest[at + start.len()..];
            if before.is_some_and(is_ident) {
                continue;
            }
            let mut base: Module = if prefix == 0 {
                Vec::new()
            } else {
                module[..module.len().saturating_sub(1)].to_vec()
            };
            let mut s = rest;
            loop {
                let ident: String = s.chars().take_while(|c| is_ident(*c)).collect();
                if !ident.is_empty() {
                    s = &s[ident.len()..];
                    if let Some(next) = s.strip_prefix("::") {
                        base.push(ident);
                        s = next;
                        continue;
                    }
                    base.push(ident);
                    out.push(base);
                    break;
                }
                if let Some(group) = s.strip_prefix('{') {
                    let end = group.find('}').unwrap_or(group.len());
                    for item in group[..end].split(',') {
                        let first: String =
                            item.trim().chars().take_while(|c| is_ident(*c)).collect();
                        let mut p = base.clone();
                        if !first.is_empty() && first != "self" {
                            p.push(first);
                        }
                        out.push(p);
                    }
                }
                break;
            }
        }
    }
    out
}

/// The longest module that is a prefix of `path`.
fn resolve(path: &Module, known: &BTreeMap<Module, PathBuf>) -> Option<Module> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| known.contains_key(p))
}

fn edges(known: &BTreeMap<Module, PathBuf>) -> BTreeSet<(Module, Module)> {
    let mut out = BTreeSet::new();
    for (module, file) in known {
        for p in paths(&code(file), module) {
            let Some(target) = resolve(&p, known) else {
                continue;
            };
            // A module and its own submodules are one unit.
            let related = target.starts_with(module) || module.starts_with(&target);
            if !related {
                out.insert((module.clone(), target));
            }
        }
    }
    out
}

/// Strongly connected groups of more than one module (Tarjan).
fn cycles(edges: &BTreeSet<(Module, Module)>) -> Vec<Vec<Module>> {
    struct State<'a> {
        graph: BTreeMap<&'a Module, Vec<&'a Module>>,
        index: BTreeMap<&'a Module, usize>,
        low: BTreeMap<&'a Module, usize>,
        stack: Vec<&'a Module>,
        on_stack: BTreeSet<&'a Module>,
        found: Vec<Vec<Module>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a Module) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.graph.get(v).cloned().unwrap_or_default() {
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low[v];
                s.low.insert(v, lv.min(lw));
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low[v];
                s.low.insert(v, lv.min(iw));
            }
        }
        if s.low[v] == s.index[v] {
            let mut group = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                group.push(w.clone());
                if w == v {
                    break;
                }
            }
            if group.len() > 1 {
                s.found.push(group);
            }
        }
    }
    let mut state = State {
        graph: BTreeMap::new(),
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for (a, b) in edges {
        state.graph.entry(a).or_default().push(b);
    }
    let nodes: Vec<&Module> = state.graph.keys().copied().collect();
    for v in nodes {
        if !state.index.contains_key(v) {
            visit(&mut state, v);
        }
    }
    state.found
}

fn layer_of(top: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, mods)| mods.contains(&top))
}

fn src() -> BTreeMap<Module, PathBuf> {
    modules(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
}

#[test]
fn no_module_cycles() {
    let known = src();
    let found = cycles(&edges(&known));
    let text: Vec<String> = found
        .iter()
        .map(|g| {
            g.iter()
                .map(|m| m.join("::"))
                .collect::<Vec<_>>()
                .join(" ↔ ")
        })
        .collect();
    assert!(text.is_empty(), "module cycles:\n{}", text.join("\n"));
}

#[test]
fn layers_point_one_way_and_features_stand_alone() {
    let known = src();
    let mut wrong = BTreeSet::new();
    for top in known.keys().filter_map(|m| m.first()) {
        assert!(
            layer_of(top).is_some(),
            "module {top} is in no layer: add it to LAYERS"
        );
    }
    for (from, to) in edges(&known) {
        let (Some(a), Some(b)) = (from.first(), to.first()) else {
            continue; // the crate root (lib.rs) composes everything
        };
        if a == b {
            continue;
        }
        let (la, lb) = (layer_of(a).unwrap(), layer_of(b).unwrap());
        let feature_to_feature = la == 1 && lb == 1;
        if lb < la || feature_to_feature {
            wrong.insert(format!(
                "{} ({}) uses {} ({})",
                from.join("::"),
                LAYERS[la].0,
                to.join("::"),
                LAYERS[lb].0
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "uses against the layers:\n{}",
        wrong.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn the_check_sees_a_cycle_and_an_upward_use() {
    // The parser and the cycle finder on a made-up pair, so the tests above cannot pass by
    // reading nothing.
    let a: Module = vec!["rolls".into(), "pages".into()];
    let b: Module = vec!["stations".into(), "tps".into()];
    let found = paths(
        "use crate::stations::tps::{page, Place};\nuse super::import;",
        &a,
    );
    assert!(found.contains(&vec!["stations".into(), "tps".into(), "page".into()]));
    assert!(found.contains(&vec!["rolls".into(), "import".into()]));
    let graph = BTreeSet::from([(a.clone(), b.clone()), (b, a)]);
    assert_eq!(cycles(&graph).len(), 1);
    let real = edges(&src());
    assert!(real.len() > 50, "only {} uses found", real.len());
}
