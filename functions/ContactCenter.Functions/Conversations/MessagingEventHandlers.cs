using ContactCenter.Azure.Communication;
using ContactCenter.Core.Channels;
using ContactCenter.Core.Conversations;
using ContactCenter.Core.Events;

namespace ContactCenter.Functions.Conversations;

/// <summary>
/// Texts from customers (via inbound-events): STOP/START/HELP are answered, change the opt-out list and are noted on the
/// customer's timeline (with our automatic reply) without opening a case; anything else joins the customer's case. Delivery reports move the sent text's status on the timeline.
/// </summary>
public sealed class SmsEventsHandler(ConversationService conversations, IServiceProvider services, ILogger<SmsEventsHandler> logger) : IInboundEventHandler
{
    public bool Handles(string eventType) => eventType is SmsEventParser.SmsReceivedType or SmsEventParser.DeliveryReportReceivedType;

    public async Task HandleAsync(InboundEvent inboundEvent, CancellationToken cancellationToken)
    {
        if (inboundEvent.Type == SmsEventParser.DeliveryReportReceivedType)
        {
            var report = SmsEventParser.ParseDeliveryReport(inboundEvent);
            await conversations.RecordDeliveryAsync(report.MessageId, report.Status, report.Details, report.At, cancellationToken);
            return;
        }
        var sms = SmsEventParser.ParseReceived(inboundEvent);
        if (services.GetService<SmsOutbox>() is { } outbox)
        {
            var keyword = await outbox.HandleKeywordAsync(sms, cancellationToken);
            if (keyword.Keyword != SmsKeyword.None)
            {
                logger.LogInformation("Text from {From} is {Keyword}: opt-out list {Changed}.", sms.From, keyword.Keyword, keyword.Changed ? "changed" : "unchanged");
                await conversations.RecordSmsKeywordAsync(sms, keyword, cancellationToken);
                return;
            }
        }
        await conversations.ReceiveSmsAsync(sms, cancellationToken);
    }
}

/// <summary>Email delivery reports (ACS Event Grid) onto the timeline.</summary>
public sealed class EmailDeliveryHandler(ConversationService conversations) : IInboundEventHandler
{
    public bool Handles(string eventType) => eventType == EmailDeliveryReportReader.EventType;

    public async Task HandleAsync(InboundEvent inboundEvent, CancellationToken cancellationToken)
    {
        if (EmailDeliveryReportReader.TryRead(inboundEvent) is not { } report)
        {
            return;
        }
        await conversations.RecordDeliveryAsync(report.OperationId, report.Status, report.Details, report.At, cancellationToken);
    }
}

/// <summary>Replies by SMS go through the outbox: an opted-out number or an over-long text is a failed send, not a retry.</summary>
public sealed class OutboxSmsProvider(SmsOutbox outbox) : ISmsProvider
{
    public async Task<SmsSendResult> SendAsync(OutgoingSms sms, CancellationToken cancellationToken = default)
    {
        try
        {
            return await outbox.SendAsync(sms, cancellationToken);
        }
        catch (SmsRecipientOptedOutException ex)
        {
            return new SmsSendResult(sms.To, null, false, Error: $"opted out since {ex.Since:O}");
        }
        catch (SmsTooLongException ex)
        {
            return new SmsSendResult(sms.To, null, false, Error: ex.Message);
        }
    }
}
