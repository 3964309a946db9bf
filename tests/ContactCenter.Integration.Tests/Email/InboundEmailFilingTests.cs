using System.Net;
using Azure.Storage.Blobs;
using ContactCenter.Azure.Storage;
using ContactCenter.Core.Channels;
using ContactCenter.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ContactCenter.Integration.Tests.Email;

/// <summary>
/// The whole app in local mode with attachments on Azurite blobs: an email delivered twice is one timeline entry and
/// one blob per attachment, and an attachment over the limit is named on the timeline entry instead of stored.
/// </summary>
public sealed class InboundEmailFilingTests : IAsyncLifetime
{
    private readonly BlobContainerClient _container =
        new BlobServiceClient(AzuriteFixture.ConnectionString).GetBlobContainerClient("filing-" + Guid.NewGuid().ToString("N")[..12]);
    private RunningApp? _app;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _app = await RunningApp.StartAsync(new Dictionary<string, string?> { ["Email:MaxAttachmentBytes"] = "1024" },
            services => services.Replace(ServiceDescriptor.Singleton<IAttachmentStore>(new BlobAttachmentStore(_container, 1024))));

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_redelivered_email_is_one_timeline_entry_with_one_blob_per_attachment_and_the_oversized_one_named()
    {
        var json = $$"""
            {"from":"dora@example.org","to":["help@contoso.com"],"subject":"Damaged parcel","text":"Photos attached.",
             "messageId":"<damaged-1@example.org>","attachments":[
               {"name":"photo.jpg","contentType":"image/jpeg","contentBase64":"{{Convert.ToBase64String(new byte[700])}}"},
               {"name":"video.mov","contentType":"video/quicktime","contentBase64":"{{Convert.ToBase64String(new byte[5000])}}"}]}
            """;

        for (var delivery = 0; delivery < 2; delivery++)
        {
            using var response = await _app!.PostJsonAsync("/api/email/inbound", json);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var customer = await _app!.GetJsonAsync("/api/customers?email=dora%40example.org");
        var entries = (await _app.GetJsonAsync($"/api/customers/{customer["customer"]!["id"]}/timeline"))["entries"]!.AsArray();
        var entry = Assert.Single(entries)!;
        Assert.Equal("Photos attached.", entry["text"]!.GetValue<string>());
        var attachments = entry["attachments"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Assert.Equal(2, attachments.Count);
        Assert.StartsWith("photo.jpg (700 bytes) ", attachments[0]);
        Assert.Equal("video.mov (5000 bytes) not kept: larger than the attachment limit of 1024 bytes; ask the customer to send it another way", attachments[1]);
        Assert.Equal("1 attachment(s) not kept", entry["statusDetails"]!.GetValue<string>());

        var blobs = new List<string>();
        await foreach (var blob in _container.GetBlobsAsync(cancellationToken: Ct))
        {
            blobs.Add(blob.Name);
        }
        Assert.Equal([AttachmentIds.For("<damaged-1@example.org>", 0, new byte[700])], blobs);
    }
}
