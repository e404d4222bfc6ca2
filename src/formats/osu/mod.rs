//! TODO(helper): osu codec.
use crate::{Chart, Error, Result};

pub fn is_osu(_bytes: &[u8]) -> bool {
    false
}

pub fn decode(_bytes: &[u8]) -> Result<Chart> {
    Err(Error::UnsupportedFormat("osu"))
}

pub fn encode(_chart: &Chart) -> Result<Vec<u8>> {
    Err(Error::UnsupportedFormat("osu"))
}
