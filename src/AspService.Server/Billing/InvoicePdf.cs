using System.Globalization;
using AspService.Billing;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace AspService.Server.Billing;

/// <summary>
/// Renders a qualified invoice as an A4 PDF. Japanese text uses IPAexGothic, shipped in the assembly under the
/// IPA Font License (Billing/Fonts), embedded in the PDF as a subset with a ToUnicode map so text can be
/// searched and extracted.
/// </summary>
public static class InvoicePdf
{
    private const string Family = JapaneseFontResolver.Family;
    private static readonly XPdfFontOptions Unicode = new(PdfFontEncoding.Unicode);
    private static readonly CultureInfo Ja = CultureInfo.GetCultureInfo("ja-JP");
    private static readonly Lock Gate = new();

    public static byte[] Render(InvoiceDto invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        return RenderA4Page($"請求書 {invoice.Number}", (gfx, width) => Draw(gfx, invoice, width));
    }

    /// <summary>One A4 page drawn by <paramref name="draw"/> (graphics, page width in points), with the Japanese font registered.</summary>
    internal static byte[] RenderA4Page(string title, Action<XGraphics, double> draw)
    {
        JapaneseFontResolver.EnsureRegistered();
        using var document = new PdfDocument();
        document.Info.Title = title;
        document.Info.Creator = "AspService";
        var page = document.AddPage();
        page.Width = XUnit.FromMillimeter(210);
        page.Height = XUnit.FromMillimeter(297);

        // PDFsharp's font cache is process-wide; rendering is serialized to stay on the safe side of it.
        lock (Gate)
        {
            using var gfx = XGraphics.FromPdfPage(page);
            draw(gfx, page.Width.Point);
        }

        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    private static void Draw(XGraphics gfx, InvoiceDto invoice, double pageWidth)
    {
        var title = new XFont(Family, 20, XFontStyleEx.Regular, Unicode);
        var large = new XFont(Family, 13, XFontStyleEx.Regular, Unicode);
        var normal = new XFont(Family, 9.5, XFontStyleEx.Regular, Unicode);
        var small = new XFont(Family, 8, XFontStyleEx.Regular, Unicode);
        var left = 50.0;
        var right = pageWidth - 50;

        var heading = invoice.Kind == Data.Billing.InvoiceKind.Correction ? "請求書（訂正）" : "請求書";
        gfx.DrawString(heading, title, XBrushes.Black, new XRect(0, 45, pageWidth, 30), XStringFormats.TopCenter);

        var y = 95.0;
        RightText(gfx, $"請求書番号: {invoice.Number}", normal, right, y);
        RightText(gfx, $"発行日: {JaDate(invoice.IssueDate)}（{Wareki.Format(invoice.IssueDate)}）", normal, right, y + 14);

        gfx.DrawString(invoice.RecipientName, large, XBrushes.Black, left, y + 10);
        gfx.DrawLine(XPens.Black, left, y + 14, left + 230, y + 14);

        y += 45;
        gfx.DrawString(invoice.IssuerName, normal, XBrushes.Black, right - 220, y);
        gfx.DrawString(invoice.IssuerAddress, small, XBrushes.Black, right - 220, y + 13);
        gfx.DrawString($"登録番号: {invoice.RegistrationNumber}", normal, XBrushes.Black, right - 220, y + 27);

        gfx.DrawString($"請求期間: {JaDate(invoice.PeriodStart)} 〜 {JaDate(invoice.PeriodEnd)}", normal, XBrushes.Black, left, y);
        // 和暦 on a line of its own: municipal accounting files documents by it, and both do not fit one line.
        gfx.DrawString($"（{Wareki.Format(invoice.PeriodStart)} 〜 {Wareki.Format(invoice.PeriodEnd)}）", normal, XBrushes.Black, left + 48, y + 13);
        gfx.DrawString("下記のとおりご請求申し上げます。", normal, XBrushes.Black, left, y + 27);

        y += 55;
        gfx.DrawString($"ご請求金額（税込）  {Yen(invoice.Total)}", large, XBrushes.Black, left, y);
        gfx.DrawLine(XPens.Black, left, y + 5, left + 260, y + 5);

        if (invoice.CancelsInvoiceNumber is not null)
        {
            y += 20;
            gfx.DrawString($"本書は請求書番号 {invoice.CancelsInvoiceNumber} を取り消し、差し替えるものです。", normal, XBrushes.Black, left, y);
        }

        // Lines: 品目 / 数量 / 単価 / 金額 / 税率
        y += 30;
        double[] cols = [left, left + 250, left + 320, left + 400, right - 45];
        gfx.DrawRectangle(XBrushes.LightGray, left, y - 11, right - left, 16);
        gfx.DrawString("品目", normal, XBrushes.Black, cols[0] + 4, y);
        RightText(gfx, "数量", normal, cols[2] - 6, y);
        RightText(gfx, "単価", normal, cols[3] - 6, y);
        RightText(gfx, "金額", normal, cols[4] - 6, y);
        RightText(gfx, "税率", normal, right - 4, y);
        foreach (var line in invoice.Lines)
        {
            y += 18;
            gfx.DrawString(line.Description, normal, XBrushes.Black, cols[0] + 4, y);
            RightText(gfx, $"{Num(line.Quantity)} {line.Unit}", normal, cols[2] - 6, y);
            RightText(gfx, Yen(line.UnitPrice), normal, cols[3] - 6, y);
            RightText(gfx, Yen(line.Amount), normal, cols[4] - 6, y);
            RightText(gfx, $"{line.TaxRatePercent}%", normal, right - 4, y);
            gfx.DrawLine(XPens.LightGray, left, y + 5, right, y + 5);
        }

        // Per rate: subtotal and the tax computed once for that rate.
        y += 30;
        foreach (var tax in invoice.Taxes)
        {
            RightText(gfx, $"{tax.RatePercent}%対象 小計 {Yen(tax.Subtotal)}  消費税 {Yen(tax.Tax)}", normal, right - 4, y);
            y += 16;
        }

        RightText(gfx, $"小計 {Yen(invoice.Subtotal)}  消費税合計 {Yen(invoice.Tax)}", normal, right - 4, y);
        y += 18;
        RightText(gfx, $"合計 {Yen(invoice.Total)}", large, right - 4, y);

        y += 30;
        var rounding = invoice.Rounding switch
        {
            AspService.Billing.TaxRounding.HalfUp => "四捨五入",
            AspService.Billing.TaxRounding.Ceiling => "切り上げ",
            _ => "切り捨て",
        };
        gfx.DrawString($"消費税は税率ごとに合計した金額に対して計算し、1円未満を{rounding}しています。", small, XBrushes.Black, left, y);
        if (!string.IsNullOrWhiteSpace(invoice.Note))
        {
            gfx.DrawString($"備考: {invoice.Note}", small, XBrushes.Black, left, y + 14);
        }
    }

    internal static void RightText(XGraphics gfx, string text, XFont font, double right, double baseline)
    {
        var width = gfx.MeasureString(text, font).Width;
        gfx.DrawString(text, font, XBrushes.Black, right - width, baseline);
    }

    public static string Yen(long amount) => "¥" + amount.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Num(long n) => n.ToString("#,0", CultureInfo.InvariantCulture);

    private static string JaDate(DateOnly d) => d.ToString("yyyy年M月d日", Ja);
}

/// <summary>Resolves every family to the embedded IPAexGothic; PDFsharp's core build has no system fonts.</summary>
internal sealed class JapaneseFontResolver : IFontResolver
{
    public const string Family = "IPAexGothic";
    private const string Resource = "AspService.Server.Billing.Fonts.ipaexg.ttf";
    private static readonly Lazy<byte[]> FontBytes = new(Load);
    private static readonly Lock Gate = new();

    public static void EnsureRegistered()
    {
        lock (Gate)
        {
            GlobalFontSettings.FontResolver ??= new JapaneseFontResolver();
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(Family, mustSimulateBold: bold, mustSimulateItalic: italic);

    public byte[]? GetFont(string faceName) => faceName == Family ? FontBytes.Value : null;

    private static byte[] Load()
    {
        using var stream = typeof(JapaneseFontResolver).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException("embedded font missing: " + Resource);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
