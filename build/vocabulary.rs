//! The ABI vocabulary: every enum and limit that crosses the C ABI is written once, by hand, in
//! the Rust source (mostly `src/model`); this table says where, and under which names C and C#
//! know it. `bindings.rs` hands the entries to cbindgen for `rox.h`, and this file writes the
//! public C# enums from the same source text, so no layer keeps a copy of the values.
#![allow(dead_code)] // each includer uses a different subset

use std::fmt::Write as _;
use std::path::Path;

/// One enum of the vocabulary.
pub struct Enum {
    /// The Rust source file that defines it.
    pub file: &'static str,
    /// Its Rust name.
    pub rust: &'static str,
    /// Its name in `rox.h` (variants become `ROX_<NAME>_<VARIANT>`).
    pub c: &'static str,
    /// Its name in C#.
    pub csharp: &'static str,
    /// Whether C# sees it as `[Flags]` bits (with a `None = 0`).
    pub flags: bool,
    /// Whether the C# enum is public (otherwise internal: only the wrapper needs it).
    pub public: bool,
}

const fn e(file: &'static str, rust: &'static str, c: &'static str, csharp: &'static str) -> Enum {
    Enum {
        file,
        rust,
        c,
        csharp,
        flags: false,
        public: true,
    }
}

pub const ENUMS: &[Enum] = &[
    e("src/ffi/mod.rs", "RoxStatus", "RoxStatus", "RoxStatus"),
    e("src/model/format.rs", "Format", "RoxFormat", "RoxFormat"),
    Enum {
        public: false,
        ..e(
            "src/model/metadata.rs",
            "MetaField",
            "RoxMetaField",
            "RoxMetaField",
        )
    },
    e(
        "src/model/note.rs",
        "NoteKind",
        "RoxNoteKind",
        "RoxNoteKind",
    ),
    Enum {
        flags: true,
        ..e(
            "src/model/note.rs",
            "HitSoundFlag",
            "RoxHitSoundFlag",
            "RoxHitsounds",
        )
    },
    e(
        "src/model/timing.rs",
        "TimingTag",
        "RoxTimingKind",
        "RoxTimingKind",
    ),
    Enum {
        flags: true,
        ..e(
            "src/model/timing.rs",
            "TimingEffect",
            "RoxTimingEffect",
            "RoxTimingEffects",
        )
    },
    e(
        "src/model/validate.rs",
        "IssueKind",
        "RoxIssueKind",
        "RoxIssueKind",
    ),
    e(
        "src/model/report.rs",
        "LossKind",
        "RoxLossKind",
        "RoxLossKind",
    ),
    e(
        "src/model/decode_options.rs",
        "FnfSides",
        "RoxFnfSides",
        "RoxFnfSides",
    ),
    e(
        "src/model/decode_options.rs",
        "TaikoLayout",
        "RoxTaikoLayout",
        "RoxTaikoLayout",
    ),
    e(
        "src/analysis/patterns.rs",
        "PatternKind",
        "RoxPatternKind",
        "RoxPatternKind",
    ),
    e(
        "src/timeline/options.rs",
        "Rules",
        "RoxTimelineRules",
        "RoxTimelineRules",
    ),
    e(
        "src/timeline/options.rs",
        "ScrollAlgorithm",
        "RoxScrollAlgorithm",
        "RoxScrollAlgorithm",
    ),
];

/// The file holding the shared limits, and their C and C# names.
pub const LIMITS_FILE: &str = "src/model/limits.rs";
pub const LIMITS: &[(&str, &str, &str)] = &[
    ("MAX_KEYS", "ROX_MAX_KEYS", "MaxKeys"),
    ("MAX_ABS_TIME_US", "ROX_MAX_ABS_TIME_US", "MaxAbsTimeUs"),
    ("STRING_COST", "ROX_STRING_COST", "StringCost"),
    (
        "DEFAULT_PATTERN_WINDOW_US",
        "ROX_DEFAULT_PATTERN_WINDOW_US",
        "DefaultPatternWindowUs",
    ),
];

/// The generated public C# enums and limits, relative to the crate root.
pub const CSHARP_ENUMS_PATH: &str = "unity/com.rhythmopenexchange.rox/Runtime/RoxEnums.g.cs";

/// The distinct source files of the vocabulary outside `src/ffi` (which cbindgen reads anyway).
pub fn model_files() -> Vec<&'static str> {
    let mut files: Vec<&str> = ENUMS.iter().map(|e| e.file).collect();
    files.push(LIMITS_FILE);
    files.retain(|f| !f.starts_with("src/ffi/"));
    files.sort();
    files.dedup();
    files
}

/// Rust name → C name, for cbindgen's `export.rename`.
pub fn c_renames() -> Vec<(String, String)> {
    let enums = ENUMS.iter().map(|e| (e.rust, e.c));
    let limits = LIMITS.iter().map(|(rust, c, _)| (*rust, *c));
    enums
        .chain(limits)
        .filter(|(rust, c)| rust != c)
        .map(|(rust, c)| (rust.to_string(), c.to_string()))
        .collect()
}

struct Variant {
    name: String,
    value: String,
    doc: Vec<String>,
}

fn doc_lines(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(syn::MetaNameValue {
                value:
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }),
                ..
            }) => Some(s.value().trim().to_string()),
            _ => None,
        })
        .collect()
}

fn repr_of(attrs: &[syn::Attribute]) -> Option<String> {
    let attr = attrs.iter().find(|a| a.path().is_ident("repr"))?;
    let mut repr = None;
    let _ = attr.parse_nested_meta(|m| {
        repr = m.path.get_ident().map(|i| i.to_string());
        Ok(())
    });
    repr
}

/// A discriminant as written: a literal, possibly negated, or a shift of literals.
fn literal(expr: &syn::Expr) -> Result<String, String> {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(i),
            ..
        }) => Ok(i.base10_digits().to_string()),
        syn::Expr::Unary(syn::ExprUnary {
            op: syn::UnOp::Neg(_),
            expr,
            ..
        }) => Ok(format!("-{}", literal(expr)?)),
        syn::Expr::Binary(syn::ExprBinary {
            left,
            op: syn::BinOp::Shl(_),
            right,
            ..
        }) => {
            let (l, r): (i64, u32) = (
                literal(left)?.parse().map_err(|e| format!("{e}"))?,
                literal(right)?.parse().map_err(|e| format!("{e}"))?,
            );
            Ok(l.checked_shl(r).ok_or("shift overflows")?.to_string())
        }
        _ => Err("not a literal".into()),
    }
}

fn parse_file(root: &Path, rel: &str) -> Result<syn::File, String> {
    let text = std::fs::read_to_string(root.join(rel)).map_err(|e| format!("{rel}: {e}"))?;
    syn::parse_file(&text).map_err(|e| format!("{rel}: {e}"))
}

/// The enum's doc, repr and variants, every variant with an explicit value (the values are
/// the ABI, so none may be implied by position).
fn read_enum(root: &Path, entry: &Enum) -> Result<(Vec<String>, String, Vec<Variant>), String> {
    let file = parse_file(root, entry.file)?;
    let item = file
        .items
        .iter()
        .find_map(|i| match i {
            syn::Item::Enum(e) if e.ident == entry.rust => Some(e),
            _ => None,
        })
        .ok_or_else(|| format!("{}: no enum {}", entry.file, entry.rust))?;
    let repr = repr_of(&item.attrs).ok_or_else(|| format!("{}: no #[repr]", entry.rust))?;
    let mut variants = Vec::new();
    for v in &item.variants {
        let (_, expr) = v
            .discriminant
            .as_ref()
            .ok_or_else(|| format!("{}::{} needs an explicit value", entry.rust, v.ident))?;
        let value = literal(expr).map_err(|e| format!("{}::{}: {e}", entry.rust, v.ident))?;
        variants.push(Variant {
            name: v.ident.to_string(),
            value,
            doc: doc_lines(&v.attrs),
        });
    }
    Ok((doc_lines(&item.attrs), repr, variants))
}

/// Rust doc text as C# XML doc text: escaped, with `code` and [`links`] as `<c>`.
fn xml_doc(lines: &[String]) -> String {
    let text = lines.join(" ");
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace("[`", "`")
        .replace("`]", "`");
    let mut out = String::new();
    for (i, part) in escaped.split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<c>{part}</c>");
        } else {
            out.push_str(part);
        }
    }
    out
}

fn csharp_base(repr: &str) -> Result<&'static str, String> {
    match repr {
        "u8" => Ok(" : byte"),
        "i32" => Ok(""),
        "u32" => Ok(" : uint"),
        other => Err(format!("no C# base type for #[repr({other})]")),
    }
}

/// The C# file with every vocabulary enum and the limits.
pub fn generate_csharp_enums(root: &Path) -> Result<String, String> {
    let mut out = String::from(
        "// ROX (Rhythm Open Exchange) C ABI vocabulary, version 1. Contract: docs/abi.md.\n\
         // Generated by build.rs (build/vocabulary.rs) from the Rust source. Do not edit; run `cargo build`.\n\
         using System;\n\nnamespace RhythmOpenExchange\n{\n",
    );
    for entry in ENUMS {
        let (doc, repr, variants) = read_enum(root, entry)?;
        let _ = writeln!(out, "    /// <summary>{}</summary>", xml_doc(&doc));
        if entry.flags {
            out.push_str("    [Flags]\n");
        }
        let access = if entry.public { "public" } else { "internal" };
        let base = csharp_base(&repr)?;
        let _ = writeln!(out, "    {access} enum {}{base}\n    {{", entry.csharp);
        if entry.flags {
            out.push_str("        /// <summary>No bit set.</summary>\n        None = 0,\n");
        }
        for v in &variants {
            let _ = writeln!(out, "        /// <summary>{}</summary>", xml_doc(&v.doc));
            let _ = writeln!(out, "        {} = {},", v.name, v.value);
        }
        out.push_str("    }\n\n");
    }
    out.push_str(&csharp_limits(root)?);
    out.push_str("}\n");
    Ok(out)
}

fn csharp_limits(root: &Path) -> Result<String, String> {
    let file = parse_file(root, LIMITS_FILE)?;
    let mut out = String::from(
        "    /// <summary>Limits of the library, the same in every layer.</summary>\n    public static class RoxLimits\n    {\n",
    );
    for (rust, _, csharp) in LIMITS {
        let item = file
            .items
            .iter()
            .find_map(|i| match i {
                syn::Item::Const(c) if c.ident == rust => Some(c),
                _ => None,
            })
            .ok_or_else(|| format!("{LIMITS_FILE}: no const {rust}"))?;
        let ty = match &*item.ty {
            syn::Type::Path(p) if p.path.is_ident("u8") => "byte",
            syn::Type::Path(p) if p.path.is_ident("i64") => "long",
            syn::Type::Path(p) if p.path.is_ident("u64") => "ulong",
            _ => return Err(format!("{rust}: no C# type for its Rust type")),
        };
        let value = literal(&item.expr).map_err(|e| format!("{rust}: {e}"))?;
        let _ = writeln!(
            out,
            "        /// <summary>{}</summary>\n        public const {ty} {csharp} = {value};",
            xml_doc(&doc_lines(&item.attrs))
        );
    }
    out.push_str("    }\n");
    Ok(out)
}
