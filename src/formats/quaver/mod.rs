//! STUB, private to the `xfmt` branch: stands in for the Quaver codec (written in parallel) so
//! that the cross-format layer compiles. Replaced by the real codec at merge; holds no logic.

use crate::model::ConversionReport;
use crate::{Chart, Error, Result};

pub fn is_qua(_bytes: &[u8]) -> bool {
    false
}

pub fn decode(_bytes: &[u8], _report: &mut ConversionReport) -> Result<Chart> {
    Err(Error::UnsupportedFormat("qua"))
}

pub fn encode(_chart: &Chart, _report: &mut ConversionReport) -> Result<Vec<u8>> {
    Err(Error::UnsupportedFormat("qua"))
}
