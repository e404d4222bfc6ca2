//! Chart → `.rox.json` text. One member per line at the top and in `metadata`; one timing
//! point, note or extra per line, so that a diff shows what changed.

use std::fmt::Write;

use super::member::{METADATA, META_TEXT_FIELDS, NOTE, SOUND, TIMING, TOP};
use super::{FORMAT_NAME, VERSION};
use crate::model::{HitSound, MetaField, Metadata, Note, TimingKind, TimingPoint};
use crate::Chart;

pub(super) fn chart(chart: &Chart) -> String {
    // About 60 bytes a note: one allocation for most charts.
    let mut w = Writer {
        out: String::with_capacity(1024 + chart.notes.len() * 64 + chart.timing.len() * 160),
    };
    w.out.push_str("{\n");
    w.top(0);
    w.string(FORMAT_NAME);
    w.top(1);
    w.uint(VERSION.into());
    w.top(2);
    match chart.source_format {
        Some(format) => w.string(format.name()),
        None => w.out.push_str("null"),
    }
    w.top(3);
    w.uint(chart.key_count.into());
    w.top(4);
    w.metadata(&chart.metadata);
    w.top(5);
    w.list(&chart.keysounds, |w, name| w.string(name));
    w.top(6);
    w.list(&chart.extras, |w, (key, value)| {
        w.out.push('[');
        w.string(key);
        w.out.push_str(", ");
        w.string(value);
        w.out.push(']');
    });
    w.top(7);
    w.list(&chart.timing, Writer::timing_point);
    w.top(8);
    w.list(&chart.notes, Writer::note);
    w.out.push_str("\n}\n");
    w.out
}

struct Writer {
    out: String,
}

impl Writer {
    /// A member of the top object, `TOP[index]`, with the comma before it.
    fn top(&mut self, index: usize) {
        if index > 0 {
            self.out.push_str(",\n");
        }
        self.out.push_str("  ");
        self.name(TOP[index]);
    }

    /// `"name": ` (names need no escaping).
    fn name(&mut self, name: &str) {
        self.out.push('"');
        self.out.push_str(name);
        self.out.push_str("\": ");
    }

    /// `, "name": ` inside a one-line object.
    fn next(&mut self, name: &str) {
        self.out.push_str(", ");
        self.name(name);
    }

    fn uint(&mut self, v: u64) {
        write!(self.out, "{v}").expect("writing to a String");
    }

    fn int(&mut self, v: i64) {
        write!(self.out, "{v}").expect("writing to a String");
    }

    /// The shortest text that reads back as the same f64 (Rust's `{:?}`, which uses an
    /// exponent for very large and small values); the three values JSON numbers cannot be,
    /// as strings.
    fn float(&mut self, v: f64) {
        if v.is_nan() {
            self.out.push_str("\"NaN\"");
        } else if v.is_infinite() {
            self.out.push_str(if v > 0.0 {
                "\"Infinity\""
            } else {
                "\"-Infinity\""
            });
        } else {
            write!(self.out, "{v:?}").expect("writing to a String");
        }
    }

    fn optional<T>(&mut self, v: Option<T>, write: impl FnOnce(&mut Self, T)) {
        match v {
            Some(v) => write(self, v),
            None => self.out.push_str("null"),
        }
    }

    fn string(&mut self, s: &str) {
        string(&mut self.out, s);
    }

    /// `[]`, or one element per line.
    fn list<T>(&mut self, items: &[T], mut item: impl FnMut(&mut Self, &T)) {
        if items.is_empty() {
            self.out.push_str("[]");
            return;
        }
        self.out.push('[');
        for (i, value) in items.iter().enumerate() {
            self.out.push_str(if i == 0 { "\n    " } else { ",\n    " });
            item(self, value);
        }
        self.out.push_str("\n  ]");
    }

    fn metadata(&mut self, m: &Metadata) {
        self.out.push('{');
        for (i, field) in MetaField::ALL.into_iter().enumerate() {
            self.out.push_str(if i == 0 { "\n    " } else { ",\n    " });
            self.name(field.name());
            self.string(field.get(m));
        }
        let mut member = META_TEXT_FIELDS..;
        let mut next = |w: &mut Self| {
            w.out.push_str(",\n    ");
            w.name(METADATA[member.next().expect("a member name")]);
        };
        next(self);
        self.optional(m.difficulty_level, Self::float);
        next(self);
        self.optional(m.preview_time_us, Self::int);
        next(self);
        self.optional(m.chart_id, Self::int);
        next(self);
        self.optional(m.set_id, Self::int);
        next(self);
        self.optional(m.hp_drain, Self::float);
        next(self);
        self.optional(m.overall_difficulty, Self::float);
        next(self);
        self.out
            .push_str(if m.has_scratch { "true" } else { "false" });
        self.out.push_str("\n  }");
    }

    fn timing_point(&mut self, t: &TimingPoint) {
        self.out.push('{');
        self.name(TIMING[0]);
        self.int(t.time_us);
        self.next(TIMING[1]);
        self.string(t.kind.name());
        match t.kind {
            TimingKind::Bpm { bpm, meter } => {
                self.next(TIMING[2]);
                self.float(bpm);
                self.next(TIMING[3]);
                self.uint(meter.into());
            }
            TimingKind::Scroll { multiplier } => {
                self.next(TIMING[4]);
                self.float(multiplier);
            }
            TimingKind::Stop { duration_us } | TimingKind::Delay { duration_us } => {
                self.next(TIMING[5]);
                self.int(duration_us);
            }
            TimingKind::Warp { beats } => {
                self.next(TIMING[6]);
                self.float(beats);
            }
        }
        self.next(TIMING[7]);
        self.uint(t.sample_set.into());
        self.next(TIMING[8]);
        self.uint(t.sample_index.into());
        self.next(TIMING[9]);
        self.uint(t.volume.into());
        self.next(TIMING[10]);
        self.uint(t.effects.into());
        self.out.push('}');
    }

    /// A note; `duration_us`, `sound` and `keysound` only when not their defaults (0, all
    /// zero, none), which keeps a chart of taps small.
    fn note(&mut self, n: &Note) {
        self.out.push('{');
        self.name(NOTE[0]);
        self.int(n.time_us);
        self.next(NOTE[1]);
        self.uint(n.column.into());
        self.next(NOTE[2]);
        self.string(n.kind.name());
        if n.duration_us != 0 {
            self.next(NOTE[3]);
            self.int(n.duration_us);
        }
        if n.sound != HitSound::default() {
            self.next(NOTE[4]);
            self.sound(&n.sound);
        }
        if let Some(keysound) = n.keysound {
            self.next(NOTE[5]);
            self.uint(keysound.into());
        }
        self.out.push('}');
    }

    fn sound(&mut self, s: &HitSound) {
        self.out.push('{');
        self.name(SOUND[0]);
        self.uint(s.flags.into());
        self.next(SOUND[1]);
        self.uint(s.normal_set.into());
        self.next(SOUND[2]);
        self.uint(s.addition_set.into());
        self.next(SOUND[3]);
        self.uint(s.volume.into());
        self.next(SOUND[4]);
        self.uint(s.custom_index.into());
        self.out.push('}');
    }
}

/// `s` as a JSON string: `"`, `\` and control characters escaped, everything else as it is.
pub(crate) fn string(out: &mut String, s: &str) {
    out.push('"');
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[run..i]);
        if escape.is_empty() {
            write!(out, "\\u{b:04x}").expect("writing to a String");
        } else {
            out.push_str(escape);
        }
        run = i + 1;
    }
    out.push_str(&s[run..]);
    out.push('"');
}
