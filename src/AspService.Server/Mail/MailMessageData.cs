namespace AspService.Server.Mail;

/// <summary>A plain-text message to one recipient.</summary>
public sealed record MailMessageData(string To, string Subject, string Body);
