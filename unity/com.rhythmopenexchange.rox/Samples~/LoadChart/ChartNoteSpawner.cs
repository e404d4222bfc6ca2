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
    /// changes, stops, Quaver scroll groups and StepMania #SPEEDS scroll as they do in that game), hold
    /// notes stretched from start to end. Every frame each note is placed at its distance from the position
    /// its own scroll group has reached, times the current #SPEEDS factor.
    /// </summary>
    public sealed class ChartNoteSpawner : MonoBehaviour
    {
        [Tooltip("Path under Assets/StreamingAssets (any format ROX reads: .osu, .rox, ...).")]
        public string chartFile = "Example.osu";

        [Tooltip("Spawned once per note; a cube if left empty.")]
        public GameObject notePrefab;

        [Tooltip("World units per position unit: ms at 1x speed for osu! and Quaver, beats for StepMania.")]
        public float unitsPerPosition = 0.004f;

        [Tooltip("The song; without one, time runs from the scene's start.")]
        public AudioSource music;

        public float columnWidth = 1.2f;

        private RoxTimeline _timeline;
        private Transform[] _notes;
        private RoxNotePosition[] _positions;
        private int[] _groups;
        private double[] _groupNow;

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
                    _timeline = chart.CreateTimeline(); // by the rules of the chart's own game
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
            var spawned = new Transform[notes.Length];
            for (int i = 0; i < notes.Length; i++)
            {
                RoxNote note = notes[i];
                GameObject go = notePrefab != null ? Instantiate(notePrefab, transform) : GameObject.CreatePrimitive(PrimitiveType.Cube);
                go.transform.SetParent(transform, false);
                go.transform.localPosition = new Vector3(left + note.Column * columnWidth, 0f, 0f);
                go.name = string.Format("{0} {1} @{2}us", note.Kind, note.Column, note.TimeUs);
                spawned[i] = go.transform;
            }
            _positions = positions;
            _groups = _timeline.GetNoteGroups();
            _groupNow = new double[_timeline.ScrollGroupCount];
            _notes = spawned;
        }

        private void Update()
        {
            if (_timeline == null)
            {
                return;
            }
            if (_notes == null)
            {
                return;
            }
            double seconds = music != null ? music.time : Time.timeSinceLevelLoad;
            // Each scroll group has its own position now (Quaver's TimingGroups; one group elsewhere), and
            // StepMania's #SPEEDS scale every distance by a factor of the current time (1 elsewhere).
            long nowUs = (long)System.Math.Round(seconds * 1e6);
            for (int g = 0; g < _groupNow.Length; g++)
            {
                _groupNow[g] = _timeline.PositionInGroup(g, nowUs);
            }
            float scale = (float)_timeline.SpeedFactorAt(nowUs) * unitsPerPosition;
            for (int i = 0; i < _notes.Length; i++)
            {
                float y = (float)(_positions[i].Start - _groupNow[_groups[i]]) * scale;
                float length = Mathf.Max((float)(_positions[i].End - _positions[i].Start) * Mathf.Abs(scale), 0.2f);
                Vector3 at = _notes[i].localPosition;
                _notes[i].localPosition = new Vector3(at.x, y + length / 2f, 0f);
                _notes[i].localScale = new Vector3(columnWidth * 0.9f, length, 0.2f);
            }
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
