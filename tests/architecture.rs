//! The layering docs/architecture.md describes, checked on the source: the graph of
//! top-level modules (who names `crate::X`) has no cycles, the model is a leaf, and the
//! terminal front end never touches the store.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level module -> the top-level modules its non-test code names.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let relative = path.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
            let module = relative.split('/').next().unwrap().trim_end_matches(".rs").to_string();
            if module == "main" || module == "lib" {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap();
            let deps = graph.entry(module.clone()).or_default();
            for (i, _) in code.match_indices("crate::") {
                let name: String =
                    code[i + 7..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                if !name.is_empty() && name != module {
                    deps.insert(name);
                }
            }
        }
    }
    graph
}

#[test]
fn the_module_graph_has_no_cycles() {
    let graph = module_graph();
    // Depth-first search; a module met again on the current path closes a cycle.
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) {
        if let Some(start) = path.iter().position(|n| n == node) {
            panic!("module cycle: {} -> {node}", path[start..].join(" -> "));
        }
        if !done.insert(node.to_string()) {
            return;
        }
        path.push(node.to_string());
        for dep in graph.get(node).into_iter().flatten() {
            visit(dep, graph, path, done);
        }
        path.pop();
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        visit(node, &graph, &mut Vec::new(), &mut done);
    }
}

#[test]
fn the_layers_depend_only_downwards() {
    let graph = module_graph();
    let deps = |m: &str| graph.get(m).cloned().unwrap_or_default();
    assert!(deps("model").is_empty(), "model is a leaf: {:?}", deps("model"));
    assert!(!deps("ui").contains("store"), "the terminal front end must go through app, not the store");
    for edge in ["store", "study", "ui", "commands"] {
        assert!(!deps("web").contains(edge), "the browser front end must go through app, not {edge}");
    }
    for core in ["bank", "exam", "study", "model", "interop"] {
        for edge in ["app", "ui", "commands", "store", "cli", "config"] {
            assert!(!deps(core).contains(edge), "the core module {core} uses {edge}");
        }
    }
    assert!(!deps("store").contains("study"), "store and study meet in model, not in each other");
}
