using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace AspService.Server.Billing;

/// <summary>
/// The monthly usage report as an A4 PDF in Japanese (IPAexGothic embedded, like <see cref="InvoicePdf"/>):
/// addressee (御中), month, one line per JST day and the month's totals. A month fits on one page.
/// </summary>
public static class UsageReportPdf
{
    private static readonly XPdfFontOptions Unicode = new(PdfFontEncoding.Unicode);
    private static readonly CultureInfo Ja = CultureInfo.GetCultureInfo("ja-JP");

    public static byte[] Render(UsageReports.Content report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return InvoicePdf.RenderA4Page($"利用状況報告書 {report.Month}", (gfx, width) => Draw(gfx, report, width));
    }

    private static void Draw(XGraphics gfx, UsageReports.Content report, double pageWidth)
    {
        var family = JapaneseFontResolver.Family;
        var title = new XFont(family, 18, XFontStyleEx.Regular, Unicode);
        var large = new XFont(family, 12, XFontStyleEx.Regular, Unicode);
        var normal = new XFont(family, 9, XFontStyleEx.Regular, Unicode);
        var left = 50.0;
        var right = pageWidth - 50;

        gfx.DrawString("利用状況報告書", title, XBrushes.Black, new XRect(0, 40, pageWidth, 30), XStringFormats.TopCenter);
        var y = 95.0;
        gfx.DrawString($"{report.TenantName} 御中", large, XBrushes.Black, left, y);
        gfx.DrawLine(XPens.Black, left, y + 4, left + 230, y + 4);
        InvoicePdf.RightText(gfx, $"対象月: {report.Month.Year}年{report.Month.Month}月", normal, right, y);
        InvoicePdf.RightText(gfx, $"団体コード: {report.TenantCode}", normal, right, y + 13);

        y += 35;
        double[] cols = [left, left + 170, left + 260, left + 340, right];
        gfx.DrawRectangle(XBrushes.LightGray, left, y - 10, right - left, 14);
        gfx.DrawString("日付", normal, XBrushes.Black, cols[0] + 4, y);
        InvoicePdf.RightText(gfx, "庁内端末数", normal, cols[1] - 4, y);
        InvoicePdf.RightText(gfx, "利用者数", normal, cols[2] - 4, y);
        InvoicePdf.RightText(gfx, "セッション数", normal, cols[3] - 4, y);
        InvoicePdf.RightText(gfx, "利用時間（時間）", normal, cols[4] - 4, y);
        foreach (var d in report.Days)
        {
            y += 16;
            gfx.DrawString(d.Day.ToString("M月d日（ddd）", Ja), normal, XBrushes.Black, cols[0] + 4, y);
            InvoicePdf.RightText(gfx, Num(d.OfficeTerminals), normal, cols[1] - 4, y);
            InvoicePdf.RightText(gfx, Num(d.ActiveUsers), normal, cols[2] - 4, y);
            InvoicePdf.RightText(gfx, Num(d.Sessions), normal, cols[3] - 4, y);
            InvoicePdf.RightText(gfx, UsageReports.Hours(d.SessionSeconds), normal, cols[4] - 4, y);
            gfx.DrawLine(XPens.LightGray, left, y + 4, right, y + 4);
        }

        y += 18;
        gfx.DrawString("合計", normal, XBrushes.Black, cols[0] + 4, y);
        InvoicePdf.RightText(gfx, Num(report.OfficeTerminals), normal, cols[1] - 4, y);
        InvoicePdf.RightText(gfx, Num(report.ActiveUsers), normal, cols[2] - 4, y);
        InvoicePdf.RightText(gfx, Num(report.Sessions), normal, cols[3] - 4, y);
        InvoicePdf.RightText(gfx, UsageReports.Hours(report.SessionSeconds), normal, cols[4] - 4, y);
        gfx.DrawLine(XPens.Black, left, y + 4, right, y + 4);
        y += 20;
        gfx.DrawString("合計欄の庁内端末数は月内の最大値、利用者数は月内に利用した利用者の実数です。日付は日本時間です。", normal, XBrushes.Black, left, y);
    }

    private static string Num(long n) => n.ToString("#,0", CultureInfo.InvariantCulture);
}
