using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Browser.Tests.Infrastructure;
using ContactCenter.Functions.Local.CallAutomation;
using ContactCenter.Functions.Local.Messaging;
using ContactCenter.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Browser.Tests.LocalMode;

/// <summary>
/// The customer simulator page's SMS and Email panels in a real browser: a text from the contact center (sent through
/// the simulated ACS SMS API) shows up with its delivery status, the tester texts back; an email shows up in the inbox
/// and the Reply button sends a threaded answer to the app's inbound-email webhook (stood in for by the test).
/// </summary>
public sealed class MessagingPanelsPageTests : BrowserTest
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));
    private readonly InboundEmailCatcher _webhook = new();

    protected override async Task<RunningApp> StartAppAsync()
    {
        return await RunningApp.StartAsync(services: s =>
        {
            s.AddSingleton<TimeProvider>(_time);
            s.AddSingleton<IStartupFilter>(_webhook);
        });
    }

    [Fact]
    public async Task A_tester_reads_a_text_and_an_email_from_the_contact_center_texts_back_and_replies_in_thread()
    {
        var page = await Chromium.Browser.NewPageAsync(new() { BaseURL = App.BaseAddress.ToString() });
        try
        {
            await page.GotoAsync("/simulator");
            await page.GetByTestId("sms-from").FillAsync("+14255550100");
            await page.GetByTestId("email-from").FillAsync("ada@example.com");

            await SignedPostAsync("sms?api-version=2021-03-07", new JsonObject
            {
                ["from"] = "+18005550199",
                ["smsRecipients"] = new JsonArray(new JsonObject { ["to"] = "+14255550100" }),
                ["message"] = "Your parcel ships today.",
                ["smsSendOptions"] = new JsonObject { ["enableDeliveryReport"] = true },
            });
            var text = page.GetByTestId("sms-received");
            await Expect(text).ToContainTextAsync("Your parcel ships today.");
            await Expect(text.GetByTestId("sms-status")).ToHaveTextAsync("Sending");
            _time.Advance(TimeSpan.FromSeconds(1));
            await Expect(text.GetByTestId("sms-status")).ToHaveTextAsync("Delivered");

            await page.GetByTestId("sms-text").FillAsync("Thanks!");
            await page.GetByTestId("sms-send").ClickAsync();
            await Expect(page.GetByTestId("sms-result")).ToContainTextAsync("sent as event");

            await SignedPostAsync("emails:send?api-version=2023-03-31", new JsonObject
            {
                ["senderAddress"] = "support@contoso.example",
                ["recipients"] = new JsonObject { ["to"] = new JsonArray(new JsonObject { ["address"] = "ada@example.com" }) },
                ["content"] = new JsonObject { ["subject"] = "Your parcel", ["plainText"] = "It ships today." },
                ["headers"] = new JsonObject { ["Message-ID"] = "<reply-1@contoso.example>" },
            });
            var mail = page.GetByTestId("email-received");
            await Expect(mail.GetByTestId("email-subject-received")).ToHaveTextAsync("Your parcel");
            await Expect(mail).ToContainTextAsync("It ships today.");

            await mail.GetByTestId("email-reply").ClickAsync();
            await Expect(page.GetByTestId("email-replying")).ToContainTextAsync("<reply-1@contoso.example>");
            await Expect(page.GetByTestId("email-subject")).ToHaveValueAsync("Re: Your parcel");
            await page.GetByTestId("email-text").FillAsync("Great, thank you.");
            await page.GetByTestId("email-send").ClickAsync();
            await Expect(page.GetByTestId("email-result")).ToContainTextAsync("sent as <");

            var posted = Assert.Single(_webhook.Posts);
            Assert.Equal("ada@example.com", posted["from"]!.GetValue<string>());
            Assert.Equal(["support@contoso.example"], posted["to"]!.AsArray().Select(t => t!.GetValue<string>()));
            Assert.Equal("Re: Your parcel", posted["subject"]!.GetValue<string>());
            Assert.Equal("Great, thank you.", posted["text"]!.GetValue<string>());
            Assert.Equal("<reply-1@contoso.example>", posted["inReplyTo"]!.GetValue<string>());
            Assert.Equal(["<reply-1@contoso.example>"], posted["references"]!.AsArray().Select(t => t!.GetValue<string>()));
            await Expect(page.Locator("#error")).ToBeEmptyAsync();
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "TestResults", "messaging-panels-failure.png"), FullPage = true });
            throw;
        }
    }

    /// <summary>As the contact center's ACS clients call the simulated API: HMAC-SHA256 over method, path, date, host and body hash.</summary>
    private async Task SignedPostAsync(string relative, JsonObject body)
    {
        var uri = new Uri(App.BaseAddress, "simulator/acs/" + relative);
        var content = Encoding.UTF8.GetBytes(body.ToJsonString());
        var date = _time.GetUtcNow().ToString("R", CultureInfo.InvariantCulture);
        var hash = Convert.ToBase64String(SHA256.HashData(content));
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(CallAutomationSimulatorOptions.DefaultAccessKey),
            Encoding.UTF8.GetBytes($"POST\n{uri.PathAndQuery}\n{date};{uri.Authority};{hash}")));
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(content) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("x-ms-date", date);
        request.Headers.Add("x-ms-content-sha256", hash);
        request.Headers.TryAddWithoutValidation("Authorization", $"HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={signature}");
        using var response = await App.Client.SendAsync(request, Ct);
        Assert.True((int)response.StatusCode == 202, $"POST {relative}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
    }
}
