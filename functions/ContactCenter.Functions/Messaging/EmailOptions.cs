using System.Net.Mail;
using ContactCenter.Core.Channels;
using ContactCenter.Functions.Configuration;
using Microsoft.Extensions.Options;

namespace ContactCenter.Functions.Messaging;

/// <summary>The email channel's settings (section <c>Email</c>); ACS itself comes from <c>Acs:*</c>, blobs from <c>Storage:*</c>.</summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    /// <summary>The ACS-verified sender, e.g. support@contoso.com (or "Contoso Support &lt;support@contoso.com&gt;").</summary>
    public string? SenderAddress { get; set; }

    /// <summary>The domain of our Message-IDs; defaults to the sender address's domain.</summary>
    public string? Domain { get; set; }

    /// <summary>Where customers' replies go (e.g. the shared mailbox Graph watches); unset: the sender address.</summary>
    public string? ReplyTo { get; set; }

    /// <summary>Largest attachment stored; a larger one is left out (named on the timeline) and the email is still filed.</summary>
    public long MaxAttachmentBytes { get; set; } = InMemoryAttachmentStore.DefaultMaxBytes;

    /// <summary>Largest inbound post (the whole email with its attachments, base64 or not; over it: 413), and the largest Graph MIME fetched (over it: the message is read without attachments).</summary>
    public long MaxMessageBytes { get; set; } = 60L * 1024 * 1024;

    /// <summary>https://&lt;account&gt;.blob.core.windows.net, used with Entra ID; else Storage:ConnectionString; else (local mode) memory.</summary>
    public string? BlobServiceUri { get; set; }

    /// <summary>The blob container of attachments.</summary>
    public string AttachmentContainer { get; set; } = "attachments";

    public GraphMailOptions Graph { get; set; } = new();

    public string EffectiveDomain => !string.IsNullOrWhiteSpace(Domain) ? Domain.Trim()
        : MailAddress.TryCreate(SenderAddress?.Trim(), out var sender) ? sender.Host
        : "localhost";
}

/// <summary>Inbound email from a shared mailbox through Microsoft Graph change notifications (section <c>Email:Graph</c>).</summary>
public sealed class GraphMailOptions
{
    /// <summary>The shared mailbox (UPN or user id) the subscription watches, e.g. support@contoso.com.</summary>
    public string? Mailbox { get; set; }

    /// <summary>The secret given as clientState when creating the subscription; every notification must carry it.</summary>
    public string? ClientState { get; set; }

    /// <summary>Graph's base URL; tests point it at a fake.</summary>
    public string BaseUri { get; set; } = ContactCenter.Azure.Email.GraphMailClientOptions.DefaultBaseUri;

    /// <summary>Client credentials (an app registration with Mail.Read): tenant, client id and secret. Unset: managed identity.</summary>
    public string? TenantId { get; set; }

    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }

    /// <summary>Client id of a user-assigned identity; unset uses the default credential chain.</summary>
    public string? ManagedIdentityClientId { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Mailbox);
}

public sealed class EmailOptionsValidator(HostingEnvironment hosting) : IValidateOptions<EmailOptions>
{
    public ValidateOptionsResult Validate(string? name, EmailOptions options)
    {
        var errors = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.SenderAddress) && !MailAddress.TryCreate(options.SenderAddress.Trim(), out _))
        {
            errors.Add($"Email:SenderAddress '{options.SenderAddress}' is not an email address such as support@contoso.com.");
        }
        if (!string.IsNullOrWhiteSpace(options.ReplyTo) && !MailAddress.TryCreate(options.ReplyTo.Trim(), out _))
        {
            errors.Add($"Email:ReplyTo '{options.ReplyTo}' is not an email address.");
        }
        try
        {
            _ = new EmailThreading(options.EffectiveDomain);
        }
        catch (ArgumentException)
        {
            errors.Add($"Email:Domain '{options.EffectiveDomain}' is not a domain name such as contoso.com.");
        }
        if (options.MaxAttachmentBytes <= 0)
        {
            errors.Add("Email:MaxAttachmentBytes must be a positive number of bytes (default 26214400, 25 MiB).");
        }
        if (options.MaxMessageBytes <= 0)
        {
            errors.Add("Email:MaxMessageBytes must be a positive number of bytes.");
        }
        if (!string.IsNullOrWhiteSpace(options.BlobServiceUri) && !(Uri.TryCreate(options.BlobServiceUri, UriKind.Absolute, out var blob) && blob.Scheme == Uri.UriSchemeHttps))
        {
            errors.Add($"Email:BlobServiceUri '{options.BlobServiceUri}' is not an https URL such as https://account.blob.core.windows.net.");
        }
        var graph = options.Graph;
        if (graph.IsConfigured)
        {
            if (string.IsNullOrWhiteSpace(graph.ClientState) || graph.ClientState.Length < 16)
            {
                errors.Add("Email:Graph:ClientState must be set to a secret of at least 16 characters (the subscription's clientState).");
            }
            if (!Uri.TryCreate(graph.BaseUri, UriKind.Absolute, out var graphUri) || !(graphUri.Scheme == Uri.UriSchemeHttps || graphUri.IsLoopback))
            {
                errors.Add($"Email:Graph:BaseUri '{graph.BaseUri}' must be an https URL (default {ContactCenter.Azure.Email.GraphMailClientOptions.DefaultBaseUri}).");
            }
            var secretParts = new[] { graph.TenantId, graph.ClientId, graph.ClientSecret }.Count(s => !string.IsNullOrWhiteSpace(s));
            if (secretParts is > 0 and < 3)
            {
                errors.Add("Email:Graph:TenantId, ClientId and ClientSecret go together (client credentials); leave all unset for managed identity.");
            }
        }
        if (hosting.Mode == HostingMode.FunctionsHost && string.IsNullOrWhiteSpace(options.SenderAddress))
        {
            errors.Add("Email:SenderAddress is not set. Under the Functions host set Email__SenderAddress to a sender of a domain verified on the ACS Email resource.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
