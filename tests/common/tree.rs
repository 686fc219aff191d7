//! Changing one part of a parsed document (JSON or TOML), for property tests that feed
//! exback a real file with one part replaced or removed.

/// A document as a tree: maps and arrays have children, anything else is a leaf.
pub trait Tree: Sized {
    /// How many children this node has (0 for a leaf, an empty map or an empty array).
    fn fan_out(&self) -> usize;
    /// Child `i` (below [`Tree::fan_out`]), in the order the document keeps them.
    fn child(&mut self, i: usize) -> Option<&mut Self>;
    /// Removes child `i` (below [`Tree::fan_out`]).
    fn remove_child(&mut self, i: usize);
}

/// Follows `path`, each choice taken modulo the fan-out, and puts `with` where it ends
/// (or, with `remove`, removes the last child chosen). A leaf or an empty map or array
/// on the way is replaced by `with`.
pub fn replace_at<T: Tree>(node: &mut T, path: &[usize], with: T, remove: bool) {
    let Some((&choice, rest)) = path.split_first() else {
        *node = with;
        return;
    };
    let fan_out = node.fan_out();
    if fan_out == 0 {
        *node = with;
        return;
    }
    let i = choice % fan_out;
    if rest.is_empty() && remove {
        node.remove_child(i);
    } else if let Some(child) = node.child(i) {
        replace_at(child, rest, with, remove);
    }
}

impl Tree for serde_json::Value {
    fn fan_out(&self) -> usize {
        match self {
            Self::Object(map) => map.len(),
            Self::Array(items) => items.len(),
            _ => 0,
        }
    }
    fn child(&mut self, i: usize) -> Option<&mut Self> {
        match self {
            Self::Object(map) => map.values_mut().nth(i),
            Self::Array(items) => items.get_mut(i),
            _ => None,
        }
    }
    fn remove_child(&mut self, i: usize) {
        match self {
            Self::Object(map) => {
                if let Some(key) = map.keys().nth(i).cloned() {
                    map.remove(&key);
                }
            }
            Self::Array(items) => {
                items.remove(i);
            }
            _ => {}
        }
    }
}

impl Tree for toml::Value {
    fn fan_out(&self) -> usize {
        match self {
            Self::Table(map) => map.len(),
            Self::Array(items) => items.len(),
            _ => 0,
        }
    }
    fn child(&mut self, i: usize) -> Option<&mut Self> {
        match self {
            Self::Table(map) => map.iter_mut().nth(i).map(|(_, v)| v),
            Self::Array(items) => items.get_mut(i),
            _ => None,
        }
    }
    fn remove_child(&mut self, i: usize) {
        match self {
            Self::Table(map) => {
                if let Some(key) = map.keys().nth(i).cloned() {
                    map.remove(&key);
                }
            }
            Self::Array(items) => {
                items.remove(i);
            }
            _ => {}
        }
    }
}
