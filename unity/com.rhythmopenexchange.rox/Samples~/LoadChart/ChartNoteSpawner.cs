using System.Collections;
using System.IO;
using RhythmOpenExchange;
using UnityEngine;
using UnityEngine.Networking;

namespace RhythmOpenExchange.Samples
{
    /// <summary>
    /// Loads a chart from StreamingAssets with ROX and spawns one object per note: x = column, y = the
    /// note's scroll position (its timeline, by the rules of the game the chart was made for, so speed
    /// changes and stops scroll as they do in that game), hold notes stretched from start to end. Every
    /// frame the field moves down by the position the song has reached.
    /// </summary>
    public sealed class ChartNoteSpawner : MonoBehaviour
    {
        [Tooltip("Path under Assets/StreamingAssets (any format ROX reads: .osu, .rox, ...).")]
        public string chartFile = "Example.osu";

        [Tooltip("Spawned once per note; a cube if left empty.")]
        public GameObject notePrefab;

        [Tooltip("Whose scroll rules: the game the chart was made for.")]
        public RoxTimelineRules rules = RoxTimelineRules.Osu;

        [Tooltip("World units per position unit: ms at 1x speed for osu! and Quaver, beats for StepMania.")]
        public float unitsPerPosition = 0.004f;

        [Tooltip("The song; without one, time runs from the scene's start.")]
        public AudioSource music;

        public float columnWidth = 1.2f;

        private RoxTimeline _timeline;

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
            RoxNotePosition[] positions;
            int keyCount;
            try
            {
                using (RoxChart chart = RoxChart.Decode(data))
                {
                    Debug.Log(string.Format("ROX: {0} - {1} [{2}], {3}K, {4} notes",
                        chart.Artist, chart.Title, chart.DifficultyName, chart.KeyCount, chart.NoteCount));
                    notes = chart.GetNotes();
                    keyCount = chart.KeyCount;
                    _timeline = chart.CreateTimeline(rules);
                    positions = _timeline.GetNotePositions();
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
            for (int i = 0; i < notes.Length; i++)
            {
                RoxNote note = notes[i];
                float y = (float)positions[i].Start * unitsPerPosition;
                float length = Mathf.Max((float)(positions[i].End - positions[i].Start) * unitsPerPosition, 0.2f);
                GameObject go = notePrefab != null ? Instantiate(notePrefab, transform) : GameObject.CreatePrimitive(PrimitiveType.Cube);
                go.transform.SetParent(transform, false);
                go.transform.localPosition = new Vector3(left + note.Column * columnWidth, y + length / 2f, 0f);
                go.transform.localScale = new Vector3(columnWidth * 0.9f, length, 0.2f);
                go.name = string.Format("{0} {1} @{2}us", note.Kind, note.Column, note.TimeUs);
            }
        }

        private void Update()
        {
            if (_timeline == null)
            {
                return;
            }
            double seconds = music != null ? music.time : Time.timeSinceLevelLoad;
            float travelled = (float)_timeline.PositionAtSeconds(seconds) * unitsPerPosition;
            transform.localPosition = new Vector3(0f, -travelled, 0f);
        }

        private void OnDestroy()
        {
            if (_timeline != null)
            {
                _timeline.Dispose();
            }
        }
    }
}
