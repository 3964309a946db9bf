// Everything the contact center runs on, for `azd up`: one resource group per azd environment, resource names made
// unique with a token from the subscription, environment and location, and one user-assigned identity with
// least-privilege roles on each resource instead of keys.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name: names the resource group and seeds the resource token.')
param environmentName string

@minLength(1)
@description('Region of the regional resources (Flex Consumption must be offered there). ACS, Email and Event Grid system topics are global.')
param location string

@description('Object id of the principal running azd: gets data access to tables, blobs and Service Bus for local runs. Empty: none.')
param principalId string = ''

// azd fills AZURE_PRINCIPAL_TYPE with "User", or "ServicePrincipal" when logged in with a client id
// (Azure/azure-dev cli/azd/pkg/infra/provisioning/current_principal_id_provider.go); Group for a group's object id.
@description('principalType of principalId for its role assignments.')
@allowed(['User', 'ServicePrincipal', 'Group'])
param principalType string = 'User'

@description('Browser origins besides the app\'s own that may call the SignalR service (e.g. a Teams tab host). Never "*".')
param allowedOrigins array = []

@description('Where ACS and Email keep data at rest (a geography such as "United States" or "Europe").')
param communicationDataLocation string = 'United States'

@secure()
@description('base64 of at least 32 random bytes; signs each call\'s callback URI (Voice:CallbackSecret). azure.yaml\'s preprovision hook generates one.')
param voiceCallbackSecret string

@description('Entra ID tenant of the agents who sign in to the workspace (Auth:TenantId). Default: the subscription\'s tenant.')
param authTenantId string = subscription().tenantId

@description('Application (client) id of the contact center\'s app registration (Auth:ClientId). Required for agents to sign in.')
param authClientId string = ''

@description('The Teams app id (Teams:AppId): the manifest id when sideloaded, the org catalog\'s external id when published. Empty: no Teams links.')
param teamsAppId string = ''

@description('E.164 number shown on callbacks and campaign calls (Voice:CallerId), once you have bought one. Empty: the number the customer called.')
param callerId string = ''

@description('Azure SignalR Service tier: Free_F1 (20 connections, no SLA) or Standard_S1 (1,000 connections per unit).')
@allowed(['Free_F1', 'Standard_S1'])
param signalRSku string = 'Free_F1'

@description('Create the Event Grid subscriptions to the AcsEvents function. They need the deployed code: azure.yaml\'s postdeploy hook sets this and provisions again.')
param createEventSubscriptions bool = false

@description('E-mail address alerts are sent to. Empty: alerts fire without notification.')
param alertEmail string = ''

@description('Service-level target for the alert: % of answered contacts answered within their queue\'s threshold.')
param serviceLevelTargetPercent int = 80

@description('Alert when any contact has waited longer than this many seconds.')
param maxQueueWaitSeconds int = 300

@description('Alert when this many function invocations fail within 5 minutes.')
param functionFailureThreshold int = 5

@description('Most instances Flex Consumption scales the app out to.')
param maximumInstanceCount int = 40

@description('Memory per Flex Consumption instance (MB).')
param instanceMemoryMB int = 2048

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = '${abbrs.functionApp}${resourceToken}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(resourceToken, 7)}'
var signalRName = '${abbrs.signalR}${resourceToken}'
// SignalR's host name is <name>.service.signalr.net (public cloud); computed here because the SignalR module takes
// the function app's origin for its CORS list, so the app cannot wait for SignalR's output.
var signalRServiceUri = 'https://${signalRName}.service.signalr.net'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: '${abbrs.resourceGroup}${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  scope: rg
  name: 'identity'
  params: {
    name: '${abbrs.managedIdentity}${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  scope: rg
  name: 'monitoring'
  params: {
    logAnalyticsName: '${abbrs.logAnalyticsWorkspace}${resourceToken}'
    applicationInsightsName: '${abbrs.applicationInsights}${resourceToken}'
    location: location
    tags: tags
    identityPrincipalId: identity.outputs.principalId
  }
}

module storage 'modules/storage.bicep' = {
  scope: rg
  name: 'storage'
  params: {
    name: '${abbrs.storageAccount}${resourceToken}'
    location: location
    tags: tags
    identityPrincipalId: identity.outputs.principalId
    principalId: principalId
    principalType: principalType
    deploymentContainerName: deploymentContainerName
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  scope: rg
  name: 'servicebus'
  params: {
    name: '${abbrs.serviceBusNamespace}${resourceToken}'
    location: location
    tags: tags
    identityPrincipalId: identity.outputs.principalId
    principalId: principalId
    principalType: principalType
  }
}

module communication 'modules/communication.bicep' = {
  scope: rg
  name: 'communication'
  params: {
    communicationName: '${abbrs.communicationServices}${resourceToken}'
    emailServiceName: '${abbrs.emailCommunicationServices}${resourceToken}'
    tags: tags
    dataLocation: communicationDataLocation
    identityPrincipalId: identity.outputs.principalId
  }
}

module signalR 'modules/signalr.bicep' = {
  scope: rg
  name: 'signalr'
  params: {
    name: signalRName
    location: location
    tags: tags
    skuName: signalRSku
    identityPrincipalId: identity.outputs.principalId
    // The workspace is served by the function app itself: its own origin, plus any configured ones.
    allowedOrigins: concat([functionApp.outputs.uri], allowedOrigins)
  }
}

module keyVault 'modules/keyvault.bicep' = {
  scope: rg
  name: 'keyvault'
  params: {
    name: '${abbrs.keyVault}${resourceToken}'
    location: location
    tags: tags
    identityPrincipalId: identity.outputs.principalId
    voiceCallbackSecret: voiceCallbackSecret
  }
}

module functionApp 'modules/functionapp.bicep' = {
  scope: rg
  name: 'functionapp'
  params: {
    planName: '${abbrs.appServicePlan}${resourceToken}'
    appName: functionAppName
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: deploymentContainerName
    attachmentContainerName: storage.outputs.attachmentContainer
    serviceBusNamespace: serviceBus.outputs.fullyQualifiedNamespace
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    acsEndpoint: communication.outputs.endpoint
    acsImmutableResourceId: communication.outputs.immutableResourceId
    emailSenderAddress: communication.outputs.emailSenderAddress
    signalRServiceUri: signalRServiceUri
    voiceCallbackSecretUri: keyVault.outputs.voiceCallbackSecretUri
    authTenantId: authTenantId
    authClientId: authClientId
    teamsAppId: teamsAppId
    callerId: callerId
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
  }
}

module eventGrid 'modules/eventgrid.bicep' = {
  scope: rg
  name: 'eventgrid'
  params: {
    topicName: '${abbrs.eventGridSystemTopic}${resourceToken}'
    tags: tags
    communicationServiceName: communication.outputs.name
    functionAppId: functionApp.outputs.id
    createSubscriptions: createEventSubscriptions
    deadLetterStorageAccountName: storage.outputs.name
    deadLetterContainerName: storage.outputs.eventGridDeadLetterContainer
  }
}

module alerts 'modules/alerts.bicep' = {
  scope: rg
  name: 'alerts'
  params: {
    namePrefix: '${abbrs.actionGroup}${resourceToken}-'
    location: location
    tags: tags
    applicationInsightsId: monitoring.outputs.applicationInsightsId
    serviceBusNamespaceId: serviceBus.outputs.id
    alertEmail: alertEmail
    serviceLevelTargetPercent: serviceLevelTargetPercent
    maxQueueWaitSeconds: maxQueueWaitSeconds
    functionFailureThreshold: functionFailureThreshold
  }
}

module workbook 'modules/workbook.bicep' = {
  scope: rg
  name: 'workbook'
  params: {
    name: '${abbrs.workbook}${resourceToken}'
    location: location
    tags: tags
    applicationInsightsId: monitoring.outputs.applicationInsightsId
  }
}

// azd turns outputs into environment variables (azd env get-values).
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output SERVICE_FUNCTIONS_URI string = functionApp.outputs.uri
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_TABLE_ENDPOINT string = storage.outputs.tableEndpoint
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output AZURE_SERVICEBUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output AZURE_COMMUNICATION_SERVICES_NAME string = communication.outputs.name
output AZURE_COMMUNICATION_SERVICES_ENDPOINT string = communication.outputs.endpoint
output AZURE_EMAIL_SENDER_ADDRESS string = communication.outputs.emailSenderAddress
output AZURE_SIGNALR_SERVICE_URI string = signalR.outputs.serviceUri
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_APPLICATION_INSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
output AZURE_EVENTGRID_SYSTEM_TOPIC_NAME string = eventGrid.outputs.name
output AZURE_WORKBOOK_ID string = workbook.outputs.id
