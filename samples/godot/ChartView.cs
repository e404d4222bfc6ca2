using Godot;
using RhythmOpenExchange;

/// <summary>Loads a chart with ROX and draws one rectangle per note: x = column, y = time (upwards).</summary>
public partial class ChartView : Node2D
{
    [Export] public string ChartPath { get; set; } = "res://charts/Example.osu";
    [Export] public float PixelsPerSecond { get; set; } = 120f;
    [Export] public float ColumnWidth { get; set; } = 48f;

    private RoxNote[] _notes = System.Array.Empty<RoxNote>();

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
            GD.Print($"ROX: {chart.Artist} - {chart.Title} [{chart.DifficultyName}], {chart.KeyCount}K, {_notes.Length} notes");
        }
        catch (RoxException e)
        {
            // RoxNativeLibraryException names the native file, where it was looked for, OS/arch/runtime and ABI versions.
            GD.PushError(e.Message);
        }
        QueueRedraw();
    }

    public override void _Draw()
    {
        foreach (RoxNote note in _notes)
        {
            float y = -note.TimeUs / 1e6f * PixelsPerSecond;
            float height = Mathf.Max(note.DurationUs / 1e6f * PixelsPerSecond, 6f);
            var color = note.Kind == RoxNoteKind.Hold ? Colors.Orange : Colors.White;
            DrawRect(new Rect2(note.Column * ColumnWidth, y - height, ColumnWidth - 4f, height), color);
        }
    }
}
