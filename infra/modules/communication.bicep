// Azure Communication Services with an Email Communication Service whose Azure-managed domain
// (xxxx.azurecomm.net, verified by Azure) is linked to it, so the app can send mail at once; a custom domain can be
// added later (see the README). The app calls ACS with Entra ID as its managed identity.
param communicationName string
param emailServiceName string
param tags object
@description('Where ACS stores data at rest (a geography, not a region).')
param dataLocation string
param identityPrincipalId string

// ACS has no data-plane roles for Call Automation / SMS / Email: Contributor on this one resource is what Entra ID
// auth to its APIs needs (nothing else in the resource group or subscription).
var contributor = 'b24988ac-6180-42a0-ab88-20f7382dd24c'

resource emailService 'Microsoft.Communication/emailServices@2023-04-01' = {
  name: emailServiceName
  location: 'global'
  tags: tags
  properties: { dataLocation: dataLocation }
}

resource managedDomain 'Microsoft.Communication/emailServices/domains@2023-04-01' = {
  parent: emailService
  name: 'AzureManagedDomain'
  location: 'global'
  tags: tags
  properties: {
    domainManagement: 'AzureManaged'
    userEngagementTracking: 'Disabled'
  }
}

resource communication 'Microsoft.Communication/communicationServices@2023-04-01' = {
  name: communicationName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
    linkedDomains: [managedDomain.id]
  }
}

resource appRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(communication.id, identityPrincipalId, contributor)
  scope: communication
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', contributor)
  }
}

output name string = communication.name
output id string = communication.id
output endpoint string = 'https://${communication.properties.hostName}'
output immutableResourceId string = communication.properties.immutableResourceId
output emailSenderAddress string = 'DoNotReply@${managedDomain.properties.mailFromSenderDomain}'
output emailDomain string = managedDomain.properties.mailFromSenderDomain
