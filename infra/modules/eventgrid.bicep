// ACS publishes calls, texts and email reports through an Event Grid system topic; each subscription delivers to the
// AcsEvents function (Event Grid trigger, one event per invocation). Azure Functions endpoints are validated when
// the subscription is created, so these are deployed once the code is there (azure.yaml's postdeploy hook).
param topicName string
param tags object
param communicationServiceName string
param functionAppId string
param createSubscriptions bool

// FunctionCatalog.AcsEvents (ContactCenter.Infra.Tests checks the name and that it is an Event Grid trigger).
var eventsFunctionName = 'AcsEvents'

var subscriptions = [
  { name: 'calls', eventTypes: ['Microsoft.Communication.IncomingCall'] }
  { name: 'sms', eventTypes: ['Microsoft.Communication.SMSReceived', 'Microsoft.Communication.SMSDeliveryReportReceived'] }
  { name: 'email', eventTypes: ['Microsoft.Communication.EmailDeliveryReportReceived'] }
]

resource communication 'Microsoft.Communication/communicationServices@2023-04-01' existing = {
  name: communicationServiceName
}

resource topic 'Microsoft.EventGrid/systemTopics@2024-06-01-preview' = {
  name: topicName
  location: 'global'
  tags: tags
  properties: {
    source: communication.id
    topicType: 'Microsoft.Communication.CommunicationServices'
  }
}

resource eventSubscriptions 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2024-06-01-preview' = [for subscription in (createSubscriptions ? subscriptions : []): {
  parent: topic
  name: subscription.name
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
  }
}]

output name string = topic.name
