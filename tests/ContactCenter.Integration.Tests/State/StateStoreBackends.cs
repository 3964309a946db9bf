using ContactCenter.Azure.Tables;
using ContactCenter.Core.State;
using ContactCenter.Integration.Tests.Infrastructure;

namespace ContactCenter.Integration.Tests.State;

public sealed class InMemoryStateStoreContractTests : StateStoreContract
{
    protected override IStateStore Store { get; } = new InMemoryStateStore();
}

public sealed class TableStateStoreContractTests(AzuriteFixture azurite) : StateStoreContract
{
    protected override IStateStore Store { get; } = new TableStateStore(azurite.ServiceClient);
}
