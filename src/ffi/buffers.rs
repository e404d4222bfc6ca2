//! Memory this library hands to the caller, and the functions that take it back.
//!
//! Byte buffers are `Box<[u8]>` (capacity == length, so `(ptr, len)` is enough to free them).
//! Strings are `Box<[u8]>` laid out as `[length: usize][bytes][NUL]` with the caller given a
//! pointer to `bytes`; the hidden length lets `rox_free_string` free a string that contains a
//! NUL byte (metadata may), which `CString::from_raw` could not.

use std::ffi::c_char;
use std::mem::size_of;
use std::ptr;

use super::guard_void;

const HEADER: usize = size_of::<usize>();

/// Gives a buffer to the caller: `(null, 0)` when empty, else the boxed slice's pointer.
pub(crate) fn into_raw_buffer(bytes: Vec<u8>) -> (*mut u8, usize) {
    if bytes.is_empty() {
        return (ptr::null_mut(), 0);
    }
    let boxed: Box<[u8]> = bytes.into_boxed_slice();
    let len = boxed.len();
    (Box::into_raw(boxed).cast::<u8>(), len)
}

/// Gives a NUL-terminated copy of `text` to the caller (free with `rox_free_string`).
pub(crate) fn into_raw_string(text: &str) -> *mut c_char {
    let len = text.len();
    let mut block = Vec::with_capacity(HEADER + len + 1);
    block.extend_from_slice(&len.to_ne_bytes());
    block.extend_from_slice(text.as_bytes());
    block.push(0);
    let block: Box<[u8]> = block.into_boxed_slice();
    let base = Box::into_raw(block).cast::<u8>();
    // SAFETY: the block is HEADER + len + 1 bytes long, so base + HEADER is inside it.
    unsafe { base.add(HEADER).cast::<c_char>() }
}

/// Releases a buffer returned by `rox_chart_encode_alloc`. `rox_free_buffer(NULL, 0)` (and any
/// null `buf`) is a no-op.
///
/// # Safety
/// `buf`: ownership is taken back from the caller; must be null or exactly a pointer returned
/// by `rox_chart_encode_alloc`, not yet freed, with `len` exactly the length returned with it.
#[no_mangle]
pub unsafe extern "C" fn rox_free_buffer(buf: *mut u8, len: usize) {
    guard_void("rox_free_buffer", || {
        if buf.is_null() {
            return;
        }
        // SAFETY: caller promise: (buf, len) came from `into_raw_buffer`, i.e. a Box<[u8]> of
        // exactly `len` bytes, and is freed once.
        drop(unsafe { Box::from_raw(ptr::slice_from_raw_parts_mut(buf, len)) });
    })
}

/// Releases a string returned by `rox_chart_get_string_alloc`. Null is a no-op.
///
/// # Safety
/// `str`: ownership is taken back from the caller; must be null or exactly a pointer returned
/// by `rox_chart_get_string_alloc`, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn rox_free_string(str: *mut c_char) {
    guard_void("rox_free_string", || {
        if str.is_null() {
            return;
        }
        // SAFETY: caller promise: `str` came from `into_raw_string`, so HEADER bytes before it
        // hold the text length and the whole block is HEADER + len + 1 bytes of one Box<[u8]>.
        unsafe {
            let base = str.cast::<u8>().sub(HEADER);
            let len = usize::from_ne_bytes(ptr::read_unaligned(base.cast::<[u8; HEADER]>()));
            drop(Box::from_raw(ptr::slice_from_raw_parts_mut(
                base,
                HEADER + len + 1,
            )));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_round_trip_with_interior_nul() {
        let s = into_raw_string("a\0b");
        unsafe {
            assert_eq!(std::slice::from_raw_parts(s.cast::<u8>(), 4), b"a\0b\0");
            rox_free_string(s);
            rox_free_string(ptr::null_mut());
        }
    }

    #[test]
    fn buffers() {
        let (p, n) = into_raw_buffer(vec![]);
        assert!(p.is_null());
        assert_eq!(n, 0);
        let (p, n) = into_raw_buffer(vec![1, 2, 3]);
        unsafe {
            assert_eq!(std::slice::from_raw_parts(p, n), [1, 2, 3]);
            rox_free_buffer(p, n);
            rox_free_buffer(ptr::null_mut(), 0);
        }
    }
}
