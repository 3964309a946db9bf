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

function duration(seconds) {
  if (seconds == null) return '—';
  const s = Math.max(0, Math.round(seconds));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

function byPresence(value) {
  if (!value) return '—';
  if (Array.isArray(value)) return value.map((a) => a.id ?? a).join(', ') || '—';
  return Object.entries(value).map(([presence, count]) => `${presence}: ${Array.isArray(count) ? count.length : count}`).join(', ') || '—';
}

function contactsText(value) {
  if (value == null) return '0';
  if (Array.isArray(value)) return value.length === 0 ? '0' : value.map((c) => `${c.contactId ?? c.id ?? c} (${String(c.channel ?? '').toLowerCase()})`).join(', ');
  return String(value);
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
      th.textContent = q.id ?? q.queueId;
      row.append(th);
      cell(row, String(q.waiting ?? 0));
      cell(row, duration(q.longestWaitSeconds ?? q.longestWait));
      cell(row, byPresence(q.agentsByPresence ?? q.agents));
      return row;
    }));
    agents.replaceChildren(...(board.agents ?? []).map((a) => {
      const row = document.createElement('tr');
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = a.name ? `${a.name} (${a.id ?? a.agentId})` : (a.id ?? a.agentId);
      row.append(th);
      const presence = String(a.presence ?? '').toLowerCase();
      cell(row, presence, `presence-${presence}`);
      cell(row, contactsText(a.activeContacts ?? a.contacts ?? a.assignments));
      cell(row, a.offer ? `${a.offer.contactId} (${String(a.offer.channel ?? '').toLowerCase()})` : '—');
      return row;
    }));
    updated.textContent = `Updated ${new Date().toLocaleTimeString()}`;
  }

  document.getElementById('reassign-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const contactId = document.getElementById('reassign-contact').value.trim();
    const agentId = document.getElementById('reassign-agent').value.trim();
    try {
      await api.post(`/api/supervisor/contacts/${enc(contactId)}/reassign`, { agentId });
      say(`Contact ${contactId} reassigned to ${agentId}.`);
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
