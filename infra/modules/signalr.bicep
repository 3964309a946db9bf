// Azure SignalR Service in serverless mode: the WorkspaceNotifications function's SignalR output binding and the
// negotiate endpoint (REST :generateToken) use it with Entra ID; access keys are disabled.
param name string
param location string
param tags object
@allowed(['Free_F1', 'Standard_S1'])
param skuName string
param identityPrincipalId string
@description('Browser origins allowed to call the service (CORS): the app\'s own https origin and any configured ones; never "*".')
param allowedOrigins array

// SignalR Service Owner (7e4f1700-…; built-in-roles/web-and-mobile): serverless mode calls the REST APIs (send to users
// and groups, group membership) and generates client tokens. The Functions SignalR binding docs ask for this role
// (learn.microsoft.com/azure/azure-functions/functions-bindings-signalr-service, "Identity-based connections"); SignalR
// App Server only covers server connections and auth (built-in-roles/web-and-mobile, its dataActions).
var serviceOwner = '7e4f1700-ea5a-4f59-8f37-079cfe29dce3'

resource signalR 'Microsoft.SignalRService/signalR@2024-03-01' = {
  name: name
  location: location
  tags: tags
  kind: 'SignalR'
  sku: {
    name: skuName
    tier: skuName == 'Free_F1' ? 'Free' : 'Standard'
    capacity: 1
  }
  properties: {
    // ServiceMode Default | Serverless | Classic (azure-rest-api-specs specification/signalr/resource-manager,
    // SignalRFeature); the Functions bindings need Serverless (functions-bindings-signalr-service).
    features: [
      { flag: 'ServiceMode', value: 'Serverless' }
      { flag: 'EnableConnectivityLogs', value: 'True' }
    ]
    cors: { allowedOrigins: allowedOrigins }
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

resource appRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(signalR.id, identityPrincipalId, serviceOwner)
  scope: signalR
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', serviceOwner)
  }
}

output name string = signalR.name
output id string = signalR.id
output serviceUri string = 'https://${signalR.properties.hostName}'
