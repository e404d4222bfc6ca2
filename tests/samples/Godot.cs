// Minimal stand-ins for the Godot 4 API samples/godot uses, so that tests/samples/check.sh can type-check
// the sample with Mono's mcs (nothing here runs; Godot's own build uses GodotSharp).
using System;
namespace Godot
{
    public sealed class ExportAttribute : Attribute { }
    public struct Color { }
    public static class Colors { public static Color Orange; public static Color White; }
    public struct Rect2 { public Rect2(float x, float y, float width, float height) { } }
    public static class Mathf { public static float Max(float a, float b) { return Math.Max(a, b); } }
    public static class GD { public static void Print(string s) { } public static void PushError(string s) { } }
    public enum Error { Ok }
    public static class FileAccess
    {
        public static byte[] GetFileAsBytes(string path) { return new byte[0]; }
        public static Error GetOpenError() { return Error.Ok; }
    }
    public class Node2D
    {
        public virtual void _Ready() { }
        public virtual void _Process(double delta) { }
        public virtual void _Draw() { }
        public virtual void _ExitTree() { }
        public void QueueRedraw() { }
        public void DrawRect(Rect2 rect, Color color) { }
    }
}
