// Service Bus Standard (sessions, duplicate detection and scheduled messages need it; Basic has none of them).
// Local auth is off: the Functions host's triggers and the app's REST sends use the managed identity.
param name string
param location string
param tags object
param identityPrincipalId string
@description('Object id of the deploying user; gets send/receive for running the app locally against Azure. Empty: none.')
param principalId string = ''

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

var dataSender = '69a216fc-b8fb-44d8-bc22-1f3c2552a39b'
var dataReceiver = '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'

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

// The app sends (ACD work, call work, replies, notifications) and the host receives: both as the one identity.
resource appRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in [dataSender, dataReceiver]: {
  name: guid(namespace.id, identityPrincipalId, role)
  scope: namespace
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}]

resource userRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in (empty(principalId) ? [] : [dataSender, dataReceiver]): {
  name: guid(namespace.id, principalId, role)
  scope: namespace
  properties: {
    principalId: principalId
    principalType: 'User'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}]

output name string = namespace.name
output id string = namespace.id
// serviceBusEndpoint is https://<name>.servicebus.windows.net:443/ (per cloud); the host wants the bare host name.
output fullyQualifiedNamespace string = replace(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':443/', '')
