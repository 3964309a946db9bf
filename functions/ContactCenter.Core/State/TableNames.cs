namespace ContactCenter.Core.State;

/// <summary>Every table the app uses, in one place: infrastructure tests cross-check these against Bicep.</summary>
public static class TableNames
{
    /// <summary>Processed inbound events, keyed by event id: the idempotency ledger of event ingestion.</summary>
    public const string InboundEvents = "InboundEvents";

    /// <summary>Operational records such as timer heartbeats.</summary>
    public const string Operations = "Operations";

    /// <summary>ACD agents: one partition, one row per agent.</summary>
    public const string Agents = "Agents";

    /// <summary>ACD contacts (work items), one partition per contact.</summary>
    public const string Contacts = "Contacts";

    /// <summary>Waiting contacts, one partition per queue, rows in service order (priority, then arrival).</summary>
    public const string QueueEntries = "QueueEntries";

    /// <summary>Calls in progress and ended (one partition per call), plus the open-callback index per customer.</summary>
    public const string Calls = "Calls";

    /// <summary>Outbound campaigns, one small partition, a row per campaign.</summary>
    public const string Campaigns = "Campaigns";

    /// <summary>A partition per campaign: its entries, the due index (rows sorted by next attempt) and pacing slots.</summary>
    public const string CampaignEntries = "CampaignEntries";

    /// <summary>The global do-not-call list: a partition per E.164 number.</summary>
    public const string DoNotCall = "DoNotCall";

    /// <summary>Placed outbound calls by call connection id: which campaign entry and attempt, and the outcome.</summary>
    public const string OutboundCalls = "OutboundCalls";

    /// <summary>Customers (a partition each) and the identity index (phone numbers, email addresses → customer).</summary>
    public const string Customers = "Customers";

    /// <summary>Cases across channels, a partition each.</summary>
    public const string Conversations = "Conversations";

    /// <summary>Every customer's timeline (a partition per customer, rows in time order) and the message references.</summary>
    public const string Timeline = "Timeline";

    /// <summary>SMS opt-outs: a partition per customer number, a row per number of ours plus one for "all our numbers".</summary>
    public const string SmsOptOuts = "SmsOptOuts";

    /// <summary>Email threading: a partition per Message-ID (or subject token) we know, naming its conversation.</summary>
    public const string EmailThreads = "EmailThreads";

    /// <summary>The audit trail of workspace changes: a partition per UTC day, rows in time order.</summary>
    public const string Audit = "Audit";

    /// <summary>Events that could not be processed and are not retried, with their reason: a partition, a row per event.</summary>
    public const string UnprocessableEvents = "UnprocessableEvents";

    public static IReadOnlyList<string> All { get; } = [UnprocessableEvents, Audit, InboundEvents, Operations, Agents, Contacts, QueueEntries, Calls, Campaigns, CampaignEntries, DoNotCall, OutboundCalls, Customers, Conversations, Timeline, SmsOptOuts, EmailThreads];
}
