using ContactCenter.Core.Channels;
using ContactCenter.Core.Conversations;
using ContactCenter.Core.Events;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ContactCenter.Core.Messaging;
using ContactCenter.Core.Routing;
using ContactCenter.Functions.Hosting;
using ContactCenter.Functions.Security;
using Microsoft.Extensions.Options;

namespace ContactCenter.Functions.Conversations;

/// <summary>
/// Customers, their timelines and cases over HTTP (workspace functions: any signed-in agent reads them; replying to
/// or resolving a case also needs it assigned to the caller, checked in the handler), and the queue that sends replies.
/// </summary>
public static class ConversationFunctions
{
    public static readonly FunctionDefinition Customers = new("Customers", new HttpTrigger("customers", ["get"])) { Access = WorkspaceAccess.AnyAgent };
    public static readonly FunctionDefinition Customer = new("Customer", new HttpTrigger("customers/{customerId}", ["get"])) { Access = WorkspaceAccess.AnyAgent };
    public static readonly FunctionDefinition CustomerIdentities = new("CustomerIdentities", new HttpTrigger("customers/{customerId}/identities", ["post"])) { Access = WorkspaceAccess.AnyAgent };
    public static readonly FunctionDefinition CustomerMerge = new("CustomerMerge", new HttpTrigger("customers/{customerId}/merge", ["post"])) { Access = WorkspaceAccess.Supervisor };
    public static readonly FunctionDefinition CustomerTimeline = new("CustomerTimeline", new HttpTrigger("customers/{customerId}/timeline", ["get"])) { Access = WorkspaceAccess.AnyAgent };
    public static readonly FunctionDefinition Conversation = new("Conversation", new HttpTrigger("conversations/{conversationId}", ["get"])) { Access = WorkspaceAccess.AnyAgent };
    public static readonly FunctionDefinition ConversationReplies = new("ConversationReplies", new HttpTrigger("conversations/{conversationId}/replies", ["post"])) { Access = WorkspaceAccess.AnyAgent };
    public static readonly FunctionDefinition ConversationResolve = new("ConversationResolve", new HttpTrigger("conversations/{conversationId}/resolve", ["post"])) { Access = WorkspaceAccess.AnyAgent };

    /// <summary>Replies and acknowledgements, sent by the channel's provider; retried until sent, dead-lettered (kept) if never.</summary>
    public static readonly FunctionDefinition OutboundMessages = new("OutboundMessages", new ServiceBusTrigger(QueueNames.OutboundMessages));

    public static IReadOnlyList<FunctionDefinition> All { get; } =
        [Customers, Customer, CustomerIdentities, CustomerMerge, CustomerTimeline, Conversation, ConversationReplies, ConversationResolve, OutboundMessages];
}

/// <summary>The "Messaging" settings section.</summary>
public sealed class MessagingOptions
{
    public const string Section = "Messaging";

    public string SmsQueueId { get; set; } = "general";
    public string EmailQueueId { get; set; } = "general";
    public string? SmsFrom { get; set; }
    public string? EmailFrom { get; set; }
    public string EmailDomain { get; set; } = "contactcenter.local";
    public string? SmsAcknowledgement { get; set; }
    public string? EmailAcknowledgement { get; set; }

    public MessagingSettings ToSettings() => new()
    {
        SmsQueueId = SmsQueueId,
        EmailQueueId = EmailQueueId,
        SmsFrom = SmsFrom,
        EmailFrom = EmailFrom,
        EmailDomain = EmailDomain,
        SmsAcknowledgement = SmsAcknowledgement,
        EmailAcknowledgement = EmailAcknowledgement,
    };
}

public static class ConversationRegistration
{
    public static IServiceCollection AddConversations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MessagingOptions>().Bind(configuration.GetSection(MessagingOptions.Section));
        // Replies by email come from the email channel's sender unless Messaging:EmailFrom names another.
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<MessagingOptions>>().Value.ToSettings() is var settings && settings.EmailFrom is null
            ? settings with { EmailFrom = configuration["Email:SenderAddress"] }
            : settings);
        services.AddSingleton<ConversationRepository>();
        services.TryAddSingleton<IEmailThreadIndex, StateStoreEmailThreadIndex>();
        services.AddSingleton<IInboundEventHandler, SmsEventsHandler>();
        services.AddSingleton<IInboundEventHandler, EmailDeliveryHandler>();
        services.AddSingleton<ConversationService>();
        services.AddSingleton<IContactAssignmentListener>(provider => new ConversationAssignmentListener(provider.GetRequiredService<ConversationService>));
        services.AddSingleton<OutboundMessagesFunction>();
        return services;
    }

    public static WebApplication MapConversations(this WebApplication app)
    {
        app.MapTriggeredFunction<OutboundMessagesFunction>(ConversationFunctions.OutboundMessages);
        app.MapConversationApi();
        return app;
    }
}

/// <summary>Sends one queued reply through its channel's provider (the providers are optional until configured).</summary>
public sealed class OutboundMessagesFunction(ConversationService conversations, IServiceProvider services, ILogger<OutboundMessagesFunction> logger) : ITriggeredFunction
{
    public async Task<InvocationResult> InvokeAsync(FunctionInvocation invocation, CancellationToken cancellationToken)
    {
        var work = OutboundMessageWork.FromJson(invocation.BindingText(ConversationFunctions.OutboundMessages.Trigger.Name));
        // Texts go through the outbox (opt-outs, length); without one (no SMS channel configured) straight to the provider.
        ISmsProvider? sms = services.GetService<SmsOutbox>() is { } outbox ? new OutboxSmsProvider(outbox) : services.GetService<ISmsProvider>();
        var entry = await conversations.SendQueuedAsync(work, sms, services.GetService<IEmailProvider>(), cancellationToken);
        logger.LogInformation("{Channel} to {To} ({EntryId}): {Status}.", work.Channel, work.To, work.EntryId, entry?.Status);
        return new InvocationResult().Log($"{work.Channel} {work.EntryId}: {entry?.Status}");
    }
}
