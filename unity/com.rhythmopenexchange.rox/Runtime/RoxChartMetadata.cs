using RhythmOpenExchange.Native;

namespace RhythmOpenExchange
{
    /// <summary>A chart's metadata as read once from the native library: song, chart and play settings.
    /// Immutable; <see cref="RoxChart"/> replaces its snapshot when a setter changes a value.</summary>
    /// <remarks>Every property is a plain field read: no native call, no allocation.</remarks>
    public sealed class RoxChartMetadata
    {
        /// <summary>Number of string fields (<c>RoxMetaField</c> values 0 to FieldCount - 1).</summary>
        internal const int FieldCount = (int)RoxMetaField.Style + 1;

        private readonly string[] _strings;
        private readonly Native.RoxChartInfo _info;

        internal RoxChartMetadata(string[] strings, Native.RoxChartInfo info)
        {
            _strings = strings;
            _info = info;
        }

        /// <summary>Romanised (ASCII) title.</summary>
        public string Title
        {
            get { return _strings[(int)RoxMetaField.Title]; }
        }

        /// <summary>Title in its original script.</summary>
        public string TitleUnicode
        {
            get { return _strings[(int)RoxMetaField.TitleUnicode]; }
        }

        /// <summary>Subtitle.</summary>
        public string Subtitle
        {
            get { return _strings[(int)RoxMetaField.Subtitle]; }
        }

        /// <summary>Romanised (ASCII) artist.</summary>
        public string Artist
        {
            get { return _strings[(int)RoxMetaField.Artist]; }
        }

        /// <summary>Artist in its original script.</summary>
        public string ArtistUnicode
        {
            get { return _strings[(int)RoxMetaField.ArtistUnicode]; }
        }

        /// <summary>Chart author.</summary>
        public string Creator
        {
            get { return _strings[(int)RoxMetaField.Creator]; }
        }

        /// <summary>Difficulty name (osu! <c>Version</c>).</summary>
        public string DifficultyName
        {
            get { return _strings[(int)RoxMetaField.DifficultyName]; }
        }

        /// <summary>Source (game, anime…) of the song.</summary>
        public string Source
        {
            get { return _strings[(int)RoxMetaField.Source]; }
        }

        /// <summary>Genre.</summary>
        public string Genre
        {
            get { return _strings[(int)RoxMetaField.Genre]; }
        }

        /// <summary>Space-separated tags.</summary>
        public string Tags
        {
            get { return _strings[(int)RoxMetaField.Tags]; }
        }

        /// <summary>Description.</summary>
        public string Description
        {
            get { return _strings[(int)RoxMetaField.Description]; }
        }

        /// <summary>Audio file name, relative to the chart.</summary>
        public string AudioFile
        {
            get { return _strings[(int)RoxMetaField.AudioFile]; }
        }

        /// <summary>Background image file name, relative to the chart.</summary>
        public string BackgroundFile
        {
            get { return _strings[(int)RoxMetaField.BackgroundFile]; }
        }

        /// <summary>Play style name when the key count does not say it (StepMania steps type such as
        /// <c>pump-halfdouble</c>); empty otherwise.</summary>
        public string Style
        {
            get { return _strings[(int)RoxMetaField.Style]; }
        }

        /// <summary>Number of columns, 1 to <see cref="RoxChart.MaxKeyCount"/>.</summary>
        public int KeyCount
        {
            get { return (int)_info.key_count; }
        }

        /// <summary>Whether column 0 is a scratch lane (osu! 7K+1, Quaver scratch key).</summary>
        public bool HasScratch
        {
            get { return _info.has_scratch != 0; }
        }

        /// <summary>Song-select preview start in microseconds, if given.</summary>
        public long? PreviewTimeUs
        {
            get { return Optional(NativeMethods.ROX_INFO_PREVIEW_TIME, _info.preview_time_us); }
        }

        /// <summary>Online id of the chart (osu! BeatmapID, Quaver MapId), if given.</summary>
        public long? ChartId
        {
            get { return Optional(NativeMethods.ROX_INFO_CHART_ID, _info.chart_id); }
        }

        /// <summary>Online id of the chart's set (osu! BeatmapSetID, Quaver MapSetId), if given.</summary>
        public long? SetId
        {
            get { return Optional(NativeMethods.ROX_INFO_SET_ID, _info.set_id); }
        }

        /// <summary>Numeric difficulty (StepMania meter), if given.</summary>
        public double? DifficultyLevel
        {
            get { return Optional(NativeMethods.ROX_INFO_DIFFICULTY_LEVEL, _info.difficulty_level); }
        }

        /// <summary>osu! HP drain rate, if given.</summary>
        public double? HpDrain
        {
            get { return Optional(NativeMethods.ROX_INFO_HP_DRAIN, _info.hp_drain); }
        }

        /// <summary>osu! overall difficulty, if given.</summary>
        public double? OverallDifficulty
        {
            get { return Optional(NativeMethods.ROX_INFO_OVERALL_DIFFICULTY, _info.overall_difficulty); }
        }

        /// <summary>The numeric info, for a read-modify-write.</summary>
        internal Native.RoxChartInfo Info
        {
            get { return _info; }
        }

        /// <summary>This snapshot with one string replaced.</summary>
        internal RoxChartMetadata With(RoxMetaField field, string value)
        {
            var strings = (string[])_strings.Clone();
            strings[(int)field] = value;
            return new RoxChartMetadata(strings, _info);
        }

        /// <summary>This snapshot with other numeric info.</summary>
        internal RoxChartMetadata With(Native.RoxChartInfo info)
        {
            return new RoxChartMetadata(_strings, info);
        }

        private long? Optional(uint bit, long value)
        {
            return (_info.present & bit) != 0 ? value : (long?)null;
        }

        private double? Optional(uint bit, double value)
        {
            return (_info.present & bit) != 0 ? value : (double?)null;
        }
    }
}
