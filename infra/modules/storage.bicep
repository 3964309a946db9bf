// One account for the app's state (tables), email attachments (blobs), the Functions host (AzureWebJobsStorage:
// timer leases, keys) and the Flex Consumption deployment package. Shared keys are off: everything uses Entra ID.
param name string
param location string
param tags object
param identityPrincipalId string
@description('Object id of the deploying user (azd fills it); gets data access for running the app locally against Azure. Empty: none.')
param principalId string = ''
@description('principalType of principalId: what azd reports in AZURE_PRINCIPAL_TYPE (User or ServicePrincipal), or Group.')
@allowed(['User', 'ServicePrincipal', 'Group'])
param principalType string = 'User'
param deploymentContainerName string

// Names from functions/ContactCenter.Core/State/TableNames.cs (ContactCenter.Infra.Tests checks they agree).
var tableNames = [
  'InboundEvents'
  'Operations'
  'Agents'
  'Contacts'
  'QueueEntries'
  'Calls'
  'Campaigns'
  'CampaignEntries'
  'DoNotCall'
  'OutboundCalls'
  'Customers'
  'Conversations'
  'Timeline'
  'SmsOptOuts'
  'EmailThreads'
  'Audit'
  'UnprocessableEvents'
]

// Email attachments (Email:AttachmentContainer, default "attachments"), the deployment package, and the events Event
// Grid could not deliver to AcsEvents (its subscriptions dead-letter here, see eventgrid.bicep).
var containerNames = [
  'attachments'
  deploymentContainerName
  'eventgrid-dead-letters'
]

// Built-in role ids: learn.microsoft.com/azure/role-based-access-control/built-in-roles/storage (pinned by
// ContactCenter.Infra.Tests RoleAssignmentTests).
// Blob Data Owner: the Functions host keeps leases and keys in AzureWebJobsStorage blobs and needs it (Contributor
// is not enough for its container management); Table Data Contributor: the app's state.
var blobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var tableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var blobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [for table in tableNames: {
  parent: tableService
  name: table
}]

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for container in containerNames: {
  parent: blobService
  name: container
  properties: { publicAccess: 'None' }
}]

resource appRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in [blobDataOwner, tableDataContributor]: {
  name: guid(account.id, identityPrincipalId, role)
  scope: account
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}]

resource userRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in (empty(principalId) ? [] : [blobDataContributor, tableDataContributor]): {
  name: guid(account.id, principalId, role)
  scope: account
  properties: {
    principalId: principalId
    principalType: principalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}]

output name string = account.name
output id string = account.id
output blobEndpoint string = account.properties.primaryEndpoints.blob
output tableEndpoint string = account.properties.primaryEndpoints.table
output attachmentContainer string = containerNames[0]
output eventGridDeadLetterContainer string = containerNames[2]
