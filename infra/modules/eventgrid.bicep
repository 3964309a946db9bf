// ACS publishes calls, texts and email reports through an Event Grid system topic; each subscription delivers to the
// AcsEvents function (Event Grid trigger, one event per invocation). Azure Functions endpoints are validated when
// the subscription is created, so these are deployed once the code is there (azure.yaml's postdeploy hook).
param topicName string
param tags object
param communicationServiceName string
param functionAppId string
param createSubscriptions bool
@description('Storage account that receives undeliverable events.')
param deadLetterStorageAccountName string
@description('Blob container of that account for them.')
param deadLetterContainerName string

// FunctionCatalog.AcsEvents (ContactCenter.Infra.Tests checks the name and that it is an Event Grid trigger).
var eventsFunctionName = 'AcsEvents'

// Event types: learn.microsoft.com/azure/event-grid/communication-services-voice-video-events,
// .../communication-services-telephony-sms-events and .../communication-services-email-events (the same names as
// Azure.Messaging.EventGrid's SystemEventNames.AcsIncomingCall, AcsSmsReceived, AcsSmsDeliveryReportReceived,
// AcsEmailDeliveryReportReceived).
var subscriptions = [
  { name: 'calls', eventTypes: ['Microsoft.Communication.IncomingCall'] }
  { name: 'sms', eventTypes: ['Microsoft.Communication.SMSReceived', 'Microsoft.Communication.SMSDeliveryReportReceived'] }
  { name: 'email', eventTypes: ['Microsoft.Communication.EmailDeliveryReportReceived'] }
]

resource communication 'Microsoft.Communication/communicationServices@2023-04-01' existing = {
  name: communicationServiceName
}

// Storage Blob Data Contributor (built-in-roles/storage): what the topic's identity needs to write dead letters to
// a blob container (learn.microsoft.com/azure/event-grid/add-identity-roles).
var blobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

resource deadLetterAccount 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: deadLetterStorageAccountName
}

// The system topic gets its own identity so dead-lettering works with the account's shared keys off.
resource topic 'Microsoft.EventGrid/systemTopics@2024-06-01-preview' = {
  name: topicName
  location: 'global'
  tags: tags
  identity: { type: 'SystemAssigned' }
  properties: {
    source: communication.id
    topicType: 'Microsoft.Communication.CommunicationServices'
  }
}

resource deadLetterWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(deadLetterAccount.id, topic.id, blobDataContributor)
  scope: deadLetterAccount
  properties: {
    principalId: topic.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobDataContributor)
  }
}

// endpointType AzureFunction, deadLetter endpointType StorageBlob, identity SystemAssigned: azure-rest-api-specs
// specification/eventgrid/resource-manager (EventSubscriptionDestination, DeadLetterDestination, DeadLetterWithResourceIdentity);
// shape as in learn.microsoft.com/azure/event-grid/managed-service-identity ("deadLetterWithResourceIdentity").
// After 30 attempts or 24 h an event goes to the container instead of being dropped.
resource eventSubscriptions 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2024-06-01-preview' = [for subscription in (createSubscriptions ? subscriptions : []): {
  parent: topic
  name: subscription.name
  dependsOn: [deadLetterWriter]
  properties: {
    destination: {
      endpointType: 'AzureFunction'
      properties: {
        resourceId: '${functionAppId}/functions/${eventsFunctionName}'
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    eventDeliverySchema: 'EventGridSchema'
    filter: { includedEventTypes: subscription.eventTypes }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
    deadLetterWithResourceIdentity: {
      identity: { type: 'SystemAssigned' }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: deadLetterAccount.id
          blobContainerName: deadLetterContainerName
        }
      }
    }
  }
}]

output name string = topic.name
