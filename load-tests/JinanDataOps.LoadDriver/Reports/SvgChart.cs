using System.Globalization;
using System.Net;
using System.Text;

namespace JinanDataOps.LoadDriver.Reports;

/// <summary>A line chart as standalone SVG (no script, no external font): the HTML report inlines it and
/// the same file can be shown as an image in Markdown.</summary>
public static class SvgChart
{
    public sealed record Series(string Name, string Colour, IReadOnlyList<(double X, double? Y)> Points);

    private const int Width = 760, Height = 260, Left = 56, Right = 16, Top = 30, Bottom = 36;

    public static string Lines(string title, string xLabel, string yLabel, IReadOnlyList<Series> series)
    {
        var points = series.SelectMany(s => s.Points).Where(p => p.Y is not null).ToArray();
        var maxX = Math.Max(1, series.SelectMany(s => s.Points).Select(p => p.X).DefaultIfEmpty(1).Max());
        var maxY = Nice(points.Select(p => p.Y!.Value).DefaultIfEmpty(1).Max());
        double Px(double x) => Left + x / maxX * (Width - Left - Right);
        double Py(double y) => Height - Bottom - y / maxY * (Height - Top - Bottom);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"11\">");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"#fff\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"18\" font-size=\"13\" font-weight=\"bold\">{Esc(title)}</text>");
        for (var i = 0; i <= 4; i++)
        {
            var y = maxY * i / 4;
            svg.Append(F($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Py(y):0.#}\" y2=\"{Py(y):0.#}\" stroke=\"#e3e3e3\"/>"));
            svg.Append(F($"<text x=\"{Left - 6}\" y=\"{Py(y) + 4:0.#}\" text-anchor=\"end\">{Label(y)}</text>"));
        }
        var step = Nice(maxX / 8);
        for (var x = 0.0; x <= maxX + 1e-9; x += step)
            svg.Append(F($"<text x=\"{Px(x):0.#}\" y=\"{Height - Bottom + 14}\" text-anchor=\"middle\">{Label(x)}</text>"));
        svg.Append(F($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Height - Bottom}\" y2=\"{Height - Bottom}\" stroke=\"#888\"/>"));
        svg.Append(F($"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 6}\" text-anchor=\"middle\" fill=\"#555\">{Esc(xLabel)}</text>"));
        svg.Append(F($"<text x=\"14\" y=\"{(Top + Height - Bottom) / 2}\" text-anchor=\"middle\" fill=\"#555\" transform=\"rotate(-90 14 {(Top + Height - Bottom) / 2})\">{Esc(yLabel)}</text>"));
        var legendX = Width - Right;
        foreach (var s in series.Reverse())
        {
            legendX -= 12 + 7 * s.Name.Length + 18;
            svg.Append(F($"<rect x=\"{legendX}\" y=\"10\" width=\"12\" height=\"4\" fill=\"{s.Colour}\"/><text x=\"{legendX + 16}\" y=\"16\">{Esc(s.Name)}</text>"));
        }
        foreach (var s in series)
        {
            // A gap (a second without a value) breaks the line rather than drawing through it.
            var path = new StringBuilder();
            var pen = false;
            foreach (var (x, y) in s.Points)
            {
                if (y is null)
                {
                    pen = false;
                    continue;
                }
                path.Append(F($"{(pen ? 'L' : 'M')}{Px(x):0.#},{Py(y.Value):0.#} "));
                pen = true;
            }
            if (path.Length > 0) svg.Append(F($"<path d=\"{path.ToString().TrimEnd()}\" fill=\"none\" stroke=\"{s.Colour}\" stroke-width=\"1.6\"/>"));
            // Dots as well: a second alone between two gaps is a point, which a path would not show.
            foreach (var (x, y) in s.Points)
                if (y is { } v) svg.Append(F($"<circle cx=\"{Px(x):0.#}\" cy=\"{Py(v):0.#}\" r=\"1.8\" fill=\"{s.Colour}\"/>"));
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>1, 2 or 5 times a power of ten, at least <paramref name="v"/>: round axis ends.</summary>
    internal static double Nice(double v)
    {
        if (v <= 0 || double.IsNaN(v)) return 1;
        var p = Math.Pow(10, Math.Floor(Math.Log10(v)));
        foreach (var m in new[] { 1.0, 2, 5, 10 })
            if (m * p >= v - 1e-12) return m * p;
        return 10 * p;
    }

    private static string Label(double v) => v >= 10_000 ? $"{v / 1000:0.#}k" : v >= 10 ? $"{v:0}" : $"{v:0.##}";

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string Esc(string s) => WebUtility.HtmlEncode(s);
}
