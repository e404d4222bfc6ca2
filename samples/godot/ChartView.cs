using Godot;
using RhythmOpenExchange;

/// <summary>Loads a chart with ROX and draws one rectangle per note: x = column, y = its scroll position above
/// the judgement line (the chart's timeline, by the rules of its game, so speed changes and stops scroll as
/// they do there); the notes scroll down as time passes.</summary>
public partial class ChartView : Node2D
{
    [Export] public string ChartPath { get; set; } = "res://charts/Example.osu";
    /// <summary>Pixels per position unit: ms at 1x speed for osu! and Quaver, beats for StepMania.</summary>
    [Export] public float PixelsPerPosition { get; set; } = 0.5f;
    [Export] public float ColumnWidth { get; set; } = 48f;
    [Export] public RoxTimelineRules Rules { get; set; } = RoxTimelineRules.Osu;

    private RoxNote[] _notes = System.Array.Empty<RoxNote>();
    private RoxNotePosition[] _positions = System.Array.Empty<RoxNotePosition>();
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
            using var chart = RoxChart.Decode(data);
            _notes = chart.GetNotes();
            _timeline = chart.CreateTimeline(Rules);
            _positions = _timeline.GetNotePositions();
            GD.Print($"ROX: {chart.Artist} - {chart.Title} [{chart.DifficultyName}], {chart.KeyCount}K, {_notes.Length} notes");
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
        double now = _timeline.PositionAtSeconds(_seconds);
        for (int i = 0; i < _notes.Length; i++)
        {
            float y = -(float)(_positions[i].Start - now) * PixelsPerPosition;
            float height = Mathf.Max((float)(_positions[i].End - _positions[i].Start) * PixelsPerPosition, 6f);
            var color = _notes[i].Kind == RoxNoteKind.Hold ? Colors.Orange : Colors.White;
            DrawRect(new Rect2(_notes[i].Column * ColumnWidth, y - height, ColumnWidth - 4f, height), color);
        }
    }

    public override void _ExitTree()
    {
        _timeline?.Dispose();
    }
}
