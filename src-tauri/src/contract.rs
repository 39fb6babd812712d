//! The command table the UI is typed against, generated from the Rust commands, never copied by hand.
//! A test reads the commands registered in `lib.rs` (`app_commands!`), finds each `#[tauri::command]` function in
//! this crate's sources and writes `ui/src/lib/bindings/commands.ts`: every command's name, its arguments (in the
//! camelCase Tauri expects) and its result, with the types ts-rs generates beside it. `make test` fails when the
//! committed file differs, so a renamed command, argument or result type breaks the UI's type check, not a user.

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::BTreeSet;
    use std::fmt::Write as _;
    use std::path::{Path, PathBuf};

    use syn::{FnArg, GenericArgument, Item, Pat, PathArguments, ReturnType, Type};

    /// Arguments Tauri fills in itself: they are not part of what the UI sends.
    const INJECTED: &[&str] = &["State", "AppHandle", "Window", "WebviewWindow", "Webview", "Request"];

    pub(crate) fn src_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/src")
    }

    pub(crate) fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// The names registered in `app_commands!` (the e2e hooks are added by the feature and are not part of it).
    fn registered(lib: &str) -> Vec<String> {
        let start = lib.find("macro_rules! app_commands").expect("lib.rs defines app_commands!");
        let body = &lib[start..];
        let open = body.find("generate_handler![").expect("app_commands! calls generate_handler!");
        let close = body[open..].find(']').expect("generate_handler! list is closed") + open;
        let list = &body[open + "generate_handler![".len()..close];
        // The list ends where the macro's own `$(, $extra)*` begins.
        list[..list.find('$').unwrap_or(list.len())]
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| p.rsplit("::").next().unwrap_or(p).to_owned())
            .collect()
    }

    fn is_command(attrs: &[syn::Attribute]) -> bool {
        attrs.iter().any(|a| {
            let segs: Vec<String> = a.path().segments.iter().map(|s| s.ident.to_string()).collect();
            segs == ["tauri", "command"] || segs == ["command"]
        })
    }

    fn snake_args(attrs: &[syn::Attribute]) -> bool {
        attrs.iter().any(|a| {
            let text = quote_attr(a);
            text.contains("rename_all") && text.contains("snake_case")
        })
    }

    fn quote_attr(a: &syn::Attribute) -> String {
        match &a.meta {
            syn::Meta::List(list) => list.tokens.to_string(),
            _ => String::new(),
        }
    }

    fn camel(name: &str) -> String {
        let mut out = String::new();
        let mut upper = false;
        for c in name.chars() {
            if c == '_' {
                upper = true;
            } else if upper {
                out.extend(c.to_uppercase());
                upper = false;
            } else {
                out.push(c);
            }
        }
        out
    }

    fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
        match ty {
            Type::Path(p) => p.path.segments.last(),
            Type::Reference(r) => last_segment(&r.elem),
            _ => None,
        }
    }

    fn generic(seg: &syn::PathSegment, n: usize) -> Option<&Type> {
        let PathArguments::AngleBracketed(args) = &seg.arguments else { return None };
        args.args
            .iter()
            .filter_map(|a| match a {
                GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .nth(n)
    }

    /// The TypeScript for a Rust type as serde sends it; named types must have a ts-rs binding.
    fn ts(ty: &Type, named: &mut BTreeSet<String>) -> String {
        if let Type::Tuple(t) = ty {
            assert!(t.elems.is_empty(), "a command uses a tuple type; give it a named struct");
            return "void".into();
        }
        let seg = last_segment(ty).unwrap_or_else(|| panic!("unsupported type in a command signature"));
        let name = seg.ident.to_string();
        let inner = |n: usize, named: &mut BTreeSet<String>| {
            ts(generic(seg, n).unwrap_or_else(|| panic!("{name} without a type argument")), named)
        };
        match name.as_str() {
            "String" | "str" | "PathBuf" | "Path" | "SecretString" | "ShownOnce" => "string".into(),
            "bool" => "boolean".into(),
            "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" | "isize" | "f32"
            | "f64" => "number".into(),
            "Option" => format!("{} | null", inner(0, named)),
            "Vec" => format!("Array<{}>", inner(0, named)),
            "Channel" => format!("Channel<{}>", inner(0, named)),
            "Result" | "CmdResult" => inner(0, named),
            _ => {
                named.insert(name.clone());
                name
            }
        }
    }

    struct Command {
        name: String,
        args: Vec<(String, String)>,
        result: String,
    }

    fn command(f: &syn::ItemFn, named: &mut BTreeSet<String>) -> Command {
        let snake = snake_args(&f.attrs);
        let mut args = Vec::new();
        for input in &f.sig.inputs {
            let FnArg::Typed(arg) = input else { continue };
            let ty = &*arg.ty;
            if last_segment(ty).is_some_and(|s| INJECTED.contains(&s.ident.to_string().as_str())) {
                continue;
            }
            let Pat::Ident(id) = &*arg.pat else {
                panic!("{}: an argument without a plain name", f.sig.ident)
            };
            let raw = id.ident.to_string();
            let name = if snake { raw } else { camel(&raw) };
            args.push((name, ts(ty, named)));
        }
        let result = match &f.sig.output {
            ReturnType::Default => "void".into(),
            ReturnType::Type(_, ty) => ts(ty, named),
        };
        Command { name: f.sig.ident.to_string(), args, result }
    }

    fn generate() -> String {
        let lib =
            std::fs::read_to_string(src_dir().join("lib.rs")).expect("src-tauri/src/lib.rs is readable");
        let names = registered(&lib);
        assert!(
            names.len() > 10,
            "found only {} registered commands in lib.rs: the parser is wrong",
            names.len()
        );
        let mut files = Vec::new();
        rust_files(&src_dir(), &mut files);
        files.sort();
        let mut found = std::collections::BTreeMap::new();
        let mut named = BTreeSet::new();
        for file in files {
            let text = std::fs::read_to_string(&file).expect("source is readable");
            let parsed = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let mut items: Vec<&Item> = parsed.items.iter().collect();
            while let Some(item) = items.pop() {
                match item {
                    Item::Fn(f) if is_command(&f.attrs) && names.contains(&f.sig.ident.to_string()) => {
                        let c = command(f, &mut named);
                        assert!(
                            found.insert(c.name.clone(), c).is_none(),
                            "command {} is defined twice",
                            f.sig.ident
                        );
                    }
                    Item::Mod(m) => items.extend(m.content.iter().flat_map(|(_, i)| i.iter())),
                    _ => {}
                }
            }
        }
        for n in &names {
            assert!(
                found.contains_key(n),
                "command {n} is registered but no #[tauri::command] fn {n} was found"
            );
        }
        let bindings = src_dir().join("../../ui/src/lib/bindings");
        let mut out = String::from(
            "// Generated by src-tauri/src/contract.rs (`cargo test`) from the registered Tauri commands. Do not edit.\n",
        );
        if found.values().any(|c| c.args.iter().any(|(_, t)| t.contains("Channel<"))) {
            out.push_str("import type { Channel } from '@tauri-apps/api/core';\n");
        }
        for n in &named {
            assert!(
                bindings.join(format!("{n}.ts")).exists(),
                "type {n} is used by a command but has no ts-rs binding (derive ts_rs::TS with #[ts(export)])"
            );
            let _ = writeln!(out, "import type {{ {n} }} from './{n}';");
        }
        out.push_str("\n/** Every command the UI may call: its arguments and what it resolves to. */\nexport interface Commands {\n");
        for c in found.values() {
            let args = if c.args.is_empty() {
                "Record<string, never>".to_owned()
            } else {
                let fields: Vec<String> = c.args.iter().map(|(n, t)| format!("{n}: {t}")).collect();
                format!("{{ {} }}", fields.join("; "))
            };
            let _ = writeln!(out, "  {}: {{ args: {args}; result: {} }};", c.name, c.result);
        }
        out.push_str("}\n\nexport type CommandName = keyof Commands;\n");
        out
    }

    #[test]
    fn camel_case_matches_tauri() {
        assert_eq!(camel("include_trashed"), "includeTrashed", "Tauri renames arguments to camelCase");
        assert_eq!(camel("id"), "id");
    }

    #[test]
    fn the_registered_list_is_read_from_the_macro() {
        let lib = "macro_rules! app_commands { ($($extra:path),*) => { tauri::generate_handler![\n commands::a,\n commands::vault::b_c\n $(, $extra)*\n ] }; }";
        assert_eq!(registered(lib), vec!["a".to_owned(), "b_c".to_owned()]);
    }

    /// Writes the command table beside the ts-rs bindings (as ts-rs does in its own export tests); the Makefile
    /// then fails when it differs from the committed file.
    #[test]
    fn the_command_table_for_the_ui_is_generated() {
        let text = generate();
        assert!(text.contains("  unlock: { args: { passphrase: string }; result: UnlockResult };"), "{text}");
        let path = src_dir().join("../../ui/src/lib/bindings/commands.ts");
        let old = std::fs::read_to_string(&path).unwrap_or_default();
        if old != text {
            std::fs::write(&path, &text).expect("the bindings folder is writable");
        }
    }
}
