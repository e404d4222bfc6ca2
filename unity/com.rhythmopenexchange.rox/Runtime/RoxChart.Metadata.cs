using System;
using RhythmOpenExchange.Native;

namespace RhythmOpenExchange
{
    // Metadata: read from the native chart once, then served from an immutable snapshot.
    public sealed partial class RoxChart
    {
        // Null until first read. Replaced, never changed, and only under the chart's lock: by the first
        // reader (read lock) or by a setter after the native call (write lock), so a get is a field read.
        private volatile RoxChartMetadata _metadata;

        /// <summary>All metadata at once, as an immutable snapshot; later setters do not change it.</summary>
        public RoxChartMetadata Metadata
        {
            get
            {
                RoxChartMetadata metadata = _metadata;
                _handle.ThrowIfDisposed(nameof(RoxChart));
                return metadata ?? LoadMetadata();
            }
        }

        /// <summary>Romanised (ASCII) title.</summary>
        public string Title
        {
            get { return Metadata.Title; }
            set { SetString(RoxMetaField.Title, value); }
        }

        /// <summary>Title in its original script.</summary>
        public string TitleUnicode
        {
            get { return Metadata.TitleUnicode; }
            set { SetString(RoxMetaField.TitleUnicode, value); }
        }

        /// <summary>Subtitle.</summary>
        public string Subtitle
        {
            get { return Metadata.Subtitle; }
            set { SetString(RoxMetaField.Subtitle, value); }
        }

        /// <summary>Romanised (ASCII) artist.</summary>
        public string Artist
        {
            get { return Metadata.Artist; }
            set { SetString(RoxMetaField.Artist, value); }
        }

        /// <summary>Artist in its original script.</summary>
        public string ArtistUnicode
        {
            get { return Metadata.ArtistUnicode; }
            set { SetString(RoxMetaField.ArtistUnicode, value); }
        }

        /// <summary>Chart author.</summary>
        public string Creator
        {
            get { return Metadata.Creator; }
            set { SetString(RoxMetaField.Creator, value); }
        }

        /// <summary>Difficulty name (osu! <c>Version</c>).</summary>
        public string DifficultyName
        {
            get { return Metadata.DifficultyName; }
            set { SetString(RoxMetaField.DifficultyName, value); }
        }

        /// <summary>Source (game, anime…) of the song.</summary>
        public string Source
        {
            get { return Metadata.Source; }
            set { SetString(RoxMetaField.Source, value); }
        }

        /// <summary>Genre.</summary>
        public string Genre
        {
            get { return Metadata.Genre; }
            set { SetString(RoxMetaField.Genre, value); }
        }

        /// <summary>Space-separated tags.</summary>
        public string Tags
        {
            get { return Metadata.Tags; }
            set { SetString(RoxMetaField.Tags, value); }
        }

        /// <summary>Description.</summary>
        public string Description
        {
            get { return Metadata.Description; }
            set { SetString(RoxMetaField.Description, value); }
        }

        /// <summary>Audio file name, relative to the chart.</summary>
        public string AudioFile
        {
            get { return Metadata.AudioFile; }
            set { SetString(RoxMetaField.AudioFile, value); }
        }

        /// <summary>Background image file name, relative to the chart.</summary>
        public string BackgroundFile
        {
            get { return Metadata.BackgroundFile; }
            set { SetString(RoxMetaField.BackgroundFile, value); }
        }

        /// <summary>Play style name when the key count does not say it (StepMania steps type such as
        /// <c>pump-halfdouble</c>); empty otherwise.</summary>
        public string Style
        {
            get { return Metadata.Style; }
            set { SetString(RoxMetaField.Style, value); }
        }

        /// <summary>Number of columns, 1 to <see cref="MaxKeyCount"/>.</summary>
        /// <exception cref="ArgumentOutOfRangeException">Set out of range.</exception>
        /// <exception cref="RoxArgumentException">Set below the column of an existing note.</exception>
        public int KeyCount
        {
            get { return Metadata.KeyCount; }
            set
            {
                CheckKeyCount(value);
                EditInfo((ref Native.RoxChartInfo info) => info.key_count = (uint)value);
            }
        }

        /// <summary>Whether column 0 is a scratch lane (osu! 7K+1, Quaver scratch key).</summary>
        public bool HasScratch
        {
            get { return Metadata.HasScratch; }
            set { EditInfo((ref Native.RoxChartInfo info) => info.has_scratch = value ? 1u : 0u); }
        }

        /// <summary>Song-select preview start in microseconds, if given.</summary>
        public long? PreviewTimeUs
        {
            get { return Metadata.PreviewTimeUs; }
            set { EditInfo((ref Native.RoxChartInfo info) => info.preview_time_us = Put(ref info.present, NativeMethods.ROX_INFO_PREVIEW_TIME, value)); }
        }

        /// <summary>Online id of the chart (osu! BeatmapID, Quaver MapId), if given.</summary>
        public long? ChartId
        {
            get { return Metadata.ChartId; }
            set { EditInfo((ref Native.RoxChartInfo info) => info.chart_id = Put(ref info.present, NativeMethods.ROX_INFO_CHART_ID, value)); }
        }

        /// <summary>Online id of the chart's set (osu! BeatmapSetID, Quaver MapSetId), if given.</summary>
        public long? SetId
        {
            get { return Metadata.SetId; }
            set { EditInfo((ref Native.RoxChartInfo info) => info.set_id = Put(ref info.present, NativeMethods.ROX_INFO_SET_ID, value)); }
        }

        /// <summary>Numeric difficulty (StepMania meter), if given.</summary>
        public double? DifficultyLevel
        {
            get { return Metadata.DifficultyLevel; }
            set { EditInfo((ref Native.RoxChartInfo info) => info.difficulty_level = Put(ref info.present, NativeMethods.ROX_INFO_DIFFICULTY_LEVEL, value)); }
        }

        /// <summary>osu! HP drain rate, if given.</summary>
        public double? HpDrain
        {
            get { return Metadata.HpDrain; }
            set { EditInfo((ref Native.RoxChartInfo info) => info.hp_drain = Put(ref info.present, NativeMethods.ROX_INFO_HP_DRAIN, value)); }
        }

        /// <summary>osu! overall difficulty, if given.</summary>
        public double? OverallDifficulty
        {
            get { return Metadata.OverallDifficulty; }
            set { EditInfo((ref Native.RoxChartInfo info) => info.overall_difficulty = Put(ref info.present, NativeMethods.ROX_INFO_OVERALL_DIFFICULTY, value)); }
        }

        private RoxChartMetadata LoadMetadata()
        {
            using (ChartLease lease = Read())
            {
                // Stored under the read lock, so no setter can run between this read and the store.
                return _metadata ?? (_metadata = lease.ReadMetadata());
            }
        }

        private void SetString(RoxMetaField field, string value)
        {
            using (ChartLease lease = Write())
            {
                lease.SetString(field, value);
                // Read back: readers must see what the native chart stores.
                _metadata = _metadata == null ? lease.ReadMetadata() : _metadata.With(field, lease.GetString(field));
            }
        }

        private delegate void InfoEdit(ref Native.RoxChartInfo info);

        /// <summary>Read-modify-write of the numeric info under one exclusive lease.</summary>
        private void EditInfo(InfoEdit edit)
        {
            using (ChartLease lease = Write())
            {
                Native.RoxChartInfo info = lease.GetInfo();
                edit(ref info);
                lease.SetInfo(info);
                _metadata = _metadata == null ? lease.ReadMetadata() : _metadata.With(lease.GetInfo());
            }
        }

        /// <summary>Sets or clears <paramref name="bit"/> and returns the value to store (0 when absent).</summary>
        private static T Put<T>(ref uint present, uint bit, T? value) where T : struct
        {
            present = value.HasValue ? present | bit : present & ~bit;
            return value.GetValueOrDefault();
        }
    }
}
