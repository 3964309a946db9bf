// An Azure Monitor workbook over the ACD's custom metrics: a wallboard (last 15 minutes, per queue) and history
// (last 7 days). Metric names are documented in the root README's "Observability" section.
param name string
param location string
param tags object
param applicationInsightsId string

var wallboard = [
  {
    title: 'Queues now: waiting and longest wait (s)'
    minutes: 15
    visualization: 'table'
    query: 'customMetrics | where name in ("contactcenter.acd.queue.length", "contactcenter.acd.queue.longest_wait") | extend queue = tostring(customDimensions.queue) | summarize arg_max(timestamp, value) by queue, name | evaluate pivot(name, any(value), queue)'
  }
  {
    title: 'Agents by state'
    minutes: 15
    visualization: 'tiles'
    query: 'customMetrics | where name == "contactcenter.acd.agents" | extend state = tostring(customDimensions.state) | summarize arg_max(timestamp, value) by state | project state, agents = value'
  }
  {
    title: 'Service level, ASA (s) and abandonment, last hour, per queue'
    minutes: 60
    visualization: 'table'
    query: 'customMetrics | where name in ("contactcenter.acd.contacts.answered", "contactcenter.acd.contacts.abandoned", "contactcenter.acd.answer_wait") | extend queue = tostring(customDimensions.queue) | summarize answered = sumif(valueSum, name == "contactcenter.acd.contacts.answered"), within = sumif(valueSum, name == "contactcenter.acd.contacts.answered" and tostring(customDimensions.within_service_level) == "true"), abandoned = sumif(valueSum, name == "contactcenter.acd.contacts.abandoned"), waitSum = sumif(valueSum, name == "contactcenter.acd.answer_wait"), waitCount = sumif(valueCount, name == "contactcenter.acd.answer_wait") by queue | extend serviceLevelPercent = round(100.0 * within / answered, 1), asaSeconds = round(waitSum / waitCount, 1), abandonmentPercent = round(100.0 * abandoned / (answered + abandoned), 1)'
  }
  {
    title: 'Offers by outcome, last hour'
    minutes: 60
    visualization: 'piechart'
    query: 'customMetrics | where name == "contactcenter.acd.offers" | summarize offers = sum(valueSum) by outcome = tostring(customDimensions.outcome)'
  }
]

var history = [
  {
    title: 'Service level % per hour'
    minutes: 10080
    visualization: 'timechart'
    query: 'customMetrics | where name == "contactcenter.acd.contacts.answered" | summarize serviceLevel = 100.0 * sumif(valueSum, tostring(customDimensions.within_service_level) == "true") / sum(valueSum) by bin(timestamp, 1h)'
  }
  {
    title: 'ASA (s) and abandoned contacts per hour'
    minutes: 10080
    visualization: 'timechart'
    query: 'customMetrics | where name in ("contactcenter.acd.answer_wait", "contactcenter.acd.contacts.abandoned") | summarize asaSeconds = sumif(valueSum, name == "contactcenter.acd.answer_wait") / sumif(valueCount, name == "contactcenter.acd.answer_wait"), abandoned = sumif(valueSum, name == "contactcenter.acd.contacts.abandoned") by bin(timestamp, 1h)'
  }
  {
    // customMetrics holds pre-aggregated rows (valueMax, valueSum, valueCount per export interval): no percentile can
    // be computed from them, so the tile shows what they give, the slowest and the mean.
    title: 'Routing latency, slowest and mean (ms) per hour'
    minutes: 10080
    visualization: 'timechart'
    query: 'customMetrics | where name == "contactcenter.acd.routing.duration" | summarize slowest = max(valueMax), average = sum(valueSum) / sum(valueCount) by bin(timestamp, 1h)'
  }
  {
    title: 'Function failures per hour'
    minutes: 10080
    visualization: 'timechart'
    // Classic requests table: success is a string (see alerts.bicep).
    query: 'requests | where success == "False" | summarize failures = count() by operation_Name, bin(timestamp, 1h)'
  }
]

var sections = [
  { heading: '## Wallboard', tiles: wallboard }
  { heading: '## History (7 days)', tiles: history }
]

var content = {
  version: 'Notebook/1.0'
  items: flatten(map(sections, section => concat([{ type: 1, name: section.heading, content: { json: section.heading } }], map(section.tiles, tile => {
    type: 3
    name: tile.title
    content: {
      version: 'KqlItem/1.0'
      title: tile.title
      query: tile.query
      size: 0
      queryType: 0
      resourceType: 'microsoft.insights/components'
      visualization: tile.visualization
      timeContext: { durationMs: tile.minutes * 60000 }
    }
  }))))
  fallbackResourceIds: [applicationInsightsId]
  styleSettings: { paddingStyle: 'narrow' }
  isLocked: false
}

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(name, applicationInsightsId)
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'Contact center: wallboard and history'
    category: 'workbook'
    sourceId: applicationInsightsId
    serializedData: string(content)
  }
}

output id string = workbook.id
