//! The reader on the YAML that `.qua` files and hand-edited maps contain.

use super::super::{Node, Scalar};
use super::{Reader, MAX_DEPTH};
use crate::Result;

/// A node read whole: scalars as (text, plain), collections with their tag.
#[derive(Debug, PartialEq)]
enum Tree {
    Text(String, bool),
    Map(Option<String>, Vec<(String, Tree)>),
    List(Option<String>, Vec<Tree>),
}

fn text(s: &str) -> Tree {
    Tree::Text(s.to_owned(), true)
}

fn quoted(s: &str) -> Tree {
    Tree::Text(s.to_owned(), false)
}

fn tree<'a>(r: &mut Reader<'a>, node: Node<'a>) -> Result<Tree> {
    Ok(match node {
        Node::Scalar(s) => Tree::Text(s.text.into_owned(), s.plain),
        Node::Map(tag) => {
            let mut entries = Vec::new();
            while let Some(key) = r.next_key()? {
                let value = r.node()?;
                entries.push((key.text.into_owned(), tree(r, value)?));
            }
            Tree::Map(tag.map(str::to_owned), entries)
        }
        Node::Seq(tag) => {
            let mut items = Vec::new();
            while r.next_item()? {
                let value = r.node()?;
                items.push(tree(r, value)?);
            }
            Tree::List(tag.map(str::to_owned), items)
        }
    })
}

fn read(yaml: &str) -> Result<Tree> {
    let mut r = Reader::new(yaml);
    let root = r.document()?;
    let tree = tree(&mut r, root)?;
    r.finish()?;
    Ok(tree)
}

fn map(entries: Vec<(&str, Tree)>) -> Tree {
    Tree::Map(
        None,
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

/// The single value of `k: …`.
fn value(yaml: &str) -> Tree {
    match read(yaml) {
        Ok(Tree::Map(_, mut entries)) if entries.len() == 1 => entries.remove(0).1,
        other => panic!("{yaml:?} read as {other:?}"),
    }
}

/// The single scalar of `k: …`, for its typed readings.
fn scalar(yaml: &str) -> Scalar<'static> {
    let Tree::Text(text, plain) = value(yaml) else {
        panic!("{yaml:?} is not a scalar");
    };
    Scalar {
        text: text.into(),
        plain,
        tag: None,
        line: 1,
    }
}

fn error_of(yaml: &str) -> String {
    match read(yaml) {
        Err(e) => e.to_string(),
        Ok(tree) => panic!("{yaml:?} was read as {tree:?}"),
    }
}

#[test]
fn plain_scalars() {
    assert_eq!(
        read("a: 1\nb: hello world # note\nc: ~\nd:\ne: x#y\n").unwrap(),
        map(vec![
            ("a", text("1")),
            ("b", text("hello world")),
            ("c", text("~")),
            ("d", text("")),
            ("e", text("x#y")),
        ])
    );
    // Continuation lines fold into one line; an empty line is a line break.
    assert_eq!(value("a: one\n  two\n\n  three\n"), text("one two\nthree"));
    assert!(scalar("a: ~").is_null() && scalar("a: null").is_null() && scalar("a:").is_null());
    assert!(!scalar("a: '~'").is_null());
    assert_eq!(scalar("a: -12").int(), Some(-12));
    assert_eq!(scalar("a: 1.5").int(), None);
    assert_eq!(scalar("a: 1e3").float(), Some(1000.0));
    assert_eq!(scalar("a: -.Inf").float(), Some(f64::NEG_INFINITY));
    assert!(scalar("a: .NaN").float().unwrap().is_nan());
    assert!(error_of("a: b: c").contains("put the value in quotes"));
}

#[test]
fn yes_no_booleans() {
    for (word, expected) in [
        ("true", Some(true)),
        ("Yes", Some(true)),
        ("ON", Some(true)),
        ("false", Some(false)),
        ("no", Some(false)),
        ("Off", Some(false)),
        // YAML 1.1 has `y` and `n` too, but YamlDotNet does not read them as booleans.
        ("y", None),
        ("n", None),
        ("1", None),
    ] {
        assert_eq!(scalar(&format!("a: {word}")).bool(), expected, "{word}");
    }
}

#[test]
fn quoting() {
    assert_eq!(value("a: 'it''s: # here'"), quoted("it's: # here"));
    assert_eq!(
        value(r#"a: "tab\tquote\" \x41\u00e9\U0001F600""#),
        quoted("tab\tquote\" A\u{e9}\u{1F600}")
    );
    // Quoted text folds over lines; an escaped break joins them without a space.
    assert_eq!(
        value("a: 'one\n  two\n\n  three'"),
        quoted("one two\nthree")
    );
    assert_eq!(value("a: \"one\\\n  two\""), quoted("onetwo"));
    assert_eq!(value("'quoted key': 1"), text("1"));
    assert!(error_of("a: \"\\q\"").contains("unknown escape"));
    assert!(error_of("a: \"\\u12\"").contains("invalid escape"));
    let unclosed = error_of("a: 1\nb: 'open\n\nc: 2\n");
    assert!(
        unclosed.contains("line 2") && unclosed.contains("not closed"),
        "{unclosed}"
    );
    assert!(error_of("a: 'x' y").contains("unexpected text after a value"));
}

#[test]
fn block_scalars() {
    assert_eq!(value("a: |\n  x\n   y\n\n"), quoted("x\n y\n"));
    assert_eq!(value("a: >-\n  p\n  q\n\n  r\n"), quoted("p q\nr"));
    assert_eq!(
        read("a: |+\n  x\n\nb: 1").unwrap(),
        map(vec![("a", quoted("x\n\n")), ("b", text("1"))])
    );
    assert_eq!(value("a: |2\n    x\n"), quoted("  x\n"));
    // At the end of the text, as PyYAML reads them: only line breaks that are there count.
    for (text, expected) in [
        ("a: |+\n  x\n\n", "x\n\n"),
        ("a: |+\n  x\n\n\n", "x\n\n\n"),
        ("a: |+\n  x\n  ", "x\n"),
        ("a: |+\n  x", "x"),
        ("a: |\n  x", "x"),
        ("a: >\n  x", "x"),
        ("a: |\n  x\n", "x\n"),
        ("a: >+\n  x\n\n", "x\n\n"),
        ("a: |-\n  x\n\n", "x"),
    ] {
        assert_eq!(value(text), quoted(expected), "{text:?}");
    }
    assert!(error_of("a: | x\n  y\n").contains("block scalar indicator"));
}

#[test]
fn block_collections() {
    // Quaver writes lists at their key's indentation; hand-written files indent them.
    let quaver = "HitObjects:\n- StartTime: 1\n  Lane: 2\n- StartTime: 3\n  Lane: 4\nMode: Keys4\n";
    let indented =
        "HitObjects:\n  - StartTime: 1\n    Lane: 2\n  - StartTime: 3\n    Lane: 4\nMode: Keys4\n";
    let expected = map(vec![
        (
            "HitObjects",
            Tree::List(
                None,
                vec![
                    map(vec![("StartTime", text("1")), ("Lane", text("2"))]),
                    map(vec![("StartTime", text("3")), ("Lane", text("4"))]),
                ],
            ),
        ),
        ("Mode", text("Keys4")),
    ]);
    assert_eq!(read(quaver).unwrap(), expected);
    assert_eq!(read(indented).unwrap(), expected);
    assert_eq!(read(&quaver.replace('\n', "\r\n")).unwrap(), expected);
    // Byte-order marks, a directive, a document start and an end.
    let framed = format!("\u{feff}\u{feff}%YAML 1.1\n---\n{quaver}...\nignored: 1\n");
    assert_eq!(read(&framed).unwrap(), expected);
    assert!(error_of("a:\n\tb: 1\n").contains("tab"));
    assert!(error_of("a: 1\n  b: 2\n").contains("put the value in quotes"));
    assert!(error_of("a:\n  b: 1\n c: 2\n").contains("indented by 1 spaces"));
    assert!(error_of("a: &x 1\n").contains("anchors"));
    assert!(error_of("a: 1\n? b\n: 2\n").contains("complex keys"));
}

#[test]
fn flow_collections() {
    assert_eq!(
        value("a: [1, 'two', {b: c, d: []}, {}]"),
        Tree::List(
            None,
            vec![
                text("1"),
                quoted("two"),
                map(vec![("b", text("c")), ("d", Tree::List(None, vec![]))]),
                Tree::Map(None, vec![]),
            ]
        )
    );
    // Inside brackets, line breaks and indentation mean nothing.
    assert_eq!(
        value("a: [\n1,\n  2, # two\n]\n"),
        Tree::List(None, vec![text("1"), text("2")])
    );
    let unclosed = error_of("a: [1,\n2\n");
    assert!(
        unclosed.contains("opened on line 1 is not closed"),
        "{unclosed}"
    );
    assert_eq!(value("a: [1 2]"), Tree::List(None, vec![text("1 2")]));
    assert!(error_of("a: ['1' 2]").contains("expected ',' or ']'"));
    assert!(error_of("a: {b c}").contains("expected ':'"));
    assert!(error_of("a: [1] x").contains("unexpected text after a value"));
}

#[test]
fn tags() {
    let groups = "TimingGroups:\n  $Default: !ScrollGroup\n    Bpm: 1\n  g: !ScrollGroup {}\n";
    assert_eq!(
        value(groups),
        map(vec![
            (
                "$Default",
                Tree::Map(
                    Some("!ScrollGroup".to_owned()),
                    vec![("Bpm".to_owned(), text("1"))]
                )
            ),
            ("g", Tree::Map(Some("!ScrollGroup".to_owned()), vec![])),
        ])
    );
    assert_eq!(
        value("a: [!ScrollGroup {x: 1}]"),
        Tree::List(
            None,
            vec![Tree::Map(
                Some("!ScrollGroup".to_owned()),
                vec![("x".to_owned(), text("1"))]
            )]
        )
    );
}

#[test]
fn nesting_limit() {
    let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    assert!(read(&nested(MAX_DEPTH)).is_ok());
    assert!(error_of(&nested(MAX_DEPTH + 1)).contains(&format!("more than {MAX_DEPTH} levels")));
    let blocks: String = (0..=MAX_DEPTH)
        .map(|depth| format!("{}k:\n", " ".repeat(depth)))
        .collect();
    assert!(error_of(&blocks).contains("levels"));
}

#[test]
fn text_check() {
    use super::super::text_of;
    assert!(text_of(b"a: 1\n\tb").is_ok());
    let control = text_of(b"a: 1\nb: \x01").unwrap_err().to_string();
    assert!(
        control.contains("line 2") && control.contains("0x01"),
        "{control}"
    );
    assert!(text_of(b"a: \xFF").is_err());
}
