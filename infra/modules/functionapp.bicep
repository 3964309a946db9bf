// Flex Consumption plan and the function app running the ASP.NET Core custom handler (runtime "custom"; the package's
// host.json names the Native AOT executable). Every connection is identity-based: no keys or connection strings.
param planName string
param appName string
param location string
param tags object
param identityId string
param identityClientId string
param storageAccountName string
param storageBlobEndpoint string
param storageTableEndpoint string
param deploymentContainerName string
param attachmentContainerName string
param serviceBusNamespace string
param applicationInsightsConnectionString string
param acsEndpoint string
param acsImmutableResourceId string
param emailSenderAddress string
param signalRServiceUri string
param voiceCallbackSecretUri string
param authTenantId string
param authClientId string
param teamsAppId string
param callerId string
// Flex Consumption: the lowest maximum instance count is 1 and the highest 1000
// (learn.microsoft.com/azure/azure-functions/event-driven-scaling, "Limit scale-out", revision of 2026-08; revisions
// before it said 40). Instance memory 512, 2048 or 4096 MB (azure-functions/flex-consumption-plan, "Instance memory").
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int
@allowed([512, 2048, 4096])
param instanceMemoryMB int

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  // azd deploys the "functions" service of azure.yaml to the resource carrying this tag.
  tags: union(tags, { 'azd-service-name': 'functions' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      // Flex Consumption takes the worker runtime from here (FUNCTIONS_WORKER_RUNTIME is not an app setting on it).
      // Whether a region offers `custom` and which version: `az functionapp list-flexconsumption-runtimes -l <region>
      // --runtime custom` (docs/deploy.md, first-deployment checklist).
      runtime: { name: 'custom', version: '1.0' }
    }
  }

  // Keys are the settings the app and the host read (ContactCenter.Infra.Tests checks them against the code).
  resource appSettings 'config' = {
    name: 'appsettings'
    properties: {
      AzureWebJobsStorage__accountName: storageAccountName
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=${identityClientId}'
      Storage__TableServiceUri: storageTableEndpoint
      Storage__ManagedIdentityClientId: identityClientId
      Email__BlobServiceUri: storageBlobEndpoint
      Email__AttachmentContainer: attachmentContainerName
      Email__SenderAddress: emailSenderAddress
      ServiceBusConnection__fullyQualifiedNamespace: serviceBusNamespace
      ServiceBusConnection__credential: 'managedidentity'
      ServiceBusConnection__clientId: identityClientId
      Acs__Endpoint: acsEndpoint
      Acs__ManagedIdentityClientId: identityClientId
      Voice__CallbackSecret: '@Microsoft.KeyVault(SecretUri=${voiceCallbackSecretUri})'
      Voice__Callbacks__Audience: acsImmutableResourceId
      Voice__CallerId: callerId
      AzureSignalRConnectionString__serviceUri: signalRServiceUri
      AzureSignalRConnectionString__credential: 'managedidentity'
      AzureSignalRConnectionString__clientId: identityClientId
      Auth__Mode: 'entra'
      Auth__TenantId: authTenantId
      Auth__ClientId: authClientId
      Teams__AppId: teamsAppId
      Teams__Graph__ManagedIdentityClientId: identityClientId
    }
  }
}

output name string = app.name
output id string = app.id
output uri string = 'https://${app.properties.defaultHostName}'
