using AspService.Server.Hosting;

namespace AspService.Server.Billing;

/// <summary>Billing messages, Japanese first.</summary>
internal static class BillingText
{
    private static readonly Dictionary<string, (string Ja, string En)> Messages = new(StringComparer.Ordinal)
    {
        ["negative"] = ("0 以上の値を入力してください。", "Must be zero or more."),
        ["plan_code"] = ("プランコードは英小文字・数字・ハイフン（40 文字以内）で入力してください。", "Plan codes are lower-case letters, digits and hyphens (at most 40)."),
        ["period_order"] = ("終了日は開始日より後の日付にしてください。", "The end date must be after the start date."),
        ["plan_overlap"] = ("プラン {0} の適用期間 {1} 〜 {2} と重なっています。", "Overlaps the period {1} to {2} of plan {0}."),
        ["plan_unknown"] = ("プラン {0} は登録されていません。", "There is no plan {0}."),
        ["plan_in_use"] = ("このプランは発行済みの請求書で使われているため、料金は変更・削除できません（名称と終了日のみ変更できます）。", "Issued invoices use this plan version: its prices cannot change and it cannot be deleted (only its name and end date)."),
        ["assignment_overlap"] = ("{0} 以降に開始するプラン割当てがすでにあります。", "There is already a plan assignment starting on or after {0}."),
        ["month_format"] = ("月は yyyy-MM 形式で指定してください（例: 2026-10）。", "Give the month as yyyy-MM (e.g. 2026-10)."),
        ["month_not_ended"] = ("{0} はまだ終わっていません（日本時間）。月末を過ぎてから締めてください。", "{0} has not ended yet in Japan time. Close it after the month is over."),
        ["month_not_closed"] = ("{0} はまだ締められていません。先に月次締めを行ってください。", "{0} has not been closed. Close the month first."),
        ["issuer_missing"] = ("請求書の発行者（Billing:IssuerName、IssuerAddress、RegistrationNumber）が設定されていません。", "The invoice issuer (Billing:IssuerName, IssuerAddress, RegistrationNumber) is not configured."),
        ["plan_missing"] = ("次の団体に適用できるプラン料金がありません: {0}", "No plan prices apply to these tenants: {0}"),
        ["already_cancelled"] = ("この請求書はすでに訂正（取消）されています（{0}）。", "This invoice was already corrected (cancelled) by {0}."),
        ["encoding"] = ("encoding は utf-8 または shift_jis を指定してください。", "encoding is utf-8 or shift_jis."),
        ["fiscal_year"] = ("年度は 2000〜9997 の数字で指定してください。", "The fiscal year is a number from 2000 to 9997."),
        ["month_or_year"] = ("month または fiscalYear のどちらか一方を指定してください。", "Give either month or fiscalYear."),
        ["tenant_unknown"] = ("指定された団体は見つかりません。", "No such tenant."),
        ["stripe_not_configured"] = ("Stripe は設定されていません（Billing:Stripe:SecretKey）。", "Stripe is not configured (Billing:Stripe:SecretKey)."),
        ["stripe_not_enabled"] = ("この団体では Stripe が有効になっていません。", "Stripe is not enabled for this tenant."),
        ["stripe_no_invoice"] = ("この団体の {0} の請求書がありません。先に月次締めを行ってください。", "This tenant has no invoice for {0}. Close the month first."),
        ["stripe_rejected"] = ("Stripe が要求を受け付けませんでした。設定を確認してから再実行してください（自動では再試行しません）。", "Stripe rejected the request. Check the settings, then run the sync again (it is not retried automatically)."),
        ["stripe_unavailable"] = ("Stripe に接続できませんでした。後で再実行してください（作成済みのものは重複しません）。", "Stripe could not be reached. Run the sync again later (nothing is created twice)."),
        ["stripe_webhook_not_configured"] = ("Stripe Webhook の署名シークレットが設定されていません。", "The Stripe webhook signing secret is not configured."),
        ["stripe_event_unhandled"] = ("Stripe イベント種別 {0} は扱いません。Webhook は invoice.paid と invoice.payment_failed だけを送るよう設定してください。", "Stripe event type {0} is not handled; subscribe the webhook to invoice.paid and invoice.payment_failed only."),
        ["stripe_event_too_large"] = ("Webhook の本文が大きすぎます。", "The webhook body is too large."),
        ["stripe_signature_invalid"] = ("Stripe-Signature ヘッダーの署名が正しくありません。", "The Stripe-Signature header does not match the body."),
        ["stripe_signature_expired"] = ("Stripe-Signature のタイムスタンプが許容範囲外です。", "The Stripe-Signature timestamp is outside the tolerance."),
        ["stripe_event_malformed"] = ("Stripe のイベントとして解釈できません。", "The body is not a Stripe event."),
    };

    public static string Get(string key, params object[] args) => Text.From(Messages, key, args);
}
