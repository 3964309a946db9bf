using ContactCenter.Core.Outbound;
using ContactCenter.Functions.Hosting;

namespace ContactCenter.Functions.Outbound;

/// <summary>Timer trigger: one dialer run. Overlapping runs (a slow run, two instances) are safe: entries are claimed before they are called.</summary>
public sealed class CampaignDialerFunction(CampaignDialer dialer, ILogger<CampaignDialerFunction> logger) : ITriggeredFunction
{
    public async Task<InvocationResult> InvokeAsync(FunctionInvocation invocation, CancellationToken cancellationToken)
    {
        var report = await dialer.DialDueAsync(cancellationToken);
        if (report != DialReport.Empty)
        {
            logger.LogInformation("Campaign dialer: {Placed} placed, {Failed} failed to place, {DoNotCall} on the do-not-call list, {Deferred} deferred to their calling hours, {TimedOut} timed out, {Completed} campaign(s) completed.",
                report.Placed, report.PlacingFailed, report.DoNotCall, report.Deferred, report.TimedOut, report.CompletedCampaigns);
        }
        return new InvocationResult().Log($"{report.Placed} call(s) placed, {report.PlacingFailed} failed, {report.Deferred} deferred, {report.TimedOut} timed out.");
    }
}
