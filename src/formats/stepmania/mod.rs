//! STUB, private to the `xfmt` branch: stands in for the StepMania codec (written in parallel)
//! so that the cross-format layer compiles. Replaced by the real codec at merge; holds no logic.

use crate::model::ConversionReport;
use crate::{Chart, Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sm,
    Ssc,
}

pub fn is_sm(_bytes: &[u8]) -> bool {
    false
}

pub fn is_ssc(_bytes: &[u8]) -> bool {
    false
}

pub fn decode(
    _bytes: &[u8],
    dialect: Dialect,
    _report: &mut ConversionReport,
) -> Result<Vec<Chart>> {
    Err(Error::UnsupportedFormat(name(dialect)))
}

pub fn encode(
    _charts: &[Chart],
    dialect: Dialect,
    _report: &mut ConversionReport,
) -> Result<Vec<u8>> {
    Err(Error::UnsupportedFormat(name(dialect)))
}

fn name(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sm => "sm",
        Dialect::Ssc => "ssc",
    }
}
