use super::{Chart, ConversionReport};

/// The charts of one file: every chart of a `.sm`/`.ssc`, every chart file in an `.osz`/`.qp`
/// archive, or the single chart of any other file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChartSet {
    /// In file order (archive entries in directory order). Never empty when returned by
    /// `decode_set`.
    pub charts: Vec<Chart>,
    /// Names of the archive entries that are not charts (audio, images, videos…), not loaded;
    /// empty for a file that is not an archive.
    pub resources: Vec<String>,
    /// What reading lost: source data the model has no place for, and archive entries that
    /// are not readable charts (`LossKind::ChartDropped`). Entries concern the whole source
    /// file; `index` is a position in the chart the decoder was reading.
    pub report: ConversionReport,
}

impl ChartSet {
    /// Indexes of the charts whose difficulty name is `name` (ASCII case-insensitive).
    pub fn find_by_name(&self, name: &str) -> Vec<usize> {
        (0..self.charts.len())
            .filter(|&i| {
                self.charts[i]
                    .metadata
                    .difficulty_name
                    .eq_ignore_ascii_case(name)
            })
            .collect()
    }
}
