// The app's one identity: the function app, the Functions host's triggers and bindings, and the app's own clients
// (tables, blobs, Service Bus sends, ACS, SignalR, Application Insights) all authenticate as it.
param name string
param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
