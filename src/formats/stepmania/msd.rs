//! The MSD tag syntax of `.sm` and `.ssc` files (`#NAME:param:param;`), read the way
//! StepMania's `MsdFile::ReadBuf` reads it, and written so that it reads back the same.
//!
//! Reading rules: `#` opens a tag, `:` separates parameters, `;` closes the tag; `//` starts a
//! comment up to the end of the line, anywhere (even inside a value); a backslash makes the
//! next byte literal; and a `#` that is the first non-blank byte of a line inside an open tag
//! closes that tag (the recovery StepMania has for files with a missing `;`). A tag still open
//! at the end of the file is kept.

/// Every tag of a file, with its parameters unescaped; `params(i)[0]` is the tag name.
pub struct Msd {
    /// Unescaped parameter bytes, back to back.
    buf: Vec<u8>,
    /// (start, end) of each parameter in `buf`.
    params: Vec<(usize, usize)>,
    tags: Vec<TagInfo>,
}

struct TagInfo {
    /// 1-based line of the `#` that opens the tag.
    line: usize,
    first_param: usize,
    param_count: usize,
}

/// One tag: its line and parameters.
#[derive(Clone, Copy)]
pub struct Tag<'a> {
    pub line: usize,
    msd: &'a Msd,
    first_param: usize,
    param_count: usize,
}

impl<'a> Tag<'a> {
    /// Parameter `i` (0 is the name); empty when the tag has fewer.
    pub fn param(&self, i: usize) -> &'a [u8] {
        if i >= self.param_count {
            return &[];
        }
        let (start, end) = self.msd.params[self.first_param + i];
        &self.msd.buf[start..end]
    }

    /// Number of parameters, the name included.
    pub fn len(&self) -> usize {
        self.param_count
    }

    /// The tag name in upper case (StepMania compares names case-insensitively).
    pub fn name(&self) -> String {
        String::from_utf8_lossy(self.param(0).trim_ascii()).to_ascii_uppercase()
    }

    /// Everything after the name as it would be written back: parameters escaped and joined
    /// with `:`. Keeps tags that have no place in the model exactly.
    pub fn raw_value(&self) -> String {
        let mut out = Vec::new();
        for i in 1..self.param_count {
            if i > 1 {
                out.push(b':');
            }
            escape_into(&mut out, self.param(i));
        }
        String::from_utf8_lossy(&out).into_owned()
    }
}

impl Msd {
    pub fn tags(&self) -> impl Iterator<Item = Tag<'_>> + '_ {
        self.tags.iter().map(move |t| Tag {
            line: t.line,
            msd: self,
            first_param: t.first_param,
            param_count: t.param_count,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.tags.is_empty()
    }
}

/// Bytes that need a look in a value: comment start, tag and parameter delimiters, escape.
fn special(b: u8) -> bool {
    matches!(b, b'/' | b'#' | b':' | b';' | b'\\')
}

/// Splits `bytes` into tags. Never fails: like StepMania, anything outside a tag is ignored.
pub fn parse(bytes: &[u8]) -> Msd {
    let mut msd = Msd {
        buf: Vec::with_capacity(bytes.len()),
        params: Vec::new(),
        tags: Vec::new(),
    };
    let len = bytes.len();
    let mut i = 0;
    // Line counting is incremental: newlines between `counted` and the next tag start.
    let mut line = 1;
    let mut counted = 0;
    // Start of the parameter being read in `buf`, when inside a tag.
    let mut param_start: Option<usize> = None;
    let mut reading = false;

    while i < len {
        let b = bytes[i];
        if b == b'/' && bytes.get(i + 1) == Some(&b'/') {
            // The comment goes, the line break after it stays.
            i = memchr::memchr(b'\n', &bytes[i..]).map_or(len, |n| i + n);
            continue;
        }
        if reading && b == b'#' {
            let start = param_start.unwrap_or(msd.buf.len());
            let current = &msd.buf[start..];
            let line_start = current
                .iter()
                .rposition(|&c| c == b'\n' || c == b'\r')
                .map_or(0, |p| p + 1);
            let first_on_line = current[line_start..]
                .iter()
                .all(|&c| c == b' ' || c == b'\t');
            if !first_on_line {
                msd.buf.push(b);
                i += 1;
                continue;
            }
            // A `;` was missing: close the open tag without its trailing blank lines.
            let mut end = msd.buf.len();
            while end > start && matches!(msd.buf[end - 1], b'\r' | b'\n' | b' ' | b'\t') {
                end -= 1;
            }
            msd.buf.truncate(end);
            close_param(&mut msd, &mut param_start);
            reading = false;
        }
        if !reading {
            match b {
                b'#' => {
                    line += memchr::memchr_iter(b'\n', &bytes[counted..i]).count();
                    counted = i;
                    msd.tags.push(TagInfo {
                        line,
                        first_param: msd.params.len(),
                        param_count: 0,
                    });
                    reading = true;
                    param_start = Some(msd.buf.len());
                    i += 1;
                }
                // Outside a tag an escape still hides the next byte.
                b'\\' => i += 2,
                _ => i += 1,
            }
            continue;
        }
        match b {
            b':' => {
                close_param(&mut msd, &mut param_start);
                param_start = Some(msd.buf.len());
                i += 1;
            }
            b';' => {
                close_param(&mut msd, &mut param_start);
                reading = false;
                i += 1;
            }
            b'\\' => {
                if let Some(&next) = bytes.get(i + 1) {
                    msd.buf.push(next);
                }
                i += 2;
            }
            _ => {
                // Copy the run up to the next byte that needs a look.
                let run = bytes[i..]
                    .iter()
                    .position(|&c| special(c))
                    .map_or(len, |n| i + n);
                let run = run.max(i + 1);
                msd.buf.extend_from_slice(&bytes[i..run]);
                i = run;
            }
        }
    }
    if reading {
        close_param(&mut msd, &mut param_start);
    }
    msd
}

fn close_param(msd: &mut Msd, param_start: &mut Option<usize>) {
    if let Some(start) = param_start.take() {
        msd.params.push((start, msd.buf.len()));
        if let Some(tag) = msd.tags.last_mut() {
            tag.param_count += 1;
        }
    }
}

/// Appends `text` escaped so that `parse` gives it back as one parameter: the delimiters and
/// the backslash get a backslash, and so does the second `/` of a `//`.
pub fn escape_into(out: &mut Vec<u8>, text: &[u8]) {
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
        let msd = parse(text.as_bytes());
        msd.tags()
            .map(|t| {
                let params = (0..t.len())
                    .map(|i| String::from_utf8_lossy(t.param(i)).into_owned())
                    .collect();
                (t.line, params)
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
            let msd = parse(&out);
            let tag = msd.tags().next().unwrap();
            assert_eq!(tag.param(1), text.as_bytes(), "{text}");
            assert_eq!(tag.len(), 2);
        }
    }
}
