using System.Collections;
using System.IO;
using RhythmOpenExchange;
using UnityEngine;
using UnityEngine.Networking;

namespace RhythmOpenExchange.Samples
{
    /// <summary>
    /// Loads a chart from StreamingAssets with ROX and spawns one object per note: x = column,
    /// y = time in seconds times <see cref="unitsPerSecond"/>, hold notes stretched over their length.
    /// </summary>
    public sealed class ChartNoteSpawner : MonoBehaviour
    {
        [Tooltip("Path under Assets/StreamingAssets (any format ROX reads: .osu, .rox, ...).")]
        public string chartFile = "Example.osu";

        [Tooltip("Spawned once per note; a cube if left empty.")]
        public GameObject notePrefab;

        public float unitsPerSecond = 4f;
        public float columnWidth = 1.2f;

        private IEnumerator Start()
        {
            string path = Path.Combine(Application.streamingAssetsPath, chartFile);
            byte[] data;
            if (path.Contains("://"))
            {
                // Android (inside the APK) and WebGL: StreamingAssets is only reachable as a URL.
                using (UnityWebRequest request = UnityWebRequest.Get(path))
                {
                    yield return request.SendWebRequest();
                    if (request.result != UnityWebRequest.Result.Success)
                    {
                        Debug.LogError("ROX sample: cannot read " + path + ": " + request.error);
                        yield break;
                    }
                    data = request.downloadHandler.data;
                }
            }
            else
            {
                data = File.ReadAllBytes(path);
            }

            RoxNote[] notes;
            int keyCount;
            try
            {
                using (RoxChart chart = RoxChart.Decode(data))
                {
                    Debug.Log(string.Format("ROX: {0} - {1} [{2}], {3}K, {4} notes",
                        chart.Artist, chart.Title, chart.DifficultyName, chart.KeyCount, chart.NoteCount));
                    notes = chart.GetNotes();
                    keyCount = chart.KeyCount;
                }
            }
            catch (RoxException e)
            {
                // Also thrown when the native plugin is missing for this platform (RoxNativeLibraryException).
                Debug.LogError(e.Message);
                yield break;
            }
            catch (System.PlatformNotSupportedException e)
            {
                // WebGL and tvOS players: no native library exists for them.
                Debug.LogError(e.Message);
                yield break;
            }

            float left = -(keyCount - 1) * columnWidth / 2f;
            foreach (RoxNote note in notes)
            {
                float y = note.TimeUs / 1e6f * unitsPerSecond;
                float length = Mathf.Max(note.DurationUs / 1e6f * unitsPerSecond, 0.2f);
                GameObject go = notePrefab != null ? Instantiate(notePrefab, transform) : GameObject.CreatePrimitive(PrimitiveType.Cube);
                go.transform.SetParent(transform, false);
                go.transform.localPosition = new Vector3(left + note.Column * columnWidth, y + length / 2f, 0f);
                go.transform.localScale = new Vector3(columnWidth * 0.9f, length, 0.2f);
                go.name = string.Format("{0} {1} @{2}us", note.Kind, note.Column, note.TimeUs);
            }
        }
    }
}
