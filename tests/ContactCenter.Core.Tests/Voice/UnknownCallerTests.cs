using ContactCenter.Core.Conversations;
using ContactCenter.Core.Routing;
using ContactCenter.Core.Voice;

namespace ContactCenter.Core.Tests.Voice;

/// <summary>
/// Callers whose identifier the app cannot read as a phone or user (a newer kind, a withheld number): the call is
/// still answered, runs the IVR and queues. Raw ids from Azure/azure-sdk-for-net
/// sdk/communication/Azure.Communication.Common/tests/CommunicationIdentifierTest.cs and src/PhoneNumberIdentifier.cs.
/// </summary>
public sealed class UnknownCallerTests
{
    private readonly VoiceHarness _h = new();

    [Theory]
    [InlineData("28:ag08-global:01234567-89ab-cdef-0123-456789abcdef")] // UnknownIdentifier in the SDK test
    [InlineData("4:anonymous")] // PhoneNumberIdentifier.IsAnonymous: a withheld caller id
    public async Task A_caller_of_an_unknown_identifier_kind_still_gets_the_ivr_and_the_queue(string caller)
    {
        var callId = await _h.IncomingCallAsync(from: caller);
        await _h.EventAsync(callId, (id, conn, at) => new CallConnected(id, conn, at));

        var menu = Assert.Single(_h.Provider.Requests<RecognizeRequest>());
        Assert.Equal(caller, CallAddresses.ToRawId(menu.Participant));
        var call = await _h.PressAsync(callId, "1");
        Assert.Equal(CallStage.Queued, call.Stage);
        Assert.Equal(caller, (await _h.Acd.Acd.GetContactAsync(callId)).CustomerId);
    }

    [Fact]
    public async Task A_caller_of_an_unknown_identifier_kind_is_on_the_timeline_of_a_customer_keyed_by_that_id()
    {
        const string caller = "28:ag08-global:01234567-89ab-cdef-0123-456789abcdef";
        var callId = await _h.IncomingCallAsync(from: caller);

        var customer = await _h.Conversations.FindCustomerAsync(CustomerIdentity.Raw(caller));
        Assert.NotNull(customer);
        Assert.Contains("raw:" + caller, customer.Identities);
        Assert.NotNull(await _h.Conversations.FindCallEntryAsync(callId));
    }

    [Fact]
    public void An_unknown_raw_id_is_kept_as_written_and_sent_back_as_is()
    {
        var target = CallAddresses.FromRawId(" 48:45ab2481-1c1c-4005-be24-0ffb879b1130 ");

        Assert.Equal(new CallTarget.Unknown("48:45ab2481-1c1c-4005-be24-0ffb879b1130"), target);
        Assert.Equal("48:45ab2481-1c1c-4005-be24-0ffb879b1130", CallAddresses.ToRawId(target));
        Assert.False(CallAddresses.TryParse("48:45ab2481-1c1c-4005-be24-0ffb879b1130", out _)); // agents' input still must name a real party
    }

    [Fact]
    public void The_same_number_matches_however_acs_wrote_it()
    {
        Assert.True(CallAddresses.SameParty("+14255550123", "4:14255550123"));
        Assert.True(CallAddresses.SameParty("4:+14255550123_207ffef6-9444-41fb-92ab-20eacaae2768", "+14255550123"));
        Assert.False(CallAddresses.SameParty("+14255550123", "+14255550124"));
    }
}
