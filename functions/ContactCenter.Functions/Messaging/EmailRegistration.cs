using ContactCenter.Core.Conversations;
using Azure.Identity;
using Azure.Storage.Blobs;
using ContactCenter.Azure.Communication;
using ContactCenter.Azure.Email;
using ContactCenter.Azure.Storage;
using ContactCenter.Core.Channels;
using ContactCenter.Functions.Configuration;
using ContactCenter.Functions.Extensions;
using ContactCenter.Functions.Hosting;
using ContactCenter.Functions.Voice;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ContactCenter.Functions.Messaging;

/// <summary>
/// Wiring of the email channel: settings, the ACS Email client (<see cref="IEmailProvider"/>), attachments (Blob
/// Storage, or memory in local mode without storage), threading, Graph and the inbound webhooks. Expects
/// <see cref="TimeProvider"/>, <see cref="HostingEnvironment"/>, <see cref="AcsOptions"/> and (for the thread index)
/// <see cref="ContactCenter.Core.State.IStateStore"/> to be registered by the composition root.
/// </summary>
public static class EmailRegistration
{
    public static IServiceCollection AddEmailChannel(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptionsWithValidateOnStart<EmailOptions>().Bind(configuration.GetSection(EmailOptions.Section));
        services.AddSingleton<IValidateOptions<EmailOptions>, EmailOptionsValidator>();
        services.AddOptions<AcsOptions>().Bind(configuration.GetSection(AcsOptions.Section));

        services.TryAddSingleton<IEmailProvider>(provider =>
        {
            var acs = provider.GetRequiredService<IOptions<AcsOptions>>().Value;
            var email = provider.GetRequiredService<IOptions<EmailOptions>>().Value;
            var clientOptions = new EmailClientOptions();
            if (!string.IsNullOrWhiteSpace(email.ReplyTo))
            {
                clientOptions.ReplyTo.Add(email.ReplyTo.Trim());
            }
            if (!acs.IsConfigured)
            {
                // MERGE: local mode's ACS simulator for email registers its own IEmailProvider before this one.
                return new UnconfiguredEmailProvider();
            }
            return !string.IsNullOrWhiteSpace(acs.Endpoint)
                ? new EmailClient(new Uri(acs.Endpoint), ServiceCollectionExtensions.Credential(acs.ManagedIdentityClientId), clientOptions)
                : new EmailClient(acs.ConnectionString!, clientOptions, provider.GetRequiredService<TimeProvider>());
        });
        services.TryAddSingleton(provider => new EmailThreading(provider.GetRequiredService<IOptions<EmailOptions>>().Value.EffectiveDomain));
        services.TryAddSingleton<IEmailThreadIndex, StateStoreEmailThreadIndex>();
        services.TryAddSingleton(CreateAttachmentStore);
        services.TryAddSingleton(provider =>
        {
            var email = provider.GetRequiredService<IOptions<EmailOptions>>().Value;
            var graph = email.Graph;
            var credential = !string.IsNullOrWhiteSpace(graph.ClientSecret)
                ? new ClientSecretCredential(graph.TenantId, graph.ClientId, graph.ClientSecret)
                : ServiceCollectionExtensions.Credential(graph.ManagedIdentityClientId);
            return new GraphMailClient(new Uri(graph.BaseUri), credential, new GraphMailClientOptions { MaxMessageBytes = email.MaxMessageBytes });
        });
        services.TryAddSingleton<IInboundEmailSink>(provider => provider.GetRequiredService<ConversationService>());
        services.AddSingleton<InboundEmailIntake>();
        services.AddSingleton<InboundEmailFunction>();
        services.AddSingleton<GraphMailNotificationsFunction>();
        return services;
    }

    public static IEndpointRouteBuilder MapEmailChannel(this IEndpointRouteBuilder app)
    {
        app.MapHttpFunction<InboundEmailFunction>(EmailFunctions.InboundEmail);
        app.MapHttpFunction<GraphMailNotificationsFunction>(EmailFunctions.GraphMailNotifications);
        return app;
    }

    private static IAttachmentStore CreateAttachmentStore(IServiceProvider provider)
    {
        var email = provider.GetRequiredService<IOptions<EmailOptions>>().Value;
        var storage = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
        BlobServiceClient? service = !string.IsNullOrWhiteSpace(email.BlobServiceUri)
            ? new BlobServiceClient(new Uri(email.BlobServiceUri), ServiceCollectionExtensions.Credential(storage.ManagedIdentityClientId))
            : !string.IsNullOrWhiteSpace(storage.ConnectionString) ? new BlobServiceClient(storage.ConnectionString)
            : null;
        if (service is not null)
        {
            return new BlobAttachmentStore(service.GetBlobContainerClient(email.AttachmentContainer), email.MaxAttachmentBytes);
        }
        if (provider.GetRequiredService<HostingEnvironment>().Mode == HostingMode.FunctionsHost)
        {
            throw new InvalidOperationException("Email attachments need Blob Storage under the Functions host: set Email:BlobServiceUri (Entra ID) or Storage:ConnectionString.");
        }
        return new InMemoryAttachmentStore(email.MaxAttachmentBytes);
    }

    private sealed class UnconfiguredEmailProvider : IEmailProvider
    {
        private const string Reason = "Email sending needs ACS: set Acs:Endpoint or Acs:ConnectionString.";

        public Task<EmailSendResult> SendAsync(OutgoingEmail email, CancellationToken cancellationToken = default) => throw new InvalidOperationException(Reason);

        public Task<EmailSendResult> GetStatusAsync(string operationId, CancellationToken cancellationToken = default) => throw new InvalidOperationException(Reason);
    }
}
