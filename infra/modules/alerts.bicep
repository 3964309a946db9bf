// Azure Monitor alerts on the ACD's custom metrics (exported by the app to Application Insights: customMetrics) and
// on the platform: service level, queue wait, dead-lettered messages, function failures.
param namePrefix string
param location string
param tags object
param applicationInsightsId string
param serviceBusNamespaceId string
@description('Empty: the action group has no e-mail receiver (alerts still fire and show in the portal).')
param alertEmail string
@minValue(1)
@maxValue(100)
param serviceLevelTargetPercent int
@minValue(1)
param maxQueueWaitSeconds int
@minValue(1)
param functionFailureThreshold int

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: '${namePrefix}ag'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'contactctr'
    enabled: true
    emailReceivers: empty(alertEmail) ? [] : [
      { name: 'operator', emailAddress: alertEmail, useCommonAlertSchema: true }
    ]
  }
}

var logAlerts = [
  {
    name: 'service-level-below-target'
    description: 'Share of contacts answered within their queue\'s service-level threshold fell below ${serviceLevelTargetPercent}% over 30 minutes.'
    severity: 2
    window: 'PT30M'
    query: 'customMetrics | where name == "contactcenter.acd.contacts.answered" | summarize within = sumif(valueSum, tostring(customDimensions.within_service_level) == "true"), answered = sum(valueSum) | where answered > 0 | extend serviceLevel = 100.0 * within / answered'
    column: 'serviceLevel'
    operator: 'LessThan'
    threshold: serviceLevelTargetPercent
  }
  {
    name: 'queue-wait-above-threshold'
    description: 'A contact has waited longer than ${maxQueueWaitSeconds} s in some queue.'
    severity: 2
    window: 'PT5M'
    query: 'customMetrics | where name == "contactcenter.acd.queue.longest_wait" | summarize longestWait = max(valueMax) by queue = tostring(customDimensions.queue)'
    column: 'longestWait'
    operator: 'GreaterThan'
    threshold: maxQueueWaitSeconds
  }
  {
    name: 'function-failures'
    description: 'Function invocations failed (the host retries them; Service Bus dead-letters after 10 tries).'
    severity: 1
    window: 'PT5M'
    // Scoped to the Application Insights component, so this reads the classic requests table, where success is a
    // string "True"/"False" (workspace AppRequests.Success is a bool): learn.microsoft.com/azure/azure-monitor/app/convert-classic-resource.
    query: 'requests | where success == "False" | summarize failures = count() by operation_Name'
    column: 'failures'
    operator: 'GreaterThanOrEqual'
    threshold: functionFailureThreshold
  }
]

resource queryAlerts 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [for alert in logAlerts: {
  name: '${namePrefix}${alert.name}'
  location: location
  tags: tags
  properties: {
    displayName: alert.name
    description: alert.description
    severity: alert.severity
    enabled: true
    evaluationFrequency: 'PT5M'
    windowSize: alert.window
    scopes: [applicationInsightsId]
    criteria: {
      allOf: [
        {
          query: alert.query
          timeAggregation: 'Maximum'
          metricMeasureColumn: alert.column
          operator: alert.operator
          threshold: alert.threshold
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    actions: { actionGroups: [actionGroup.id] }
  }
}]

// Platform metric: any message in any queue's dead-letter sub-queue is work nobody did.
resource deadLetters 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${namePrefix}dead-lettered-messages'
  location: 'global'
  tags: tags
  properties: {
    description: 'Messages are waiting in a Service Bus dead-letter queue.'
    severity: 1
    enabled: true
    scopes: [serviceBusNamespaceId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'deadLettered'
          metricName: 'DeadletteredMessages'
          metricNamespace: 'Microsoft.ServiceBus/namespaces'
          dimensions: [{ name: 'EntityName', operator: 'Include', values: ['*'] }]
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Maximum'
        }
      ]
    }
    actions: [{ actionGroupId: actionGroup.id }]
  }
}

output actionGroupId string = actionGroup.id
