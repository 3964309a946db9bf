// Service Bus Standard (sessions, duplicate detection and scheduled messages need it; Basic has none of them).
// Local auth is off: the Functions host's triggers and the app's REST sends use the managed identity.
param name string
param location string
param tags object
param identityPrincipalId string
@description('Object id of the deploying principal; gets send/receive for running the app locally against Azure. Empty: none.')
param principalId string = ''
@description('principalType of principalId: what azd reports in AZURE_PRINCIPAL_TYPE (User or ServicePrincipal), or Group.')
@allowed(['User', 'ServicePrincipal', 'Group'])
param principalType string = 'User'

// Names from functions/ContactCenter.Core/Messaging/QueueNames.cs (ContactCenter.Infra.Tests checks they agree).
// maxDeliveryCount 10 = local mode's Local:MaxDeliveryCount default, so a poison message dies after as many tries in
// both places; the lock (1 min) is renewed by the host up to host.json's maxAutoLockRenewalDuration.
var queues = [
  { name: 'inbound-events', requiresSession: false, requiresDuplicateDetection: false }
  // Session = ACD queue id; expiry/overflow messages carry deterministic ids, so duplicates are dropped.
  { name: 'acd-routing', requiresSession: true, requiresDuplicateDetection: true }
  // Session = our call id; callback batches, announcements and timers carry deterministic ids.
  { name: 'call-work', requiresSession: true, requiresDuplicateDetection: true }
  // Message id = timeline entry id: a re-sent reply is dropped.
  { name: 'outbound-messages', requiresSession: false, requiresDuplicateDetection: true }
  { name: 'workspace-notifications', requiresSession: false, requiresDuplicateDetection: false }
  { name: 'teams-notifications', requiresSession: false, requiresDuplicateDetection: false }
]

// Built-in role ids: learn.microsoft.com/azure/role-based-access-control/built-in-roles/integration (pinned by
// ContactCenter.Infra.Tests RoleAssignmentTests).
var dataOwner = '090c5cfd-751d-490a-894a-3ce6f1109419' // Azure Service Bus Data Owner
var dataSender = '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39' // Azure Service Bus Data Sender
var dataReceiver = '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0' // Azure Service Bus Data Receiver

// SKU names Basic | Standard | Premium (azure-rest-api-specs specification/servicebus/resource-manager, SBSku);
// the tier needed for sessions and duplicate detection is taken from the Service Bus tier comparison
// (learn.microsoft.com/azure/service-bus-messaging/service-bus-premium-messaging), not re-checked for issue 14.
resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: name
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Standard' }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource queueResources 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' = [for queue in queues: {
  parent: namespace
  name: queue.name
  properties: {
    requiresSession: queue.requiresSession
    requiresDuplicateDetection: queue.requiresDuplicateDetection
    duplicateDetectionHistoryTimeWindow: 'PT10M'
    maxDeliveryCount: 10
    lockDuration: 'PT1M'
    deadLetteringOnMessageExpiration: true
    defaultMessageTimeToLive: 'P14D'
    enableBatchedOperations: true
  }
}]

// The app sends (ACD work, call work, replies, notifications) and the host's triggers receive, as the one identity.
// Data Owner, not Sender + Receiver: the Functions docs list Data Receiver or Data Owner for a Service Bus trigger
// (learn.microsoft.com/azure/azure-functions/functions-reference, Connections, Bindings table), and the scale
// controller's target-based scaling reads each queue's message count, a management read only Data Owner grants
// (Microsoft.ServiceBus/* actions; built-in-roles/integration).
resource appRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(namespace.id, identityPrincipalId, dataOwner)
  scope: namespace
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', dataOwner)
  }
}

resource userRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in (empty(principalId) ? [] : [dataSender, dataReceiver]): {
  name: guid(namespace.id, principalId, role)
  scope: namespace
  properties: {
    principalId: principalId
    principalType: principalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}]

output name string = namespace.name
output id string = namespace.id
// serviceBusEndpoint is https://<name>.servicebus.windows.net:443/ (per cloud); the host wants the bare host name.
output fullyQualifiedNamespace string = replace(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':443/', '')
