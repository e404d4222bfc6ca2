//! The C ABI of ROX. The contract is `docs/abi.md`; `include/rox.h` (cbindgen) and
//! `unity/com.rhythmopenexchange.rox/Runtime/NativeMethods.g.cs` (csbindgen) are generated from these files
//! by `build.rs`.
//!
//! Every export is a plain `#[no_mangle] pub unsafe extern "C" fn rox_*` whose whole body runs
//! inside [`guard`] (or [`guard_void`]): panics are caught there and every failure becomes a
//! [`RoxStatus`] plus a thread-local message readable with [`rox_last_error_message`].
//! `crate::Error` is mapped to a status in exactly one place (`impl From<Error> for FfiError`).
//! Pointer and length checks live in `args.rs`.
#![deny(unsafe_op_in_unsafe_fn)]

pub mod analysis;
mod args;
pub mod buffers;
pub mod chart;
pub mod keysounds;
pub mod limits;
pub mod metadata;
pub mod notes;
pub mod options;
pub mod patterns;
pub mod report;
pub mod scroll_groups;
pub mod set;
pub mod timeline;
pub mod timing;
pub mod validate;
pub mod views;

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};

use crate::Error;

pub use analysis::*;
pub use buffers::*;
pub use chart::*;
pub use keysounds::*;
pub use limits::*;
pub use metadata::*;
pub use notes::*;
pub use options::*;
pub use patterns::*;
pub use report::*;
pub use scroll_groups::*;
pub use set::*;
pub use timeline::*;
pub use timing::*;
pub use validate::*;
pub use views::*;

/// Version of this ABI. A wrapper compares it with the version it was generated for and
/// refuses to run against a different native library.
pub const ROX_ABI_VERSION: u32 = 1;

/// Result of every fallible `rox_*` function (an `int32_t`). After any value other than `Ok`,
/// `rox_last_error_message` gives a readable message for the calling thread.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoxStatus {
    /// Success.
    Ok = 0,
    /// A required pointer was null.
    NullPointer = -1,
    /// Out-of-range enum value, field id, index, key count or column;
    /// length too large; string that is not UTF-8; non-zero reserved field.
    InvalidArgument = -2,
    /// The caller's buffer is too short; the `out_len`/`out_count` output holds the size needed.
    BufferTooSmall = -3,
    /// The bytes are not a chart in any supported format, or a path has no known extension.
    UnknownFormat = -4,
    /// The format exists but this build cannot read or write it.
    UnsupportedFormat = -5,
    /// A text chart is malformed (includes "not an osu!mania chart", bad key count, bad
    /// encoding), or the file holds no chart.
    ParseError = -6,
    /// `.rox` data is damaged (checksum, truncation, bad section, newer version), or an
    /// archive is damaged or beyond the size limits.
    CorruptData = -7,
    /// The chart (or a note / timing point being added) fails validation.
    InvalidChart = -8,
    /// An internal bug was caught at the boundary; the handle is left unchanged.
    Panic = -99,
}

/// A failure on its way to the caller: a status and the message stored for
/// `rox_last_error_message`.
#[derive(Debug)]
pub(crate) struct FfiError {
    pub status: RoxStatus,
    pub message: String,
}

pub(crate) type FfiResult<T = ()> = Result<T, FfiError>;

impl FfiError {
    pub fn new(status: RoxStatus, message: impl Into<String>) -> FfiError {
        FfiError {
            status,
            message: message.into(),
        }
    }

    pub fn null(name: &str) -> FfiError {
        FfiError::new(RoxStatus::NullPointer, format!("`{name}` is null"))
    }

    pub fn invalid(message: impl Into<String>) -> FfiError {
        FfiError::new(RoxStatus::InvalidArgument, message)
    }

    pub fn invalid_chart(message: impl Into<String>) -> FfiError {
        FfiError::new(RoxStatus::InvalidChart, message)
    }
}

/// The one place where library errors become ABI statuses.
impl From<Error> for FfiError {
    fn from(e: Error) -> FfiError {
        let status = match &e {
            Error::UnknownFormat(_) => RoxStatus::UnknownFormat,
            Error::UnsupportedFormat(_) => RoxStatus::UnsupportedFormat,
            Error::NotMania { .. }
            | Error::Parse { .. }
            | Error::InvalidKeyCount(_)
            | Error::Encoding { .. }
            | Error::NoChart(_) => RoxStatus::ParseError,
            Error::Corrupt(_)
            | Error::Checksum { .. }
            | Error::UnsupportedVersion { .. }
            | Error::Archive(_)
            | Error::LimitExceeded { .. } => RoxStatus::CorruptData,
            Error::Invalid(_) => RoxStatus::InvalidChart,
            // The ABI never touches files; an I/O error can only be a misuse.
            Error::InvalidArgument(_) | Error::Io { .. } => RoxStatus::InvalidArgument,
        };
        FfiError::new(status, e.to_string())
    }
}

thread_local! {
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

#[cfg(test)]
thread_local! {
    /// Test hook: when set, the next guarded call panics inside its `catch_unwind`.
    static INJECT_PANIC: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn set_last_error(function: &str, message: &str) {
    // `try_with`: during thread teardown the slot may be gone; losing the message beats aborting.
    let _ = LAST_ERROR.try_with(|slot| {
        if let Ok(mut s) = slot.try_borrow_mut() {
            s.clear();
            s.push_str(function);
            s.push_str(": ");
            s.push_str(message);
        }
    });
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&'static str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "non-string panic payload".to_owned()
    }
}

/// Runs an export body: catches panics, turns errors into a status and stores the message.
/// `function` is the export's name; it prefixes the stored message.
pub(crate) fn guard(function: &'static str, body: impl FnOnce() -> FfiResult) -> RoxStatus {
    run_guarded(function, true, body)
}

/// [`guard`] that does not store the message of an ordinary failure (a panic is still
/// stored). Only for `rox_last_error_message`, which must not overwrite what it reads.
fn guard_keep_message(function: &'static str, body: impl FnOnce() -> FfiResult) -> RoxStatus {
    run_guarded(function, false, body)
}

fn run_guarded(
    function: &'static str,
    store_error: bool,
    body: impl FnOnce() -> FfiResult,
) -> RoxStatus {
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        #[cfg(test)]
        if INJECT_PANIC.with(|p| p.replace(false)) {
            panic!("injected test panic");
        }
        body()
    }));
    match result {
        Ok(Ok(())) => RoxStatus::Ok,
        Ok(Err(e)) => {
            if store_error {
                set_last_error(function, &e.message);
            }
            e.status
        }
        Err(payload) => {
            let message = format!(
                "internal error (panic: {}); please report this bug",
                panic_message(&*payload)
            );
            // Dropping a payload can itself panic; never let that unwind into the caller.
            let _ = panic::catch_unwind(AssertUnwindSafe(move || drop(payload)));
            set_last_error(function, &message);
            RoxStatus::Panic
        }
    }
}

/// [`guard`] for the few exports that return nothing (the free functions): a panic is caught
/// and its message stored, but there is no status to report it with.
pub(crate) fn guard_void(function: &'static str, body: impl FnOnce()) {
    let _ = guard(function, || {
        body();
        Ok(())
    });
}

/// The version of this ABI, [`ROX_ABI_VERSION`] (1). Cannot fail.
#[no_mangle]
pub extern "C" fn rox_abi_version() -> u32 {
    ROX_ABI_VERSION
}

/// Copies the message of the last failed `rox_*` call on the calling thread (UTF-8, no NUL)
/// into `buf`. Two-call pattern: `*out_len` receives the message length in bytes; if `len` is
/// smaller, returns `BufferTooSmall` and writes nothing to `buf` (`buf` may be null when `len`
/// is 0). The message is empty (length 0) if no call has failed yet on this thread.
///
/// This function never changes the stored message, not even when it fails itself, so the
/// two-call pattern reads the same message twice. The message stays until the next failing
/// call on this thread.
///
/// # Safety
/// `buf`: borrowed, caller-owned, writable for `len` bytes (or null if `len` is 0).
/// `out_len`: borrowed, caller-owned, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_last_error_message(
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> RoxStatus {
    guard_keep_message("rox_last_error_message", || {
        // SAFETY: the caller guarantees `buf`/`out_len` as documented; `OutBytes` checks them.
        let out = unsafe { args::OutBytes::new(buf, len, out_len) }?;
        // Copy first: `out.write` must not run while the slot is borrowed (it cannot fail into
        // the slot, but keep the borrow short anyway). `try_with`: slot gone at thread exit.
        let message =
            LAST_ERROR.try_with(|slot| slot.try_borrow().map(|s| s.clone()).unwrap_or_default());
        out.write(message.unwrap_or_default().as_bytes())
    })
}

#[cfg(test)]
pub(crate) fn last_error() -> String {
    LAST_ERROR.with(|s| s.borrow().clone())
}

#[cfg(test)]
mod output_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panic_in_guard_becomes_panic_status_with_message() {
        let status = guard("rox_test", || panic!("boom {}", 42));
        assert_eq!(status, RoxStatus::Panic);
        let message = last_error();
        assert!(
            message.starts_with("rox_test: internal error (panic: boom 42)"),
            "{message}"
        );
    }

    #[test]
    fn panic_with_static_str_payload() {
        assert_eq!(guard("rox_test", || panic!("static")), RoxStatus::Panic);
        assert!(last_error().contains("panic: static"));
        guard_void("rox_void", || panic!("in void"));
        assert!(last_error().starts_with("rox_void: internal error (panic: in void)"));
    }

    #[test]
    fn injected_panic_in_export_leaves_chart_unchanged() {
        let mut chart = std::ptr::null_mut();
        unsafe {
            assert_eq!(rox_chart_new(4, &mut chart), RoxStatus::Ok);
            INJECT_PANIC.with(|p| p.set(true));
            let title = b"changed";
            let status = rox_chart_set_string(
                chart,
                crate::model::MetaField::Title as i32,
                title.as_ptr(),
                title.len(),
            );
            assert_eq!(status, RoxStatus::Panic);
            assert_eq!((*chart).chart.metadata.title, "");

            let mut len = 0usize;
            assert_eq!(
                rox_last_error_message(std::ptr::null_mut(), 0, &mut len),
                RoxStatus::BufferTooSmall
            );
            let mut buf = vec![0u8; len];
            let mut len2 = 0usize;
            assert_eq!(
                rox_last_error_message(buf.as_mut_ptr(), buf.len(), &mut len2),
                RoxStatus::Ok
            );
            assert_eq!(len, len2);
            let text = String::from_utf8(buf).unwrap();
            assert!(
                text.starts_with(
                    "rox_chart_set_string: internal error (panic: injected test panic)"
                ),
                "{text}"
            );
            rox_chart_free(chart);
        }
    }

    #[test]
    fn last_error_message_does_not_overwrite_itself() {
        assert_eq!(
            guard("rox_x", || Err(FfiError::invalid("first"))),
            RoxStatus::InvalidArgument
        );
        unsafe {
            assert_eq!(
                rox_last_error_message(std::ptr::null_mut(), 0, std::ptr::null_mut()),
                RoxStatus::NullPointer
            );
            assert_eq!(
                rox_last_error_message(std::ptr::null_mut(), 5, &mut 0),
                RoxStatus::NullPointer
            );
        }
        assert_eq!(last_error(), "rox_x: first");
    }

    #[test]
    fn error_mapping() {
        let cases = [
            (Error::UnknownFormat("x".into()), RoxStatus::UnknownFormat),
            (Error::UnsupportedFormat("sm"), RoxStatus::UnsupportedFormat),
            (
                Error::NotMania {
                    mode: 0,
                    mode_name: "standard",
                },
                RoxStatus::ParseError,
            ),
            (Error::InvalidKeyCount(0), RoxStatus::ParseError),
            (
                Error::Checksum {
                    stored: 1,
                    computed: 2,
                },
                RoxStatus::CorruptData,
            ),
            (
                Error::UnsupportedVersion {
                    found: 9,
                    supported: 1,
                },
                RoxStatus::CorruptData,
            ),
            (Error::Invalid(vec![]), RoxStatus::InvalidChart),
            (
                Error::InvalidArgument("a".into()),
                RoxStatus::InvalidArgument,
            ),
        ];
        for (e, status) in cases {
            let f = FfiError::from(e);
            assert_eq!(f.status, status);
            assert!(!f.message.is_empty());
        }
    }

    #[test]
    fn pointers_need_no_alignment() {
        // As from a 32-bit CLR, where arrays of structs with `long` fields may be 4-aligned.
        use std::ptr::{null_mut, read_unaligned};
        unsafe {
            let mut chart = null_mut();
            assert_eq!(rox_chart_new(4, &mut chart), RoxStatus::Ok);
            let tap = |t, c| RoxNote {
                time_us: t,
                column: c,
                keysound: -1,
                ..RoxNote::default()
            };
            let notes = [tap(2000, 1), tap(1000, 3)];
            let size = std::mem::size_of_val(&notes);
            let mut input = vec![0u8; size + 1];
            let src = notes.as_ptr().cast::<u8>();
            std::ptr::copy_nonoverlapping(src, input.as_mut_ptr().add(1), size);
            let odd = input.as_ptr().add(1).cast::<RoxNote>();
            assert_eq!(rox_chart_add_notes(chart, odd, 2), RoxStatus::Ok);

            let mut output = vec![0u8; size + 1 + 8];
            let out = output.as_mut_ptr().add(1).cast::<RoxNote>();
            let written = output.as_mut_ptr().add(1 + size).cast::<usize>();
            assert_eq!(
                rox_chart_copy_notes(chart, 0, out, 2, written),
                RoxStatus::Ok
            );
            assert_eq!(read_unaligned(written), 2);
            assert_eq!(read_unaligned(out), notes[1]);
            assert_eq!(read_unaligned(out.add(1)), notes[0]);

            let mut info_bytes = vec![0u8; std::mem::size_of::<RoxChartInfo>() + 3];
            let info = info_bytes.as_mut_ptr().add(3).cast::<RoxChartInfo>();
            assert_eq!(rox_chart_get_info(chart, info), RoxStatus::Ok);
            let mut copy = read_unaligned(info);
            assert_eq!((copy.struct_size, copy.key_count), (64, 4));
            copy.key_count = 5;
            info.write_unaligned(copy);
            assert_eq!(rox_chart_set_info(chart, info), RoxStatus::Ok);
            assert_eq!((*chart).chart.key_count, 5);
            rox_chart_free(chart);
        }
    }

    #[test]
    fn abi_version() {
        assert_eq!(rox_abi_version(), 1);
    }
}
