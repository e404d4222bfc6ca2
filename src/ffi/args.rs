//! Checked conversions of raw arguments. Every pointer the caller passes goes through one of
//! these before it is read or written: null checks, and the byte size of a `(ptr, len)` pair
//! must fit in `isize` (the precondition of `slice::from_raw_parts`). Structs and integers are
//! read and written unaligned: on 32-bit targets a managed array of structs holding `long`
//! fields may be only 4-byte aligned (e.g. the x86 CLR), and refusing such calls would make
//! the ABI fail at random there. Constructors check everything up front so a function can
//! validate all its arguments before doing any work, and write nothing when one is wrong.
//!
//! Outputs are cleared when they are created: an export creates its outputs first, so every
//! output pointer that is not null reads zero (null, 0, an all-zero struct) after any failure,
//! whichever argument was wrong. Constructors of several outputs create all of them before
//! checking any.

use std::mem::size_of;
use std::ptr;

use super::{FfiError, FfiResult, RoxStatus};

fn check_ptr<T>(ptr: *const T, name: &str) -> FfiResult {
    if ptr.is_null() {
        return Err(FfiError::null(name));
    }
    Ok(())
}

/// Checks a `(ptr, len)` pair: `len` elements of `T`. `ptr` may be null only when `len` is 0.
fn check_array<T>(ptr: *const T, len: usize, name: &str) -> FfiResult {
    if len == 0 {
        return Ok(());
    }
    check_ptr(ptr, name)?;
    match len.checked_mul(size_of::<T>()) {
        Some(bytes) if bytes <= isize::MAX as usize => Ok(()),
        _ => Err(FfiError::invalid(format!(
            "`{name}` length {len} is too large"
        ))),
    }
}

/// A borrowed input byte array. `ptr` may be null (or dangling) when `len` is 0.
///
/// # Safety
/// When `len > 0` and `ptr` is non-null, `ptr` must be valid for reads of `len` bytes, which
/// are not written during `'a`.
pub(crate) unsafe fn in_bytes<'a>(ptr: *const u8, len: usize, name: &str) -> FfiResult<&'a [u8]> {
    check_array(ptr, len, name)?;
    if len == 0 {
        return Ok(&[]);
    }
    // SAFETY: non-null, u8 needs no alignment, size fits isize (checked); validity is the
    // caller's promise.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// A borrowed input array of structs, copied out (unaligned reads). `ptr` may be null when
/// `len` is 0.
///
/// # Safety
/// When `len > 0` and `ptr` is non-null, `ptr` must be valid for reads of `len` elements.
pub(crate) unsafe fn in_array<T: Copy>(ptr: *const T, len: usize, name: &str) -> FfiResult<Vec<T>> {
    check_array(ptr, len, name)?;
    // SAFETY: non-null when len > 0, in bounds by the caller's promise; unaligned read.
    Ok((0..len)
        .map(|i| unsafe { ptr.add(i).read_unaligned() })
        .collect())
}

/// A borrowed UTF-8 input string (not NUL-terminated).
///
/// # Safety
/// As [`in_bytes`].
pub(crate) unsafe fn in_str<'a>(ptr: *const u8, len: usize, name: &str) -> FfiResult<&'a str> {
    // SAFETY: forwarded caller promise.
    let bytes = unsafe { in_bytes(ptr, len, name) }?;
    std::str::from_utf8(bytes).map_err(|e| {
        FfiError::invalid(format!(
            "`{name}` is not valid UTF-8 (invalid byte at offset {})",
            e.valid_up_to()
        ))
    })
}

/// A borrowed single input value (e.g. `const RoxChartInfo*`), read by copy.
///
/// # Safety
/// A non-null `ptr` must be valid for one read of `T`.
pub(crate) unsafe fn in_value<T: Copy>(ptr: *const T, name: &str) -> FfiResult<T> {
    check_ptr(ptr, name)?;
    // SAFETY: checked non-null; validity is the caller's promise; unaligned read.
    Ok(unsafe { ptr.read_unaligned() })
}

/// The value an output reads after a failed call.
pub(crate) trait Zero: Copy {
    const ZERO: Self;
}

impl Zero for usize {
    const ZERO: usize = 0;
}

impl Zero for f64 {
    const ZERO: f64 = 0.0;
}

impl Zero for u64 {
    const ZERO: u64 = 0;
}

impl Zero for i64 {
    const ZERO: i64 = 0;
}

impl Zero for u32 {
    const ZERO: u32 = 0;
}

impl Zero for i32 {
    const ZERO: i32 = 0;
}

impl<T> Zero for *mut T {
    const ZERO: *mut T = ptr::null_mut();
}

impl<T> Zero for *const T {
    const ZERO: *const T = ptr::null();
}

/// A single output value (`T* out`), cleared and checked when created, written later.
pub(crate) struct Out<T> {
    ptr: *mut T,
}

impl<T: Zero> Out<T> {
    /// Sets a non-null `*ptr` to [`Zero::ZERO`], then fails if `ptr` is null.
    ///
    /// # Safety
    /// A non-null `ptr` must be valid for writes of `T` until `set` is called.
    pub unsafe fn new(ptr: *mut T, name: &str) -> FfiResult<Out<T>> {
        if !ptr.is_null() {
            // SAFETY: non-null, valid by the caller's promise; unaligned, no read or drop.
            unsafe { ptr.write_unaligned(T::ZERO) };
        }
        check_ptr(ptr, name)?;
        Ok(Out { ptr })
    }

    pub fn set(&self, value: T) {
        // SAFETY: checked in `new`; the write neither reads nor drops the old (maybe uninit)
        // value, and needs no alignment.
        unsafe { self.ptr.write_unaligned(value) }
    }
}

/// A buffer allocated here and given to the caller: `(uint8_t** out_buf, size_t* out_len)`.
pub(crate) struct OutBuffer {
    buf: Out<*mut u8>,
    len: Out<usize>,
}

impl OutBuffer {
    /// Clears both outputs (`NULL`, 0) before checking either.
    ///
    /// # Safety
    /// As [`Out::new`] for both pointers.
    pub unsafe fn new(buf: *mut *mut u8, len: *mut usize) -> FfiResult<OutBuffer> {
        // SAFETY: forwarded caller promise.
        let (buf, len) = unsafe { (Out::new(buf, "out_buf"), Out::new(len, "out_len")) };
        Ok(OutBuffer {
            buf: buf?,
            len: len?,
        })
    }

    /// Hands `bytes` over (free with `rox_free_buffer`); empty becomes `(NULL, 0)`.
    pub fn set(self, bytes: Vec<u8>) {
        let (ptr, len) = super::buffers::into_raw_buffer(bytes);
        self.buf.set(ptr);
        self.len.set(len);
    }
}

/// A shared borrow of the object behind an opaque handle.
///
/// # Safety
/// A non-null `p` must come from this library (`Box::into_raw`) and not be freed or mutated
/// during `'a`.
pub(crate) unsafe fn handle_ref<'a, T>(p: *const T, name: &str) -> FfiResult<&'a T> {
    check_ptr(p, name)?;
    // SAFETY: non-null; the rest is the caller's promise.
    Ok(unsafe { &*p })
}

/// Gives an object to the caller as an opaque handle (freed with [`free_handle`]).
pub(crate) fn into_handle<T>(value: T) -> *mut T {
    Box::into_raw(Box::new(value))
}

/// Takes back and drops a handle from [`into_handle`]; null is ignored.
///
/// # Safety
/// `p` must be null or a live handle of type `T` from [`into_handle`], freed only here, once.
pub(crate) unsafe fn free_handle<T>(p: *mut T) {
    if !p.is_null() {
        // SAFETY: caller promise.
        drop(unsafe { Box::from_raw(p) });
    }
}

/// A caller byte buffer for the two-call pattern: `(uint8_t* buf, size_t len, size_t* out_len)`.
pub(crate) struct OutBytes {
    buf: *mut u8,
    len: usize,
    out_len: Out<usize>,
}

impl OutBytes {
    /// Clears `*out_len` first, so it reads 0 after any failure but `BufferTooSmall`.
    ///
    /// # Safety
    /// `buf` (when `len > 0`) must be valid for writes of `len` bytes and `out_len` for one
    /// write, until `write` is called.
    pub unsafe fn new(buf: *mut u8, len: usize, out_len: *mut usize) -> FfiResult<OutBytes> {
        // SAFETY: forwarded caller promise.
        let out_len = unsafe { Out::new(out_len, "out_len") }?;
        check_array(buf, len, "buf")?;
        Ok(OutBytes { buf, len, out_len })
    }

    /// Always sets `*out_len` to `bytes.len()`; copies `bytes` if they fit, else fails with
    /// `BufferTooSmall` and leaves `buf` untouched.
    pub fn write(self, bytes: &[u8]) -> FfiResult {
        self.out_len.set(bytes.len());
        if bytes.len() > self.len {
            return Err(FfiError::new(
                RoxStatus::BufferTooSmall,
                format!(
                    "buffer of {} bytes is too small: {} bytes needed",
                    self.len,
                    bytes.len()
                ),
            ));
        }
        if !bytes.is_empty() {
            // SAFETY: `buf` is valid for `len >= bytes.len() > 0` bytes (checked non-null in
            // `new`); a Rust slice cannot overlap caller memory we are allowed to write.
            unsafe { ptr::copy_nonoverlapping(bytes.as_ptr(), self.buf, bytes.len()) };
        }
        Ok(())
    }
}

/// A caller array of `len` elements that receives a prefix of some items.
pub(crate) struct OutArray<T> {
    buf: *mut T,
    len: usize,
}

impl<T: Copy> OutArray<T> {
    /// The array `buf` with its count output (`size_t* out_count`), which is cleared before
    /// `buf` is checked.
    ///
    /// # Safety
    /// `buf` (when `len > 0`) must be valid for writes of `len` elements until the last
    /// write; `out_count` as [`Out::new`].
    pub unsafe fn with_count(
        buf: *mut T,
        len: usize,
        out_count: *mut usize,
        count_name: &str,
    ) -> FfiResult<(OutArray<T>, Out<usize>)> {
        // SAFETY: forwarded caller promises.
        let count = unsafe { Out::new(out_count, count_name) }?;
        check_array(buf, len, "buf")?;
        Ok((OutArray { buf, len }, count))
    }

    /// The array `buf` alone, for outputs as long as an input (nothing to count).
    ///
    /// # Safety
    /// `buf` (when `len > 0`) must be valid for writes of `len` elements until the last
    /// write.
    pub unsafe fn new(buf: *mut T, len: usize, name: &str) -> FfiResult<OutArray<T>> {
        check_array(buf, len, name)?;
        Ok(OutArray { buf, len })
    }

    pub fn capacity(&self) -> usize {
        self.len
    }

    /// Writes `items` (at most `capacity` of them, the caller ensures this) to the buffer.
    pub fn write_at(&self, index: usize, item: T) {
        assert!(index < self.len, "OutArray index out of range");
        // SAFETY: `index < len` and `buf` valid for `len` elements (checked in `new`).
        unsafe { self.buf.add(index).write_unaligned(item) }
    }

    /// Writes `convert` of each of `items` to the start of the buffer, straight from the
    /// source: no intermediate copy, one bounds check for the whole run.
    pub fn write_converted<S>(&self, items: &[S], convert: impl Fn(&S) -> T) {
        assert!(items.len() <= self.len, "OutArray too short");
        for (i, item) in items.iter().enumerate() {
            // SAFETY: `i < items.len() <= len` and `buf` valid for `len` elements (checked in
            // `new`).
            unsafe { self.buf.add(i).write_unaligned(convert(item)) }
        }
    }
}

/// An `int32_t` enum argument, range-checked by `convert`.
pub(crate) fn enum_arg<T>(
    value: i32,
    name: &str,
    convert: impl FnOnce(i32) -> Option<T>,
) -> FfiResult<T> {
    convert(value)
        .ok_or_else(|| FfiError::invalid(format!("`{name}` value {value} is out of range")))
}
