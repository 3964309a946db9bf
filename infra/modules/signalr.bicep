// Azure SignalR Service in serverless mode: the WorkspaceNotifications function's SignalR output binding and the
// negotiate endpoint (REST :generateToken) use it with Entra ID; access keys are disabled.
param name string
param location string
param tags object
@allowed(['Free_F1', 'Standard_S1'])
param skuName string
param identityPrincipalId string

// SignalR App Server: send to users and groups, manage group membership, generate client tokens.
var appServer = '420fcaa2-552c-430f-98ca-3264be4806c7'

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
    features: [
      { flag: 'ServiceMode', value: 'Serverless' }
      { flag: 'EnableConnectivityLogs', value: 'True' }
    ]
    cors: { allowedOrigins: ['*'] }
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

resource appRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(signalR.id, identityPrincipalId, appServer)
  scope: signalR
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', appServer)
  }
}

output name string = signalR.name
output id string = signalR.id
output serviceUri string = 'https://${signalR.properties.hostName}'
