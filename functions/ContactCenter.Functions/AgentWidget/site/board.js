// The supervisor view: GET /api/supervisor/board rendered as two tables, re-read on every "board" message
// (and polled while the tab is open), plus reassigning a contact and changing an agent's skills.
import { enc } from './api.js';

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  row.append(td);
  return td;
}

// longestWait is a .NET TimeSpan in JSON: "[d.]hh:mm:ss[.fffffff]".
function timeSpanSeconds(value) {
  if (value == null) return null;
  if (typeof value === 'number') return value;
  const match = /^(?:(\d+)\.)?(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(String(value));
  if (!match) return null;
  const [, days, hours, minutes, seconds] = match;
  return Number(days ?? 0) * 86400 + Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
}

function duration(value) {
  const seconds = timeSpanSeconds(value);
  if (seconds == null) return '—';
  const s = Math.max(0, Math.round(seconds));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

// {"Available": 2, "Offline": 1}
function byPresence(value) {
  return Object.entries(value ?? {}).filter(([, count]) => count > 0)
    .map(([presence, count]) => `${presence.toLowerCase()}: ${count}`).join(', ') || '—';
}

// {"sms": {active, capacity}, ...}: the channels the agent works on now, e.g. "sms 1/5".
function channelsText(channels) {
  return Object.entries(channels ?? {}).filter(([, load]) => load.active > 0)
    .map(([channel, load]) => `${channel.toLowerCase()} ${load.active}/${load.capacity}`).join(', ') || 'none';
}

export function createBoard({ api, say, fail }) {
  const queues = document.getElementById('board-queues');
  const agents = document.getElementById('board-agents');
  const updated = document.getElementById('board-updated');
  let loading = null;

  async function refresh() {
    loading ??= (async () => {
      try {
        render(await api.get('/api/supervisor/board'));
      } catch (error) {
        fail(`Supervisor board: ${error.message}`);
      } finally {
        loading = null;
      }
    })();
    return loading;
  }

  function render(board) {
    queues.replaceChildren(...(board.queues ?? []).map((q) => {
      const row = document.createElement('tr');
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = q.queueId;
      row.append(th);
      cell(row, String(q.waiting ?? 0));
      cell(row, duration(q.longestWait));
      cell(row, `${q.offered ?? 0} / ${q.active ?? 0}`);
      cell(row, byPresence(q.agentsByPresence));
      return row;
    }));
    agents.replaceChildren(...(board.agents ?? []).map((a) => {
      const row = document.createElement('tr');
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = a.name && a.name !== a.agentId ? `${a.name} (${a.agentId})` : a.agentId;
      row.append(th);
      const presence = String(a.presence ?? '').toLowerCase();
      cell(row, a.wrapUpUntil ? `${presence}, wrapping up` : presence, `presence-${presence}`);
      cell(row, channelsText(a.channels));
      cell(row, a.offer ? `${a.offer.contactId} (${String(a.offer.channel ?? '').toLowerCase()})` : '—');
      cell(row, Object.entries(a.skills ?? {}).map(([skill, level]) => `${skill}=${level}`).join(', ') || '—');
      cell(row, String(a.missedOffers ?? 0));
      return row;
    }));
    updated.textContent = `Updated ${new Date().toLocaleTimeString()}`;
  }

  document.getElementById('reassign-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const contactId = document.getElementById('reassign-contact').value.trim();
    const agentId = document.getElementById('reassign-agent').value.trim();
    try {
      const result = await api.post(`/api/supervisor/contacts/${enc(contactId)}/reassign`, { agentId });
      say(result?.outcome === 'unchanged'
        ? `Contact ${contactId} is already offered to ${agentId}.`
        : `Contact ${contactId} offered to ${agentId}${result?.withdrawnFrom ? ` (withdrawn from ${result.withdrawnFrom})` : ''}.`);
      event.target.reset();
      refresh();
    } catch (error) {
      fail(`Reassign: ${error.message}`);
    }
  });

  document.getElementById('skills-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const agentId = document.getElementById('skills-agent').value.trim();
    const skills = {};
    for (const pair of document.getElementById('skills-text').value.split(',')) {
      const [name, level] = pair.split('=').map((s) => s.trim());
      if (name) skills[name.toLowerCase()] = Number(level);
    }
    try {
      await api.put(`/api/supervisor/agents/${enc(agentId)}/skills`, { skills });
      say(`Skills of ${agentId} saved.`);
      refresh();
    } catch (error) {
      fail(`Skills: ${error.message}`);
    }
  });

  return { refresh };
}
