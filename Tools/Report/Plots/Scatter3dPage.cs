using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using FashionCore.Tools.Output;

namespace FashionCore.Tools.Report.Plots;

/// <summary>One way to colour the points of a <see cref="Scatter3dPage"/>.</summary>
/// <param name="Name">Shown above its canvas, e.g. "k-means cluster".</param>
/// <param name="Groups">Group of each point, 0 ≤ group &lt; GroupNames.Count.</param>
/// <param name="GroupNames">Legend entry of each group.</param>
public sealed record Scatter3dColouring(string Name, int[] Groups, IReadOnlyList<string> GroupNames);

/// <summary>
/// A self-contained HTML page showing 3-D points on canvases (one per colouring), rotated together by dragging with the
/// mouse (wheel zooms). Everything — data and the small drawing script — is inline: it works offline, loads nothing.
/// </summary>
public static class Scatter3dPage
{
    private static readonly string[] s_palette =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>Builds the page.</summary>
    /// <param name="title">Page title.</param>
    /// <param name="points">n×3 coordinates, row-major.</param>
    /// <param name="colourings">At least one colouring, each with n groups.</param>
    /// <param name="axisNames">Three axis names; default PC1..PC3.</param>
    /// <param name="description">A paragraph shown under the title (plain text).</param>
    /// <returns>The HTML text.</returns>
    /// <exception cref="ArgumentException">The point count is not a multiple of 3, a colouring has the wrong length or a group out of range, or a value is not finite.</exception>
    public static string Render(string title, ReadOnlySpan<float> points, IReadOnlyList<Scatter3dColouring> colourings, IReadOnlyList<string>? axisNames = null, string description = "")
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(colourings);
        if (points.Length % 3 != 0 || points.IsEmpty)
        {
            throw new ArgumentException($"Points must be n×3 values with n ≥ 1 (got {points.Length} values).", nameof(points));
        }

        int n = points.Length / 3;
        if (colourings.Count == 0)
        {
            throw new ArgumentException("At least one colouring is needed.", nameof(colourings));
        }

        foreach (Scatter3dColouring c in colourings)
        {
            if (c.Groups.Length != n)
            {
                throw new ArgumentException($"Colouring '{c.Name}' has {c.Groups.Length} groups for {n} points.", nameof(colourings));
            }

            if (c.Groups.Any(g => g < 0 || g >= c.GroupNames.Count))
            {
                throw new ArgumentException($"Colouring '{c.Name}' has a group outside 0..{c.GroupNames.Count - 1}.", nameof(colourings));
            }
        }

        axisNames ??= ["PC1", "PC2", "PC3"];
        var coordinates = new StringBuilder(points.Length * 8);
        for (int i = 0; i < points.Length; i++)
        {
            if (!float.IsFinite(points[i]))
            {
                throw new ArgumentException($"Point {i / 3} has a non-finite coordinate.", nameof(points));
            }

            if (i > 0)
            {
                coordinates.Append(',');
            }

            coordinates.Append(Math.Round(points[i], 3).ToString("R", CultureInfo.InvariantCulture));
        }

        var colours = colourings.Select(c => new { name = c.Name, names = c.GroupNames, groups = c.Groups }).ToArray();
        string data = JsonSerializer.Serialize(new { axes = axisNames, palette = s_palette, colourings = colours });
        string canvases = string.Concat(colourings.Select((c, i) =>
            $"<figure><figcaption>{WebUtility.HtmlEncode(c.Name)}</figcaption><canvas id=\"c{i}\" width=\"560\" height=\"560\"></canvas><div class=\"legend\" id=\"l{i}\"></div></figure>"));
        return Template
            .Replace("%TITLE%", WebUtility.HtmlEncode(title), StringComparison.Ordinal)
            .Replace("%DESCRIPTION%", WebUtility.HtmlEncode(description), StringComparison.Ordinal)
            .Replace("%COUNT%", n.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("%CANVASES%", canvases, StringComparison.Ordinal)
            .Replace("%DATA%", data, StringComparison.Ordinal)
            .Replace("%POINTS%", coordinates.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Builds the page and writes it atomically.</summary>
    /// <param name="path">HTML file.</param>
    /// <param name="title">Page title.</param>
    /// <param name="points">n×3 coordinates, row-major.</param>
    /// <param name="colourings">At least one colouring.</param>
    /// <param name="axisNames">Three axis names; default PC1..PC3.</param>
    /// <param name="description">A paragraph under the title.</param>
    public static void Save(string path, string title, ReadOnlySpan<float> points, IReadOnlyList<Scatter3dColouring> colourings, IReadOnlyList<string>? axisNames = null, string description = "") =>
        OutputFile.WriteAllText(path, Render(title, points, colourings, axisNames, description));

    private const string Template = """
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>%TITLE%</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1em 2em; color: #222; }
figure { display: inline-block; margin: 0 1em 1em 0; vertical-align: top; }
figcaption { font-weight: 600; margin-bottom: .3em; }
canvas { border: 1px solid #ccc; cursor: grab; background: #fff; }
.legend span { display: inline-block; margin-right: 1em; font-size: 90%; }
.legend i { display: inline-block; width: .8em; height: .8em; margin-right: .3em; border-radius: 50%; }
</style>
</head>
<body>
<h1>%TITLE%</h1>
<p>%DESCRIPTION%</p>
<p>%COUNT% points. Drag to rotate (all views turn together), mouse wheel to zoom, double-click to reset.</p>
%CANVASES%
<script>
"use strict";
const DATA = %DATA%;
const P = new Float32Array([%POINTS%]);
const n = P.length / 3;
// Centre and scale to the unit cube so the view does not depend on the data's units.
const mean = [0, 0, 0];
for (let i = 0; i < n; i++) for (let a = 0; a < 3; a++) mean[a] += P[3 * i + a] / n;
let radius = 0;
for (let i = 0; i < n; i++) for (let a = 0; a < 3; a++) radius = Math.max(radius, Math.abs(P[3 * i + a] - mean[a]));
const Q = new Float32Array(P.length);
for (let i = 0; i < n; i++) for (let a = 0; a < 3; a++) Q[3 * i + a] = (P[3 * i + a] - mean[a]) / (radius || 1);
const view = { yaw: 0.6, pitch: -0.4, zoom: 1 };
const views = DATA.colourings.map((c, k) => {
  const canvas = document.getElementById("c" + k);
  const legend = document.getElementById("l" + k);
  c.names.forEach((name, g) => {
    const s = document.createElement("span");
    s.innerHTML = '<i style="background:' + DATA.palette[g % DATA.palette.length] + '"></i>';
    s.appendChild(document.createTextNode(name));
    legend.appendChild(s);
  });
  return { canvas, ctx: canvas.getContext("2d"), groups: c.groups };
});
const depth = new Float32Array(n), sx = new Float32Array(n), sy = new Float32Array(n);
const order = new Uint32Array(n);
function project() {
  const cy = Math.cos(view.yaw), sy_ = Math.sin(view.yaw), cp = Math.cos(view.pitch), sp = Math.sin(view.pitch);
  for (let i = 0; i < n; i++) {
    const x = Q[3 * i], y = Q[3 * i + 1], z = Q[3 * i + 2];
    const x1 = cy * x + sy_ * z, z1 = -sy_ * x + cy * z;
    const y2 = cp * y - sp * z1, z2 = sp * y + cp * z1;
    const f = view.zoom * 3 / (3 + z2);
    sx[i] = x1 * f; sy[i] = -y2 * f; depth[i] = z2; order[i] = i;
  }
  order.sort((a, b) => depth[b] - depth[a]);
}
function axis(ctx, w, h, v, label) {
  const cy = Math.cos(view.yaw), sy_ = Math.sin(view.yaw), cp = Math.cos(view.pitch), sp = Math.sin(view.pitch);
  const x1 = cy * v[0] + sy_ * v[2], z1 = -sy_ * v[0] + cy * v[2];
  const y2 = cp * v[1] - sp * z1, z2 = sp * v[1] + cp * z1;
  const f = view.zoom * 3 / (3 + z2), s = Math.min(w, h) * 0.42;
  const ex = w / 2 + x1 * f * s, ey = h / 2 - y2 * f * s;
  ctx.strokeStyle = "#999"; ctx.beginPath(); ctx.moveTo(w / 2, h / 2); ctx.lineTo(ex, ey); ctx.stroke();
  ctx.fillStyle = "#555"; ctx.fillText(label, ex + 3, ey - 3);
}
function draw() {
  project();
  for (const v of views) {
    const ctx = v.ctx, w = v.canvas.width, h = v.canvas.height, s = Math.min(w, h) * 0.42;
    ctx.clearRect(0, 0, w, h);
    ctx.globalAlpha = 0.55;
    for (let k = 0; k < n; k++) {
      const i = order[k];
      ctx.fillStyle = DATA.palette[v.groups[i] % DATA.palette.length];
      ctx.fillRect(w / 2 + sx[i] * s - 1, h / 2 + sy[i] * s - 1, 2, 2);
    }
    ctx.globalAlpha = 1;
    ctx.font = "12px sans-serif";
    axis(ctx, w, h, [1, 0, 0], DATA.axes[0]);
    axis(ctx, w, h, [0, 1, 0], DATA.axes[1]);
    axis(ctx, w, h, [0, 0, 1], DATA.axes[2]);
  }
}
let pending = false;
function redraw() { if (!pending) { pending = true; requestAnimationFrame(() => { pending = false; draw(); }); } }
let drag = null;
for (const v of views) {
  v.canvas.addEventListener("mousedown", e => { drag = { x: e.clientX, y: e.clientY }; v.canvas.style.cursor = "grabbing"; });
  v.canvas.addEventListener("wheel", e => { e.preventDefault(); view.zoom *= Math.exp(-e.deltaY * 0.001); redraw(); }, { passive: false });
  v.canvas.addEventListener("dblclick", () => { view.yaw = 0.6; view.pitch = -0.4; view.zoom = 1; redraw(); });
}
window.addEventListener("mousemove", e => {
  if (!drag) return;
  view.yaw += (e.clientX - drag.x) * 0.01;
  view.pitch = Math.max(-1.55, Math.min(1.55, view.pitch + (e.clientY - drag.y) * 0.01));
  drag = { x: e.clientX, y: e.clientY };
  redraw();
});
window.addEventListener("mouseup", () => { drag = null; for (const v of views) v.canvas.style.cursor = "grab"; });
draw();
</script>
</body>
</html>
""";
}
