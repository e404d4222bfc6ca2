//! TODO(helper): C ABI.
