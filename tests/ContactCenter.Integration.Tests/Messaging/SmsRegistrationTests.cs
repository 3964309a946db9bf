using ContactCenter.Azure.Communication;
using ContactCenter.Core.Channels;
using ContactCenter.Core.State;
using ContactCenter.Functions.Configuration;
using ContactCenter.Functions.Messaging;
using ContactCenter.Integration.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace ContactCenter.Integration.Tests.Messaging;

/// <summary>AddSmsChannel on its own: ACS from the Acs settings, the outbox sending through it, settings validated.</summary>
public sealed class SmsRegistrationTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<IServiceCollection>? before = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new HostingEnvironment(HostingMode.Local, null));
        services.AddSingleton<IStateStore>(new InMemoryStateStore());
        before?.Invoke(services);
        services.AddSmsChannel(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task The_outbox_sends_through_acs_from_the_connection_string_with_the_configured_replies()
    {
        await using var acs = await FakeSmsServer.StartAsync();
        await using var provider = Build(new() { ["Acs:ConnectionString"] = acs.ConnectionString, ["Sms:HelpReply"] = "Contoso help: reply STOP to opt out." });

        Assert.IsType<SmsClient>(provider.GetRequiredService<ISmsProvider>());
        var outbox = provider.GetRequiredService<SmsOutbox>();
        var help = await outbox.HandleKeywordAsync(new InboundSms("in-1", "+14255550100", "+18005550199", "HELP", DateTimeOffset.UtcNow), Cancel);

        Assert.True(help.Reply!.Accepted);
        var sent = Assert.Single(acs.Requests);
        Assert.Equal((202, "Contoso help: reply STOP to opt out."), (sent.Status, sent.Body!["message"]!.GetValue<string>()));
    }

    [Fact]
    public void A_provider_registered_before_is_kept()
    {
        var fake = new NoSms();
        using var provider = Build([], services => services.AddSingleton<ISmsProvider>(fake));

        Assert.Same(fake, provider.GetRequiredService<ISmsProvider>());
    }

    [Fact]
    public void Replies_over_the_limit_fail_validation_naming_the_setting()
    {
        using var provider = Build(new() { ["Acs:ConnectionString"] = "endpoint=https://x.communication.azure.com/;accesskey=a2V5", ["Sms:MaxSegments"] = "1", ["Sms:OptInConfirmation"] = new string('y', 200) });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SmsOptions>>().Value);
        Assert.Contains("OptInConfirmation", error.Message);
    }

    [Fact]
    public void Without_an_acs_resource_the_provider_explains_what_to_set()
    {
        using var provider = Build([]);

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<ISmsProvider>());
        Assert.Contains("Acs:ConnectionString", error.Message);
    }

    private sealed class NoSms : ISmsProvider
    {
        public Task<SmsSendResult> SendAsync(OutgoingSms sms, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
