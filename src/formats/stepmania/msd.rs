//! The MSD tag syntax of `.sm` and `.ssc` files (`#NAME:param:param;`), read the way
//! StepMania's `MsdFile::ReadBuf` reads it, and written so that it reads back the same.
//!
//! Reading rules: `#` opens a tag, `:` separates parameters, `;` closes the tag; `//` starts a
//! comment up to the end of the line, anywhere (even inside a value); a backslash makes the
//! next byte literal; and a `#` that is the first non-blank byte of a line inside an open tag
//! closes that tag (the recovery StepMania has for files with a missing `;`). A tag still open
//! at the end of the file is kept.
//!
//! `peek` needs no note data, the bulk of a file: `parse` can pass over it (see `NoteData`).

use std::borrow::Cow;
use std::cell::{Cell, OnceCell};

use super::tags;

/// Every tag of a file, with its parameters unescaped; `params(i)[0]` is the tag name.
pub struct Msd<'t> {
    /// The file, for the lines of tags (counted only when a message needs one).
    text: &'t [u8],
    /// Unescaped parameter bytes, back to back.
    buf: Vec<u8>,
    /// (start, end) of each parameter in `buf`.
    params: Vec<(usize, usize)>,
    /// Every tag's name as `Tag::name` gives it, back to back.
    names: String,
    tags: Vec<TagInfo>,
    lines: Lines,
}

struct TagInfo {
    /// Where the `#` that opens the tag is in the file.
    offset: usize,
    first_param: usize,
    param_count: usize,
    /// (start, end) of the name in `names`.
    name: (usize, usize),
    /// Whether the name parameter is valid UTF-8.
    name_is_utf8: bool,
    /// Bytes of the file in parameters passed over (see `NoteData::SkipFrom`).
    passed_over: usize,
}

/// Tag lines, counted when asked for: forward from the last tag asked for, or, for a tag
/// before it, every tag's at once (so that messages in any order cost one pass at most).
struct Lines {
    /// (offset, line) of the last tag counted forward to.
    last: Cell<(usize, usize)>,
    every_tag: OnceCell<Vec<usize>>,
}

/// One tag: its line and parameters.
#[derive(Clone, Copy)]
pub struct Tag<'a> {
    msd: &'a Msd<'a>,
    index: usize,
}

impl<'a> Tag<'a> {
    fn info(&self) -> &'a TagInfo {
        &self.msd.tags[self.index]
    }

    /// 1-based line of the `#` that opens the tag.
    pub fn line(&self) -> usize {
        let msd = self.msd;
        let lines = &msd.lines;
        if let Some(every_tag) = lines.every_tag.get() {
            return every_tag[self.index];
        }
        let offset = self.info().offset;
        let (last_offset, last_line) = lines.last.get();
        if offset < last_offset {
            return lines.every_tag.get_or_init(|| msd.every_tag_line())[self.index];
        }
        let line = last_line + newlines(&msd.text[last_offset..offset]);
        lines.last.set((offset, line));
        line
    }

    /// Parameter `i` (0 is the name); empty when the tag has fewer.
    pub fn param(&self, i: usize) -> &'a [u8] {
        let info = self.info();
        if i >= info.param_count {
            return &[];
        }
        let (start, end) = self.msd.params[info.first_param + i];
        &self.msd.buf[start..end]
    }

    /// Number of parameters, the name included.
    pub fn len(&self) -> usize {
        self.info().param_count
    }

    /// Bytes of the file in the parameters `parse` passed over (left empty): an upper bound
    /// on what they would hold read.
    pub fn passed_over(&self) -> usize {
        self.info().passed_over
    }

    /// The tag name in upper case (StepMania compares names case-insensitively), invalid
    /// UTF-8 replaced.
    pub fn name(&self) -> &'a str {
        let (start, end) = self.info().name;
        &self.msd.names[start..end]
    }

    /// Whether the name is valid UTF-8 in the file (else `name` has replacements).
    pub fn name_is_utf8(&self) -> bool {
        self.info().name_is_utf8
    }

    /// Everything after the name as it would be written back: parameters escaped and joined
    /// with `:`. Keeps tags that have no place in the model exactly.
    pub fn raw_value(&self) -> Vec<u8> {
        let count = self.len();
        let values = (1..count).map(|i| self.param(i).len() + 1);
        let mut out = Vec::with_capacity(values.sum());
        for i in 1..count {
            if i > 1 {
                out.push(b':');
            }
            escape_into(&mut out, self.param(i));
        }
        out
    }
}

impl<'t> Msd<'t> {
    pub fn tags(&self) -> impl Iterator<Item = Tag<'_>> + '_ {
        (0..self.tags.len()).map(move |index| Tag { msd: self, index })
    }

    pub fn is_empty(&self) -> bool {
        self.tags.is_empty()
    }

    fn every_tag_line(&self) -> Vec<usize> {
        let mut counted = (0, 1);
        let lines = self.tags.iter().map(|tag| {
            counted = (
                tag.offset,
                counted.1 + newlines(&self.text[counted.0..tag.offset]),
            );
            counted.1
        });
        lines.collect()
    }
}

fn newlines(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', bytes).count()
}

/// Finds the bytes that need a look in a value: comment start, tag and parameter delimiters,
/// escape. memchr searches at most three bytes, so the delimiters and the other two are found
/// by two searches, each remembered until passed (one kind may be far, the other near).
struct Specials {
    next_delimiter: Option<usize>,
    next_other: Option<usize>,
}

impl Specials {
    /// The first special byte at or after `from`, or `bytes.len()`.
    fn next(&mut self, bytes: &[u8], from: usize) -> usize {
        let find = |cached: Option<usize>, search: fn(&[u8]) -> Option<usize>| match cached {
            Some(at) if at >= from => Some(at),
            _ => Some(search(&bytes[from..]).map_or(bytes.len(), |n| from + n)),
        };
        self.next_delimiter = find(self.next_delimiter, |b| {
            memchr::memchr3(b'#', b':', b';', b)
        });
        self.next_other = find(self.next_other, |b| memchr::memchr2(b'/', b'\\', b));
        self.next_delimiter
            .min(self.next_other)
            .unwrap_or(bytes.len())
    }
}

/// Which parameters of `#NOTES` and `#NOTES2` tags `parse` keeps.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum NoteData {
    Read,
    /// Parameters from this index on are read past (their tags end where they would) and
    /// left empty.
    SkipFrom(usize),
}

/// Splits `bytes` into tags. Never fails: like StepMania, anything outside a tag is ignored.
pub fn parse(bytes: &[u8], note_data: NoteData) -> Msd<'_> {
    let mut r = Reader {
        bytes,
        i: 0,
        param_start: None,
        names: Vec::with_capacity(4096),
        note_data,
        skipping: false,
        param_input_start: 0,
        specials: Specials {
            next_delimiter: None,
            next_other: None,
        },
        msd: Msd {
            text: bytes,
            // Values read are at most the file; passed over, note data (its bulk) is not kept.
            buf: Vec::with_capacity(match note_data {
                NoteData::Read => bytes.len(),
                NoteData::SkipFrom(_) => bytes.len().min(16 * 1024),
            }),
            // Room for the tags of a typical file (a few hundred): growing is a good part of
            // the time of a peek.
            params: Vec::with_capacity(1024),
            names: String::new(),
            tags: Vec::with_capacity(512),
            lines: Lines {
                last: Cell::new((0, 1)),
                every_tag: OnceCell::new(),
            },
        },
    };
    while r.i < bytes.len() {
        let b = bytes[r.i];
        if b == b'/' && bytes.get(r.i + 1) == Some(&b'/') {
            // The comment goes, the line break after it stays.
            r.i = memchr::memchr(b'\n', &bytes[r.i..]).map_or(bytes.len(), |n| r.i + n);
        } else if r.param_start.is_none() {
            r.outside(b);
        } else if b == b'#' {
            r.hash_in_tag();
        } else {
            r.in_tag(b);
        }
    }
    r.close_param();
    r.msd.names = String::from_utf8(r.names).expect("ASCII and replaced UTF-8 only");
    r.msd
}

/// The state of `parse`.
struct Reader<'b> {
    bytes: &'b [u8],
    i: usize,
    /// Start of the parameter being read in `buf`, when inside a tag.
    param_start: Option<usize>,
    note_data: NoteData,
    /// Tag names as `Tag::name` gives them, back to back: ASCII, or replaced and upper-cased
    /// UTF-8, so that it becomes `Msd::names` in one validation.
    names: Vec<u8>,
    /// Whether the parameter being read is note data passed over (nothing goes to `buf`).
    skipping: bool,
    /// Where the parameter being read starts in `bytes`.
    param_input_start: usize,
    specials: Specials,
    msd: Msd<'b>,
}

impl Reader<'_> {
    /// A byte outside any tag: only `#` (which opens one) and escapes matter.
    fn outside(&mut self, b: u8) {
        match b {
            b'#' => {
                self.msd.tags.push(TagInfo {
                    offset: self.i,
                    first_param: self.msd.params.len(),
                    param_count: 0,
                    name: (0, 0),
                    name_is_utf8: true,
                    passed_over: 0,
                });
                self.i += 1;
                self.open_param();
            }
            // Outside a tag an escape still hides the next byte.
            b'\\' => self.i += 2,
            _ => self.i += 1,
        }
    }

    /// A `#` inside a tag: text, unless it is the first non-blank byte of its line; then a
    /// `;` was missing, and the open tag closes (without its trailing blank lines) for the
    /// new one.
    fn hash_in_tag(&mut self) {
        let start = self.param_start.unwrap_or(self.msd.buf.len());
        let first = if self.skipping {
            first_on_raw_line(&self.bytes[self.param_input_start..self.i])
        } else {
            first_on_line(&self.msd.buf[start..])
        };
        let buf = &mut self.msd.buf;
        if !first {
            if !self.skipping {
                buf.push(b'#');
            }
            self.i += 1;
            return;
        }
        while buf.len() > start && matches!(buf.last(), Some(b'\r' | b'\n' | b' ' | b'\t')) {
            buf.pop();
        }
        self.close_param();
        self.outside(b'#');
    }

    /// Any other byte inside a tag.
    fn in_tag(&mut self, b: u8) {
        let (bytes, i) = (self.bytes, self.i);
        match b {
            b':' => {
                self.close_param();
                self.i += 1;
                self.open_param();
            }
            b';' => {
                self.close_param();
                self.i += 1;
            }
            b'\\' => {
                if let Some(&next) = bytes.get(i + 1).filter(|_| !self.skipping) {
                    self.msd.buf.push(next);
                }
                self.i += 2;
            }
            _ => {
                // Copy the run up to the next byte that needs a look.
                let run = self.specials.next(bytes, i);
                let run = run.max(i + 1);
                if !self.skipping {
                    self.msd.buf.extend_from_slice(&bytes[i..run]);
                }
                self.i = run;
            }
        }
    }

    /// Starts the next parameter of the open tag at `self.i`.
    fn open_param(&mut self) {
        self.param_start = Some(self.msd.buf.len());
        self.param_input_start = self.i;
        self.skipping = match (self.note_data, self.msd.tags.last()) {
            (NoteData::SkipFrom(from), Some(tag)) if tag.param_count >= from => {
                let name = &self.names[tag.name.0..tag.name.1];
                [tags::NOTES, tags::NOTES2]
                    .iter()
                    .any(|notes| name == notes.as_bytes())
            }
            _ => false,
        };
    }

    fn close_param(&mut self) {
        let Some(start) = self.param_start.take() else {
            return;
        };
        let param = (start, self.msd.buf.len());
        self.msd.params.push(param);
        // The name is worked out once here, for the many times it is asked for.
        let name = match self.msd.tags.last() {
            Some(tag) if tag.param_count == 0 => Some(self.push_name(param)),
            _ => None,
        };
        if let Some(tag) = self.msd.tags.last_mut() {
            tag.param_count += 1;
            if let Some((name, is_utf8)) = name {
                (tag.name, tag.name_is_utf8) = (name, is_utf8);
            }
            if self.skipping {
                tag.passed_over += self.i - self.param_input_start;
            }
        }
    }
}

impl Reader<'_> {
    /// Appends the name of the tag whose name parameter is `param` in `buf` to `names`;
    /// returns where it is there and whether the parameter is valid UTF-8.
    fn push_name(&mut self, param: (usize, usize)) -> ((usize, usize), bool) {
        let name = self.msd.buf[param.0..param.1].trim_ascii();
        let start = self.names.len();
        let is_utf8 = if name.is_ascii() {
            self.names.extend_from_slice(name);
            true
        } else {
            let text = String::from_utf8_lossy(name);
            self.names.extend_from_slice(text.as_bytes());
            matches!(text, Cow::Borrowed(_))
        };
        self.names[start..].make_ascii_uppercase();
        ((start, self.names.len()), is_utf8)
    }
}

/// Whether a `#` after `param` (the value read so far) is the first non-blank byte of its
/// line.
fn first_on_line(param: &[u8]) -> bool {
    let line_start = param
        .iter()
        .rposition(|&c| c == b'\n' || c == b'\r')
        .map_or(0, |p| p + 1);
    param[line_start..].iter().all(|&c| c == b' ' || c == b'\t')
}

/// `first_on_line` for a parameter as it is in the file (comments and escapes not yet taken
/// out): a comment ends at the line break, so only escapes matter on the last line, and an
/// escaped blank is a blank.
fn first_on_raw_line(param: &[u8]) -> bool {
    let line_start = param
        .iter()
        .rposition(|&c| c == b'\n' || c == b'\r')
        .map_or(0, |p| p + 1);
    let mut rest = &param[line_start..];
    loop {
        match rest {
            [] => return true,
            [b' ' | b'\t', tail @ ..] | [b'\\', b' ' | b'\t', tail @ ..] => rest = tail,
            _ => return false,
        }
    }
}

/// Appends `text` escaped so that `parse` gives it back as one parameter: the delimiters and
/// the backslash get a backslash, and so does the second `/` of a `//`.
pub fn escape_into(out: &mut Vec<u8>, text: &[u8]) {
    // Most values have nothing to escape: copied whole.
    if !text
        .iter()
        .any(|b| matches!(b, b'\\' | b':' | b';' | b'#' | b'/'))
    {
        out.extend_from_slice(text);
        return;
    }
    let mut previous = 0;
    for &b in text {
        if matches!(b, b'\\' | b':' | b';' | b'#') || (b == b'/' && previous == b'/') {
            out.push(b'\\');
        }
        out.push(b);
        // An escaped `/` cannot start a comment with the next one.
        previous = if b == b'/' && previous == b'/' { 0 } else { b };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(text: &str) -> Vec<(usize, Vec<String>)> {
        let msd = parse(text.as_bytes(), NoteData::Read);
        msd.tags()
            .map(|t| {
                let params = (0..t.len())
                    .map(|i| String::from_utf8_lossy(t.param(i)).into_owned())
                    .collect();
                (t.line(), params)
            })
            .collect()
    }

    #[test]
    fn tags_params_comments_and_escapes() {
        let parsed = tags("// header\n#TITLE:a\\:b // comment\n;\n#BPMS:0=120\n,4=60;junk #X:1");
        assert_eq!(
            parsed,
            [
                (2, vec!["TITLE".into(), "a:b \n".into()]),
                (4, vec!["BPMS".into(), "0=120\n,4=60".into()]),
                (5, vec!["X".into(), "1".into()]),
            ]
        );
    }

    #[test]
    fn missing_semicolon_recovery() {
        let parsed = tags("#TITLE:abc\n  \n  #ARTIST:x#y\n#A:#B;");
        assert_eq!(parsed[0].1, ["TITLE", "abc"]);
        assert_eq!(parsed[1].1, ["ARTIST", "x#y"]);
        // `#B` right after `:` is first on its line: StepMania ends `#A` there too.
        assert_eq!(parsed[2].1, ["A", ""]);
        assert_eq!(parsed[3].1, ["B"]);
    }

    #[test]
    fn escape_round_trips() {
        for text in ["a:b;c#d\\e", "http://x//y///z", "/", "//", ""] {
            let mut out = b"#T:".to_vec();
            escape_into(&mut out, text.as_bytes());
            out.push(b';');
            let msd = parse(&out, NoteData::Read);
            let tag = msd.tags().next().unwrap();
            assert_eq!(tag.param(1), text.as_bytes(), "{text}");
            assert_eq!(tag.len(), 2);
        }
    }

    #[test]
    fn edges_of_the_input() {
        assert!(parse(b"", NoteData::Read).is_empty());
        assert!(parse(b"no tags here; at: all", NoteData::Read).is_empty());
        // An escape outside a tag hides a `#`; a tag open at the end is kept; a backslash at
        // the very end escapes nothing.
        assert_eq!(tags("\\#A:1;\n#B:2\\"), [(2, vec!["B".into(), "2".into()])]);
        // A comment hides a `;` inside a value and ends at the line break, which stays.
        assert_eq!(tags("#A:x // ;\n;")[0].1, ["A", "x \n"]);
        // CRLF lines count once each.
        assert_eq!(tags("\r\n\r\n#A:1;")[0].0, 3);
    }

    /// Lines are counted when asked for, in any order, and give what counting them all in
    /// file order gives.
    #[test]
    fn lines_asked_for_in_any_order() {
        let text = "#A:1;\n\n#B:2\n;\r\n#C:3;#D:\n4;\n#E:5;";
        let expected = [1, 3, 5, 5, 7];
        let msd = parse(text.as_bytes(), NoteData::Read);
        let tags: Vec<Tag> = msd.tags().collect();
        assert_eq!(tags[1].line(), expected[1]);
        assert_eq!(tags[3].line(), expected[3]);
        // Backwards: every tag's line at once.
        assert_eq!(tags[0].line(), expected[0]);
        let lines: Vec<usize> = [4, 2, 0, 1, 3].iter().map(|&i| tags[i].line()).collect();
        assert_eq!(lines, [7, 5, 1, 3, 5]);
    }

    #[test]
    fn names_params_and_raw_values() {
        let msd = parse(b"# title :a\\:b:c;", NoteData::Read);
        let tag = msd.tags().next().unwrap();
        assert_eq!(tag.name(), "TITLE");
        assert!(tag.name_is_utf8());
        let msd = parse(b"#bpm\xC3\xA9s:1;#x\xE9:2;", NoteData::Read);
        let names: Vec<_> = msd.tags().map(|t| (t.name(), t.name_is_utf8())).collect();
        assert_eq!(names, [("BPM\u{e9}S", true), ("X\u{FFFD}", false)]);
        assert_eq!(tag.len(), 3);
        assert_eq!(tag.param(1), b"a:b");
        assert_eq!(tag.param(9), b"");
        assert_eq!(tag.raw_value(), b"a\\:b:c");
        // A `#` after a tab at the start of a line also closes the open tag.
        let parsed = tags("#A:1\n\t#B:2;");
        assert_eq!(parsed[0].1, ["A", "1"]);
        assert_eq!(parsed[1], (2, vec!["B".into(), "2".into()]));
    }

    /// Passing over note data ends every tag where reading it does, whatever the note data
    /// holds (comments, escapes, a `#` that does or does not close the tag).
    #[test]
    fn skipped_note_data_ends_tags_as_read() {
        let files = [
            "#TITLE:t;\n#NOTES:dance-single:d:Easy:1:r:0000\n// m\n1000\n;#BPMS:0=1;",
            "#notes2 :a:b\\:c:d:e:00#0 // x #\n \\ #1\n\\\n#OFFSET:1",
            "#NOTES:x:\\\t#y\r\n\t#DONE:1;#NOTES:",
            "#NOTES:1\\\\ #2\n;#A:b\\",
        ];
        for file in files {
            let read = parse(file.as_bytes(), NoteData::Read);
            for from in [1, 6] {
                let skipped = parse(file.as_bytes(), NoteData::SkipFrom(from));
                assert_eq!(skipped.tags().count(), read.tags().count(), "{file:?}");
                for (s, r) in skipped.tags().zip(read.tags()) {
                    assert_eq!(
                        (s.line(), s.len(), s.param(0)),
                        (r.line(), r.len(), r.param(0))
                    );
                    let notes = r.name().starts_with("NOTES");
                    let mut read_size = 0;
                    for i in 1..r.len() {
                        let passed_over = notes && i >= from;
                        let expected: &[u8] = if passed_over { b"" } else { r.param(i) };
                        assert_eq!(s.param(i), expected, "{file:?} param {i}");
                        read_size += if passed_over { r.param(i).len() } else { 0 };
                    }
                    // What was passed over is measured as it is in the file: at least its
                    // size read (comments and escapes taken out).
                    assert!(s.passed_over() >= read_size, "{file:?}");
                    assert_eq!(r.passed_over(), 0);
                }
            }
        }
    }
}
