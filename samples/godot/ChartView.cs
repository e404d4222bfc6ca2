using Godot;
using RhythmOpenExchange;

/// <summary>Loads a chart with ROX and draws one rectangle per note: x = column, y = its scroll position above
/// the judgement line (the chart's timeline, by the rules of the game it was made for, so speed changes, stops,
/// Quaver scroll groups and StepMania #SPEEDS scroll as they do there); the notes scroll down as time passes.</summary>
public partial class ChartView : Node2D
{
    [Export] public string ChartPath { get; set; } = "res://charts/Example.osu";
    /// <summary>Pixels per position unit: ms at 1x speed for osu! and Quaver, beats for StepMania.</summary>
    [Export] public float PixelsPerPosition { get; set; } = 0.5f;
    [Export] public float ColumnWidth { get; set; } = 48f;

    private RoxNote[] _notes = System.Array.Empty<RoxNote>();
    private RoxNotePosition[] _positions = System.Array.Empty<RoxNotePosition>();
    private int[] _groups = System.Array.Empty<int>();
    private double[] _groupNow = System.Array.Empty<double>();
    private RoxTimeline _timeline;
    private double _seconds;

    public override void _Ready()
    {
        // FileAccess reads res:// from the project folder in the editor and from the .pck in exports.
        byte[] data = FileAccess.GetFileAsBytes(ChartPath);
        if (data.Length == 0)
        {
            GD.PushError($"ROX sample: cannot read {ChartPath}: {FileAccess.GetOpenError()}");
            return;
        }
        try
        {
            using (var chart = RoxChart.Decode(data))
            {
                _notes = chart.GetNotes();
                _timeline = chart.CreateTimeline(); // by the rules of the chart's own game (chart.SourceFormat)
                _positions = _timeline.GetNotePositions();
                _groups = _timeline.GetNoteGroups();
                _groupNow = new double[_timeline.ScrollGroupCount];
                GD.Print($"ROX: {chart.Artist} - {chart.Title} [{chart.DifficultyName}], {chart.KeyCount}K, {_notes.Length} notes");
            }
        }
        catch (RoxException e)
        {
            // RoxNativeLibraryException names the native file, where it was looked for, OS/arch/runtime and ABI versions.
            GD.PushError(e.Message);
        }
        QueueRedraw();
    }

    public override void _Process(double delta)
    {
        _seconds += delta;
        QueueRedraw();
    }

    public override void _Draw()
    {
        if (_timeline == null)
        {
            return;
        }
        // Each scroll group has its own position now (Quaver's TimingGroups; one group elsewhere), and
        // StepMania's #SPEEDS scale every distance by a factor of the current time (1 elsewhere).
        long nowUs = (long)System.Math.Round(_seconds * 1e6);
        for (int g = 0; g < _groupNow.Length; g++)
        {
            _groupNow[g] = _timeline.PositionInGroup(g, nowUs);
        }
        float scale = (float)_timeline.SpeedFactorAt(nowUs) * PixelsPerPosition;
        for (int i = 0; i < _notes.Length; i++)
        {
            float y = -(float)(_positions[i].Start - _groupNow[_groups[i]]) * scale;
            float height = Mathf.Max((float)(_positions[i].End - _positions[i].Start) * System.Math.Abs(scale), 6f);
            var color = _notes[i].Kind == RoxNoteKind.Hold ? Colors.Orange : Colors.White;
            DrawRect(new Rect2(_notes[i].Column * ColumnWidth, y - height, ColumnWidth - 4f, height), color);
        }
    }

    public override void _ExitTree()
    {
        _timeline?.Dispose();
    }
}
