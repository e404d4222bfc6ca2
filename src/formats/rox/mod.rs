//! TODO(helper): rox codec.
use crate::{Chart, Error, Result};

pub fn is_rox(_bytes: &[u8]) -> bool {
    false
}

pub fn decode(_bytes: &[u8]) -> Result<Chart> {
    Err(Error::UnsupportedFormat("rox"))
}

pub fn encode(_chart: &Chart) -> Result<Vec<u8>> {
    Err(Error::UnsupportedFormat("rox"))
}
