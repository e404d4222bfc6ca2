// Minimal stand-ins for the UnityEngine API the Unity sample uses, so that tests/samples/check.sh can
// type-check it with Mono's mcs (nothing here runs).
using System;
using System.Collections;
namespace UnityEngine
{
    public class Object { public string name; public static T Instantiate<T>(T original, Transform parent) where T : Object { return original; } }
    public class Component : Object { public Transform transform; }
    public class Behaviour : Component { }
    public class MonoBehaviour : Behaviour { }
    public sealed class GameObject : Object { public Transform transform; public static GameObject CreatePrimitive(PrimitiveType t) { return null; } }
    public sealed class Transform : Component { public Vector3 localPosition; public Vector3 localScale; public void SetParent(Transform p, bool keep) { } }
    public struct Vector3 { public float x, y, z; public Vector3(float x, float y, float z) { this.x = x; this.y = y; this.z = z; } }
    public static class Mathf { public static float Max(float a, float b) { return Math.Max(a, b); } public static float Abs(float a) { return Math.Abs(a); } }
    public static class Debug { public static void Log(object o) { } public static void LogError(object o) { } }
    public static class Time { public static float timeSinceLevelLoad; }
    public sealed class AudioSource : Behaviour { public float time; }
    public enum PrimitiveType { Cube }
    public static class Application { public static string streamingAssetsPath; }
    public sealed class TooltipAttribute : Attribute { public TooltipAttribute(string s) { } }
}
namespace UnityEngine.Networking
{
    public class DownloadHandler { public byte[] data; }
    public sealed class UnityWebRequest : IDisposable
    {
        public enum Result { Success }
        public Result result; public string error; public DownloadHandler downloadHandler;
        public static UnityWebRequest Get(string u) { return null; }
        public object SendWebRequest() { return null; }
        public void Dispose() { }
    }
}
