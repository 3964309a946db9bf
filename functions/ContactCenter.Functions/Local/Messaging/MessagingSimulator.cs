using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using ContactCenter.Functions.Local.CallAutomation;

namespace ContactCenter.Functions.Local.Messaging;

/// <summary>What a simulated phone does with texts, and a simulated mailbox with emails.</summary>
public enum SmsBehaviour { Deliver, Fail }

public enum EmailBehaviour { Deliver, Bounce, Fail }

/// <summary>
/// Azure Communication Services SMS (POST /sms, api-version 2021-03-07) and Email (POST /emails:send and GET
/// /emails/operations/{id}, api-version 2023-03-31), simulated behind the same <see cref="SimulatedAcsApi"/> checks as
/// Call Automation (HMAC, api-version, injected failures, request log). Texts land on the simulated customers' phones,
/// emails in their mailboxes; after a virtual delay the delivery reports are published as ACS publishes them to Event
/// Grid (Microsoft.Communication.SMSDeliveryReportReceived / EmailDeliveryReportReceived), through the local host.
/// </summary>
public sealed partial class MessagingSimulator : IDisposable
{
    public const string SmsDeliveryReportType = "Microsoft.Communication.SMSDeliveryReportReceived";
    public const string EmailDeliveryReportType = "Microsoft.Communication.EmailDeliveryReportReceived";
    public const int MaxSmsRecipients = 100;
    public const int MaxEmailRecipients = 50;

    /// <summary>ACS caps a whole email request, attachments included, at 10 MB.</summary>
    public const long MaxEmailBytes = 10 * 1024 * 1024;

    private const string EmailOperations = "/emails/operations/";

    private readonly MessagingSimulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<JsonObject, string> _publish;
    private readonly Lock _gate = new();
    private readonly SimulatedAcsApi _api;
    private readonly Dictionary<string, List<PhoneText>> _phones = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<MailboxEmail>> _mailboxes = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, EmailOperation> _operations = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, JsonObject> _smsRepeats = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, SmsBehaviour> _smsParties = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EmailBehaviour> _emailParties = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<ITimer, byte> _timers = new();
    private bool _disposed;

    /// <param name="publish">Publishes one Event Grid event (local mode: the local host's Event Grid path).</param>
    public MessagingSimulator(MessagingSimulatorOptions options, AcsAuthentication authentication, TimeProvider time, Func<JsonObject, string> publish)
    {
        _options = options;
        _time = time;
        _publish = publish;
        _api = new SimulatedAcsApi(authentication, time, _gate);
    }

    public ConcurrentQueue<SimulatedAcsRequest> Requests => _api.Requests;

    /// <summary>Failures on demand; operations are named SendSms, SendEmail and GetEmailSendResult.</summary>
    public void InjectFailure(int status, int count = 1, string? operation = null, string? code = null, string? message = null, bool afterExecuting = false) =>
        _api.InjectFailure(status, count, operation, code, message, afterExecuting);

    /// <summary>True for the paths this simulator serves (relative to /simulator/acs); Call Automation serves the rest.</summary>
    public static bool Serves(PathString path) =>
        path.Value is "/sms" or "/emails:send" || (path.Value?.StartsWith(EmailOperations, StringComparison.Ordinal) ?? false);

    public Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        return (request.Method, path) switch
        {
            ("POST", "/sms") => _api.HandleAsync(context, MessagingSimulatorOptions.SmsApiVersion, "SendSms", (_, body) => SendSms(body)),
            ("POST", "/emails:send") => _api.HandleAsync(context, MessagingSimulatorOptions.EmailApiVersion, "SendEmail", SendEmail),
            ("GET", _) when path.StartsWith(EmailOperations, StringComparison.Ordinal) => _api.HandleAsync(context, MessagingSimulatorOptions.EmailApiVersion,
                "GetEmailSendResult", (_, _) => GetEmailSendResult(Uri.UnescapeDataString(path[EmailOperations.Length..]))),
            _ => SimulatedAcsApi.WriteAsync(context, (404, SimulatedAcsApi.Error("NotFound", $"No operation {request.Method} {path}."))),
        };
    }

    /// <summary>How a number treats texts from now on.</summary>
    public void SetSmsBehaviour(string number, SmsBehaviour behaviour)
    {
        lock (_gate)
        {
            _smsParties[number] = behaviour;
        }
    }

    /// <summary>How an address treats emails from now on.</summary>
    public void SetEmailBehaviour(string address, EmailBehaviour behaviour)
    {
        lock (_gate)
        {
            _emailParties[address] = behaviour;
        }
    }

    public JsonObject DescribeParties()
    {
        lock (_gate)
        {
            var sms = new JsonObject();
            foreach (var (number, behaviour) in _smsParties)
            {
                sms[number] = Name(behaviour);
            }
            var email = new JsonObject();
            foreach (var (address, behaviour) in _emailParties)
            {
                email[address] = Name(behaviour);
            }
            return new JsonObject { ["sms"] = sms, ["email"] = email };
        }
    }

    public static string Name(SmsBehaviour behaviour) => behaviour == SmsBehaviour.Fail ? "fail" : "deliver";

    public static string Name(EmailBehaviour behaviour) => behaviour switch
    {
        EmailBehaviour.Bounce => "bounce",
        EmailBehaviour.Fail => "fail",
        _ => "deliver",
    };

    public static SmsBehaviour? ParseSms(string? name) => name?.ToLowerInvariant() switch
    {
        "deliver" => SmsBehaviour.Deliver,
        "fail" => SmsBehaviour.Fail,
        _ => null,
    };

    public static EmailBehaviour? ParseEmail(string? name) => name?.ToLowerInvariant() switch
    {
        "deliver" => EmailBehaviour.Deliver,
        "bounce" => EmailBehaviour.Bounce,
        "fail" => EmailBehaviour.Fail,
        _ => null,
    };

    /// <summary>Texts the contact center sent to <paramref name="number"/>, oldest first.</summary>
    public JsonArray PhoneMessages(string number)
    {
        lock (_gate)
        {
            return new JsonArray([.. (_phones.GetValueOrDefault(number) ?? []).Select(t => (JsonNode)t.Describe())]);
        }
    }

    /// <summary>Emails the contact center sent to <paramref name="address"/> (to, cc or bcc), oldest first.</summary>
    public JsonArray MailboxMessages(string address)
    {
        lock (_gate)
        {
            return new JsonArray([.. (_mailboxes.GetValueOrDefault(address) ?? []).Select(m => (JsonNode)m.Describe())]);
        }
    }

    private void After(TimeSpan delay, Func<IReadOnlyList<JsonObject>> action)
    {
        ITimer? timer = null;
        timer = _time.CreateTimer(_ =>
        {
            IReadOnlyList<JsonObject> events;
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }
                events = action();
            }
            // Published outside the lock: the local host may run the AcsEvents function on this thread.
            foreach (var gridEvent in events)
            {
                _publish(gridEvent);
            }
            if (timer is not null && _timers.TryRemove(timer, out byte _))
            {
                timer.Dispose();
            }
        }, null, delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan);
        _timers[timer] = 0;
    }

    private string Timestamp() => _time.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static string? Text(JsonNode? node) => SimulatorIdentifiers.Text(node);

    private static AcsReply BadRequest(string message) => (400, SimulatedAcsApi.Error("BadRequest", message));

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }
        foreach (var timer in _timers.Keys)
        {
            timer.Dispose();
        }
        _timers.Clear();
    }
}
